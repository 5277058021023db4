"""Model files: bit-identical round trips; every kind of bad file refused with a clear message."""

import io
import json
import os
import pickle
import stat
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from convviz.core import (
    AvgPool2D,
    Conv2D,
    Dense,
    Dropout,
    GlobalAvgPool2D,
    MaxPool2D,
    ModelFileError,
    Sequential,
    lenet5,
    load_model,
    save_model,
)
from convviz.core.nn.serialization import model_to_arrays


def every_layer_model() -> Sequential:
    return Sequential([
        Conv2D(4, (3, 2), padding=((0, 1), (2, 0)), dilation_rate=(1, 2), activation="elu",
               use_bias=False, name="conv_a"),
        MaxPool2D(3, 2, "same", name="max"),
        Conv2D(5, 2, strides=(1, 2), padding=1, activation="leaky_relu",
               kernel_initializer="he_normal", name="conv_b"),
        AvgPool2D((2, 1), padding="same", name="avg"),
        GlobalAvgPool2D(name="gap"),
        Dropout(0.3, seed=4, name="drop"),
        Dense(6, activation="sigmoid", name="hidden"),
        Dense(3, activation="softmax", name="probs"),
    ], input_shape=(11, 10, 2), name="all-layers", seed=8)


MODELS = {
    "classic": lambda: lenet5("classic", seed=1),
    "modern-dropout": lambda: lenet5("modern", seed=2, dropout=0.4),
    "every-layer": every_layer_model,
}


@pytest.mark.parametrize("make", MODELS.values(), ids=MODELS.keys())
def test_save_load_round_trip_is_bit_identical(make, tmp_path):
    model = make()
    x = np.random.default_rng(0).uniform(0, 1, (3, *model.input_shape)).astype(np.float32)
    path = tmp_path / "model.npz"
    save_model(model, path)
    same = load_model(path)
    assert same.get_config() == model.get_config()
    assert same.name == model.name and same.input_shape == model.input_shape
    for loaded, saved in zip(same.get_weights(), model.get_weights(), strict=True):
        assert loaded.dtype == np.float32 and loaded.flags.writeable
        np.testing.assert_array_equal(loaded, saved)
    np.testing.assert_array_equal(same.predict(x), model.predict(x))
    np.testing.assert_array_equal(same.forward_all(x)[0], model.forward_all(x)[0])


def test_save_overwrites_atomically_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "m.npz"
    path.write_bytes(b"old contents")
    save_model(lenet5(seed=3), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]
    np.testing.assert_array_equal(load_model(str(path)).get_weights()[0],
                                  lenet5(seed=3).get_weights()[0])


def test_loaded_weights_stay_trainable_and_independent_of_the_file(tmp_path):
    from convviz.core import SGD
    model = lenet5(seed=4)
    save_model(model, tmp_path / "m.npz")
    same = load_model(tmp_path / "m.npz")
    same.compile(SGD(0.1))
    x = np.random.default_rng(1).uniform(0, 1, (4, 28, 28, 1)).astype(np.float32)
    same.train_on_batch(x, np.arange(4))
    assert not np.array_equal(same.get_weights()[0], model.get_weights()[0])
    np.testing.assert_array_equal(load_model(tmp_path / "m.npz").get_weights()[0],
                                  model.get_weights()[0])


def test_fortran_ordered_weights_load_with_the_right_values(tmp_path):
    model = lenet5(seed=5)
    arrays = model_to_arrays(model)
    arrays = {k: np.asfortranarray(v) if v.ndim > 1 else v for k, v in arrays.items()}
    np.savez(tmp_path / "f.npz", **arrays)
    for loaded, saved in zip(load_model(tmp_path / "f.npz").get_weights(), model.get_weights(),
                             strict=True):
        np.testing.assert_array_equal(loaded, saved)


# --- malformed files -----------------------------------------------------------------------------

def header_of(model) -> dict:
    return json.loads(str(model_to_arrays(model)["architecture"][()]))


def write(path: Path, arrays: dict) -> Path:
    np.savez(path, **arrays)
    return path


def with_header(model, change) -> dict:
    """The model's file arrays with its architecture JSON edited by change(header)."""
    arrays = model_to_arrays(model)
    header = header_of(model)
    change(header)
    arrays["architecture"] = np.array(json.dumps(header))
    return arrays


def refuses(path, message):
    with pytest.raises(ModelFileError, match=message) as caught:
        load_model(path)
    assert str(path) in str(caught.value)  # the message names the file
    return caught.value


def test_model_file_error_is_a_value_error():
    assert issubclass(ModelFileError, ValueError)


def test_missing_file_and_folder(tmp_path):
    refuses(tmp_path / "nothing.npz", "no such file")
    refuses(tmp_path, "it is a folder, not a model file")


@pytest.mark.parametrize("contents", [b"", b"hello, I am not a zip file", b"\x93NUMPY\x01\x00"])
def test_not_a_zip_file(tmp_path, contents):
    path = tmp_path / "bad.npz"
    path.write_bytes(contents)
    refuses(path, "is not a readable model file")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_file(tmp_path, keep):
    path = tmp_path / "m.npz"
    save_model(lenet5(), path)
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    refuses(path, "is not a readable model file")


