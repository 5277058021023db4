"""CIFAR-10's binary distribution read without unpickling or extracting anything.

`cifar-10-binary.tar.gz` holds `cifar-10-batches-bin/data_batch_1.bin` ... `_5.bin` and
`test_batch.bin`: records of one label byte then 3072 pixel bytes (the 32x32 red plane, then
green, then blue, rows top to bottom). Only those six members are read, straight from the
archive into memory, after checking that each is a regular file of a sensible size, so a
hostile archive cannot write anywhere or make us allocate gigabytes. The extracted folder
(the archive unpacked by hand) is read as well.
"""

from __future__ import annotations

import tarfile
import zlib
from pathlib import Path

import numpy as np

from convviz.core.training.data import DatasetError

ARCHIVE = "cifar-10-binary.tar.gz"
FOLDER = "cifar-10-batches-bin"
TRAIN_BATCHES = tuple(f"data_batch_{index}.bin" for index in range(1, 6))
TEST_BATCH = "test_batch.bin"
SIDE, CHANNELS, CLASSES = 32, 3, 10
RECORD_BYTES = 1 + SIDE * SIDE * CHANNELS
MAX_RECORDS = 10_000  # per batch file, as published
CLASS_NAMES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship",
               "truck")


def decode_batch(raw: bytes, source: str) -> tuple[np.ndarray, np.ndarray]:
    """One batch file's bytes as images uint8 (N, 32, 32, 3) and labels uint8 (N,)."""
    if not raw or len(raw) % RECORD_BYTES or len(raw) > MAX_RECORDS * RECORD_BYTES:
        raise DatasetError(f"{source}: {len(raw):,} bytes is not a CIFAR-10 batch (a whole "
                           f"number of {RECORD_BYTES}-byte records, at most {MAX_RECORDS:,})")
    records = np.frombuffer(raw, np.uint8).reshape(-1, RECORD_BYTES)
    labels = records[:, 0].copy()
    if labels.max() >= CLASSES:
        raise DatasetError(f"{source}: label {labels.max()} is not a CIFAR-10 class 0-9")
    planes = records[:, 1:].reshape(-1, CHANNELS, SIDE, SIDE)
    return np.ascontiguousarray(planes.transpose(0, 2, 3, 1)), labels


def _read_from_archive(path: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    """The named batch files' bytes, read from the archive's members without extracting."""
    limit = MAX_RECORDS * RECORD_BYTES
    contents = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for name in names:
                try:
                    member = archive.getmember(f"{FOLDER}/{name}")
                except KeyError:
                    raise DatasetError(f"{path}: {FOLDER}/{name} is missing") from None
                if not member.isfile() or member.size > limit:
                    raise DatasetError(f"{path}: {member.name} is not a CIFAR-10 batch file")
                stream = archive.extractfile(member)
                contents[name] = stream.read(limit + 1) if stream else b""
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise DatasetError(f"{path}: cannot be read as a .tar.gz archive ({error})") from None
    return contents


def _read_from_folder(folder: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    limit = MAX_RECORDS * RECORD_BYTES
    contents = {}
    for name in names:
        path = folder / name
        if not path.is_file():
            raise DatasetError(f"{path} is missing or not a file")
        try:
            with path.open("rb") as stream:
                contents[name] = stream.read(limit + 1)
        except OSError as error:
            raise DatasetError(f"{path}: cannot be read ({error})") from None
    return contents


def is_present(data_dir: str | Path) -> bool:
    """Whether `data_dir` holds the archive or the extracted folder."""
    data_dir = Path(data_dir)
    return (data_dir / ARCHIVE).is_file() or (data_dir / FOLDER / TEST_BATCH).is_file()


def load_cifar10(data_dir: str | Path) -> tuple[tuple[np.ndarray, np.ndarray],
                                                 tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_test, y_test)) as Keras gives them: uint8 images
    (N, 32, 32, 3), uint8 labels (N, 1); from the extracted folder if there, else the archive."""
    data_dir = Path(data_dir)
    names = (*TRAIN_BATCHES, TEST_BATCH)
    if (data_dir / FOLDER).is_dir():
        contents, where = _read_from_folder(data_dir / FOLDER, names), data_dir / FOLDER
    else:
        contents, where = _read_from_archive(data_dir / ARCHIVE, names), data_dir / ARCHIVE
    train = [decode_batch(contents[name], f"{where}/{name}") for name in TRAIN_BATCHES]
    test_images, test_labels = decode_batch(contents[TEST_BATCH], f"{where}/{TEST_BATCH}")
    train_images = np.concatenate([images for images, _ in train])
    train_labels = np.concatenate([labels for _, labels in train])
    return (train_images, train_labels[:, None]), (test_images, test_labels[:, None])
