"""The main window and its Draw tab, driven like a person: mouse strokes, keys, drops, clicks.

Assertions are on state and on the data the views show (image_item.image, bar heights, label
texts), never on pixels. The model has random weights on purpose: these tests are about the
app, not about recognition (tests/core/drawing/test_digit_preprocess.py judges that).
"""

from __future__ import annotations

import logging
import struct
import zlib
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pytest
from fake_data import write_mnist
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QSpinBox
from qt_actions import WARM_UP_MS, canvas_pos, draw_digit, draw_stroke, drop, hover, press_and_drag

from convviz.core import lenet5
from convviz.core.drawing.digit_preprocess import preprocess_digit, resize_area
from convviz.core.nn.geometry import receptive_field
from convviz.gui import error_log
from convviz.gui.app import load_startup_model
from convviz.gui.main_window import MainWindow, opening_size
from convviz.gui.session import UnitRef
from convviz.gui.widgets.message_bar import MessageLevel
from convviz.gui.widgets.throttle import Throttle

C1, S2, C3, S4, C5, FLATTEN, F6, OUTPUT = range(8)


def unit_pos(window: MainWindow, layer: int, cell: int, row: float, col: float) -> QPoint:
    view = window.draw_tab.activation_view
    column = next(c for c in view.columns if c.index == layer)
    return view.mapFromScene(column.grid.scene_point(cell, row, col))


# --- drawing -------------------------------------------------------------------------------------

def test_a_stroke_updates_the_network_while_it_is_drawn(qtbot, window):
    tab, session = window.draw_tab, window.session
    blank_heights = tab.prediction_view.heights.copy()
    assert session.digit.is_blank and tab.canvas.is_empty
    press_and_drag(qtbot, window, [(140.0, 40.0), (140.0, 90.0), (140.0, 160.0), (145.0, 240.0)])
    assert tab.canvas.is_drawing, "the button is still down"
    qtbot.waitUntil(lambda: not session.digit.is_blank and not tab._throttle.pending)
    assert tab.canvas.ink[200, 142] == 1.0 and tab.canvas.ink[200, 60] == 0.0
    expected = preprocess_digit(tab.canvas.ink).pixels
    assert np.array_equal(session.digit.pixels, expected)
    assert np.array_equal(tab.digit_view.image_item.image, expected)
    assert not np.allclose(tab.prediction_view.heights, blank_heights)
    assert np.allclose(tab.prediction_view.heights, session.probabilities)
    c1 = next(c for c in tab.activation_view.columns if c.index == C1)
    assert np.array_equal(c1.grid.cell_image(4), session.activations[C1][:, :, 4])
    qtbot.mouseRelease(tab.canvas_view.viewport(), Qt.MouseButton.LeftButton,
                       pos=canvas_pos(window, 145.0, 240.0))
    assert not tab.canvas.is_drawing and window.draw_tab.undo_action.isEnabled()


def test_the_top_class_is_highlighted(qtbot, window):
    draw_digit(qtbot, window)
    view = window.draw_tab.prediction_view
    top = int(np.argmax(window.session.probabilities))
    assert view.digit_label.text() == str(top)
    colours = [pg.mkBrush(brush).color().name() for brush in view.bars.opts["brushes"]]
    assert len(set(colours)) == 2 and colours.count(colours[top]) == 1