def test_corrupted_entry(tmp_path):
    path = tmp_path / "m.npz"
    save_model(lenet5(), path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the C5 kernel: the CRC check must catch it
    path.write_bytes(bytes(data))
    refuses(path, "cannot be read")


def test_zip_without_architecture(tmp_path):
    arrays = model_to_arrays(lenet5())
    del arrays["architecture"]
    refuses(write(tmp_path / "m.npz", arrays), "no architecture description")
    with zipfile.ZipFile(tmp_path / "plain.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    refuses(tmp_path / "plain.zip", "no architecture description")


@pytest.mark.parametrize("architecture, message", [
    ("{not json", "not valid JSON"),
    ('["a", "list"]', "not a convviz model file"),
    ('{"format": "keras", "version": 1}', "not a convviz model file"),
])
def test_bad_architecture_text(tmp_path, architecture, message):
    arrays = model_to_arrays(lenet5())
    arrays["architecture"] = np.array(architecture)
    refuses(write(tmp_path / "m.npz", arrays), message)


def test_class_names_are_saved_and_loaded_with_the_model(tmp_path):
    model = every_layer_model()
    model.class_names = ["cat", "dog", "ship"]
    save_model(model, tmp_path / "m.npz")
    same = load_model(tmp_path / "m.npz")
    assert same.class_names == ("cat", "dog", "ship")
    assert same.clone().class_names == ("cat", "dog", "ship")
    assert lenet5().class_names is None and "class_names" not in lenet5().get_config()


def test_class_names_must_match_the_output_units():
    model = lenet5()
    with pytest.raises(ValueError, match="2 class names for 10 output units"):
        model.class_names = ["cat", "dog"]
    assert model.class_names is None
    with pytest.raises(ValueError, match="2 class names for 3 output units"):
        Sequential([Dense(3)], input_shape=(4,), class_names=["a", "b"])


def set_layer(index, key, value):
    def change(header):
        header["model"]["layers"][index]["config"][key] = value
    return change


@pytest.mark.parametrize("change, message", [
    (lambda h: h.update(version=2), "format version 2; this convviz reads 1"),
    (lambda h: h.pop("version"), "format version None"),
    (lambda h: h.pop("model"), "no list of layers"),
    (lambda h: h["model"]["layers"][0].update({"class": "Conv3D"}), "layer 0 has an unknown type"),
    (lambda h: h["model"]["layers"][2].update({"class": "__import__"}), "layer 2 has an unknown"),
    (lambda h: h["model"]["layers"][1].pop("config"), "layer 1 has no settings"),
    (set_layer(0, "filters", -6), r"layer 0 \(Conv2D\) is invalid: filters must be a positive"),
    (set_layer(0, "groups", 2), r"layer 0 \(Conv2D\) is invalid: .*unexpected keyword"),
    (set_layer(0, "padding", "full"), "padding must be 'valid', 'same'"),
    (set_layer(2, "kernel_size", [50, 50]), "kernel height 50 is larger than the padded input"),
    (set_layer(6, "activation", "swish"), "unknown activation 'swish'"),
    (set_layer(1, "name", "C1"), "layer names must be unique"),
    (lambda h: h["model"].update(input_shape=[0, 28, 1]), "invalid input shape"),
    (lambda h: h["model"].update(input_shape="28x28"), "invalid input shape"),
    (lambda h: h["model"].update(layers=[]), "needs at least one layer"),
    (lambda h: h["model"].update(class_names="cat dog"), "class names are not a list"),
    (lambda h: h["model"].update(class_names=["a"] * 200_000), "at most 100,000 names"),
    (lambda h: h["model"].update(class_names=list("abc")), "3 class names for 10 output units"),
    (lambda h: h["model"].update(class_names=[*"abcdefghi", 7]), "class names must be strings"),
    (lambda h: h["model"].update(class_names=[*"abcdefghi", "x" * 65]), "not a short printable"),
    (lambda h: h["model"].update(class_names=[*"abcdefghi", "\x1b[2J"]), "not a short printable"),
    (lambda h: h["model"].update(class_names=[*"abcdefghi", "a"]), "the same name"),
])
def test_bad_architecture_contents(tmp_path, change, message):
    refuses(write(tmp_path / "m.npz", with_header(lenet5(), change)), message)


@pytest.mark.parametrize("units, use_bias", [(10**9, True), (2**62, False), (10**30, True)])
def test_an_absurdly_large_architecture_is_refused_without_allocating(tmp_path, units, use_bias):
    """Also for sizes whose element count overflows int64 (np.prod would wrap to 0)."""
    def change(header):
        header["model"]["input_shape"] = [4]
        header["model"]["layers"] = [{"class": "Dense", "config": {
            "name": "huge", "units": units, "use_bias": use_bias}}]

    path = write(tmp_path / "m.npz", with_header(lenet5(), change))
    tracemalloc.start()
    try:
        refuses(path, "the model would have over 50,000,000 parameters")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_an_architecture_with_absurd_activations_is_refused(tmp_path):
    """Few parameters, but its first prediction would need terabytes."""
    def change(header):
        header["model"]["input_shape"] = [4096, 4096, 1]
        header["model"]["layers"] = [{"class": "Conv2D", "config": {
            "name": "wide", "filters": 40_000, "kernel_size": [1, 1]}}]

    refuses(write(tmp_path / "m.npz", with_header(lenet5(), change)),
            "would output over 50,000,000 values per image")


def with_weight(key, value):
    arrays = model_to_arrays(lenet5())
    if value is None:
        del arrays[key]
    else:
        arrays[key] = value
    return arrays


@pytest.mark.parametrize("key, value, message", [
    ("weights/000/kernel", np.zeros((5, 5, 1, 7), np.float32),
     r"weights 'kernel' of layer 'C1' have shape \(5, 5, 1, 7\) \(float32\); "
     r"expected \(5, 5, 1, 6\) floats"),
    ("weights/007/bias", np.zeros((10, 1), np.float32), "of layer 'output' have shape"),
    ("weights/000/bias", np.zeros(6, np.int32), r"\(int32\); expected \(6,\) floats"),
    ("weights/000/bias", np.array(["a"] * 6), "expected"),
    ("weights/004/bias", None, "weights 'bias' of layer 'C5' are missing"),
    ("weights/006/kernel", None, "weights 'kernel' of layer 'F6' are missing"),
])
def test_wrong_or_missing_weights(tmp_path, key, value, message):
    refuses(write(tmp_path / "m.npz", with_weight(key, value)), message)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_weights(tmp_path, bad):
    kernel = lenet5().layers[2].get_weights()[0]
    kernel[1, 2, 3, 4] = bad
    refuses(write(tmp_path / "m.npz", with_weight("weights/002/kernel", kernel)),
            "weights 'kernel' of layer 'C3' contain NaN or inf")


class Trap:
    """Unpickling this would call Trap.sprung(), which records that code ran."""

    sprung_count = 0

    @classmethod
    def sprung(cls):
        cls.sprung_count += 1
        return "sprung"

    def __reduce__(self):
        return (Trap.sprung, ())


@pytest.mark.parametrize("key", ["weights/000/kernel", "architecture"])
def test_pickled_object_arrays_are_never_unpickled(tmp_path, key):
    value = np.empty(1, dtype=object)
    value[0] = Trap()
    arrays = with_weight(key, value)
    refuses(write(tmp_path / "m.npz", arrays), f"entry '{key}' holds Python objects")
    assert Trap.sprung_count == 0
    pickle.loads(pickle.dumps(Trap()))  # the trap works: this call springs it
    assert Trap.sprung_count == 1
    Trap.sprung_count = 0


def npy_header(shape, descr="<f4") -> bytes:
    stream = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        stream, {"descr": descr, "fortran_order": False, "shape": shape})
    return stream.getvalue()


def test_an_entry_claiming_a_huge_shape_is_refused_without_allocating(tmp_path):
    """A 1 kB file whose kernel header claims 10^10 values: np.load would try to allocate 40 GB."""
    path = tmp_path / "claims.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for key, value in model_to_arrays(lenet5()).items():
            data = npy_header((10**10,)) if key == "weights/000/kernel" else None
            if data is None:
                stream = io.BytesIO()
                np.save(stream, value)
                data = stream.getvalue()
            archive.writestr(key + ".npy", data)
    tracemalloc.start()
    try:
        refuses(path, "entry 'weights/000/kernel' claims 40,000,000,000 bytes")
        assert tracemalloc.get_traced_memory()[1] < 5_000_000
    finally:
        tracemalloc.stop()


def test_an_entry_shorter_than_its_header_says_is_refused(tmp_path):
    path = tmp_path / "short.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for key, value in model_to_arrays(lenet5()).items():
            stream = io.BytesIO()
            np.save(stream, value)
            data = stream.getvalue()
            archive.writestr(key + ".npy", data[:-8] if key == "weights/002/kernel" else data)
    refuses(path, "entry 'weights/002/kernel' is cut short")


def test_extra_entries_are_ignored_and_never_read(tmp_path):
    """A compressed 40 MB extra entry (a zip bomb of zeros) costs nothing to load past."""
    arrays = model_to_arrays(lenet5(seed=6))
    stream = io.BytesIO()
    np.savez_compressed(stream, **arrays, extra=np.zeros(10_000_000, np.float32))
    path = tmp_path / "bomb.npz"
    path.write_bytes(stream.getvalue())
    tracemalloc.start()
    try:
        model = load_model(path)
        assert tracemalloc.get_traced_memory()[1] < 20_000_000
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(model.get_weights()[0], lenet5(seed=6).get_weights()[0])


def test_saved_model_gets_ordinary_file_permissions(tmp_path):
    """Atomic saving must not leave the owner-only permissions of its temporary file."""
    path = tmp_path / "m.npz"
    save_model(lenet5("classic"), path)
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask
