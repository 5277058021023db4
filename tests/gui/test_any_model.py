"""Every view shows any Sequential the core builds: a small VGG (grey) and the colour CNN,
opened from files with File > Open model, are drawn layer by layer, kernel by kernel, shape
by shape; a colour model takes a dropped picture, resized as it was trained, and names its
classes."""

from __future__ import annotations

import numpy as np
import pytest
from fake_data import cifar_archive, cifar_batch
from model_views import check_every_tab_shows_the_model
from PIL import Image
from PySide6.QtCore import QMimeData, Qt, QUrl
from qt_actions import choose, click, drop

from convviz.core import AvgPool2D, BatchNormalization, Conv2D, Dense, Sequential, save_model
from convviz.core.drawing.picture_input import prepare_picture
from convviz.core.imaging.image_io import load_image
from convviz.core.nn.layers import Flatten
from convviz.core.nn.presets import build_preset
from convviz.core.training import cifar10, datasets
from convviz.gui.model_file import CloseChoice
from convviz.gui.session import DigitSession, UnitRef
from convviz.gui.train.view import TrainState

OPEN_MS = 30_000
CIFAR_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
               "ship", "truck")


def open_model(qtbot, window, model, path) -> None:
    """File > Open model on a saved copy of `model`, as a person would."""
    save_model(model, path)
    window.model_file.ask_open_path = lambda: path
    with qtbot.waitSignal(window.model_file.open_finished, timeout=OPEN_MS) as finished:
        window.model_file.open_action.trigger()
    assert finished.args == [True], window.message_bar.text()


@pytest.mark.parametrize("name", ["small-vgg", "colour-cnn"])
def test_every_tab_shows_the_layers_kernels_and_shapes_of_the_model(qtbot, window, tmp_path,
                                                                     name):
    model = build_preset(name, seed=4)
    open_model(qtbot, window, model, tmp_path / f"{name}.npz")
    tab = window.draw_tab
    captions = " ".join(html for _, html, _ in tab.activation_view._titles)
    assert "conv 3×3 same<br>relu" in captions and "max pool 2×2" in captions
    assert "C1" not in captions and "dropout" not in captions   # presets: no dropout
    check_every_tab_shows_the_model(qtbot, window)


