"""Small datasets that tests make in the real formats: IDX files, easy synthetic digits and
digits drawn on the canvas."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import tarfile
import threading
from pathlib import Path

import numpy as np
import pytest

from convviz.core.drawing.canvas import Brush, DrawingCanvas

NAMES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
TEST_NAMES = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
CIFAR_FOLDER = "cifar-10-batches-bin"


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """An unsigned-byte IDX file holding `array`."""
    magic = 2048 + array.ndim if magic is None else magic
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def fake_mnist(count: int, seed: int = 0) -> dict[str, bytes]:
    """A tiny MNIST: `count` training and test digits, as the four IDX files' contents."""
    rng = np.random.default_rng(seed)
    contents = {}
    for images_name, labels_name in (NAMES, TEST_NAMES):
        contents[images_name] = idx_bytes(rng.integers(0, 256, (count, 28, 28)))
        contents[labels_name] = idx_bytes(rng.integers(0, 10, count))
    return contents


def write_folder(folder: Path, contents: dict[str, bytes], compress: bool = True) -> None:
    """Write IDX contents by file name, gzipped (`name.gz`) or plain."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in contents.items():
        if compress:
            (folder / f"{name}.gz").write_bytes(gzip.compress(raw, mtime=0))
        else:
            (folder / name).write_bytes(raw)


def write_mnist(folder: Path, train: tuple[np.ndarray, np.ndarray],
                test: tuple[np.ndarray, np.ndarray]) -> None:
    """The four gzipped MNIST files holding these (images, labels) pairs."""
    arrays = (*train, *test)
    write_folder(folder, {name: idx_bytes(array)
                          for name, array in zip((*NAMES, *TEST_NAMES), arrays, strict=True)})


def synthetic_digits(count: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`count` noisy 28x28 uint8 images of 10 easy classes: class k has a bright bar at row 4+2k."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(count) % 10).astype(np.uint8)
    images = rng.integers(0, 60, (count, 28, 28), dtype=np.uint8)
    for index, label in enumerate(labels):
        start = rng.integers(2, 8)
        images[index, 4 + 2 * label:6 + 2 * label, start:start + 16] = rng.integers(180, 256)
    return images, labels


def bar_digits(count: int, seed: int, wrong_labels: float = 0.0):
    """uint8 (count, 28, 28) images with a bright bar whose place is the label, and labels
    (a share of them replaced by random ones, so a test set has mistakes to show)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, count).astype(np.uint8)
    images = rng.integers(0, 60, (count, 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels, strict=True):
        row, col = divmod(int(label), 5)
        image[4 + 10 * row: 12 + 10 * row, 2 + 5 * col: 7 + 5 * col] = 230
    flip = rng.random(count) < wrong_labels
    labels[flip] = rng.integers(0, 10, int(flip.sum()))
    return images, labels


def draw_polylines(canvas: DrawingCanvas, strokes: list[list[tuple[float, float]]],
                   brush: Brush) -> None:
    """Draw each polyline as one stroke on the canvas, as a person dragging the mouse would."""
    for stroke in strokes:
        canvas.begin_stroke(*stroke[0], brush)
        for x, y in stroke[1:]:
            canvas.extend_stroke(x, y)
        canvas.end_stroke()


def cifar_batch(count: int, seed: int) -> tuple[bytes, np.ndarray, np.ndarray]:
    """A CIFAR-10 batch file: per record a label byte, then the R, G and B planes (32x32)."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, (count, 32, 32, 3), dtype=np.uint8)
    labels = rng.integers(0, 10, count, dtype=np.uint8)
    raw = b"".join(bytes([label]) + image[:, :, 0].tobytes() + image[:, :, 1].tobytes()
                   + image[:, :, 2].tobytes() for image, label in zip(images, labels, strict=True))
    return raw, images, labels


def cifar_archive(batches: dict[str, bytes], extra: tarfile.TarInfo | None = None) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, raw in batches.items():
            info = tarfile.TarInfo(f"{CIFAR_FOLDER}/{name}")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
        if extra is not None:
            archive.addfile(extra)
    return buffer.getvalue()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request."""

    def log_message(self, format, *args):  # the stdlib's signature
        pass


def start_mirror(root: Path, files: dict[str, bytes],
                 handler: type = QuietHandler) -> tuple[str, http.server.HTTPServer]:
    """Write `files` into `root` and serve them on 127.0.0.1: (base URL, server to shut down)."""
    for name, raw in files.items():
        (root / name).write_bytes(raw)
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/", httpd


@pytest.fixture
def serve(tmp_path_factory, monkeypatch):
    """serve(files, handler) -> base URL of a 127.0.0.1 server holding those files."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    servers = []

    def start(files: dict[str, bytes], handler=QuietHandler) -> str:
        url, httpd = start_mirror(tmp_path_factory.mktemp("mirror"), files, handler)
        servers.append(httpd)
        return url

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()
