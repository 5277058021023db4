"""The command line against hostile files and clumsy options (issue 17, classes 2-4 and 7):
one sentence and a non-zero exit, never a traceback, a hang, or a file lost or misleading.

Files go through `python -m convviz` in a subprocess (a FIFO would hang it; a timeout says
so); options that need a training run use main([...]) in this process, as tests/test_cli.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import hostile_files as hf
import numpy as np
import pytest
from fake_data import idx_bytes, synthetic_digits, write_folder
from paths import REPO_ROOT

from convviz.cli import main
from convviz.core import lenet5, load_model, save_model
from convviz.core.nn import serialization
from convviz.core.training import data as mnist_data
from convviz.core.training.trainer import Trainer


@pytest.fixture(scope="module")
def tiny_mnist(tmp_path_factory) -> Path:
    """192 training and 64 test images of the synthetic digits."""
    return mnist_folder(tmp_path_factory.mktemp("mnist"), test_count=64)


def mnist_folder(folder: Path, test_count: int) -> Path:
    train_images, train_labels = synthetic_digits(192, seed=0)
    test_images, test_labels = synthetic_digits(max(test_count, 10), seed=1)
    write_folder(folder, {
        "train-images-idx3-ubyte": idx_bytes(train_images),
        "train-labels-idx1-ubyte": idx_bytes(train_labels),
        "t10k-images-idx3-ubyte": idx_bytes(test_images[:test_count]),
        "t10k-labels-idx1-ubyte": idx_bytes(test_labels[:test_count]),
    })
    return folder


def convviz(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m convviz ARGUMENTS` from this checkout; a hang fails the test, not the run."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    try:
        return subprocess.run([sys.executable, "-m", "convviz", *arguments], capture_output=True,
                              text=True, env=env, timeout=timeout, cwd=REPO_ROOT, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"convviz {' '.join(arguments)} hung for {timeout} s")


def hostile_models(folder: Path) -> dict[str, Path]:
    fifo = folder / "fifo.npz"
    os.mkfifo(fifo)
    nested = hf.model_entries()
    nested["architecture"] = np.array("[" * 50_000 + "]" * 50_000)
    infinite = hf.model_entries()
    infinite["architecture"] = np.array(str(infinite["architecture"][()]).replace(
        '"filters": 6', '"filters": Infinity'))
    return {"fifo": fifo, "device": Path("/dev/urandom"),
            "negative shape": hf.model_with_negative_shape(folder / "negative.npz", 300),
            "nested JSON": hf.write_npz(folder / "nested.npz", nested),
            "Infinity": hf.write_npz(folder / "inf.npz", infinite)}


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev are POSIX")
def test_evaluate_refuses_every_hostile_model_in_one_sentence(tmp_path, tiny_mnist):
    for name, path in hostile_models(tmp_path).items():
        result = convviz("evaluate", str(path), "--data", str(tiny_mnist))
        assert result.returncode == 1, (name, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.startswith(
            "convviz evaluate: "), (name, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, (name, result.stderr)


def test_resume_refuses_a_checkpoint_that_claims_a_huge_optimizer(tmp_path, tiny_mnist):
    path = hf.checkpoint_with_slot_index(tmp_path / "slot.npz")
    result = convviz("train", "--data", str(tiny_mnist), "--resume", str(path),
                     "--out", str(tmp_path / "m.npz"))
    assert result.returncode == 1 and "belongs to no parameter" in result.stderr
    assert "Traceback" not in result.stderr


# --- nothing lost, nothing misleading -------------------------------------------------------------

def train(folder: Path, out: Path | str, *options: str) -> int:
    return main(["train", "--data", str(folder), "--batch-size", "32", "--validation-size", "32",
                 "--epochs", "1", "--out", str(out), *options])


@pytest.mark.parametrize("out", ["", ".", "{tmp}", "{tmp}/"])
def test_an_out_that_names_no_file_is_refused_before_training(tiny_mnist, tmp_path, capsys, out):
    assert train(tiny_mnist, out.format(tmp=tmp_path)) == 1
    err = capsys.readouterr().err
    assert "--out must name a file" in err and "epoch 1/" not in err


def test_a_checkpoint_equal_to_out_is_refused(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "m.npz"
    assert train(tiny_mnist, out, "--checkpoint", str(out)) == 1
    assert "are the same file" in capsys.readouterr().err and not out.exists()


def test_an_unwritable_place_is_found_before_the_first_epoch(tiny_mnist, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    assert train(tiny_mnist, tmp_path / "a-file" / "m.npz") == 1
    err = capsys.readouterr().err
    assert "cannot write into" in err and "epoch 1/" not in err


def test_absurd_epochs_are_refused_and_a_huge_batch_is_capped(tiny_mnist, tmp_path, capsys):
    assert train(tiny_mnist, tmp_path / "m.npz", "--epochs", str(10**23)) == 2
    assert "epochs must be at most 10,000" in capsys.readouterr().err
    out = tmp_path / "big-batch.npz"
    assert main(["train", "--data", str(tiny_mnist), "--validation-size", "32", "--epochs", "1",
                 "--batch-size", "10000000", "--out", str(out)]) == 0
    assert "using batches of 160" in capsys.readouterr().err and out.exists()


def test_resuming_from_nan_best_weights_keeps_the_previous_model(tiny_mnist, tmp_path, capsys):
    out, checkpoint = tmp_path / "m.npz", tmp_path / "run.ckpt.npz"
    assert train(tiny_mnist, out, "--patience", "2", "--checkpoint", str(checkpoint)) == 0
    before = out.read_bytes()
    entries = hf.checkpoint_entries(checkpoint)
    assert "best/000" in entries
    entries["best/000"] = np.full_like(entries["best/000"], np.nan)
    hf.write_npz(checkpoint, entries)
    assert main(["train", "--data", str(tiny_mnist), "--resume", str(checkpoint), "--epochs",
                 "2", "--out", str(out)]) == 1
    assert "contain NaN or inf" in capsys.readouterr().err
    assert out.read_bytes() == before and load_model(out).count_params() > 0


def test_nan_weights_are_never_saved(tmp_path):
    model = lenet5()
    model.layers[0].params["bias"][0] = np.nan
    with pytest.raises(ValueError, match="NaN or inf"):
        save_model(model, tmp_path / "m.npz")
    assert not list(tmp_path.iterdir())


def test_divergence_says_plainly_that_nothing_was_saved(tiny_mnist, tmp_path, capsys):
    out = tmp_path / "diverged.npz"
    assert train(tiny_mnist, out, "--optimizer", "sgd", "--lr", "1e6") == 1
    assert f"Nothing was saved to {out}" in capsys.readouterr().err and not out.exists()


def test_stale_temporaries_of_killed_writes_are_cleaned_on_the_next_save(tmp_path):
    out = tmp_path / "m.npz"
    stale, fresh = tmp_path / "m.npz.k1ll3d_x.tmp", tmp_path / "m.npz.running.tmp"
    other = tmp_path / "other.npz.abcdefgh.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(b"half a zip")
    old = time.time() - serialization.STALE_SECONDS - 60
    for path in (stale, other):
        os.utime(path, (old, old))
    save_model(lenet5(), out)
    assert not stale.exists() and fresh.exists() and other.exists() and out.exists()


def interrupt(*_args, **_kwargs):
    raise KeyboardInterrupt


class InterruptedImport:
    """A module whose every name raises KeyboardInterrupt: Ctrl-C while it is imported."""

    def __getattr__(self, name):
        raise KeyboardInterrupt


@pytest.mark.parametrize("where", ["reading MNIST", "final evaluation", "importing"])
def test_ctrl_c_anywhere_prints_one_line(tiny_mnist, tmp_path, capsys, monkeypatch, where):
    if where == "reading MNIST":
        monkeypatch.setattr(mnist_data, "load_mnist", interrupt)
    elif where == "final evaluation":
        monkeypatch.setattr("convviz.core.training.evaluation.evaluate", interrupt)
    else:
        monkeypatch.setitem(sys.modules, "convviz.core.training.trainer", InterruptedImport())
    assert train(tiny_mnist, tmp_path / "m.npz") in (130, 1)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "interrupted" in err


def test_ctrl_c_during_the_first_checkpoint_write_points_at_no_checkpoint(
        tiny_mnist, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Trainer, "save_checkpoint", interrupt)
    assert train(tiny_mnist, tmp_path / "m.npz") == 130
    err = capsys.readouterr().err
    assert "before the first checkpoint was written" in err and "--resume" not in err


def test_an_empty_test_set_is_refused_in_one_sentence(tmp_path, capsys):
    folder = mnist_folder(tmp_path / "mnist", test_count=0)
    save_model(lenet5(), tmp_path / "m.npz")
    assert main(["evaluate", str(tmp_path / "m.npz"), "--data", str(folder)]) == 1
    assert "holds no images" in capsys.readouterr().err


def test_an_unreadable_data_folder_is_one_sentence(tmp_path, capsys, monkeypatch):
    """Root reads any folder, so the PermissionError a student meets is raised by hand."""
    real_is_file = Path.is_file

    def is_file(self):
        if self.parent == tmp_path:
            raise PermissionError(13, "Permission denied")
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    save_model(lenet5(), tmp_path.parent / f"{tmp_path.name}-m.npz")
    assert main(["evaluate", str(tmp_path.parent / f"{tmp_path.name}-m.npz"),
                 "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "cannot be read (Permission denied)" in err and "Traceback" not in err


def test_the_json_of_a_checkpoint_state_is_strict(tmp_path):
    """A state written by hand with NaN where a loss belongs is refused, not resumed."""
    path = hf.checkpoint_with_state(tmp_path / "c.npz", {"best_loss": b"NaN", "best_epoch": 1})
    result = convviz("train", "--resume", str(path), "--out", str(tmp_path / "m.npz"),
                     "--data", str(mnist_folder(tmp_path / "mnist", 10)))
    assert result.returncode == 1 and "not valid JSON" in result.stderr, result.stderr