def test_a_colour_model_sees_a_dropped_picture_resized_and_names_its_classes(
        qtbot, window, tmp_path):
    model = build_preset("colour-cnn", seed=2)
    model.class_names = CIFAR_NAMES
    open_model(qtbot, window, model, tmp_path / "cifar.npz")
    tab = window.draw_tab
    assert tab.canvas_panel.title_label.text() == "Your picture"
    assert tab.input_pages.currentIndex() == 1 and not tab.clear_action.isEnabled()
    assert tab.prediction_view.class_labels == list(CIFAR_NAMES)

    rng = np.random.default_rng(0)
    photo = (rng.uniform(0, 1, (90, 120, 3)) * np.linspace(0, 1, 120)[None, :, None] * 255)
    Image.fromarray(photo.astype(np.uint8)).save(tmp_path / "photo.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "photo.png"))])
    drop(window, mime)
    qtbot.waitUntil(lambda: not window.session.digit.is_blank, timeout=OPEN_MS)

    expected = prepare_picture(load_image(tmp_path / "photo.png").pixels, (32, 32, 3)).pixels
    np.testing.assert_allclose(tab.digit_view.image_item.image, expected, atol=1e-6)
    assert tab.digit_view.image_item.image.shape == (32, 32, 3)
    assert tab.picture_view.shown_size[0] > 32            # the original, shown large
    probabilities = window.session.model.predict(expected[None])[0]
    np.testing.assert_allclose(tab.prediction_view.heights, probabilities, rtol=1e-5)
    top = CIFAR_NAMES[int(np.argmax(probabilities))]
    assert tab.prediction_view.digit_label.text() == top
    assert "photo.png" in tab.canvas_panel.subtitle_label.text()
    why_classes = [tab.why_view.class_box.itemText(i)
                   for i in range(1, tab.why_view.class_box.count())]
    assert why_classes == list(CIFAR_NAMES)

    # Why? explains a colour picture: maps over its brightness, questions in class names.
    tab.show_detail(tab.why_view)
    qtbot.waitUntil(lambda: tab.why_view.explanation is not None, timeout=OPEN_MS)
    assert tab.why_view.question_label.text().startswith(f"Why {top}?")
    assert tab.why_view.explanation.maps["saliency"].shape == (32, 32)

    legend = tab.what_if_view.sweep_plot.plotItem.legend
    assert [label.text for _, label in legend.items] == list(CIFAR_NAMES)

    # The kernels of the first layer, picked per colour.
    picker = tab.kernel_picker
    picker.layer_box.setFocus()
    qtbot.keyClick(picker.layer_box, Qt.Key.Key_Down)         # conv1
    assert [picker.channel_box.itemText(i) for i in range(picker.channel_box.count())] == [
        "all inputs", "red", "green", "blue"]

    # A test picture (painted in the app), then back to a digit model: the canvas returns.
    qtbot.mouseClick(tab.test_picture_button, Qt.MouseButton.LeftButton)
    assert tab.canvas_panel.subtitle_label.text().startswith("Test picture: ")
    test_images = rng.integers(0, 256, (6, 32, 32, 3), dtype=np.uint8)
    tab.set_test_pictures(test_images, np.arange(6), "CIFAR-10")     # a dataset's, once loaded
    qtbot.mouseClick(tab.test_picture_button, Qt.MouseButton.LeftButton)
    subtitle = tab.canvas_panel.subtitle_label.text()
    index = int(subtitle.split("#")[1].split(",")[0])
    assert subtitle == f"CIFAR-10 test image #{index}, labelled {CIFAR_NAMES[index]}"
    np.testing.assert_allclose(tab.digit_view.image_item.image, test_images[index] / 255,
                               atol=1e-6)
    open_model(qtbot, window, build_preset("lenet5-modern"), tmp_path / "lenet.npz")
    assert tab.input_pages.currentIndex() == 0 and tab.digit_view.image_item.image.shape == (28, 28)
    assert window.train_tab.replay_panel.replay.model.input_shape == (28, 28, 1)
    assert tab.prediction_view.class_labels == [str(k) for k in range(10)]


def pixels_that_move(model, layer: int, unit: UnitRef) -> list[tuple[int, int]]:
    """The input pixels whose change changes the unit, found by nudging each one: the
    receptive field by its definition (all weights positive, no activation: every pixel
    in the field counts)."""
    image = np.zeros((1, *model.input_shape), np.float32)
    base = model.forward_all(image)[layer][0, unit.row, unit.col, unit.channel]
    moved = []
    for row in range(model.input_shape[0]):
        for col in range(model.input_shape[1]):
            nudged = image.copy()
            nudged[0, row, col, 0] = 1.0
            value = model.forward_all(nudged)[layer][0, unit.row, unit.col, unit.channel]
            if value != base:
                moved.append((row, col))
    return moved


def test_the_receptive_field_through_strides_padding_dilation_and_pooling(qtbot):
    model = Sequential([Conv2D(2, 3, strides=2, padding="same"), BatchNormalization(),
                        Conv2D(2, 3, dilation_rate=2), AvgPool2D(2, strides=1),
                        Conv2D(2, (2, 3), padding=1), Flatten(), Dense(3)],
                       input_shape=(23, 21, 1), seed=0)
    for layer in model.layers:
        for name, value in layer.params.items():
            if name in ("kernel", "gamma", "moving_variance"):
                value[...] = np.abs(value) + 0.1
    session = DigitSession(model, "a stack of windows")
    for layer, (row, col) in ((0, (3, 4)), (2, (2, 5)), (3, (1, 1)), (4, (3, 0))):
        unit = UnitRef(layer, 1, row, col)
        rows, cols = session.receptive_field(unit)      # the box; may reach into padding
        moved = np.array(pixels_that_move(model, layer, unit))   # dilation leaves gaps
        assert (moved[:, 0].min(), moved[:, 0].max()) == (max(rows[0], 0), min(rows[1], 22))
        assert (moved[:, 1].min(), moved[:, 1].max()) == (max(cols[0], 0), min(cols[1], 20))


def test_training_a_digit_network_after_a_colour_model_brings_the_canvas_back(
        qtbot, window, tmp_path):
    from fake_data import bar_digits

    from convviz.core.training.data import MnistData

    open_model(qtbot, window, build_preset("colour-cnn"), tmp_path / "colour.npz")
    window.draw_tab.take_test_picture()
    tab = window.train_tab
    tab.set_data(MnistData(*bar_digits(256, 0), *bar_digits(64, 1)))
    window.model_file.ask_before_discarding = lambda action: CloseChoice.DISCARD
    window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD
    window.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.step_button, Qt.MouseButton.LeftButton)   # one batch of LeNet-5
    assert window.session.model.input_shape == (28, 28, 1)
    qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.is_training, timeout=OPEN_MS)
    window.tabs.setCurrentWidget(window.draw_tab)
    qtbot.waitUntil(lambda: window.draw_tab.input_pages.currentIndex() == 0, timeout=OPEN_MS)
    assert window.session.digit.pixels.shape == (28, 28)
    assert window.draw_tab.digit_view.image_item.image.shape == (28, 28)


