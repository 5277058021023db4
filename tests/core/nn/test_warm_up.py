"""WarmUpQueue: jobs in order, none started while held, closing drops the rest."""

from __future__ import annotations

import threading

import numpy as np

from convviz.core.nn.model import lenet5
from convviz.core.nn.warm_up import WarmUpQueue, warm_forward, warm_training


def test_jobs_run_in_the_order_added():
    queue, ran = WarmUpQueue(), []
    for name in ("forward", "training", "inspector"):
        queue.add(name, lambda name=name: ran.append(name))
    assert queue.pending == ("forward", "training", "inspector")
    queue.run()
    assert ran == queue.finished == ["forward", "training", "inspector"]
    assert queue.pending == ()


def test_a_held_queue_finishes_the_running_job_and_starts_no_other_until_released():
    queue, ran, holds = WarmUpQueue(), [], []
    queue.add("forward", lambda: (ran.append("forward"), holds.append(queue.hold())))
    queue.add("inspector", lambda: ran.append("inspector"))
    runner = threading.Thread(target=queue.run)
    runner.start()
    runner.join(0.5)  # the queue waits: without the hold it would have run both and ended
    assert runner.is_alive() and ran == ["forward"] and queue.pending == ("inspector",)
    holds[0]()
    holds[0]()  # a second release changes nothing
    runner.join(30)
    assert not runner.is_alive() and ran == ["forward", "inspector"]
    assert queue.finished == ran


def test_closing_wakes_a_held_queue():
    queue = WarmUpQueue()
    queue.hold()
    queue.add("inspector", lambda: None)
    runner = threading.Thread(target=queue.run)
    runner.start()
    queue.close()
    runner.join(30)
    assert not runner.is_alive() and queue.finished == []


def test_closing_drops_the_jobs_not_started():
    queue, ran = WarmUpQueue(), []
    queue.add("training", lambda: (ran.append("training"), queue.close()))
    queue.add("inspector", lambda: ran.append("inspector"))
    queue.run()
    assert ran == ["training"] and queue.pending == ()


def test_warm_ups_run_the_model_once_forward_and_backward():
    model = lenet5("modern", seed=0)
    before = [w.copy() for w in model.get_weights()]
    assert warm_forward(model.clone()) >= 0 and warm_training(model.clone()) >= 0
    for old, new in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)
