"""Every core reader against the hostile files of the audit (issue 17, classes 1-4): only the
documented error comes out, with a sentence, and no file costs more than a few hundred MB."""

from __future__ import annotations

import io
import json
import os
import sys
import zipfile

import hostile_files as hf
import numpy as np
import pytest
from paths import REPO_ROOT
from PIL import Image

from convviz.core import lenet5, save_model
from convviz.core.drawing.digit_preprocess import import_picture
from convviz.core.imaging.image_io import ImageLoadError, load_image
from convviz.core.nn.serialization import ModelFileError, load_model
from convviz.core.stepper import read_image
from convviz.core.training.checkpoint import CheckpointError, load_checkpoint
from convviz.core.training.data import DatasetError, load_mnist, read_idx

PICTURE_READERS = [load_image, lambda source: import_picture(source, "x", 280),
                   lambda source: read_image(source, rgb=False)]

# --- class 1: only the image formats we mean to read are decoded -------------------------------


def foreign_pictures() -> dict[str, bytes]:
    """Files Pillow knows but convviz must not parse, each under a picture's name."""
    stream = io.BytesIO()
    Image.new("L", (8, 8)).save(stream, "PCX")
    fits = (b"SIMPLE  =                    T" + b" " * 50 + b"BITPIX  =                    8"
            + b" " * 50 + b"NAXIS   =                    0" + b" " * 50 + b"END" + b" " * 77)
    return {"postscript": hf.POSTSCRIPT_LOOP, "pcx": stream.getvalue(),
            "fits": fits.ljust(2880, b" "), "psd": b"8BPS\x00\x01" + bytes(40)}


@pytest.mark.parametrize("kind", list(foreign_pictures()))
@pytest.mark.parametrize("reader", range(len(PICTURE_READERS)))
def test_foreign_formats_are_refused_by_content_and_ghostscript_never_starts(
        tmp_path, fake_ghostscript, kind, reader):
    content = foreign_pictures()[kind]
    path = tmp_path / "digit.png"
    path.write_bytes(content)
    for source in (path, content):
        with pytest.raises(ImageLoadError, match="not in an image format convviz reads"):
            PICTURE_READERS[reader](source)
    assert not fake_ghostscript.exists(), fake_ghostscript.read_text()


@pytest.mark.parametrize("fmt, suffix", [("PNG", "jpg"), ("JPEG", "png"), ("BMP", "gif"),
                                         ("GIF", "bmp"), ("TIFF", "png"), ("WEBP", "png"),
                                         ("PPM", "png")])
def test_every_allowed_format_is_read_whatever_its_name(tmp_path, fmt, suffix):
    path = tmp_path / f"picture.{suffix}"
    Image.new("L" if fmt != "WEBP" else "RGB", (12, 10), 200).save(path, fmt)
    assert load_image(path).pixels.shape[:2] == (10, 12)


# --- class 2: nothing reads an unbounded stream ------------------------------------------------

