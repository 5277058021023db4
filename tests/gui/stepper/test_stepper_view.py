import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt
from qt_actions import shown

from convviz.core import lenet5
from convviz.core.stepper import learned_kernels
from convviz.gui.stepper.controls import CUSTOM_GRID, CUSTOM_KERNEL, LOADED_IMAGE
from convviz.gui.stepper.gif_export import GifExportDialog
from convviz.gui.stepper.grid import CellGrid
from convviz.gui.stepper.view import StepperView
from convviz.gui.widgets import theme


@pytest.fixture
def view(qtbot):
    """The stepper on its default lesson: the slides' 6x6 grid and the vertical-edge kernel."""
    return shown(qtbot, StepperView(), 1500, 950)


def click_cell(qtbot, grid: CellGrid, row: int, col: int) -> None:
    qtbot.mouseClick(grid.canvas.viewport(), Qt.MouseButton.LeftButton,
                     pos=grid.cell_centre(row, col))


def marked_blocks(grid: CellGrid, colour: str) -> set:
    return {block for mark in grid.outlines.marks if mark.color == colour
            for block in mark.blocks}


def test_opens_on_the_slides_example(view):
    assert view.stepper.n_steps == 16 and view.stepper.position == 0
    assert "(3·1 + 0·0 + 1·−1) + (1·1 + 5·0 + 8·−1) + (2·1 + 7·0 + 2·−1) = −5" in (
        view.explanation_label.text())
    assert view.step_label.text().startswith("Step 1 of 16")
    # the first output cell is filled, the later ones are blank
    shown = view.output_grid.values
    assert shown[0, 0] == -5 and np.isnan(shown.ravel()[1:]).all()
    np.testing.assert_array_equal(view.input_grid.values, view.controls.input_source.values[..., 0])


def test_keys_step_play_and_jump(view, qtbot):
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.stepper.position == 2 and view.step_label.text().startswith("Step 3 of 16")
    assert np.isfinite(view.output_grid.values.ravel()[:3]).all()
    assert np.isnan(view.output_grid.values.ravel()[3:]).all()
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.stepper.position == 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.stepper.at_end and np.isfinite(view.output_grid.values).all()
    assert not view.forward_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.stepper.position == 0 and not view.back_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert view.playing and view.play_button.text().endswith("Pause")
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not view.playing


def test_play_walks_to_the_end_and_stops(view, qtbot):
    view.speed_slider.setValue(view.speed_slider.maximum())
    view.play_button.click()
    with qtbot.waitSignal(view.step_changed, timeout=2000):
        pass
    qtbot.waitUntil(lambda: not view.playing, timeout=5000)
    assert view.stepper.at_end


def test_clicking_an_output_cell_jumps_to_its_step(view, qtbot):
    click_cell(qtbot, view.output_grid, 2, 1)
    assert view.stepper.step().cell == (2, 1) and view.stepper.position == 9
    assert "Output cell (2, 1)" in view.explanation_label.text()
    assert marked_blocks(view.input_grid, "#ff7f0e") == {(2, 1, 3, 3)}


def test_clicking_an_input_pixel_shows_every_output_cell_reading_it(view, qtbot):
    click_cell(qtbot, view.input_grid, 2, 3)
    assert view.probe == (2, 3)
    expected = view.stepper.cells_reading(2, 3)
    assert len(expected) == 9
    assert marked_blocks(view.output_grid, theme.PROBE) == {(r, c, 1, 1) for r, c in expected}
    assert "is read by 9 output cell(s)" in view.formula_label.text()
    click_cell(qtbot, view.input_grid, 2, 3)
    assert view.probe is None and not marked_blocks(view.output_grid, theme.PROBE)


def test_stride_and_padding_change_the_output_size_shown(view):
    controls = view.controls
    controls.stride_spin.set_value((2, 2))
    assert view.output_grid.values.shape == (2, 2)
    assert "→  2×2 output" in view.heading_label.text()
    assert "height: ⌊(6 + 2·0 − 1·(3 − 1) − 1) / 2⌋ + 1 = ⌊3 / 2⌋ + 1 = 2" in (
        view.formula_label.text())
    controls.padding_combo.setCurrentText("same")
    assert view.output_grid.values.shape == (3, 3)
    assert view.input_grid.values.shape == (7, 7)  # 'same' pads 0 before and 1 after
    controls.padding_combo.setCurrentText("explicit")
    controls.pad_top.setValue(2)
    assert view.stepper.geometry.padding == ((2, 0), (0, 0))
    assert view.output_grid.values.shape == (3, 2)
    assert "(2 + 0)" in view.formula_label.text()


def test_an_invalid_setting_is_explained_and_stepping_is_off(view, qtbot):
    view.controls.kernel_size.set_value((7, 7))
    assert view.stepper is None
    assert view.error_label.isVisible()
    assert "larger than the padded input" in view.error_label.text()
    assert not view.forward_button.isEnabled() and not view.play_button.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_Right)  # ignored, not an exception
    view.controls.padding_combo.setCurrentText("same")
    assert view.stepper is not None and not view.error_label.isVisible()
    assert view.output_grid.values.shape == (6, 6)


def test_editing_the_grid_and_the_kernel(view):
    controls = view.controls
    controls.grid_table.edit_cell(0, 0, "−7")
    assert controls.input_name == CUSTOM_GRID
    assert view.stepper.step().window[0, 0, 0] == -7
    assert "(−7·1 + 0·0 + 1·−1)" in view.explanation_label.text()
    controls.kernel_table.edit_cell(0, 1, "1/2")
    assert controls.kernel_combo.currentText() == CUSTOM_KERNEL
    assert view.kernel_grid.values[0, 1] == 0.5


def test_resizing_the_kernel_keeps_its_centre(view):
    controls = view.controls
    controls.kernel_combo.setCurrentText("Vertical edge")
    original = controls.kernel_table.values()
    controls.kernel_size.height_spin.setValue(5)
    controls.kernel_size.width_spin.setValue(5)
    assert controls.kernel_combo.currentText() == CUSTOM_KERNEL
    np.testing.assert_array_equal(controls.kernel_table.values()[1:4, 1:4], original)
    np.testing.assert_array_equal(view.kernel_grid.values[1:4, 1:4], original)
    assert controls.kernel_table.values().sum() == original.sum()  # the ring is zeros
    controls.kernel_size.height_spin.setValue(3)
    controls.kernel_size.width_spin.setValue(3)
    np.testing.assert_array_equal(view.kernel_grid.values, original)


def test_flip_shows_the_kernel_as_applied(view):
    original = view.kernel_grid.values.copy()
    view.controls.flip_check.setChecked(True)
    np.testing.assert_array_equal(view.kernel_grid.values, original[::-1, ::-1])
    assert "flipped" in view.heading_label.text()


def test_bias_and_activation_appear_in_the_sum(view):
    view.controls.bias_spin.setValue(2)
    view.controls.activation_combo.setCurrentText("ReLU")
    text = view.explanation_label.text()
    assert "z = −5 + 2 (bias) = −3" in text and "ReLU(−3) = 0" in text
    assert view.output_grid.values[0, 0] == 0


def test_rgb_input_has_one_product_grid_per_channel(view):
    rng = np.random.default_rng(0)
    view.set_external_input(LOADED_IMAGE, rng.integers(0, 9, (5, 5, 3)), select=True)
    assert view.stepper.channels == 3
    assert len(view._product_grids) == 3
    text = view.explanation_label.text()
    assert "R: (" in text and "G: (" in text and "B: (" in text
    step = view.stepper.step()
    for c, grid in enumerate(view._product_grids):
        np.testing.assert_array_equal(grid.values, step.products[:, :, c].astype(np.float32))


