"""The Lab's core: designs from every preset, edits, the check (shapes, parameters, formulas,
explanations), Keras code that runs, design files, the epoch estimate."""

from __future__ import annotations

import json

import pytest

from convviz.core.design.design import NEW_LAYER_ARGUMENTS, Design
from convviz.core.design.estimate import estimate_epoch
from convviz.core.design.files import load_design, save_design
from convviz.core.design.keras_code import keras_code
from convviz.core.nn.presets import PRESETS, build_preset
from convviz.core.nn.serialization import ModelFileError


def architecture(config: dict) -> list[tuple[str, dict]]:
    """The layers of a get_config() without their names (Keras code leaves names out)."""
    return [(entry["class"], {k: v for k, v in entry["config"].items() if k != "name"})
            for entry in config["layers"]]


@pytest.mark.parametrize("preset", list(PRESETS))
def test_every_preset_is_a_valid_design_with_the_models_summary(preset):
    model = build_preset(preset)
    check = Design.from_preset(preset).check()
    assert check.valid and not check.problems
    assert check.summary.rows == model.layer_summary().rows
    windows = [layer for layer in model.layers if layer.geometry is not None]
    assert sum(c.formulas is not None for c in check.layers) == len(windows)


@pytest.mark.parametrize("preset", list(PRESETS))
def test_copied_keras_code_runs_and_builds_the_same_architecture(preset, capsys):
    design = Design.from_preset(preset)
    namespace: dict = {}
    exec(compile(keras_code(design), "<copied>", "exec"), namespace)
    built = namespace["model"]
    assert architecture(built.get_config()) == architecture(design.to_config())
    assert built.input_shape == design.input_shape
    assert "Total params" in capsys.readouterr().out


def test_formula_of_a_strided_padded_convolution_has_its_numbers():
    design = Design((28, 28, 1), [], "strided")
    design.add("Conv2D")
    for argument, value in (("kernel_size", 5), ("strides", 2), ("padding", "valid")):
        design.set_argument(0, argument, value)
    design.add("Flatten")
    design.add("Dense")
    layer = design.check().layers[0]
    # (28 - 5) // 2 + 1 = 12, written out as the Stepper writes it
    assert layer.row.output_shape == (12, 12, 16)
    assert layer.formulas[0] == "height: ⌊(28 + 2·0 − 1·(5 − 1) − 1) / 2⌋ + 1 = ⌊23 / 2⌋ + 1 = 12"
    assert layer.row.params == 5 * 5 * 1 * 16 + 16


def test_a_kernel_larger_than_its_input_is_explained_and_blocks_the_layers_after():
    design = Design.from_preset("lenet5-classic")  # C5 sees the 5x5 maps of S4
    design.set_argument(2, "kernel_size", 7)       # C3: 14 - 7 + 1 = 8, S4 -> 4x4
    check = design.check()
    assert not check.valid
    assert check.layers[4].problem == ("a 5×5 kernel does not fit the 4×4 input of this layer: "
                                       "lower the kernel, add padding or remove a pooling layer")
    assert check.layers[3].row.output_shape == (4, 4, 16)
    assert all(layer.blocked and layer.row is None for layer in check.layers[5:])
    assert check.problems[0].startswith("layer 5 (C5): a 5×5 kernel")


def test_pooling_window_dilation_and_padding_are_named_in_the_explanation():
    design = Design((3, 3, 1), [], "tiny")
    design.add("MaxPool2D")
    design.set_argument(0, "pool_size", 4)
    assert design.check().layers[0].problem == (
        "a 4×4 pooling window does not fit the 3×3 input of this layer: lower the pool size or "
        "remove a pooling layer before it")
    design = Design((6, 6, 1), [], "dilated")
    design.add("Conv2D")
    design.set_argument(0, "dilation_rate", 3)  # spans 7
    design.set_argument(0, "padding", [[0, 0], [0, 0]])
    assert design.check().layers[0].problem.startswith(
        "a 3×3 kernel dilated to 7×7 does not fit the 6×6 input of this layer")


def test_maps_into_dense_and_vectors_into_conv_say_where_flatten_goes():
    design = Design((28, 28, 1), [], "no-flatten")
    design.add("Conv2D")
    design.add("Dense")
    assert design.check().layers[1].problem == (
        "a Dense layer needs a flat vector but gets 28×28×16 maps here: add a Flatten (or "
        "GlobalAvgPool2D) layer before it")
    design = Design.from_preset("small-vgg")
    design.move(6, -6)  # the Flatten first
    assert design.check().layers[1].problem.startswith(
        "a Conv2D layer needs maps (height × width × channels) but gets a flat vector of 784 "
        "values here: move it before the Flatten layer")


def test_the_design_must_end_in_class_scores():
    design = Design()
    assert "no layers yet" in design.check().problem
    design.add("Conv2D")
    assert "ends with 28×28×16 maps" in design.check().problem
    design.add("Flatten")
    design.add("Dense")
    design.set_argument(2, "units", 1)
    assert "at least 2" in design.check().problem and not design.check().valid
    design.set_argument(2, "units", 10)
    assert design.check().valid and design.check().output_shape == (10,)


def test_refused_settings_and_huge_layers_are_sentences_not_errors():
    design = Design.from_preset("mlp")
    design.set_argument(1, "units", 0)
    assert "units must be a positive integer" in design.check().layers[1].problem
    design.set_argument(1, "units", 4096)
    design.input_shape = (256, 256, 4)  # 262,144 inputs x 4,096 units
    problem = design.check().layers[1].problem
    assert "too big to train here" in problem
    with pytest.raises(ValueError, match="too big"):
        design.build()


def test_edits_add_remove_move_keep_names_unique():
    design = Design()
    for kind in NEW_LAYER_ARGUMENTS:
        design.add(kind)
    design.add("Conv2D", 0)
    names = [spec.name for spec in design.layers]
    assert len(set(names)) == len(names) and names[0] == "conv2d_2"
    assert design.move(0, 100) == len(names) - 1 and design.layers[-1].name == "conv2d_2"
    design.remove(len(names) - 1)
    assert [spec.name for spec in design.layers] == names[1:]
    with pytest.raises(ValueError, match="unknown layer type"):
        design.add("LSTM")


def test_design_files_round_trip_and_bad_files_get_a_sentence(tmp_path):
    design = Design.from_preset("two-3x3")
    design.set_argument(0, "filters", 8)
    path = tmp_path / "mine.json"
    save_design(design, path)
    assert load_design(path) == design
    assert build_preset("two-3x3").get_config()["layers"][1:] == \
        json.loads(path.read_text())["layers"][1:]
    for text, expected in (("{not json", "not valid JSON"),
                           ('{"layers": [{"class": "Evil", "config": {}}]}', "unknown type"),
                           ('{"layers": []}', "at least one layer")):
        path.write_text(text)
        with pytest.raises(ModelFileError, match=expected):
            load_design(path)
    with pytest.raises(ModelFileError, match="no such file"):
        load_design(tmp_path / "missing.json")


def test_epoch_estimate_times_batches_of_the_design():
    design = Design.from_preset("mlp")
    estimate = estimate_epoch(design, batch_size=16, images=1_000, timed_batches=1)
    assert estimate.seconds_per_batch > 0
    assert estimate.seconds_per_epoch == pytest.approx(estimate.seconds_per_batch * 63)
    assert not estimate.slow
