"""The Train tab's "Replay and gradients" panel, driven through the buttons and the slider:
the kernels and maps of any recorded moment, the epoch's confusion matrix, gradient norms."""

from __future__ import annotations

import numpy as np
import pytest
from fake_data import bar_digits
from PySide6.QtCore import Qt

from convviz.core import lenet5
from convviz.core.drawing.digit_preprocess import PreparedDigit
from convviz.core.training.data import MnistData
from convviz.gui import workers
from convviz.gui.mnist_source import MnistSource
from convviz.gui.session import DigitSession
from convviz.gui.train.view import TrainState, TrainView

FIRST_STEP_MS = 180_000
STEP_MS = 30_000
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot, tmp_path):
    session = DigitSession(lenet5("classic"), "test model")
    session.mark_ready()
    session.set_input(PreparedDigit(bar_digits(1, 7)[0][0].astype(np.float32) / 255, None))
    made = TrainView(session, MnistSource(tmp_path / "no-mnist"))
    made.set_data(MnistData(*bar_digits(384, 0), *bar_digits(100, 1)))
    made.settings.epochs_box.setValue(2)
    made.settings.batch_box.setValue(32)

    def stop(view):
        view.shutdown()
        workers.wait_for_workers(view)

    qtbot.addWidget(made, before_close_func=stop)
    made.resize(1400, 850)
    made.show()
    return made


def open_replay(qtbot, view):
    bar = view.right_tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    assert view.replay_panel.isVisible()
    return view.replay_panel


def test_a_finished_run_can_be_replayed_moment_by_moment(qtbot, view):
    replay = open_replay(qtbot, view)
    assert not replay.slider.isEnabled() and "start a run" in replay.step_label.text()
    qtbot.mouseClick(view.start_button, LEFT)
    qtbot.waitUntil(lambda: view.state is TrainState.IDLE, timeout=FIRST_STEP_MS + STEP_MS)
    timeline = replay.timeline
    assert len(timeline) >= 2 and replay.slider.isEnabled()
    assert [r.epoch for r in timeline.results] == [1, 2]
    # every step's gradient norms, one curve per layer with parameters
    assert timeline.norm_steps == list(range(1, 2 * 11 + 1))
    assert set(replay.norm_curves) == {"C1", "C3", "C5", "F6", "output"}
    curve = replay.norm_curves["C1"]      # its data before the plot's log scale
    np.testing.assert_array_equal(curve.xData, timeline.norm_steps)
    np.testing.assert_allclose(curve.yData, timeline.norms["C1"])
    # the first recorded moment: its kernels, through the replay's own network
    replay.slider.setFocus()
    qtbot.keyClick(replay.slider, Qt.Key.Key_Home)
    first = timeline.snapshots[0]
    assert replay.shown_step == first.step
    np.testing.assert_array_equal(replay.replay.model.layers[0].params["kernel"],
                                  first.weights[0])
    np.testing.assert_array_equal(replay.kernel_view.grids[0][1].cell_image(0),
                                  first.weights[0][:, :, 0, 0])
    assert f"step {first.step:,}" in replay.step_label.text()
    if first.step < timeline.results[0].step:
        assert "No epoch had ended" in replay.confusion_label.text()
    # the live network is untouched by the replay
    assert not np.array_equal(view.session.model.layers[0].params["kernel"], first.weights[0])
    qtbot.keyClick(replay.slider, Qt.Key.Key_End)
    last = timeline.snapshots[-1]
    assert "(latest)" in replay.step_label.text()
    np.testing.assert_array_equal(replay.confusion_view.confusion, timeline.results[-1].confusion)
    assert "after epoch 2" in replay.confusion_label.text()
    np.testing.assert_array_equal(replay.replay.model.layers[0].params["kernel"],
                                  last.weights[0])
    # Reset forgets the run
    qtbot.mouseClick(view.reset_button, LEFT)
    assert len(replay.timeline) == 0 and not replay.norm_curves
