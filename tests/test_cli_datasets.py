"""`convviz train / evaluate / summary / download` beyond LeNet-5 on MNIST: presets, model and
architecture files, Fashion-MNIST and CIFAR-10 files written here, folders of pictures."""

from __future__ import annotations

import dataclasses
import json
import socket
from pathlib import Path

import numpy as np
import pytest
from fake_data import synthetic_digits, write_mnist
from PIL import Image

from convviz import cli
from convviz.cli import main
from convviz.core import Conv2D, Dense, Flatten, MaxPool2D, Sequential, load_model, save_model
from convviz.core.nn.presets import PRESETS, build_preset
from convviz.core.training import cifar10, datasets


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("mnist")
    write_mnist(folder, synthetic_digits(160, seed=0), synthetic_digits(40, seed=1))
    return folder


@pytest.fixture(scope="module")
def pictures(tmp_path_factory) -> Path:
    """A folder of 3 classes (red, green, blue squares on noise), 12 pictures each, one junk."""
    root = tmp_path_factory.mktemp("pictures") / "colours"
    rng = np.random.default_rng(0)
    for label, name in enumerate(("blue", "green", "red")):
        (root / name).mkdir(parents=True)
        for index in range(12):
            pixels = rng.integers(0, 90, (20, 20, 3), dtype=np.uint8)
            pixels[4:16, 4:16, 2 - label] = 240
            Image.fromarray(pixels).save(root / name / f"{index}.png")
    (root / "red" / "readme.txt").write_text("not a picture")
    return root


@pytest.fixture(scope="module")
def tiny_cifar(tmp_path_factory) -> Path:
    """An extracted CIFAR-10 folder: 8 records per training batch, 10 test records."""
    folder = tmp_path_factory.mktemp("cifar")
    batches = folder / cifar10.FOLDER
    batches.mkdir()
    rng = np.random.default_rng(0)
    for name, count in [*((n, 8) for n in cifar10.TRAIN_BATCHES), (cifar10.TEST_BATCH, 10)]:
        records = rng.integers(0, 256, (count, cifar10.RECORD_BYTES), dtype=np.uint8)
        records[:, 0] = np.arange(count) % 10
        (batches / name).write_bytes(records.tobytes())
    return folder


def colour_architecture(tmp_path: Path, side: int = 12, classes: int = 3) -> Path:
    model = Sequential([Conv2D(4, 3, activation="relu", name="conv"), MaxPool2D(2, name="pool"),
                        Flatten(name="flatten"), Dense(classes, name="output")],
                       input_shape=(side, side, 3), name="tiny-colour")
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(model.get_config()))
    return path


def run(*arguments: str | Path) -> int:
    return main([str(a) for a in arguments])


