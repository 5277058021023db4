"""Hostile files, written into a folder the caller owns: each is small on disk and was, before
the hostile-input fixes, a crash, a hang or a multi-gigabyte allocation somewhere in convviz.

Used by tests/hostile and by benchmarks/bench_hostile_memory.py (the peak memory of each
"small file costs gigabytes" case). Every builder streams what it writes, so making a file
that claims gigabytes costs the test a few megabytes.
"""

from __future__ import annotations

import gzip
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

from convviz.core import lenet5
from convviz.core.nn.serialization import model_to_arrays
from convviz.core.training.trainer import Trainer, TrainingConfig

POSTSCRIPT_LOOP = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 28 28\n{ } loop\n"
"""A PostScript program that never ends: Ghostscript, if ever started, would spin forever."""


def install_fake_ghostscript(folder: Path, monkeypatch) -> Path:
    """Put a `gs` first on PATH that appends its arguments to the returned file and exits,
    and make Pillow forget any Ghostscript it found before. No file there: gs never started."""
    import os

    from PIL import EpsImagePlugin

    bin_folder = folder / "fake-bin"
    bin_folder.mkdir()
    record = folder / "gs-calls.txt"
    script = bin_folder / "gs"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{record}"\nexit 1\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setattr(EpsImagePlugin, "gs_binary", None)
    monkeypatch.setattr(EpsImagePlugin, "gs_windows_binary", None)
    return record


def npy_bytes(array: np.ndarray) -> bytes:
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=False)
    return stream.getvalue()


def npy_header(shape_text: str, descr: str = "<f4") -> bytes:
    """A version 1.0 .npy header claiming `shape_text` (written as it is, e.g. "(-1,)")."""
    header = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape_text}, }}"
    header = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1")


