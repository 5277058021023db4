"""`convviz train` and `convviz evaluate` through main([...]) on tiny generated IDX files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fake_data import idx_bytes, synthetic_digits, write_folder
from paths import REPO_ROOT

from convviz.cli import main
from convviz.core import lenet5, load_model, save_model


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory) -> Path:
    """An MNIST folder with 192 training and 64 test images of the synthetic digits."""
    train_images, train_labels = synthetic_digits(192, seed=0)
    test_images, test_labels = synthetic_digits(64, seed=1)
    folder = tmp_path_factory.mktemp("mnist")
    write_folder(folder, {
        "train-images-idx3-ubyte": idx_bytes(train_images),
        "train-labels-idx1-ubyte": idx_bytes(train_labels),
        "t10k-images-idx3-ubyte": idx_bytes(test_images),
        "t10k-labels-idx1-ubyte": idx_bytes(test_labels),
    })
    return folder


def train(folder: Path, out: Path, *options: str) -> int:
    return main(["train", "--data", str(folder), "--batch-size", "32", "--validation-size", "32",
                 "--out", str(out), *options])


def assert_same_weights(first_path: Path, second_path: Path) -> None:
    first, second = load_model(first_path).get_weights(), load_model(second_path).get_weights()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


def test_train_saves_the_model_and_a_checkpoint_and_reports_test_accuracy(
        tiny_mnist, tmp_path, capsys):
    out = tmp_path / "models" / "digits.npz"
    assert train(tiny_mnist, out, "--epochs", "2", "--augment", "--schedule", "cosine") == 0
    assert load_model(out).name == "lenet5-modern"
    assert (tmp_path / "models" / "digits.ckpt.npz").is_file()
    err = capsys.readouterr().err
    assert "epoch 1/2" in err and "epoch 2/2" in err and "val_acc" in err
    assert "img/s" in err and "ETA" in err
    assert "Test accuracy" in err and "of 64" in err


def test_train_finds_the_data_through_convviz_data(tiny_mnist, tmp_path, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA", str(tiny_mnist))
    out = tmp_path / "env.npz"
    assert main(["train", "--epochs", "1", "--validation-size", "0", "--arch", "classic",
                 "--out", str(out)]) == 0
    assert load_model(out).name == "lenet5-classic"


def test_resume_gives_the_same_model_as_one_run(tiny_mnist, tmp_path):
    assert train(tiny_mnist, tmp_path / "straight.npz", "--epochs", "2") == 0
    assert train(tiny_mnist, tmp_path / "split.npz", "--epochs", "1") == 0
    assert main(["train", "--data", str(tiny_mnist), "--resume", str(tmp_path / "split.ckpt.npz"),
                 "--epochs", "2", "--out", str(tmp_path / "split.npz")]) == 0
    assert_same_weights(tmp_path / "straight.npz", tmp_path / "split.npz")


def test_resume_refuses_new_settings(tiny_mnist, tmp_path, capsys):
    assert main(["train", "--resume", str(tmp_path / "x.ckpt.npz"), "--lr", "0.1",
                 "--data", str(tiny_mnist)]) == 2
    assert "--lr" in capsys.readouterr().err


def test_resume_from_a_model_file_is_refused(tiny_mnist, tmp_path, capsys):
    save_model(lenet5(), tmp_path / "plain.npz")
    assert main(["train", "--resume", str(tmp_path / "plain.npz"),
                 "--data", str(tiny_mnist)]) == 1
    assert "not a training checkpoint" in capsys.readouterr().err


def test_nonsense_options_are_explained(tiny_mnist, tmp_path, capsys):
    assert train(tiny_mnist, tmp_path / "m.npz", "--lr", "-1") == 2
    assert "learning_rate must be a positive number" in capsys.readouterr().err
    assert train(tiny_mnist, tmp_path / "m.npz", "--optimizer", "adamw") == 2
    assert "optimizer must be one of" in capsys.readouterr().err


def test_divergence_is_reported_and_nothing_is_saved(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "diverged.npz"
    assert train(tiny_mnist, out, "--optimizer", "sgd", "--lr", "1e6") == 1
    assert "try a lower learning rate" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_missing_data_says_to_download(command, tmp_path, capsys):
    save_model(lenet5(), tmp_path / "m.npz")
    arguments = ["train"] if command == "train" else ["evaluate", str(tmp_path / "m.npz")]
    assert main([*arguments, "--data", str(tmp_path / "nowhere")]) == 1
    err = capsys.readouterr().err
    assert "convviz download" in err and "--data" in err and "Traceback" not in err


def test_evaluate_json_has_accuracy_per_class_and_confusion(tiny_mnist, tmp_path, capsys):
    save_model(lenet5(seed=1), tmp_path / "m.npz")
    assert main(["evaluate", str(tmp_path / "m.npz"), "--data", str(tiny_mnist), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"accuracy", "per_class", "confusion"} <= set(result)
    assert len(result["per_class"]) == 10
    assert np.sum(result["confusion"]) == result["count"] == 64
    assert result["accuracy"] == pytest.approx(np.trace(result["confusion"]) / 64)


def test_evaluate_prints_accuracy_per_class_and_confusion(tiny_mnist, tmp_path, capsys):
    save_model(lenet5(seed=1), tmp_path / "m.npz")
    assert main(["evaluate", str(tmp_path / "m.npz"), "--data", str(tiny_mnist)]) == 0
    out = capsys.readouterr().out
    assert "Test accuracy:" in out and "Per-class accuracy" in out and "Confusion matrix" in out


@pytest.mark.parametrize("content", [b"not a zip file", None])
def test_evaluate_explains_a_bad_model_file(content, tiny_mnist, tmp_path, capsys):
    path = tmp_path / "bad.npz"
    if content is not None:
        path.write_bytes(content)
    assert main(["evaluate", str(path), "--data", str(tiny_mnist)]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and "Traceback" not in err


def test_an_unwritable_checkpoint_place_is_explained(tiny_mnist, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    checkpoint = tmp_path / "a-file" / "run.ckpt.npz"
    assert train(tiny_mnist, tmp_path / "m.npz", "--checkpoint", str(checkpoint)) == 1
    err = capsys.readouterr().err
    assert "a-file" in err and "Traceback" not in err


# Run in a fresh interpreter: this one has imported Numba already. The download goes to a
# closed local port, so it fails at once, after pooch and the download code have been loaded.
_LIGHT_COMMAND = """
import sys
from convviz import cli
from convviz.core.training import data

data.MIRRORS[:] = ["http://127.0.0.1:9/"]
try:
    code = cli.main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted({"numba", "PySide6", "pyqtgraph"} & set(sys.modules))
print(f"exit {code}; heavy modules: {heavy}")
"""


@pytest.mark.parametrize(("arguments", "exit_code"), [
    (["--help"], 0), (["download", "--help"], 0), (["train", "--help"], 0),
    (["download", "--data", "{folder}"], 1)], ids=["help", "download-help", "train-help",
                                                   "download"])
def test_help_and_download_do_not_import_numba_or_qt(arguments, exit_code, tmp_path):
    arguments = [a.format(folder=tmp_path / "mnist") for a in arguments]
    path = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", _LIGHT_COMMAND, *arguments],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": path})
    assert result.stdout.splitlines()[-1] == f"exit {exit_code}; heavy modules: []", (
        result.stdout + result.stderr)
    if exit_code:  # the download ran and failed, and said so in a sentence
        assert "127.0.0.1" in result.stderr and "Traceback" not in result.stderr