def test_learned_c3_kernel_needs_six_maps(view):
    kernels, biases = learned_kernels(lenet5(seed=1))
    view.set_model_kernels(kernels, biases)
    view.controls.kernel_combo.setCurrentText("C3 #2")
    assert view.stepper is None and "6 input channels" in view.error_text
    maps = np.random.default_rng(2).normal(size=(14, 14, 6))
    view.set_external_input("Activation maps S2", maps, select=True)
    assert view.stepper is not None and view.stepper.channels == 6
    assert len(view._product_grids) == 6
    assert view.controls.bias_spin.value() == pytest.approx(biases["C3 #2"], abs=1e-3)
    assert "z[0, 0, 2] = b[2]" in view.formula_label.text()


def test_updating_the_drawing_keeps_the_step_and_the_zoom(view):
    drawing = np.zeros((28, 28), np.float32)
    view.set_external_input("Current drawing", drawing, select=True)
    view.go_to_step(30)
    view.input_grid.view_box.scaleBy((1.5, 1.5))
    visible = view.input_grid.view_box.viewRect()
    drawing[5:20, 12:15] = 1
    view.set_external_input("Current drawing", drawing)
    assert view.stepper.position == 30
    assert view.controls.input_source.values.max() == 1
    assert view.input_grid.view_box.viewRect() == visible


def test_loading_an_image_file(qtbot, view, tmp_path):
    path = tmp_path / "colour.png"
    pixels = np.zeros((4, 5, 3), np.uint8)
    pixels[:, :, 0] = 200
    Image.fromarray(pixels).save(path)
    with qtbot.waitSignal(view.controls.image_loaded, timeout=10_000):
        view.load_image(path, rgb=True)
        assert view.controls.input_name != LOADED_IMAGE, "decoded on a worker, not in the call"
    assert view.controls.input_name == LOADED_IMAGE
    np.testing.assert_array_equal(view.controls.input_source.values[0, 0], [200, 0, 0])
    with qtbot.waitSignal(view.controls.image_loaded, timeout=10_000):
        view.load_image(path, rgb=False)
    assert view.controls.input_source.values.shape == (4, 5, 1)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not an image")
    with qtbot.waitSignal(view.controls.load_failed, timeout=10_000):
        view.load_image(broken)
    assert view.error_label.isVisible() and "broken.png" in view.error_label.text()
    assert view.controls.input_source.values.shape == (4, 5, 1)  # the last good image stays


def test_gif_dialog_gives_an_ordered_zero_based_range(qtbot):
    dialog = GifExportDialog(16, 640, 500)
    qtbot.addWidget(dialog)
    dialog.first_spin.setValue(9)
    dialog.last_spin.setValue(3)
    assert dialog.step_range() == (2, 8)


def test_numbers_show_only_when_legible_and_the_view_follows(view):
    view.set_external_input("Current drawing", np.ones((28, 28), np.float32), select=True)
    assert view.input_grid.numbers_legible()  # opened zoomed in around the window
    view.go_to_end()
    visible = view.input_grid.view_box.viewRect()
    assert visible.contains(26.5, 26.5)  # the window moved into view
    view.input_grid.view_box.scaleBy((4, 4))
    assert not view.input_grid.numbers_legible()


def test_max_pooling_highlights_the_winner(view):
    view.controls.operation_combo.setCurrentText("Max pooling")
    assert not view.controls.kernel_box.isVisible()
    assert view.controls.stride_spin.value() == (2, 2)
    assert view.output_grid.values.shape == (3, 3)
    step = view.stepper.step()
    assert step.values[0] == 5 and step.winners == ((1, 1),)
    assert marked_blocks(view.input_grid, theme.WINNER) == {(1, 1, 1, 1)}
    assert "max(3, 0, 1, 5) = 5" in view.explanation_label.text()


def test_global_average_pooling_is_one_step(view):
    view.controls.operation_combo.setCurrentText("Global average pooling")
    assert view.stepper.n_steps == 1
    mean = np.mean(view.controls.input_source.values)
    assert view.output_grid.values[0, 0] == pytest.approx(mean)
    assert "/ 36 =" in view.explanation_label.text()