def write_npz(path: Path, entries: dict[str, bytes | np.ndarray],
              compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """An .npz holding these entries (arrays saved as .npy; bytes written as they are)."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for key, value in entries.items():
            archive.writestr(key + ".npy", value if isinstance(value, bytes) else npy_bytes(value))
    return path


def model_entries(model=None) -> dict[str, np.ndarray]:
    return model_to_arrays(model or lenet5())


def architecture_text(text: str) -> np.ndarray:
    return np.array(text)


def model_with_negative_shape(path: Path, zero_megabytes: int = 2000) -> Path:
    """A model whose C1 kernel header claims shape (-1,), followed by `zero_megabytes` of
    zeros (deflated to about 1/1000): a reader that trusts the header reads them all."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for key, value in model_entries().items():
            if key != "weights/000/kernel":
                archive.writestr(key + ".npy", npy_bytes(value))
                continue
            with archive.open(key + ".npy", "w", force_zip64=True) as entry:
                entry.write(npy_header("(-1,)"))
                chunk = bytes(1 << 20)
                for _ in range(zero_megabytes):
                    entry.write(chunk)
    return path


def gzip_idx_bomb(path: Path, zero_megabytes: int = 4000) -> Path:
    """A gzipped IDX label file whose header promises 10 labels, followed by
    `zero_megabytes` of zeros: each 64 MB gzip member of zeros is ~64 kB on disk."""
    header = (2049).to_bytes(4, "big") + (10).to_bytes(4, "big") + bytes(10)
    member = gzip.compress(bytes(64 << 20), compresslevel=9, mtime=0)
    with open(path, "wb") as stream:
        stream.write(gzip.compress(header, mtime=0))
        for _ in range(max(1, zero_megabytes // 64)):
            stream.write(member)
    return path


def idx_claiming(path: Path, shape: tuple[int, ...], magic: int = 2051) -> Path:
    """An uncompressed IDX header claiming `shape` (any 32-bit sizes), with no data."""
    path.write_bytes(magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape))
    return path


RESUME_DATA = (np.zeros((40, 28, 28), np.uint8), (np.arange(40) % 10).astype(np.uint8))
"""The tiny training set `checkpoint` files were written on (so `resume` accepts them)."""


def checkpoint(path: Path) -> Path:
    """A genuine checkpoint of an untrained LeNet-5 on RESUME_DATA (the hostile ones start
    from it); its Adam state holds one slot per parameter."""
    trainer = Trainer(TrainingConfig(epochs=1, batch_size=10, validation_size=10), *RESUME_DATA)
    trainer.optimizer.step([(param, np.zeros_like(param))
                            for param, _ in trainer.model.parameters()])
    trainer.save_checkpoint(path)
    return path


def resume(path: str) -> Trainer:
    """What `convviz train --resume PATH` does with the file (on RESUME_DATA)."""
    return Trainer.from_checkpoint(path, *RESUME_DATA)


def checkpoint_entries(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as archive:
        return {key: archive[key] for key in archive.files}


def checkpoint_with_unused_entries(path: Path, entries: int = 10,
                                   entry_megabytes: int = 190) -> Path:
    """A genuine checkpoint plus `entries` extra entries of `entry_megabytes` zeros each
    (each under the per-entry cap, deflated to ~1/1000): nothing needs them."""
    genuine = checkpoint_entries(checkpoint(path.with_name(path.name + ".genuine.npz")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for key, value in genuine.items():
            archive.writestr(key + ".npy", npy_bytes(value))
        chunk = bytes(1 << 20)
        for index in range(entries):
            with archive.open(f"extra/{index}.npy", "w", force_zip64=True) as entry:
                entry.write(npy_header(f"({entry_megabytes << 18},)"))
                for _ in range(entry_megabytes):
                    entry.write(chunk)
    return path


def checkpoint_with_slot_index(path: Path, index: int = 300_000_000) -> Path:
    """A genuine checkpoint whose optimizer has a slot for parameter number `index`."""
    entries = checkpoint_entries(checkpoint(path.with_name(path.name + ".genuine.npz")))
    entries[f"optimizer/m/{index}"] = np.zeros(1, np.float32)
    return write_npz(path, entries)


def checkpoint_with_state(path: Path, change: dict) -> Path:
    """A genuine checkpoint whose JSON training state has `change` applied (raw JSON text
    values allowed: a value of type bytes is spliced in as it is, e.g. b"Infinity")."""
    entries = checkpoint_entries(checkpoint(path.with_name(path.name + ".genuine.npz")))
    state = json.loads(str(entries["checkpoint"][()]))
    raw = {key: value for key, value in change.items() if isinstance(value, bytes)}
    state.update({key: value for key, value in change.items() if not isinstance(value, bytes)})
    for key in raw:
        state[key] = f"@@{key}@@"
    text = json.dumps(state)
    for key, value in raw.items():
        text = text.replace(f'"@@{key}@@"', value.decode())
    entries["checkpoint"] = np.array(text)
    return write_npz(path, entries)


def big_png(path: Path, width: int = 12000, height: int = 12000, rgb: bool = False) -> Path:
    """A black 8-bit gray (or RGB) PNG of width x height, written row by row (a few hundred
    kB for 100 MP)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    packer = zlib.compressobj(9)
    row = bytes(width * (3 if rgb else 1) + 1)  # filter byte 0, then black pixels
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    with open(path, "wb") as stream:
        stream.write(b"\x89PNG\r\n\x1a\n")
        color_type = 2 if rgb else 0
        stream.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)))
        stream.write(chunk(b"IDAT", data))
        stream.write(chunk(b"IEND", b""))
    return path


# --- peak memory of a read, measured in a fresh interpreter --------------------------------------

_MEASURE = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from {module} import {function} as read
outcome = "read"
try:
    read(*(int(a) if a.isdigit() else a for a in sys.argv[1:]))
except MemoryError:
    outcome = "MemoryError (hit the {limit_gb:g} GB address-space cap)"
except ValueError as error:
    outcome = "refused: " + type(error).__name__ + ": " + str(error)[-90:]
try:  # the high-water mark of this process's own memory (ru_maxrss survives exec on Linux)
    status = open("/proc/self/status").read()
    print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
print(outcome)
"""

MEMORY_CAP_BYTES = 6 << 30
"""The address space a measured read may use: a reader that trusts a bomb stops here."""


def peak_memory_mb(reader: str, *arguments: str, repo_root: Path,
                   cap_bytes: int = MEMORY_CAP_BYTES) -> tuple[int, str]:
    """(peak resident MB, outcome) of `reader` ("package.module:function") called with
    `arguments` in a new Python process running the convviz found at `repo_root`."""
    import os
    import subprocess
    import sys

    module, function = reader.split(":")
    code = _MEASURE.format(module=module, function=function, limit=cap_bytes,
                           limit_gb=cap_bytes / (1 << 30))
    path = os.pathsep.join([str(repo_root), str(Path(__file__).parent)])
    env = {**os.environ, "PYTHONPATH": path}
    result = subprocess.run([sys.executable, "-c", code, *arguments], capture_output=True,
                            text=True, env=env, timeout=300, check=False, cwd=repo_root)
    lines = result.stdout.strip().splitlines()
    if result.returncode or len(lines) < 2:
        return -1, f"crashed (exit {result.returncode}): {result.stderr.strip()[-200:]}"
    return int(lines[0]), lines[1]
