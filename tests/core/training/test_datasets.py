"""Fashion-MNIST and CIFAR-10 loaders on files written here in the real formats, served from
127.0.0.1; downloads that fail or stop halfway; image folders with bad files."""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import re
import socket
import tarfile
from pathlib import Path

import fake_data
import numpy as np
import pytest
from fake_data import (
    QuietHandler,
    cifar_archive,
    cifar_batch,
    fake_mnist,
)
from PIL import Image

from convviz import datasets as student_datasets
from convviz.core.training import cifar10, datasets
from convviz.core.training.data import DatasetError
from convviz.core.training.image_folders import (
    SkippedFilesWarning,
    image_dataset_from_directory,
)

# --- a local mirror ----------------------------------------------------------------------------

serve = fake_data.serve  # the shared 127.0.0.1 mirror fixture


class HalfHandler(QuietHandler):
    """Promises the whole file, sends half of it, then hangs up: an interrupted download."""

    def do_GET(self):
        raw = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw[:len(raw) // 2])
        self.wfile.flush()
        self.close_connection = True


def md5_table(files: dict[str, bytes]) -> dict[str, str]:
    return {name: f"md5:{hashlib.md5(raw).hexdigest()}" for name, raw in files.items()}


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


# --- files in the real formats -----------------------------------------------------------------

def fashion_files(count: int = 20) -> dict[str, bytes]:
    return {f"{name}.gz": gzip.compress(raw, mtime=0) for name, raw in fake_mnist(count).items()}


def small_cifar() -> tuple[dict[str, bytes], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Six batch files (3 images each) and the arrays they hold."""
    batches, train_x, train_y = {}, [], []
    for seed, name in enumerate(cifar10.TRAIN_BATCHES):
        batches[name], images, labels = cifar_batch(3, seed)
        train_x.append(images)
        train_y.append(labels)
    batches[cifar10.TEST_BATCH], test_x, test_y = cifar_batch(2, 9)
    return batches, np.concatenate(train_x), np.concatenate(train_y), test_x, test_y


# --- the published checksums -------------------------------------------------------------------

@pytest.mark.parametrize("spec", [datasets.MNIST, datasets.FASHION_MNIST, datasets.CIFAR10])
def test_the_specs_hold_published_md5_checksums(spec):
    assert all(re.fullmatch(r"md5:[0-9a-f]{32}", value) for value in spec.files.values())
    assert len(set(spec.files.values())) == len(spec.files)
    assert spec.mirrors and all(url.endswith("/") for url in spec.mirrors)
    assert len(spec.class_names) == 10


def test_fashion_mnist_uses_the_mnist_file_names_with_its_own_hashes():
    assert set(datasets.FASHION_MNIST.files) == set(datasets.MNIST.files)
    assert not set(datasets.FASHION_MNIST.files.values()) & set(datasets.MNIST.files.values())


# --- Fashion-MNIST -----------------------------------------------------------------------------

def test_fashion_mnist_downloads_once_and_loads_keras_shapes(serve, tmp_path):
    files = fashion_files()
    spec = dataclasses.replace(datasets.FASHION_MNIST, files=md5_table(files),
                               mirrors=[serve(files)])
    calls = []
    (x_train, y_train), (x_test, y_test) = datasets.load_data(spec, tmp_path,
                                                              lambda *a: calls.append(a))
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == (
        (20, 28, 28), (20,), (20, 28, 28), (20,))
    assert x_train.dtype == y_train.dtype == np.uint8
    assert {name for name, _, _ in calls} == set(files)
    calls.clear()
    offline = dataclasses.replace(spec, mirrors=[closed_port_url()])
    (again, _), _ = datasets.load_data(offline, tmp_path, lambda *a: calls.append(a))
    assert calls == [] and np.array_equal(again, x_train)  # read from disk, nothing fetched


def test_a_file_with_the_wrong_checksum_is_refused_and_not_kept(serve, tmp_path):
    files = fashion_files()
    tampered = {**files, "t10k-labels-idx1-ubyte.gz": gzip.compress(b"\0" * 40)}
    spec = dataclasses.replace(datasets.FASHION_MNIST, files=md5_table(files),
                               mirrors=[serve(tampered)])
    with pytest.raises(DatasetError, match="no mirror delivered t10k-labels-idx1-ubyte.gz"):
        datasets.load_data(spec, tmp_path)
    assert "t10k-labels-idx1-ubyte.gz" not in {path.name for path in tmp_path.iterdir()}


def test_a_download_interrupted_halfway_leaves_no_partial_file(serve, tmp_path):
    files = fashion_files(200)
    spec = dataclasses.replace(datasets.FASHION_MNIST, files=md5_table(files),
                               mirrors=[serve(files, HalfHandler)])
    folder = tmp_path / "fashion"
    with pytest.raises(DatasetError) as info:
        datasets.load_data(spec, folder)
    message = str(info.value)
    assert "Downloading Fashion-MNIST failed" in message
    assert str(folder) in message and all(name in message for name in files)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_offline_says_which_files_to_put_where(tmp_path):
    spec = dataclasses.replace(datasets.CIFAR10, mirrors=[closed_port_url()])
    with pytest.raises(DatasetError) as info:
        datasets.load_data(spec, tmp_path / "c")
    assert "put them in" in str(info.value) and str(tmp_path / "c") in str(info.value)
    assert cifar10.ARCHIVE in str(info.value)
    with pytest.raises(DatasetError, match="not found"):
        datasets.load_data(spec, tmp_path / "c", download=False)


# --- CIFAR-10 ----------------------------------------------------------------------------------

def test_cifar10_archive_downloads_and_decodes_planes_to_nhwc(serve, tmp_path):
    batches, train_x, train_y, test_x, test_y = small_cifar()
    files = {cifar10.ARCHIVE: cifar_archive(batches)}
    spec = dataclasses.replace(datasets.CIFAR10, files=md5_table(files), mirrors=[serve(files)])
    (x_train, y_train), (x_test, y_test) = datasets.load_data(spec, tmp_path)
    assert x_train.shape == (15, 32, 32, 3) and y_train.shape == (15, 1)
    assert x_test.shape == (2, 32, 32, 3) and y_test.shape == (2, 1)
    np.testing.assert_array_equal(x_train, train_x)
    np.testing.assert_array_equal(y_train[:, 0], train_y)
    np.testing.assert_array_equal(x_test, test_x)
    np.testing.assert_array_equal(y_test[:, 0], test_y)
    # one pixel by hand: image 0's red value at row 1, column 2 is byte 1 + 32 + 2 of record 0
    first = batches[cifar10.TRAIN_BATCHES[0]]
    assert x_train[0, 1, 2, 0] == first[1 + 32 + 2] and x_train[0, 0, 0, 2] == first[1 + 2048]


def test_cifar10_extracted_folder_is_read_too(tmp_path):
    batches, train_x, _, _, _ = small_cifar()
    folder = tmp_path / cifar10.FOLDER
    folder.mkdir()
    for name, raw in batches.items():
        (folder / name).write_bytes(raw)
    (x_train, _), _ = student_datasets.cifar10.load_data(tmp_path)
    np.testing.assert_array_equal(x_train, train_x)


def hostile_archives():
    batches = small_cifar()[0]
    link = tarfile.TarInfo(f"{cifar10.FOLDER}/{cifar10.TEST_BATCH}")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    without_test = {k: v for k, v in batches.items() if k != cifar10.TEST_BATCH}
    return {
        "symlink member": (cifar_archive(without_test, link), "not a CIFAR-10 batch file"),
        "missing member": (cifar_archive(without_test), "test_batch.bin is missing"),
        "cut record": (cifar_archive({**batches, cifar10.TEST_BATCH: b"\1" * 100}),
                       "not a CIFAR-10 batch"),
        "bad label": (cifar_archive({**batches, cifar10.TEST_BATCH: b"\x0b" * 3073}),
                      "label 11"),
        "not gzip": (b"plain text, not an archive", "cannot be read as a .tar.gz"),
    }


@pytest.mark.parametrize("case", sorted(hostile_archives()))
def test_broken_or_hostile_cifar_archives_are_explained(case, tmp_path):
    raw, message = hostile_archives()[case]
    (tmp_path / cifar10.ARCHIVE).write_bytes(raw)
    with pytest.raises(DatasetError, match=message):
        cifar10.load_cifar10(tmp_path)


# --- image folders -----------------------------------------------------------------------------

def write_picture(path: Path, colour: tuple[int, int, int], size=(40, 30)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)


@pytest.fixture
def pets(tmp_path) -> Path:
    """pets/cat: 4 red pictures, pets/dog: 3 blue ones plus a text file and a broken JPEG."""
    root = tmp_path / "pets"
    for index in range(4):
        write_picture(root / "cat" / f"cat{index}.png", (200, 10, 10))
    for index in range(3):
        write_picture(root / "dog" / f"dog{index}.jpg", (10, 10, 200))
    (root / "dog" / "notes.txt").write_text("not a picture")
    (root / "dog" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 cut short")
    (root / "cat" / ".DS_Store").write_bytes(b"\0\1")
    return root


def test_image_folder_gives_arrays_class_names_and_one_warning(pets):
    with pytest.warns(SkippedFilesWarning, match="Skipped 2 of 9 files") as caught:
        loaded = image_dataset_from_directory(pets, image_size=(16, 20), seed=1)
    assert len(caught) == 1
    assert loaded.class_names == ("cat", "dog")
    assert loaded.images.shape == (7, 16, 20, 3) and loaded.images.dtype == np.uint8
    assert sorted(loaded.labels.tolist()) == [0, 0, 0, 0, 1, 1, 1]
    for image, label in zip(loaded.images, loaded.labels, strict=True):
        red, blue = image[..., 0].mean(), image[..., 2].mean()
        assert (red > blue) == (label == 0)  # the cats are the red pictures


def test_grayscale_and_a_seeded_validation_split(pets):
    with pytest.warns(SkippedFilesWarning):
        training, validation = image_dataset_from_directory(
            pets, image_size=(8, 8), color_mode="grayscale", validation_split=0.3,
            subset="both", seed=4)
    assert training.images.shape[1:] == (8, 8, 1)
    assert (len(training.labels), len(validation.labels)) == (5, 2)
    assert not set(training.file_paths) & set(validation.file_paths)
    with pytest.warns(SkippedFilesWarning):
        again = image_dataset_from_directory(pets, image_size=(8, 8), color_mode="grayscale",
                                             validation_split=0.3, subset="validation", seed=4)
    assert again.file_paths == validation.file_paths


def test_a_folder_with_one_class_is_explained(tmp_path):
    write_picture(tmp_path / "only" / "cat" / "a.png", (1, 2, 3))
    with pytest.raises(DatasetError, match="at least two.*found only one, 'cat'"):
        image_dataset_from_directory(tmp_path / "only")


def test_a_folder_of_non_images_is_explained(tmp_path):
    for name in ("cat", "dog"):
        (tmp_path / "junk" / name).mkdir(parents=True)
        (tmp_path / "junk" / name / "readme.txt").write_text("hello")
    with pytest.raises(DatasetError, match="none of its 2 files is a readable image"):
        image_dataset_from_directory(tmp_path / "junk")


@pytest.mark.parametrize("arguments, message", [
    ({"image_size": (0, 5)}, "image_size"), ({"image_size": "big"}, "image_size"),
    ({"color_mode": "rgba"}, "color_mode"), ({"validation_split": 1.5, "subset": "both"},
                                             "validation_split"),
    ({"validation_split": 0.2}, "subset"), ({"subset": "training"}, "validation_split"),
])
def test_bad_arguments_are_named(pets, arguments, message):
    with pytest.raises(ValueError, match=message):
        image_dataset_from_directory(pets, **arguments)


def test_a_missing_folder_is_explained(tmp_path):
    with pytest.raises(DatasetError, match="is not a folder"):
        image_dataset_from_directory(tmp_path / "nowhere")
