import io
import struct
import threading
import warnings
import zlib
from functools import partial

import numpy as np
import pyqtgraph as pg
import pytest
from PIL import Image, features
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from qt_actions import shown

from convviz.core.imaging.filtering import correlate2d
from convviz.core.imaging.image_io import load_image, to_luminance
from convviz.core.imaging.inspection import ChainSettings, Pooling, apply_chain
from convviz.core.imaging.pyramid import halve, mipmaps
from convviz.core.kernel_bank import bank_kernel
from convviz.core.nn import ops
from convviz.gui import workers
from convviz.gui.inspector import jobs as inspector_jobs
from convviz.gui.inspector import view as inspector_view
from convviz.gui.inspector.view import InspectorView
from convviz.gui.widgets.message_bar import MessageLevel

RNG = np.random.default_rng(3)
PHOTO = RNG.integers(0, 256, (48, 64, 3), dtype=np.uint8)
EDGES = ("Gaussian blur 3x3", "Sobel x", "Sobel y", "Laplacian")  # bank order


@pytest.fixture
def view(qtbot):
    return shown(qtbot, InspectorView(), 1400, 850)


@pytest.fixture
def make_unshown_view(qtbot):
    """make() -> a view never shown (made after a test's monkeypatching), kept alive until
    qtbot has waited for its workers: a view dropped when the test returns would be deleted
    under a worker thread that is just finishing."""
    made = []

    def make() -> InspectorView:
        made.append(InspectorView())
        qtbot.addWidget(made[-1], before_close_func=workers.wait_for_workers)
        return made[-1]

    return make


def save(tmp_path, name, image: Image.Image, **options):
    path = tmp_path / name
    image.save(path, **options)
    return path


def load(qtbot, view, path):
    with qtbot.waitSignal(view.image_loaded, timeout=10000):
        view.load_path(path)


def luminance_of(view) -> np.ndarray:
    return view.image.source.luminance


def test_a_png_photo_shows_beside_its_maps_equal_to_the_core_filter(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    assert view.image.shape == (48, 64) and view.message_bar.isHidden()
    np.testing.assert_array_equal(view.grid.photo.image_item.image, PHOTO)
    assert view.source_label.text() == "class.png: 64×48 PNG, colour, 8-bit"
    cells = view.grid.cells
    assert [cell.feature_map.title for cell in cells] == list(EDGES)
    luminance = to_luminance(PHOTO / np.float32(255))
    for cell, name in zip(cells, EDGES, strict=True):
        weights = bank_kernel(name).weights
        expected = correlate2d(luminance, weights)
        np.testing.assert_allclose(cell.image_item.image, expected, rtol=1e-6, atol=1e-6)
        network = ops.conv2d(luminance[None, :, :, None], weights[:, :, None, None],
                             padding="same")
        np.testing.assert_allclose(cell.image_item.image, network[0, :, :, 0], atol=1e-5)
        assert cell.image_item.levels is not None
    sobel = cells[1]
    assert sobel.feature_map.signed
    low, high = sobel.image_item.levels
    assert low == -high > -sobel.feature_map.maximum - 1e-6  # symmetric, centred at zero
    blur = cells[0]
    assert not blur.feature_map.signed and blur.image_item.levels[0] == 0


def test_16_bit_gray_keeps_its_precision(qtbot, view, tmp_path):
    values = RNG.integers(0, 65536, (30, 40)).astype(np.uint16)
    load(qtbot, view, save(tmp_path, "gray16.png", Image.fromarray(values)))
    np.testing.assert_allclose(luminance_of(view), values / 65535, atol=1e-7)
    assert "gray, 16-bit" in view.source_label.text()
    np.testing.assert_allclose(view.grid.cells[1].image_item.image,
                               correlate2d(values / 65535, bank_kernel("Sobel x").weights),
                               atol=1e-5)


def test_alpha_is_composited_over_white_with_a_notice(qtbot, view, tmp_path):
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[..., 0] = 255
    rgba[:, :15, 3] = 255  # left half opaque red, right half transparent
    load(qtbot, view, save(tmp_path, "logo.png", Image.fromarray(rgba, "RGBA")))
    assert view.message_bar.isVisible() and view.message_bar.level is MessageLevel.INFO
    assert "Transparent areas are shown over white" in view.message_bar.text()
    np.testing.assert_array_equal(view.grid.photo.image_item.image[0, 20], [255, 255, 255])
    np.testing.assert_array_equal(view.grid.photo.image_item.image[0, 5], [255, 0, 0])


def test_an_exif_rotated_jpeg_is_shown_upright(qtbot, view, tmp_path):
    stored = np.zeros((20, 40), np.uint8)
    stored[:, :20] = 255  # left half white as stored; orientation 6 turns it clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    load(qtbot, view, save(tmp_path, "phone.jpg", Image.fromarray(stored), quality=95,
                           exif=exif.tobytes()))
    assert view.image.shape == (40, 20)
    shown = view.grid.photo.image_item.image
    assert shown[5, 10] > 200 and shown[35, 10] < 50  # white on top once upright