def test_undo_redo_and_clear_by_keyboard(qtbot, window):
    tab = window.draw_tab
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    draw_stroke(qtbot, window, [(60.0, 60.0), (220.0, 60.0)])
    one_stroke = tab.canvas.ink.copy()
    draw_stroke(qtbot, window, [(60.0, 200.0), (220.0, 200.0)])
    two_strokes = tab.canvas.ink.copy()
    qtbot.keyClick(tab.canvas_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(tab.canvas.ink, one_stroke)
    assert np.array_equal(window.session.digit.pixels, preprocess_digit(one_stroke).pixels)
    qtbot.keyClick(tab.canvas_view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert np.array_equal(tab.canvas.ink, two_strokes)
    qtbot.keyClick(tab.canvas_view, Qt.Key.Key_Delete)
    assert tab.canvas.is_empty and window.session.digit.is_blank
    assert tab.prediction_view.digit_label.text() == "?"
    qtbot.keyClick(tab.canvas_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert np.array_equal(tab.canvas.ink, two_strokes)


def test_eraser_and_brush_size(qtbot, window):
    tab = window.draw_tab
    tab.set_brush_radius(20)
    draw_stroke(qtbot, window, [(40.0, 140.0), (240.0, 140.0)])
    assert tab.canvas.ink[140 + 15, 140] == 1.0, "a 40-pixel-wide line"
    tab.eraser_button.click()
    assert tab.brush.erase and tab.eraser_action.isChecked()
    draw_stroke(qtbot, window, [(140.0, 60.0), (140.0, 220.0)])
    assert tab.canvas.ink[140, 140] == 0.0 and tab.canvas.ink[140, 60] == 1.0
    tab.pen_button.click()
    assert not tab.brush.erase


def test_the_view_waits_for_the_warm_up(qtbot, make_window):
    window = make_window(warm=False)
    tab = window.draw_tab
    assert tab.warming_label.isVisible() and window.session.activations is None
    draw_stroke(qtbot, window, [(140.0, 40.0), (140.0, 240.0)])
    assert not window.session.digit.is_blank and window.session.activations is None
    with qtbot.waitSignal(window.session.warmed_up, timeout=WARM_UP_MS):
        window.start_background_work()
    assert not tab.warming_label.isVisible()
    assert window.session.activations is not None
    assert np.allclose(tab.prediction_view.heights, window.session.probabilities)


# --- pictures in ---------------------------------------------------------------------------------

def dark_one_on_paper(path: Path) -> None:
    """A photo-like digit: dark ink on light paper, in colour, 300 x 200 pixels."""
    pixels = np.full((300, 200, 3), (235, 230, 220), np.uint8)
    pixels[60:240, 90:110] = (30, 30, 60)
    Image.fromarray(pixels).save(path)


def test_dropping_an_image_file_loads_it(qtbot, window, tmp_path):
    path = tmp_path / "photo of a one.png"
    dark_one_on_paper(path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    tab = window.draw_tab
    with qtbot.waitSignal(window.session.input_changed, timeout=10_000):
        drop(window, mime)
    assert not tab.canvas.is_empty
    rows = np.flatnonzero(tab.canvas.ink.max(axis=1) > 0.5)
    assert 40 <= rows[0] and rows[-1] <= 240, "the picture is fitted whole into the canvas"
    assert tab.picture_label.isVisible()
    assert "photo of a one" in tab.canvas_panel.subtitle_label.text()
    assert window.message_bar.isVisible() and window.message_bar.level is MessageLevel.INFO
    assert "inverted" in window.message_bar.text()
    assert not window.session.digit.is_blank
    assert window.session.digit.pixels[14, 14] > 0.9, "the bar became the network's white ink"
    tab.undo()
    assert tab.canvas.is_empty and not tab.picture_label.isVisible()


def png_claiming_size(width: int, height: int) -> bytes:
    """A PNG header claiming width x height pixels, with no pixel data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name, content, expected", [
    ("broken.png", b"\x89PNG\r\n\x1a\n this is not really a picture", "broken.png"),
    ("empty.jpg", b"", "empty"),
    ("huge.png", png_claiming_size(200_000, 200_000), "megapixel"),
])
def test_a_bad_file_is_explained_and_the_drawing_kept(qtbot, window, tmp_path, name, content,
                                                      expected):
    draw_stroke(qtbot, window, [(80.0, 80.0), (200.0, 200.0)])
    drawing = window.draw_tab.canvas.ink.copy()
    path = tmp_path / name
    path.write_bytes(content)
    window.open_image(path)
    qtbot.waitUntil(lambda: window.message_bar.isVisible(), timeout=10_000)
    assert window.message_bar.level is MessageLevel.ERROR
    assert expected in window.message_bar.text()
    assert np.array_equal(window.draw_tab.canvas.ink, drawing)
    assert window.isVisible()


def test_pasting_an_image_from_the_clipboard(qtbot, window, tmp_path):
    path = tmp_path / "pasted.png"
    dark_one_on_paper(path)
    QApplication.clipboard().setImage(QImage(str(path)))
    with qtbot.waitSignal(window.session.input_changed, timeout=10_000):
        window.paste_action.trigger()
    assert not window.draw_tab.canvas.is_empty
    assert "pasted image" in window.message_bar.text()
    QApplication.clipboard().setText("no picture here")
    window.paste_image()
    assert window.message_bar.level is MessageLevel.WARNING
    assert "no image" in window.message_bar.text()


# --- hovering and clicking units ----------------------------------------------------------

def test_clicking_a_c3_unit_highlights_its_receptive_field(qtbot, window):
    draw_digit(qtbot, window)
    view = window.draw_tab.activation_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=unit_pos(window, C3, cell=5, row=3, col=4))
    assert window.session.selection == UnitRef(C3, 5, 3, 4)
    layers = window.session.model.layers
    rows, cols = receptive_field([layers[C1].geometry, layers[S2].geometry,
                                  layers[C3].geometry], 3, 4)
    assert (rows, cols) == ((4, 17), (6, 19))
    field = window.draw_tab.digit_view.field_rect
    assert (field.top(), field.bottom(), field.left(), field.right()) == (4, 18, 6, 20)
    (top, bottom), (left, right) = window.session.digit.transform.source_box(rows, cols)
    canvas_field = window.draw_tab.canvas_view.field_rect
    assert canvas_field.top() == pytest.approx(max(top, 0))
    assert canvas_field.right() == pytest.approx(min(right, 280))
    assert "rows 4–17" in window.draw_tab.field_label.text()
    c3 = next(c for c in view.columns if c.index == C3)
    assert c3.grid.marked


def test_units_past_the_convolutions_see_the_whole_input(qtbot, window):
    draw_digit(qtbot, window)
    view = window.draw_tab.activation_view
    for layer, cell, row, col, unit in ((C5, 0, 0, 3, 3), (F6, 0, 2, 1, 9), (OUTPUT, 0, 7, 0, 7)):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=unit_pos(window, layer, cell, row, col))
        assert window.session.selection == UnitRef(layer, unit)
        field = window.draw_tab.digit_view.field_rect
        assert (field.left(), field.top(), field.width(), field.height()) == (0, 0, 28, 28)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                     pos=unit_pos(window, OUTPUT, 0, 7, 0))
    assert window.session.selection is None, "a second click deselects"
    assert window.draw_tab.digit_view.field_rect is None


def test_hovering_reports_layer_map_position_and_value(qtbot, window):
    draw_digit(qtbot, window)
    view = window.draw_tab.activation_view
    hover(view.viewport(), unit_pos(window, C1, cell=2, row=10, col=12))
    value = float(window.session.activations[C1][10, 12, 2])
    expected = f"C1 · map 2 · row 10, col 12 · value {value:.6f}"
    qtbot.waitUntil(lambda: view.hover_text == expected)
    assert window.draw_tab.readout_label.text() == expected
    assert window.statusBar().currentMessage() == expected
    hover(view.viewport(), unit_pos(window, F6, cell=0, row=3, col=2))
    value = float(window.session.activations[F6][3 * 4 + 2])
    qtbot.waitUntil(lambda: view.hover_text == f"F6 · unit 14 · value {value:.6f}")


# --- the rest of the tab ------------------------------------------------------------------

def test_kernels_and_layer_table_follow_the_model(qtbot, window):
    tab = window.draw_tab
    model = window.session.model
    layer, grid = tab.kernel_view.grids[1]
    assert layer.name == "C3" and grid.columns == 16 and grid.rows == 6
    kernel = model.layers[C3].params["kernel"]
    assert np.array_equal(grid.cell_image(2 * 16 + 7), kernel[:, :, 2, 7])
    weights = [w * 2 for w in model.get_weights()]
    with qtbot.waitSignal(window.session.activations_changed):
        window.session.set_weights(weights)
    assert np.array_equal(grid.cell_image(2 * 16 + 7), weights[2][:, :, 2, 7])
    table = tab.layer_table.table
    summary = model.layer_summary(64)
    assert table.rowCount() == len(summary.rows)
    assert table.item(C3, 0).text() == "C3" and table.item(C3, 2).text() == "10×10×16"
    assert table.item(C3, 3).text() == f"{summary.rows[C3].params:,}"
    tab.layer_table.batch_box.setValue(2)
    assert table.item(C1, 5).text() == "37.6 kB", "6 maps of 28x28 floats, twice"
    assert "61,706" in tab.layer_table.totals_label.text()


def test_a_new_model_replaces_the_views_data(qtbot, window):
    draw_digit(qtbot, window)
    modern = lenet5("modern", seed=3)
    window.session.set_model(modern, "modern test model")
    assert window.model_label.text() == "Model: modern test model"
    layer, grid = window.draw_tab.kernel_view.grids[0]
    assert layer is modern.layers[C1]
    assert np.array_equal(grid.cell_image(0), modern.layers[C1].params["kernel"][:, :, 0, 0])
    assert np.allclose(window.draw_tab.prediction_view.heights,
                       modern.predict(window.session.digit.pixels[None, :, :, None])[0], atol=1e-6)


def write_tiny_mnist(folder: Path) -> np.ndarray:
    """Four IDX files with 3 test digits (20x20 squares of ink, MNIST-like); returns them."""
    folder.mkdir()
    digits = np.zeros((3, 28, 28), np.uint8)
    for k in range(3):
        digits[k, 4:24, 10 - k:18 + k] = 255
    labels = np.array([1, 0, 7], np.uint8)

    write_mnist(folder, (digits, labels), (digits, labels))
    return digits


def test_mnist_samples_can_be_picked(qtbot, make_window, tmp_path):
    digits = write_tiny_mnist(tmp_path / "mnist")
    window = make_window(data_dir=tmp_path / "mnist")
    tab = window.draw_tab
    qtbot.waitUntil(tab.sample_box.isEnabled, timeout=10_000)
    tab.sample_box.setValue(2)
    digit = digits[2].astype(np.float32) / 255
    assert np.array_equal(tab.canvas.ink, resize_area(digit, 280, 280))
    assert np.array_equal(window.session.digit.pixels, preprocess_digit(digit).pixels)
    assert "#2, labelled 7" in tab.canvas_panel.subtitle_label.text()
    assert window.train_tab.mnist is tab.mnist, "one copy of MNIST, read once, for both tabs"
    assert "3 test images" in window.train_tab.data_label.text()


def test_a_corrupt_mnist_file_is_reported_and_logged(qtbot, make_window, tmp_path, caplog):
    write_tiny_mnist(tmp_path / "mnist")
    images = tmp_path / "mnist" / "t10k-images-idx3-ubyte.gz"
    images.write_bytes(images.read_bytes()[:30])  # truncated
    with caplog.at_level(logging.WARNING, logger="convviz"):
        window = make_window(data_dir=tmp_path / "mnist")
        qtbot.waitUntil(lambda: not window.mnist_source.loading, timeout=10_000)
    assert window.draw_tab.mnist is None and not window.draw_tab.sample_box.isEnabled()
    assert any(record.exc_info for record in caplog.records), "the traceback is in the log"


def test_help_opens_the_log_folder(window, monkeypatch, tmp_path):
    opened = []
    monkeypatch.setattr(error_log, "log_folder", lambda: tmp_path / "logs")
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    help_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&Help")
    assert window.log_folder_action in help_menu.actions()
    window.log_folder_action.trigger()
    assert [url.toLocalFile() for url in opened] == [str(tmp_path / "logs")]
    assert (tmp_path / "logs").is_dir()


def test_without_mnist_the_picker_says_how_to_get_it(window):
    tab = window.draw_tab
    assert not tab.sample_box.isEnabled() and not tab.random_button.isEnabled()
    assert "convviz download" in tab.sample_box.toolTip()


def test_layout_and_brush_persist_between_runs(qtbot, make_window, tmp_path):
    settings = QSettings(str(tmp_path / "persist.ini"), QSettings.Format.IniFormat)
    first = make_window(warm=False, settings=settings)
    # The offscreen screen (800x800) is smaller than any window, so Qt shrinks a restored
    # geometry to the window's minimum; start there so both windows have the same width.
    first.resize(first.minimumSizeHint())
    first.draw_tab.set_brush_radius(21)
    first.draw_tab.main_splitter.setSizes([500, 900])
    first.draw_tab.details_tabs.setCurrentIndex(1)
    sizes = first.draw_tab.main_splitter.sizes()
    first.close()
    second = make_window(warm=False, settings=settings)
    assert second.draw_tab.brush.radius == 21
    assert second.draw_tab.details_tabs.currentIndex() == 1
    # the splitter keeps its proportions.
    restored = second.draw_tab.main_splitter.sizes()
    assert restored[0] / sum(restored) == pytest.approx(sizes[0] / sum(sizes), abs=0.03)


def test_other_tabs_can_be_added_and_share_the_session(qtbot, window):
    index = window.add_tab(QLabel("stepper"), "Stepper")
    assert window.tabs.tabText(index) == "Stepper"
    draw_stroke(qtbot, window, [(60.0, 60.0), (200.0, 200.0)])
    window.tabs.setCurrentIndex(index)
    assert not window.draw_tab.undo_action.isEnabled(), "the Draw tab's keys rest"
    window.tabs.setCurrentIndex(0)
    assert window.draw_tab.undo_action.isEnabled()


def test_the_window_opens_at_a_classroom_size(window):
    width, height = opening_size(window)
    least = window.minimumSizeHint()
    assert (window.width(), window.height()) == (max(width, least.width()),
                                                 max(height, least.height()))
    assert window.tabs.tabText(0) == "Draw"


@pytest.mark.parametrize("free, expected", [((1920, 1200), (1400, 900)),
                                            ((1366, 728), (1366, 728))])
def test_the_window_opens_no_larger_than_the_screen(free, expected):
    class Screen:
        def availableGeometry(self):  # noqa: N802 (as Qt's)
            return QRect(0, 0, *free)

    class Window:
        def screen(self):
            return Screen()

    assert opening_size(Window()) == expected


def test_without_the_shipped_model_the_app_says_it_guesses(monkeypatch):
    import convviz.gui.app as app

    monkeypatch.setattr(app, "SHIPPED_MODEL", ("models", "no-such-model.npz"))
    model, description, problem = app.load_startup_model()
    assert model.name == "lenet5-classic" and "random weights" in description
    assert "missing" in problem and "guesses" in problem


def test_the_shipped_model_loads():
    model, description, problem = load_startup_model()
    assert problem is None
    assert model.input_shape == (28, 28, 1) and "trained" in description


def test_throttle_runs_at_once_then_once_more_at_the_end(qtbot):
    calls = []
    throttle = Throttle(lambda: calls.append(1), 50)
    throttle()
    assert calls == [1], "an idle throttle runs at once"
    throttle()
    throttle()
    assert calls == [1] and throttle.pending
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=1000)
    assert not throttle.pending
    throttle()
    throttle.flush()
    assert len(calls) == 3


def test_the_mnist_folder_chosen_once_is_remembered_across_restarts(qtbot, make_window, tmp_path):
    chosen = tmp_path / "chosen-mnist"
    write_tiny_mnist(chosen)
    first = make_window(warm=False)  # its default folder has no MNIST
    assert first.draw_tab.mnist is None
    with qtbot.waitSignal(first.mnist_source.loaded, timeout=10_000):
        first.mnist_source.load(chosen)  # as the Train tab's "Choose a folder" does
    first.close()

    again = make_window(warm=False)  # the same settings file, a fresh window
    assert again.mnist_source.folder == chosen
    again.start_background_work()
    qtbot.waitUntil(again.draw_tab.sample_box.isEnabled, timeout=10_000)
    assert again.train_tab.data_dir == chosen


def colour_photo(path: Path) -> None:
    """A landscape-like colour photo: smooth colour gradients and sensor noise, no digit."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:240, 0:320] / np.array([240, 320])[:, None, None]
    pixels = np.stack([0.3 + 0.6 * x, 0.8 - 0.5 * y, 0.4 + 0.4 * np.sin(6 * x + 3 * y)], axis=2)
    pixels = np.clip(pixels + rng.normal(0, 0.12, pixels.shape), 0, 1)
    Image.fromarray((pixels * 255).astype(np.uint8)).save(path)


def test_a_colour_photo_is_told_truly_and_offered_to_image_inspection(qtbot, window, tmp_path):
    path = tmp_path / "holiday.png"
    colour_photo(path)
    window.open_image(path)
    bar = window.message_bar
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    assert "uniform" not in bar.text()
    assert "not a dark digit on a light background" in bar.text()
    assert window.draw_tab.canvas.is_empty
    assert bar.action_button.isVisible()
    qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.inspector_tab
    qtbot.waitUntil(lambda: window.inspector_tab.image is not None, timeout=10_000)
    assert window.inspector_tab.image.shape == (240, 320)


def test_a_plain_picture_is_still_called_uniform_with_nothing_to_offer(qtbot, window, tmp_path):
    path = tmp_path / "grey.png"
    Image.fromarray(np.full((50, 50), 128, np.uint8)).save(path)
    window.open_image(path)
    qtbot.waitUntil(window.message_bar.isVisible, timeout=10_000)
    assert "almost uniform" in window.message_bar.text()
    assert not window.message_bar.action_button.isVisible()


def captions(window) -> str:
    """Every layer title's text and tooltip (where space is short the title shows only the
    layer's name, and its tooltip the rest)."""
    view_box = window.draw_tab.activation_view.view_box
    return " ".join(f"{item.textItem.toPlainText()} {item.toolTip()}"
                    for item in view_box.addedItems if isinstance(item, pg.TextItem))


def test_layer_captions_follow_the_model_shown(window):
    assert "tanh" in captions(window) and "avg pool" in captions(window)
    window.session.set_model(lenet5("modern"), "modern")
    assert "relu" in captions(window) and "max pool" in captions(window)
    assert "tanh" not in captions(window) and "avg pool" not in captions(window)
    window.session.set_model(lenet5("classic"), "classic")
    assert "relu" not in captions(window) and "max pool" not in captions(window)
    types = {window.draw_tab.layer_table.table.item(row, 1).text()
             for row in range(window.draw_tab.layer_table.table.rowCount())}
    assert "AvgPool2D" in types and "MaxPool2D" not in types


def test_after_clear_the_subtitle_names_no_digit(qtbot, make_window, tmp_path):
    write_tiny_mnist(tmp_path / "mnist")
    window = make_window(data_dir=tmp_path / "mnist")
    tab = window.draw_tab
    qtbot.waitUntil(tab.sample_box.isEnabled, timeout=10_000)
    tab.sample_box.setValue(2)
    assert "MNIST test digit #2" in tab.canvas_panel.subtitle_label.text()
    tab.clear_action.trigger()
    assert tab.canvas.is_empty and "MNIST" not in tab.canvas_panel.subtitle_label.text()
    tab.undo_action.trigger()
    assert "MNIST test digit #2" in tab.canvas_panel.subtitle_label.text()


def test_the_probability_grid_lines_are_labelled_with_their_values(window):
    axis = window.draw_tab.prediction_view.plot.getAxis("left")
    values = [0, 0.25, 0.5, 0.75, 1]
    labels = dict(axis._tickLevels[0])  # what setTicks was given: (value, label)
    assert [labels[v] for v in values] == ["0", "0.25", "0.5", "0.75", "1"]


def turn_wheel(widget, notches: int = -1) -> None:
    """A wheel turned over `widget` (negative: towards the person, scrolling down)."""
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_a_panel_and_edits_only_a_focused_field(qtbot, window):
    window.resize(1100, 620)
    window.tabs.setCurrentWidget(window.stepper_tab)
    controls = window.stepper_tab.controls
    scroll = window.stepper_tab.findChild(QScrollArea)
    qtbot.waitUntil(lambda: scroll.verticalScrollBar().maximum() > 0, timeout=5_000)
    rows = controls.kernel_size.findChildren(QSpinBox)[0]
    window.stepper_tab.forward_button.setFocus()
    for widget in (rows, controls.operation_combo, controls.kernel_combo):
        before = scroll.verticalScrollBar().value()
        kernel, operation = controls.kernel_size.value(), controls.operation_combo.currentIndex()
        turn_wheel(widget)
        assert controls.kernel_size.value() == kernel == (3, 3)
        assert controls.operation_combo.currentIndex() == operation
        assert controls.kernel_combo.currentText() == "Vertical edge"
        assert scroll.verticalScrollBar().value() > before or (
            scroll.verticalScrollBar().value() == scroll.verticalScrollBar().maximum())
    rows.setFocus()
    turn_wheel(rows)
    assert controls.kernel_size.value() == (2, 3), "a focused field takes the wheel"


def test_the_stepper_keys_work_only_while_its_tab_is_on_show(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)
    stepper = window.stepper_tab
    window.tabs.setCurrentWidget(stepper)
    qtbot.waitUntil(lambda: stepper.stepper is not None, timeout=10_000)
    window.tabs.tabBar().setFocus()
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_End)
    assert stepper.stepper.at_end, "the focus on the tab bar does not stop the walk keys"
    qtbot.keyClick(window.tabs.tabBar(), Qt.Key.Key_Home)
    window.tabs.setCurrentWidget(window.draw_tab)
    window.draw_tab.sample_box.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert stepper.stepper.position == 0
