"""MNIST on disk: find the folder, read the IDX files, download them with checksums.

Images stay uint8 (N, 28, 28) in memory (47 MB for the training set instead of 188 MB as
float32); `images_to_float` turns each batch into the NHWC float32 [0, 1] the model eats.
Anything wrong with a file raises `DatasetError` naming the file, never a numpy or gzip error.
"""

from __future__ import annotations

import gzip
import math
import os
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
import platformdirs
import pooch

from convviz.core.safe_files import open_regular_file

IMAGE_SIZE = 28
NUM_CLASSES = 10
_IMAGES_MAGIC = 2051  # 0x0803: unsigned bytes, 3 dimensions
_LABELS_MAGIC = 2049  # 0x0801: unsigned bytes, 1 dimension
MAX_IDX_BYTES = 200_000_000
"""No IDX file convviz reads holds more (MNIST's training images: 47 MB); refuses bombs."""

TRAIN_IMAGES = "train-images-idx3-ubyte"
TRAIN_LABELS = "train-labels-idx1-ubyte"
TEST_IMAGES = "t10k-images-idx3-ubyte"
TEST_LABELS = "t10k-labels-idx1-ubyte"
_NAMES = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)

MNIST_FILES: dict[str, str] = {
    f"{TRAIN_IMAGES}.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
    f"{TRAIN_LABELS}.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
    f"{TEST_IMAGES}.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
    f"{TEST_LABELS}.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
}
"""The published MNIST archives and their checksums (yann.lecun.com is gone; mirrors remain)."""

MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]

_CHUNK = 64 * 1024  # download chunk: one progress call per 64 KiB

ProgressCallback = Callable[[str, int, int], None]
"""``progress(file_name, done_bytes, total_bytes)``; total is 0 when the server does not say."""


class DatasetError(ValueError):
    """MNIST files are missing, corrupt or could not be downloaded; the message says which."""


class DownloadCancelled(Exception):
    """Raised by a progress callback to stop `download_mnist`; no partial file is left."""


@dataclass(frozen=True)
class MnistData:
    """The four MNIST arrays: images uint8 (N, 28, 28), labels uint8 (N,), all read-only."""

    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """The MNIST folder: `explicit` (CLI ``--data``), else $CONVVIZ_DATA, else the user cache."""
    chosen = explicit or os.environ.get("CONVVIZ_DATA")
    if chosen:
        return Path(chosen).expanduser()
    return Path(platformdirs.user_cache_dir("convviz")) / "mnist"


def _is_file(path: Path) -> bool:
    """Whether `path` is a regular file; DatasetError if its folder cannot be searched."""
    try:
        return path.is_file()
    except OSError as exc:
        raise DatasetError(f"The MNIST folder {path.parent} cannot be read "
                           f"({exc.strerror or exc}).") from None


def _find_file(data_dir: Path, name: str) -> Path:
    """The `.gz` file unless only the uncompressed one exists (the result may be missing)."""
    packed, plain = data_dir / f"{name}.gz", data_dir / name
    return plain if _is_file(plain) and not _is_file(packed) else packed


def missing_files(data_dir: str | Path) -> list[str]:
    """Names (as downloaded, `.gz`) of the MNIST files found in `data_dir` in neither form;
    DatasetError if the folder cannot be read."""
    found = (_find_file(Path(data_dir), name) for name in _NAMES)
    return [path.name for path in found if not _is_file(path)]


def read_idx(path: str | Path, magic: int) -> np.ndarray:
    """Read an unsigned-byte IDX file (gzipped if named `.gz`) as a read-only uint8 array.

    The header's magic number must equal `magic`; the file must hold exactly the number of
    bytes its dimensions promise, so a truncated or padded file is caught here. A gzipped file
    is decompressed as a stream, header first: no more than the header promises (at most
    MAX_IDX_BYTES) is ever inflated, whatever the archive holds.
    """
    path = Path(path)
    with open_regular_file(path, DatasetError, "MNIST file") as raw_stream:
        try:
            if path.suffix == ".gz":
                with gzip.GzipFile(fileobj=raw_stream, mode="rb") as stream:
                    return _read_idx_stream(stream, path, magic)
            return _read_idx_stream(raw_stream, path, magic)
        except (OSError, EOFError, zlib.error) as exc:
            raise DatasetError(f"{path}: cannot be read ({exc})") from None


def _read_idx_stream(stream: BinaryIO, path: Path, magic: int) -> np.ndarray:
    """The IDX array in `stream`: header checked, then exactly the promised data (and a byte
    more, to notice padding) read."""
    head = stream.read(4)
    if len(head) < 4:
        raise DatasetError(f"{path}: too short for an IDX header ({len(head)} bytes)")
    found = int.from_bytes(head, "big")
    if found != magic:
        raise DatasetError(f"{path}: magic number is {found}, expected {magic}")
    ndim = magic & 0xFF
    dims = stream.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise DatasetError(f"{path}: header is cut short ({4 + len(dims)} bytes)")
    shape = tuple(int.from_bytes(dims[4 * i : 4 + 4 * i], "big") for i in range(ndim))
    expected = math.prod(shape)  # Python integers: a hostile header cannot overflow them
    if expected > MAX_IDX_BYTES:
        raise DatasetError(f"{path}: header promises {expected:,} bytes for shape {shape}, "
                           f"more than any dataset convviz reads ({MAX_IDX_BYTES:,})")
    data = stream.read(expected + 1)
    if len(data) != expected:
        found_bytes = f"{len(data)}" if len(data) <= expected else "more"
        raise DatasetError(
            f"{path}: header promises {expected} bytes of data for shape {shape}, "
            f"file holds {found_bytes}"
        )
    return np.frombuffer(data, np.uint8).reshape(shape)