@pytest.mark.parametrize("suffix", ["bmp", "tif", "gif", "webp"])
def test_other_formats(qtbot, view, tmp_path, suffix):
    if suffix == "webp" and not features.check("webp"):
        pytest.skip("Pillow was built without WebP")
    image = Image.fromarray(PHOTO)
    options = {"lossless": True} if suffix == "webp" else {}
    if suffix == "gif":
        options = {"save_all": True, "append_images": [Image.fromarray(255 - PHOTO)]}
    load(qtbot, view, save(tmp_path, f"photo.{suffix}", image, **options))
    assert view.image.shape == (48, 64) and len(view.grid.cells) == 4
    if suffix == "gif":
        assert "holds 2 frames; showing the first" in view.message_bar.text()
    else:
        np.testing.assert_array_equal(view.grid.photo.image_item.image, PHOTO)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header (with valid CRCs) claims width x height pixels, with no real data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0"))
            + chunk(b"IEND", b""))


def encoded(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)).save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty (0 bytes)"),
    (b"Dear students,\nthis is not a picture.\n" * 20, "not in an image format"),
    (encoded("PNG")[:3000], "damaged or incomplete"),
    (encoded("JPEG")[:1500], "damaged or incomplete"),
    (b"\xff\xd8\xff\xe0" + bytes(RNG.integers(0, 256, 2000, dtype=np.uint8)), "damaged"),
    (png_claiming(50000, 50000), "decompression bomb"),
], ids=["zero-byte", "text", "truncated-png", "truncated-jpeg", "corrupt-jpeg", "bomb"])
def test_hostile_files_leave_the_photo_and_explain(qtbot, view, tmp_path, content, message):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    image, maps = view.image, view.computed
    shown = view.grid.photo.image_item.image.copy()
    path = tmp_path / "dropped.png"
    path.write_bytes(content)
    with qtbot.waitSignal(view.load_failed, timeout=10000) as failed:
        view.load_path(path)
    assert message in failed.args[0] and "'dropped.png'" in failed.args[0]
    assert view.message_bar.isVisible() and view.message_bar.level is MessageLevel.ERROR
    assert message in view.message_bar.text()
    assert "The photo on show stays." in view.message_bar.text()
    assert view.image is image and view.computed is maps
    np.testing.assert_array_equal(view.grid.photo.image_item.image, shown)