def special_files(tmp_path):
    """A FIFO nobody writes to, a device of endless bytes, a folder and links to them."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    paths = {"fifo": fifo, "device": "/dev/urandom", "zero": "/dev/zero", "folder": tmp_path}
    for name, target in list(paths.items()):
        link = tmp_path / f"link-to-{name}.npz"
        link.symlink_to(target)
        paths[f"link to {name}"] = link
    return paths


READERS = {
    "model": (load_model, ModelFileError),
    "checkpoint": (load_checkpoint, CheckpointError),
    "idx": (lambda path: read_idx(path, 2049), DatasetError),
    "picture": (load_image, ImageLoadError),
}


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev are POSIX")
@pytest.mark.parametrize("reader", list(READERS))
def test_fifos_devices_and_folders_are_refused_unread(tmp_path, reader):
    read, error = READERS[reader]
    for path in special_files(tmp_path).values():
        with pytest.raises(error, match="it is (a folder|a pipe|a device)"):
            read(path)


def test_an_mnist_folder_of_fifos_is_refused(tmp_path):
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                 "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        os.mkfifo(tmp_path / name)
    with pytest.raises(DatasetError):
        load_mnist(tmp_path)


# --- class 3: small files never cost gigabytes --------------------------------------------------

MEMORY_BOUND_MB = 450  # imports alone take ~100 MB; before the fixes each case took 2-4 GB


def memory_cases(folder):
    return {
        "negative .npy shape": ("convviz.core.nn.serialization:load_model",
                                [hf.model_with_negative_shape(folder / "negative.npz", 800)],
                                "ModelFileError: .*impossible shape"),
        "gzipped IDX bomb": ("convviz.core.training.data:read_idx",
                             [hf.gzip_idx_bomb(folder / "labels.gz", 1024), "2049"],
                             "DatasetError: .*file holds more"),
        "unused checkpoint entries": ("convviz.core.training.checkpoint:load_checkpoint",
                                      [hf.checkpoint_with_unused_entries(folder / "u.npz", 4, 150)],
                                      "^read$"),
        "optimizer slot index": ("hostile_files:resume",
                                 [hf.checkpoint_with_slot_index(folder / "slot.npz")],
                                 "CheckpointError: .*belongs to no parameter"),
        "12000x12000 gray PNG": ("convviz.core.imaging.image_io:load_image",
                                 [hf.big_png(folder / "big.png")], "^read$"),
        "12000x12000 RGB PNG": ("convviz.core.imaging.image_io:load_image",
                                [hf.big_png(folder / "rgb.png", rgb=True)],
                                "ImageLoadError: .*more than the 300 MB"),
    }


def test_small_hostile_files_cost_a_bounded_amount_of_memory(tmp_path):
    """Each case in a fresh process (peak resident memory, under a 6 GB address-space cap)."""
    import re

    for name, (reader, arguments, outcome) in memory_cases(tmp_path).items():
        peak, result = hf.peak_memory_mb(reader, *map(str, arguments), repo_root=REPO_ROOT)
        assert re.search(outcome, result), (name, result)
        assert 0 < peak < MEMORY_BOUND_MB, (name, peak, result)


# --- class 4: every failure is the documented error type, with a sentence -----------------------

def model_with_architecture(path, text: str):
    entries = hf.model_entries()
    entries["architecture"] = np.array(text)
    return hf.write_npz(path, entries)


def genuine_architecture() -> dict:
    return json.loads(str(hf.model_entries()["architecture"][()]))


def architecture_with(change) -> str:
    header = genuine_architecture()
    change(header["model"]["layers"][0]["config"])
    return json.dumps(header)


ARCHITECTURES = {
    "Infinity filters": lambda: architecture_with(lambda c: c.update(filters=1)).replace(
        '"filters": 1', '"filters": Infinity'),
    "1e400 filters": lambda: architecture_with(lambda c: c.update(filters=1)).replace(
        '"filters": 1', '"filters": 1e400'),
    "NaN rate": lambda: architecture_with(lambda c: c.update(filters=1)).replace(
        '"filters": 1', '"filters": NaN'),
    "list for a number": lambda: architecture_with(lambda c: c.update(filters=[6])),
    "list for a name": lambda: architecture_with(lambda c: c.update(activation=["relu"])),
    "dict for kernel size": lambda: architecture_with(lambda c: c.update(kernel_size={})),
    "dilation 1e9": lambda: architecture_with(lambda c: c.update(dilation_rate=10**9)),
    "huge filters": lambda: architecture_with(lambda c: c.update(filters=10**18)),
    "deeply nested": lambda: json.dumps(genuine_architecture()).replace(
        '"name": "C1"', '"name": ' + "[" * 100_000 + "]" * 100_000),
    "not JSON": lambda: "{'format': ",
    "a list": lambda: "[1, 2, 3]",
}


@pytest.mark.parametrize("case", list(ARCHITECTURES))
def test_hostile_architectures_are_refused_at_load(tmp_path, case):
    path = model_with_architecture(tmp_path / "m.npz", ARCHITECTURES[case]())
    with pytest.raises(ModelFileError) as caught:
        load_model(path)
    assert str(caught.value).startswith(str(path)) and "object at 0x" not in str(caught.value)


NPY_HEADERS = {
    "expression shape": hf.npy_header("(1+1,)"),
    "unterminated": b"\x93NUMPY\x01\x00\x10\x00{'descr': '<f4'\n",
    "token error": hf.npy_header("(((,"),
    "negative shape": hf.npy_header("(-5, 5)"),
    "float shape": hf.npy_header("(2.5,)"),
    "object dtype": hf.npy_header("(6,)", descr="|O"),
    "huge": hf.npy_header(f"({10**20},)"),
    "bad magic": b"\x93NUMPZ\x01\x00" + bytes(120),
}


@pytest.mark.parametrize("case", list(NPY_HEADERS))
def test_malformed_npy_headers_raise_the_documented_error(tmp_path, case):
    entries: dict = hf.model_entries()
    entries["weights/000/bias"] = NPY_HEADERS[case] + bytes(24)
    path = hf.write_npz(tmp_path / "m.npz", entries)
    with pytest.raises(ModelFileError, match="weights/000/bias") as caught:
        load_model(path)
    assert "ast." not in str(caught.value) and "object at 0x" not in str(caught.value)


def test_an_encrypted_entry_raises_the_documented_error(tmp_path):
    path = tmp_path / "m.npz"
    save_model(lenet5(), path)
    raw = bytearray(path.read_bytes())
    # Set the "encrypted" flag (bit 0 of the general purpose flags) in every header.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            raw[start + offset] |= 1
            start += 4
    path.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="cannot be read|encrypted"):
        load_model(path)


def test_an_unknown_compression_raises_the_documented_error(tmp_path):
    path = tmp_path / "m.npz"
    save_model(lenet5(), path)
    raw = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            raw[start + offset:start + offset + 2] = (99).to_bytes(2, "little")
            start += 4
    path.write_bytes(bytes(raw))
    with pytest.raises(ModelFileError, match="cannot be read"):
        load_model(path)


@pytest.mark.parametrize("change, message", [
    ({"epoch": b"Infinity"}, "not valid JSON"),
    ({"epoch": -3}, "epoch must be an integer >= 0"),
    ({"step": "many"}, "step must be an integer >= 0"),
    ({"step": 1e300}, "step must be an integer"),
    ({"best_loss": "nan", "best_epoch": 1}, "best_loss must be a finite loss"),
    ({"bad_epochs": [1]}, "bad_epochs must be an integer"),
])
def test_checkpoint_states_that_make_no_sense_are_refused(tmp_path, change, message):
    path = hf.checkpoint_with_state(tmp_path / "c.npz", change)
    with pytest.raises(CheckpointError, match=message):
        hf.resume(str(path))


def best_weights_checkpoint(path, change):
    entries = hf.checkpoint_entries(hf.checkpoint(path.with_name("genuine.npz")))
    shapes = [p.shape for p, _ in lenet5().parameters()]
    for index, shape in enumerate(shapes):
        entries[f"best/{index:03d}"] = np.zeros(shape, np.float32)
    change(entries)
    return hf.write_npz(path, entries)


@pytest.mark.parametrize("case, change, message", [
    ("NaN", lambda e: e["best/000"].fill(np.nan), "contain NaN or inf"),
    ("1e300 float64", lambda e: e.update({"best/000": np.full(e["best/000"].shape, 1e300)}),
     r"contain NaN or inf \(in float32\)"),
    ("wrong shape", lambda e: e.update({"best/001": np.zeros(7, np.float32)}), "have shape"),
    ("wrong dtype", lambda e: e.update({"best/001": e["best/001"].astype(np.int32)}), "floats"),
    ("one missing", lambda e: e.pop("best/005"), "best weights are"),
    ("one too many", lambda e: e.update({"best/999": np.zeros(1, np.float32)}),
     "best weights are"),
])
def test_best_weights_that_do_not_fit_are_refused(tmp_path, case, change, message):
    path = best_weights_checkpoint(tmp_path / "c.npz", change)
    with pytest.raises(CheckpointError, match=message):
        load_checkpoint(path)


def test_weights_that_overflow_float32_are_refused(tmp_path):
    entries = hf.model_entries()
    entries["weights/000/bias"] = np.full(6, 1e300)
    with pytest.raises(ModelFileError, match=r"NaN or inf \(in float32\)"):
        load_model(hf.write_npz(tmp_path / "m.npz", entries))


@pytest.mark.parametrize("shape", [(2**31, 2**31, 2**31), (0xFFFFFFFF, 0xFFFFFFFF, 4)])
def test_idx_dimensions_that_overflow_int64_are_refused(tmp_path, shape):
    with pytest.raises(DatasetError, match="more than any dataset"):
        read_idx(hf.idx_claiming(tmp_path / "images", shape), 2051)


def test_a_zip_that_is_a_model_of_nothing_is_refused(tmp_path):
    path = tmp_path / "empty.npz"
    with zipfile.ZipFile(path, "w"):
        pass
    with pytest.raises(ModelFileError, match="no architecture"):
        load_model(path)


@pytest.mark.parametrize("reader", list(READERS))
def test_an_unreadable_file_is_the_documented_error(tmp_path, monkeypatch, reader):
    """Root reads anything, so the PermissionError of a file in a locked folder is raised by
    hand, where every reader opens its file."""
    from convviz.core import safe_files

    def refuse(*_args):
        raise PermissionError(13, "Permission denied")

    path = tmp_path / "locked.npz"
    path.write_bytes(b"whatever")
    monkeypatch.setattr(safe_files.os, "open", refuse)
    read, error = READERS[reader]
    with pytest.raises(error, match="you may not read this file"):
        read(path)
