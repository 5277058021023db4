"""Start does not wait for the app's background compilation of kernels it does not need.

Numba compiles one kernel at a time, process-wide: a warm-up job that starts after Start
would make the first step wait for it. So Start holds the session's warm-up queue until the
run's first step; the job already running finishes, the others come after.
"""

from __future__ import annotations

import threading

from test_train_view import (  # noqa: F401  (fixture)
    FIRST_STEP_MS,
    STEP_MS,
    click,
    session,
    view,
)

from convviz.gui import workers


def test_start_runs_its_first_step_before_the_unrelated_warm_up_jobs(qtbot, view):  # noqa: F811
    queue = view.session.kernel_warm_up
    running, release_running = threading.Event(), threading.Event()
    steps_when_inspector_ran = []

    def running_job() -> None:
        running.set()
        release_running.wait(60)

    queue.add("forward", running_job)
    queue.add("inspector", lambda: steps_when_inspector_ran.append(view.trainer.step))
    workers.start(queue.run, view, lambda _result: None, lambda error: None)
    assert running.wait(30)  # the app is busy compiling when the person presses Start

    click(qtbot, view.start_button)
    release_running.set()  # the job that was running ends; the inspector's waits
    qtbot.waitUntil(lambda: view.last_step is not None, timeout=FIRST_STEP_MS)
    qtbot.waitUntil(lambda: "inspector" in queue.finished, timeout=STEP_MS)
    assert queue.finished == ["forward", "inspector"]
    assert steps_when_inspector_ran[0] >= 1  # it ran only once training had its kernels
    click(qtbot, view.stop_button)
    qtbot.waitUntil(lambda: view.worker is None, timeout=STEP_MS)