def test_a_grey_model_of_another_size_sees_pictures_resized_in_grey(qtbot, window, tmp_path):
    from convviz.core.drawing.picture_input import sample_pictures

    open_model(qtbot, window, build_preset("mlp", input_shape=(20, 24, 1)), tmp_path / "m.npz")
    tab = window.draw_tab
    assert tab.input_pages.currentIndex() == 1 and "20×24: the whole picture" in \
        tab.digit_panel.subtitle_label.text()
    qtbot.mouseClick(tab.test_picture_button, Qt.MouseButton.LeftButton)
    first = next(iter(sample_pictures().values()))
    expected = prepare_picture(first, (20, 24, 1)).pixels
    assert expected.shape == (20, 24)
    np.testing.assert_array_equal(window.session.digit.pixels, expected)
    np.testing.assert_array_equal(tab.digit_view.image_item.image, expected)
    tab.show_detail(tab.kernel_view)      # no convolution: the kernel view says so
    assert not tab.kernel_picker.isEnabled() and tab.kernel_view.grids == []


def test_a_colour_cnn_trained_on_cifar10_is_shown_and_takes_its_test_pictures(
        qtbot, window, tmp_path):
    """The Train tab trains the colour CNN on CIFAR-10 (real binary format, a chosen folder):
    the Draw tab then shows that network with CIFAR's class names, and Test picture draws
    from CIFAR's test batch."""
    batches = {name: cifar_batch(24, seed)[0]
               for seed, name in enumerate((*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH))}
    (tmp_path / "my-cifar").mkdir()
    (tmp_path / "my-cifar" / cifar10.ARCHIVE).write_bytes(cifar_archive(batches))
    window.model_file.ask_keep_weights = lambda training: CloseChoice.DISCARD  # at teardown
    train = window.train_tab
    train.ask_for_dataset = lambda parent, spec, folder: tmp_path / "my-cifar"  # its dialog
    window.tabs.setCurrentWidget(train)                     # is driven in tests/gui/train
    choose(qtbot, train.settings.dataset_box, "CIFAR-10")
    choose(qtbot, train.settings.arch_box, "colour CNN")
    train.settings.epochs_box.setValue(1)
    click(qtbot, train.start_button)
    qtbot.waitUntil(lambda: train.state is TrainState.IDLE and train.worker is None
                    and train.run is not None, timeout=180_000)
    shown = window.session.model
    assert shown.input_shape == (32, 32, 3) and shown.class_names == CIFAR_NAMES
    window.tabs.setCurrentWidget(window.draw_tab)
    tab = window.draw_tab
    assert tab.prediction_view.class_labels == list(CIFAR_NAMES)
    qtbot.mouseClick(tab.test_picture_button, Qt.MouseButton.LeftButton)
    subtitle = tab.canvas_panel.subtitle_label.text()
    assert subtitle.startswith("CIFAR-10 test image #"), subtitle
    index = int(subtitle.split("#")[1].split(",")[0])
    test_images = datasets.read_training_set(datasets.CIFAR10, tmp_path / "my-cifar").test_images
    np.testing.assert_allclose(tab.digit_view.image_item.image, test_images[index] / 255,
                               atol=1e-6)
    check_every_tab_shows_the_model(qtbot, window)