def same_weights(first: Path, second: Path) -> None:
    for a, b in zip(load_model(first).get_weights(), load_model(second).get_weights(),
                    strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_cli_names_every_preset():
    assert cli._PRESET_NAMES == tuple(PRESETS)


def test_train_a_preset_on_mnist(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "mlp.npz"
    assert run("train", "--arch", "mlp", "--data", tiny_mnist, "--epochs", "2",
               "--validation-size", "20", "--out", out) == 0
    err = capsys.readouterr().err
    assert "Training mlp-baseline on 160 MNIST images" in err and "Test accuracy" in err
    assert load_model(out).get_config() == build_preset("mlp").get_config()


def test_train_an_architecture_file_on_a_folder_then_evaluate_it(pictures, tmp_path, capsys):
    out = tmp_path / "colours.npz"
    assert run("train", "--model", colour_architecture(tmp_path), "--dataset", pictures,
               "--epochs", "8", "--lr", "0.01", "--batch-size", "8", "--validation-size", "6",
               "--out", out) == 0
    err = capsys.readouterr().err
    assert "Skipped 1 of 37 files" in err and "36 pictures of 3 classes (blue, green, red)" in err
    assert "no separate test set" in err
    assert load_model(out).input_shape == (12, 12, 3)
    assert run("evaluate", out, "--dataset", pictures, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["count"] == 36 and result["accuracy"] > 0.9  # three easy colours


def test_a_model_file_on_a_folder_resumes_bit_identically(pictures, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    start = tmp_path / "start.npz"
    model = Sequential([Conv2D(2, 3, name="c"), Flatten(name="f"), Dense(3, name="o")],
                       input_shape=(10, 10, 1), seed=2)
    save_model(model, start)
    common = ("--dataset", pictures, "--batch-size", "8", "--validation-size", "6", "--augment")
    assert run("train", "--model", start, "--epochs", "2", "--out", tmp_path / "a.npz",
               *common) == 0
    assert run("train", "--model", start, "--epochs", "1", "--out", tmp_path / "b.npz",
               *common) == 0
    assert run("train", "--resume", tmp_path / "b.ckpt.npz", "--epochs", "2", "--dataset",
               pictures) == 0
    same_weights(tmp_path / "a.npz", tmp_path / "b.npz")  # b.npz: the default --out of a resume


def test_train_and_evaluate_on_cifar10_files(tiny_cifar, tmp_path, capsys):
    out = tmp_path / "c.npz"
    assert run("train", "--arch", "colour-cnn", "--dataset", "cifar10", "--data", tiny_cifar,
               "--epochs", "1", "--validation-size", "10", "--out", out) == 0
    err = capsys.readouterr().err
    assert "on 40 CIFAR-10 images" in err and "Test accuracy" in err
    assert run("evaluate", out, "--dataset", "cifar10", "--data", tiny_cifar) == 0
    out_text = capsys.readouterr().out
    assert "0 airplane, 1 automobile" in out_text and "Confusion matrix" in out_text


def test_a_model_that_does_not_fit_the_dataset_is_explained(tiny_cifar, tmp_path, capsys):
    save_model(build_preset("lenet5-classic"), tmp_path / "lenet.npz")
    assert run("evaluate", tmp_path / "lenet.npz", "--dataset", "cifar10", "--data",
               tiny_cifar) == 1
    err = capsys.readouterr().err
    assert "does not fit CIFAR-10: the images are 32x32x3 but the model takes 28x28x1" in err
    save_model(build_preset("mlp", (32, 32, 3), 4), tmp_path / "four.npz")
    assert run("evaluate", tmp_path / "four.npz", "--dataset", "cifar10", "--data",
               tiny_cifar) == 1
    assert "has 4 outputs but CIFAR-10 has 10 classes" in capsys.readouterr().err


def test_divergence_of_a_preset_rolls_back_and_saves_nothing(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "d.npz"
    assert run("train", "--arch", "two-3x3", "--data", tiny_mnist, "--optimizer", "sgd",
               "--lr", "1e35", "--validation-size", "20", "--out", out) == 1
    assert "The last good weights were kept" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("arguments, message", [
    (["--model", "x.npz", "--arch", "mlp"], "not both"),
    (["--dataset", "imagenet"], "'imagenet' is none of these"),
    (["--dataset", "fashion-mnist", "--data", "{tmp}/none"],
     "convviz download --dataset fashion-mnist"),
    (["--model", "{tmp}/missing.json"], "no such file"),
    (["--model", "lenet.h5"], "not a model file"),
])
def test_bad_train_options_are_explained(arguments, message, tmp_path, capsys):
    arguments = [a.format(tmp=tmp_path) for a in arguments]
    assert run("train", "--out", tmp_path / "m.npz", *arguments) in (1, 2)
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_folder_with_one_class_is_explained(tmp_path, capsys):
    (tmp_path / "one" / "cat").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(tmp_path / "one" / "cat" / "a.png")
    assert run("train", "--arch", "mlp", "--dataset", tmp_path / "one") == 1
    assert "found only one, 'cat'" in capsys.readouterr().err


def test_summary_of_a_preset_a_file_and_an_architecture(tmp_path, capsys):
    assert run("summary", "small-vgg") == 0
    out = capsys.readouterr().out
    assert "block2_conv2 (Conv2D)" in out and "(None, 7, 7, 32)" in out
    assert f"Total params: {218_490:,}" in out
    save_model(build_preset("mlp"), tmp_path / "mlp.npz")
    assert run("summary", tmp_path / "mlp.npz") == 0
    assert f"Total params: {101_770:,}" in capsys.readouterr().out
    assert run("summary", colour_architecture(tmp_path)) == 0
    assert "Model: tiny-colour, input 12x12x3" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text('{"layers": [{"class": "Lambda"}]}')
    assert run("summary", tmp_path / "bad.json") == 1
    assert "unknown type" in capsys.readouterr().err


def test_download_another_dataset_says_where_to_put_it(tmp_path, monkeypatch, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    monkeypatch.setitem(datasets.DATASETS, "cifar10",
                        dataclasses.replace(datasets.CIFAR10, mirrors=[closed]))
    assert run("download", "--dataset", "cifar10", "--data", tmp_path / "c") == 1
    err = capsys.readouterr().err
    assert "Downloading CIFAR-10 failed" in err and str(tmp_path / "c") in err
    assert cifar10.ARCHIVE in err and "Traceback" not in err
    assert run("download", "--dataset", "svhn") == 2