def test_a_photo_over_the_working_size_is_downscaled_with_a_notice(qtbot, view, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(inspector_jobs, "load_image", partial(load_image, working_pixels=1000))
    load(qtbot, view, save(tmp_path, "huge.png", Image.fromarray(PHOTO)))
    assert view.image.shape == (24, 32) and view.message_bar.level is MessageLevel.INFO
    assert "Downscaled from 64x48 to 32x24" in view.message_bar.text()
    assert view.grid.cells[0].image_item.image.shape == (24, 32)


def test_bytes_load_and_a_failure_before_any_photo(qtbot, view):
    with qtbot.waitSignal(view.load_failed, timeout=10000):
        view.load_bytes(b"not an image", "the pasted image")
    assert view.image is None and "the image data" in view.message_bar.text()
    with qtbot.waitSignal(view.image_loaded, timeout=10000):
        view.load_bytes(encoded("PNG"))
    assert view.image.shape == (64, 64) and not view.message_bar.isVisible()


def test_dropping_a_file_on_the_tab_loads_it(qtbot, view, tmp_path):
    path = save(tmp_path, "dropped cat.png", Image.fromarray(PHOTO))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    position = QPointF(view.width() / 2, view.height() / 2)
    with warnings.catch_warnings():  # PySide6 marks its only QDragEnterEvent constructor
        warnings.simplefilter("ignore", DeprecationWarning)  # (taking a QPoint) deprecated
        enter = QDragEnterEvent(position.toPoint(), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, enter)
    assert enter.isAccepted()
    drop = QDropEvent(position, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(view.image_loaded, timeout=10000) as loaded:
        QApplication.sendEvent(view, drop)
    assert drop.isAccepted() and loaded.args == ["'dropped cat.png'"]
    np.testing.assert_array_equal(view.grid.photo.image_item.image, PHOTO)


def test_paste_an_image_from_the_clipboard(qtbot, view):
    image = QImage(PHOTO.tobytes(), 64, 48, 64 * 3, QImage.Format.Format_RGB888).copy()
    QApplication.clipboard().setImage(image)
    with qtbot.waitSignal(view.image_loaded, timeout=10000):
        view.paste_button.click()
    np.testing.assert_array_equal(view.grid.photo.image_item.image, PHOTO)


def test_controls_change_the_chain(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    controls = view.controls
    controls.check_kernels(["Sobel x"])
    controls.stride_spin.set_value((2, 2))
    controls.padding_combo.setCurrentText("valid")
    controls.dilation_spin.set_value((2, 1))
    controls.pad_mode_combo.setCurrentText("mirror")
    controls.activation_combo.setCurrentText("ReLU")
    controls.pooling_combo.setCurrentText("max")
    chain = ChainSettings(strides=(2, 2), padding="valid", dilation_rate=(2, 1),
                          pad_mode="reflect", activation="relu", pooling=Pooling((2, 2), (2, 2)))
    assert controls.chain_settings() == chain
    cell = view.grid.cells[0]
    expected = apply_chain(luminance_of(view), bank_kernel("Sobel x").weights, chain)
    np.testing.assert_array_equal(cell.image_item.image, expected)
    assert cell.image_item.image.shape == (11, 15) and cell.feature_map.minimum >= 0
    assert cell.feature_map.cell_step == (4, 4)
    assert view.chain_label.text() == ("Luminance  →  3×3 conv, stride 2, valid padding, "
                                       "dilation 2×1  →  ReLU  →  max pool 2")
    controls.padding_combo.setCurrentText("explicit")
    assert "3×3 conv, stride 2, padding 1 (mirror), dilation" in view.chain_label.text()
    controls.padding_combo.setCurrentText("valid")
    controls.channels_combo.setCurrentText("Each colour channel (R, G, B)")
    assert [c.feature_map.title for c in view.grid.cells] == [
        "Sobel x · R", "Sobel x · G", "Sobel x · B"]
    assert view.grid.columns == 4  # the photo, then a column per channel
    assert [(c.view.parentItem() is not None) for c in view.grid.cells] == [True] * 3
    red = PHOTO[:, :, 0] / np.float32(255)
    np.testing.assert_array_equal(view.grid.cells[0].image_item.image,
                                  apply_chain(red, bank_kernel("Sobel x").weights, chain))


def test_display_changes_restyle_without_recomputing(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    computed = view.computed
    sobel = view.grid.cells[1]
    full = sobel.feature_map.display_levels(0.0)
    view.controls.contrast_combo.setCurrentText("Full range")
    assert view.computed is computed and sobel.image_item.levels == pytest.approx(full)
    view.controls.signed_combo.setCurrentText("Blue–black–red")
    assert sobel.colormap.name == "CET-D4"
    view.controls.unsigned_combo.setCurrentText("Grey")
    assert view.grid.cells[0].colormap.name == "CET-L1" and view.computed is computed


def test_settings_that_do_not_fit_are_explained_in_the_view(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "tiny.png", Image.fromarray(PHOTO[:4, :5])))
    view.controls.padding_combo.setCurrentText("valid")
    view.controls.check_kernels(["Gaussian blur 5x5"])
    assert view.chain_error_label.isVisible() and view.computed is None
    assert "larger than the padded input" in view.chain_error_label.text()
    assert not view.save_map_button.isEnabled()
    view.controls.padding_combo.setCurrentText("same")
    assert not view.chain_error_label.isVisible() and view.computed is not None
    view.controls.check_kernels([])
    assert "Tick at least one kernel" in view.chain_error_label.text()


def test_model_and_custom_kernels(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    learned = {f"C1 #{k}": RNG.standard_normal((5, 5)).astype(np.float32) for k in range(6)}
    with pytest.raises(ValueError, match="must be a 2-D"):
        view.set_model_kernels({"C3 #0": np.ones((5, 5, 6))})  # C3 reads six maps, not a photo
    view.set_model_kernels({name: weights[:, :, None] for name, weights in learned.items()})
    view.controls.model_button.click()
    assert [cell.feature_map.title for cell in view.grid.cells] == list(learned)
    for cell, weights in zip(view.grid.cells, learned.values(), strict=True):
        np.testing.assert_allclose(cell.image_item.image,
                                   correlate2d(luminance_of(view), weights), atol=1e-6)
    table = view.controls.kernel_table
    view.controls.kernel_list.setCurrentRow(5)  # Sobel x shown in the editor
    table.edit_cell(1, 1, "3")  # editing it makes a custom copy
    cells = view.grid.cells
    assert cells[-1].feature_map.title == "Custom"
    custom = bank_kernel("Sobel x").weights.copy()
    custom[1, 1] = 3
    np.testing.assert_allclose(cells[-1].image_item.image,
                               correlate2d(luminance_of(view), custom), atol=1e-6)
    view.controls.kernel_size.set_value((1, 3))
    np.testing.assert_array_equal(view.controls.kernels()[-1].weights, [[-2, 3, 2]])


def hover_over(graphics_view, scene_pos: QPointF) -> None:
    """Move the pointer over a scene point with no button held, as a person hovering does.
    (QTest's mouseMove only moves the cursor, which the offscreen platform does not track.)"""
    pos = QPointF(graphics_view.mapFromScene(scene_pos))
    QApplication.sendEvent(graphics_view.viewport(), QMouseEvent(
        QEvent.Type.MouseMove, pos, graphics_view.viewport().mapToGlobal(pos),
        Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))


@pytest.fixture
def every_mouse_move():
    """pyqtgraph drops moves closer than 10 ms apart (its mouseRateLimit); a test moves faster."""
    limit = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", -1)
    yield
    pg.setConfigOption("mouseRateLimit", limit)


def test_hover_reads_the_photo_and_every_map(qtbot, view, tmp_path, every_mouse_move):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    view.controls.pooling_combo.setCurrentText("max")
    view.grab()  # a first paint lays the views out (pyqtgraph updates its transforms then)
    grid = view.grid
    photo = grid.photo
    hover_over(grid, photo.image_item.mapToScene(QPointF(21.5, 10.5)))
    hover = view.hover
    assert hover is not None and hover.pixel == (10, 21) and hover.source is None
    assert hover.input_values["R"] == pytest.approx(PHOTO[10, 21, 0] / 255)
    assert hover.input_values["luminance"] == pytest.approx(luminance_of(view)[10, 21])
    assert hover.cells == ((5, 10),) * 4
    for cell, value in zip(view.grid.cells, hover.values, strict=True):
        assert value == cell.feature_map.values[5, 10]
        assert "(5, 10) = " in cell.title_item.text and cell.cell_mark.isVisible()
    assert "x 21, y 10" in photo.title_item.text and photo.pixel_mark.isVisible()
    assert "Photo pixel x 21, y 10" in view.readout_label.text()

    sobel = grid.cells[1]
    hover_over(grid, sobel.view.mapViewToScene(QPointF(2 * 7 + 1, 2 * 3 + 1)))
    hover = view.hover
    assert hover.source == 1 and hover.cells[1] == (3, 7)
    assert hover.field == sobel.feature_map.receptive_field(3, 7) == ((5, 8), (13, 16))
    assert photo.field_mark.isVisible() and not photo.pixel_mark.isVisible()
    assert "reads photo rows 5–8 and columns 13–16" in view.readout_label.text()


def test_save_a_map_and_the_grid(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    grid = view.grid
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton,
                     pos=grid.mapFromScene(grid.cells[2].view.sceneBoundingRect().center()))
    assert grid.selected == 2
    assert view.save_map_png(tmp_path / "map.png")
    with Image.open(tmp_path / "map.png") as map_png:
        saved = np.asarray(map_png)
    cell = grid.cells[2]
    assert saved.shape == (*cell.feature_map.shape, 3)
    lut = cell.colormap.getLookupTable(nPts=256, alpha=False)
    brightest = np.unravel_index(np.argmax(cell.feature_map.values), cell.feature_map.shape)
    np.testing.assert_array_equal(saved[brightest], lut[255])
    assert view.save_grid_png(tmp_path / "grid.png")
    with Image.open(tmp_path / "grid.png") as grid_png:
        assert grid_png.size[0] > 500


def test_large_photos_compute_on_the_worker_and_the_newest_request_wins(qtbot, monkeypatch,
                                                                       tmp_path, make_unshown_view):
    gate = threading.Event()
    computed = []
    original = inspector_view.compute_maps

    def gated(request):
        computed.append(request.serial)
        if len(computed) == 1:
            gate.wait(10)
        return original(request)

    monkeypatch.setattr(inspector_view, "compute_maps", gated)
    monkeypatch.setattr(inspector_view, "SYNC_WORK", 0)
    view = make_unshown_view()
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))  # request 1 waits
    for stride in (2, 3, 4):
        view.controls.stride_spin.set_value((stride, stride))  # requests 2, 3, 4
    assert view.mapper.busy and view.computed is None
    with qtbot.waitSignal(view.maps_updated, timeout=10000,
                          check_params_cb=lambda: view.computed.request.serial == 4):
        gate.set()
    assert computed == [1, 4]  # 2 and 3 were replaced while 1 ran
    assert view.grid.cells[0].image_item.image.shape == (12, 16)
    assert not view.mapper.busy


def test_a_late_result_does_not_replace_a_newer_explanation(qtbot, monkeypatch, tmp_path,
        make_unshown_view):
    gate = threading.Event()
    original = inspector_view.compute_maps

    def gated(request):
        gate.wait(10)
        return original(request)

    monkeypatch.setattr(inspector_view, "compute_maps", gated)
    monkeypatch.setattr(inspector_view, "SYNC_WORK", 0)
    view = make_unshown_view()
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    view.controls.check_kernels([])  # while the maps of the photo are computed
    assert "Tick at least one kernel" in view.chain_error_label.text()
    with qtbot.waitSignal(view.mapper.request_finished, timeout=10000):
        gate.set()
    assert view.computed is None and not view.grid.cells
    assert not view.chain_error_label.isHidden()


def test_mipmaps_average_and_the_view_draws_a_coarse_level_when_zoomed_out(qtbot, view):
    image = np.arange(6 * 10, dtype=np.float32).reshape(6, 10)
    np.testing.assert_allclose(halve(image), image.reshape(3, 2, 5, 2).mean(axis=(1, 3)))
    assert [level.shape for level in mipmaps(np.zeros((1000, 600), np.uint8))] == [
        (1000, 600), (500, 300), (250, 150)]
    gray = np.full((4, 4, 3), 200, np.uint8)
    assert halve(gray).dtype == np.uint8 and (halve(gray) == 200).all()
    big = np.tile(PHOTO, (40, 40, 1))  # 1920 x 2560
    with qtbot.waitSignal(view.image_loaded, timeout=20000):
        view.load_bytes(png_of(big), "big")
    item = view.grid.photo.image_item
    qtbot.waitUntil(lambda: item.level >= 2)  # the level is chosen when the view repaints
    assert item.pyramid[0].shape == big.shape
    assert item.image.shape[0] == big.shape[0] >> item.level
    view.grid.photo.view.scaleBy((1 / 64, 1 / 64))  # zoom right in: full resolution
    qtbot.waitUntil(lambda: item.level == 0)
    assert item.image.shape == big.shape


def png_of(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def test_zooming_or_panning_one_picture_moves_them_all(qtbot, view, tmp_path):
    load(qtbot, view, save(tmp_path, "class.png", Image.fromarray(PHOTO)))
    view.grab()
    grid = view.grid
    views = [grid.photo.view, *(cell.view for cell in grid.cells)]
    before = [v.viewRect() for v in views]
    sobel = grid.cells[1]
    pos = QPointF(grid.mapFromScene(sobel.view.mapViewToScene(QPointF(40, 12))))
    wheel = QWheelEvent(pos, grid.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(grid.viewport(), wheel)
    after = [v.viewRect() for v in views]
    region = view.sync.region
    for old, new in zip(before, after, strict=True):
        assert new.width() < 0.8 * old.width()  # every view zoomed in, not just the one
        assert new.contains(region.adjusted(1e-6, 1e-6, -1e-6, -1e-6))
    assert region.contains(QPointF(40, 12))  # around the point under the mouse
    QApplication.sendEvent(grid.viewport(), QWheelEvent(
        pos, grid.viewport().mapToGlobal(pos), QPoint(0, 0), QPoint(0, -240),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False))
    assert view.sync.region.width() == pytest.approx(64, rel=1e-3)  # back where it was
    photo_centre = grid.photo.view.viewRect().center()
    start = pos.toPoint()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 5):
        qtbot.mouseMove(grid.viewport(), start + QPoint(10 * step, 5 * step))
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, pos=start + QPoint(40, 20))
    moved = grid.photo.view.viewRect().center() - photo_centre
    assert moved.x() < -1 and moved.y() < -1  # dragging a map right and down pans the photo
    for cell in grid.cells:
        shift = cell.view.viewRect().center() - photo_centre
        assert (shift.x(), shift.y()) == pytest.approx((moved.x(), moved.y()))
