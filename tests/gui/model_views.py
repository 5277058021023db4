"""What every tab must show of the model on show, checked like a person would look: shared by
the GUI tests that open a model from a file and that design one in the Lab (tests/gui is on
pytest's path; test modules never import each other)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt

from convviz.core.nn.layers import Conv2D, Flatten
from convviz.gui.main_window import MainWindow


def conv_layers(model) -> list[Conv2D]:
    return [layer for layer in model.layers if isinstance(layer, Conv2D)]


def pick_last(qtbot, combo) -> None:
    """Choose a combo box's last entry with the keyboard."""
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)


def check_every_tab_shows_the_model(qtbot, window: MainWindow) -> None:
    """The Draw tab's activations (a column per layer), kernels (every conv layer, one input
    channel at a time) and layer table (the core's summary), the Stepper's filters and the
    inspector's layer and input pickers all show the session's model, weight for weight."""
    shown, tab = window.session.model, window.draw_tab
    convs = conv_layers(shown)
    window.tabs.setCurrentWidget(tab)

    columns = tab.activation_view.columns   # Flatten only re-shapes: no column of its own
    assert [c.layer.name for c in columns] == [
        layer.name for layer in shown.layers if not isinstance(layer, Flatten)]
    for column, activation in zip(columns, window.session.activations[:len(shown.layers)],
                                  strict=False):
        assert column.grid.count == (activation.shape[-1] if column.vector_columns == 0
                                     else 1)

    picker = tab.kernel_picker
    tab.show_detail(tab.kernel_view)
    listed = [picker.layer_box.itemData(i) for i in range(1, picker.layer_box.count())]
    assert listed == [shown.layers.index(layer) for layer in convs]
    pick_last(qtbot, picker.layer_box)
    last = convs[-1]
    assert [layer for layer, _ in tab.kernel_view.grids] == [last]
    offered = [picker.channel_box.itemData(i) for i in range(picker.channel_box.count())]
    assert [c for c in offered if c is not None] == list(range(last.params["kernel"].shape[2]))
    pick_last(qtbot, picker.channel_box)
    channel = last.params["kernel"].shape[2] - 1
    grid = tab.kernel_view.grids[0][1]
    for k in range(last.filters):
        np.testing.assert_array_equal(grid.cell_image(k), last.params["kernel"][:, :, channel, k])

    tab.show_detail(tab.layer_table)
    table, summary = tab.layer_table.table, shown.layer_summary()
    assert table.rowCount() == len(summary.rows) == len(shown.layers)
    for row, expected in enumerate(summary.rows):
        assert table.item(row, 0).text() == expected.name
        assert table.item(row, 2).text() == "×".join(map(str, expected.output_shape))
        assert table.item(row, 3).text() == f"{expected.params:,}"

    window.tabs.setCurrentWidget(window.stepper_tab)
    qtbot.wait(50)
    combo = window.stepper_tab.controls.kernel_combo
    offered = {combo.itemData(i) for i in range(combo.count())}
    for layer in convs:
        assert {f"{layer.name} #{k}" for k in range(layer.filters)} <= offered
    combo.setCurrentIndex(combo.findData(f"{last.name} #3"))
    np.testing.assert_array_equal(window.stepper_tab.controls.kernel,
                                  last.params["kernel"][:, :, :, 3])

    window.tabs.setCurrentWidget(window.inspector_tab)
    qtbot.wait(50)
    controls = window.inspector_tab.controls
    assert [controls.layer_combo.itemText(i) for i in range(controls.layer_combo.count())] == [
        layer.name for layer in convs]
    pick_last(qtbot, controls.layer_combo)
    pick_last(qtbot, controls.input_combo)
    names = {controls.kernel_list.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(controls.kernel_list.count())}
    wanted = {f"{last.name} #{k} · input {channel}" for k in range(last.filters)}
    assert wanted <= names
    controls.model_button.click()
    checked = {kernel.name: kernel.weights for kernel in controls.kernels()}
    assert set(checked) == wanted
    np.testing.assert_array_equal(checked[f"{last.name} #5 · input {channel}"],
                                  last.params["kernel"][:, :, channel, 5])