def test_gif_export_writes_one_frame_per_step(view, tmp_path):
    view.controls.stride_spin.set_value((2, 2))
    view.controls.padding_combo.setCurrentText("same")
    view.go_to_step(4)
    path = tmp_path / "walk.gif"
    assert view.export_gif(path, width=400, frame_ms=250)
    with Image.open(path) as gif:
        assert gif.n_frames == 9 and gif.width == 400
    assert view.stepper.position == 4  # the cursor is back where it was
    part = tmp_path / "part.gif"
    assert view.export_gif(part, first=2, last=5)
    with Image.open(part) as gif:
        assert gif.n_frames == 4


def test_png_export(view, tmp_path):
    path = tmp_path / "view.png"
    assert view.save_png(path)
    with Image.open(path) as image:
        assert image.width > 600 and image.height > 400


def test_a_bank_kernel_after_a_learned_one_starts_with_bias_zero(view):
    kernels, biases = learned_kernels(lenet5("classic", seed=3))
    biases = {name: 0.07 for name in biases}  # a trained model's biases are not zero
    view.set_model_kernels(kernels, biases)
    controls = view.controls
    controls.kernel_combo.setCurrentText("C1 #0")
    assert controls.bias_spin.value() == pytest.approx(0.07)
    controls.kernel_combo.setCurrentText("Vertical edge")
    assert controls.bias_spin.value() == 0 and controls.bias_spin.isVisible()
    assert view.output_grid.values[0, 0] == -5  # the slides' example, exactly
    controls.kernel_combo.setCurrentText("C1 #0")
    controls.kernel_combo.setCurrentText(CUSTOM_KERNEL)
    assert controls.bias_spin.value() == 0


def test_the_walk_keys_work_whatever_control_has_the_focus(view, qtbot):
    kernels, biases = learned_kernels(lenet5("classic"))
    view.set_model_kernels(kernels, biases)
    view.activateWindow()
    qtbot.waitActive(view)
    combo = view.controls.kernel_combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)
    assert view.stepper.at_end and combo.currentText() == "Vertical edge"
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert view.stepper.position == 0
    qtbot.keyClick(combo, Qt.Key.Key_Right)
    assert view.stepper.position == 1 and combo.currentText() == "Vertical edge"
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    assert view.playing
    qtbot.keyClick(combo, Qt.Key.Key_Space)
    assert not view.playing


def test_a_text_field_being_edited_keeps_its_keys(view, qtbot):
    view.activateWindow()
    qtbot.waitActive(view)
    spin = view.controls.bias_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_End)
    qtbot.keyClick(spin, Qt.Key.Key_Left)
    assert view.stepper.position == 0, "the caret moved, not the walk"


def test_leaving_pooling_gives_the_convolution_its_stride_back_and_says_so(view):
    controls = view.controls
    assert controls.stride_spin.value() == (1, 1)
    controls.operation_combo.setCurrentIndex(controls.operation_combo.findData("max"))
    assert controls.stride_spin.value() == (2, 2)
    assert controls.stride_note.isVisible() and "1 → 2" in controls.stride_note.text()
    controls.operation_combo.setCurrentIndex(controls.operation_combo.findData("convolution"))
    assert controls.stride_spin.value() == (1, 1) and view.stepper.geometry.strides == (1, 1)
    assert controls.stride_note.isVisible() and "2 → 1" in controls.stride_note.text()
    assert view.stepper.n_steps == 16


def test_positive_numbers_are_red_as_in_every_tab_and_the_legend_says_so(view):
    """The slides' grid holds 0..9: its largest number takes the diverging map's red end."""
    image = view.input_grid.image_item.image
    values = view.controls.input_source.values[..., 0]
    red, green, blue = image[np.unravel_index(values.argmax(), values.shape)][:3].astype(int)
    assert red > blue + 60 and red > green + 60
    low = image[np.unravel_index(values.argmin(), values.shape)][:3].astype(int)
    assert min(low) > 200, "zero stays near white"
    legend = view.legend_label.text()
    assert "negative" in legend and "positive" in legend
    assert theme.NEGATIVE_COLOUR in legend and theme.POSITIVE_COLOUR in legend