def _load_pair(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Read one images/labels pair and check that they fit together."""
    images = read_idx(images_path, _IMAGES_MAGIC)
    labels = read_idx(labels_path, _LABELS_MAGIC)
    if images.shape[1:] != (IMAGE_SIZE, IMAGE_SIZE):
        raise DatasetError(f"{images_path}: images are {images.shape[1:]}, expected 28x28")
    if not len(images):
        raise DatasetError(f"{images_path} holds no images")
    if len(images) != len(labels):
        raise DatasetError(
            f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        raise DatasetError(f"{labels_path}: label {labels.max()} is not a digit 0-9")
    return images, labels


def load_mnist(data_dir: str | Path) -> MnistData:
    """Load the four MNIST files from `data_dir`, preferring `.gz` over uncompressed ones."""
    data_dir = Path(data_dir)
    missing = missing_files(data_dir)
    if missing:
        raise DatasetError(f"MNIST files missing from {data_dir}: {', '.join(missing)}")
    paths = [_find_file(data_dir, name) for name in _NAMES]
    return MnistData(*_load_pair(*paths[:2]), *_load_pair(*paths[2:]))


def images_to_float(batch: np.ndarray) -> np.ndarray:
    """uint8 images (N, H, W) or (N, H, W, C) to the model's NHWC float32 in [0, 1]."""
    batch = np.asarray(batch)
    if batch.dtype != np.uint8 or batch.ndim not in (3, 4):
        raise ValueError(f"expected uint8 images (N, H, W) or (N, H, W, C), got {batch.dtype} "
                         f"{batch.shape}")
    floats = np.divide(batch, np.float32(255), dtype=np.float32)
    return floats[..., np.newaxis] if batch.ndim == 3 else floats


class _ProgressAdapter:
    """The tqdm-like object pooch's HTTPDownloader drives, turned into `progress` calls."""

    def __init__(self, file_name: str, progress: ProgressCallback) -> None:
        self.file_name, self.progress = file_name, progress
        self.total = self.done = self.reported = 0

    def update(self, n: int) -> None:
        # pooch counts whole chunks, so the last one may overshoot the real size.
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        if self.done != self.reported:
            self.reported = self.done
            self.progress(self.file_name, self.done, self.total)

    def reset(self) -> None:
        self.done = 0

    def close(self) -> None:
        """Nothing to release; present because pooch calls it."""


def download_mnist(
    data_dir: str | Path,
    progress: ProgressCallback | None = None,
    mirrors: Sequence[str] | None = None,
    *,
    files: Mapping[str, str] | None = None,
    retries: int = 1,
) -> Path:
    """Download the MNIST archives into `data_dir`, verified by checksum; return the folder.

    Files already present with the right checksum are skipped. Each file is tried on every
    mirror in turn (`retries` extra attempts each) and written under a temporary name that is
    renamed only once its checksum matches, so a failure or a `DownloadCancelled` raised by
    `progress` never leaves a partial file. `files` maps names to ``"md5:..."`` hashes.
    """
    return download_files(data_dir, MNIST_FILES if files is None else files,
                          MIRRORS if mirrors is None else mirrors, progress, title="MNIST",
                          retries=retries)


def download_files(data_dir: str | Path, files: Mapping[str, str], mirrors: Sequence[str],
                   progress: ProgressCallback | None = None, *, title: str,
                   retries: int = 1) -> Path:
    """Download `files` (name -> ``"md5:..."``) of the dataset called `title` into `data_dir`.

    What `download_mnist` does for any dataset: checksummed, mirror after mirror, atomic; the
    error after a total failure says where to put the files by hand.
    """
    data_dir = Path(data_dir)
    for name in files:
        last_error = "no mirror given"
        for mirror in mirrors:
            store = pooch.create(
                path=data_dir, base_url=mirror, registry=dict(files), retry_if_failed=retries
            )
            bar = _ProgressAdapter(name, progress) if progress else False
            downloader = pooch.HTTPDownloader(progressbar=bar, chunk_size=_CHUNK)
            try:
                store.fetch(name, downloader=downloader)
                break
            except (ValueError, OSError) as exc:  # checksum mismatch; requests' errors are OSErrors
                last_error = f"{mirror}{name}: {exc}"
        else:
            raise DatasetError(
                f"Downloading {title} failed: no mirror delivered {name}.\n"
                f"Download these files by hand (e.g. from {mirrors[0] if mirrors else '?'}) "
                f"and put them in "
                f"{data_dir}:\n  {', '.join(files)}\nLast error: {last_error}"
            )
    return data_dir
