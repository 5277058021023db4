"""MNIST IDX reading, folder resolution and the checksummed downloader (against 127.0.0.1)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest
from fake_data import NAMES, TEST_NAMES, fake_mnist, idx_bytes, write_folder
from paths import SHARED_MNIST

from convviz.cli import main
from convviz.core.training import data
from convviz.core.training.data import (
    DatasetError,
    DownloadCancelled,
    download_mnist,
    images_to_float,
    load_mnist,
    missing_files,
    read_idx,
    resolve_data_dir,
)

REAL_MNIST = SHARED_MNIST


# --- reading -------------------------------------------------------------------------------


def test_load_small_gz_and_plain(tmp_path):
    contents = fake_mnist(5)
    write_folder(tmp_path, dict(list(contents.items())[:2]), compress=False)
    write_folder(tmp_path, dict(list(contents.items())[2:]))
    mnist = load_mnist(tmp_path)
    assert mnist.train_images.shape == (5, 28, 28) and mnist.test_labels.shape == (5,)
    assert mnist.train_images.dtype == mnist.train_labels.dtype == np.uint8
    assert mnist.train_images.tobytes() == contents[NAMES[0]][16:]
    assert mnist.test_labels.tobytes() == contents[TEST_NAMES[1]][8:]


def test_gz_preferred_over_plain(tmp_path):
    write_folder(tmp_path, fake_mnist(3, seed=1))
    write_folder(tmp_path, fake_mnist(4, seed=2), compress=False)
    assert len(load_mnist(tmp_path).train_images) == 3


def test_missing_files(tmp_path):
    contents = fake_mnist(2)
    write_folder(tmp_path, {NAMES[0]: contents[NAMES[0]]})
    write_folder(tmp_path, {TEST_NAMES[1]: contents[TEST_NAMES[1]]}, compress=False)
    assert missing_files(tmp_path) == [f"{NAMES[1]}.gz", f"{TEST_NAMES[0]}.gz"]
    with pytest.raises(DatasetError, match=f"{NAMES[1]}.gz"):
        load_mnist(tmp_path)


def broken_variants() -> dict[str, tuple[str, bytes, str]]:
    """Name -> (which file, its bytes, expected message) for each way a file can be wrong."""
    contents = fake_mnist(4)
    images, labels = contents[NAMES[0]], contents[NAMES[1]]
    return {
        "wrong magic": (NAMES[1], idx_bytes(np.zeros(4), magic=2051), "magic number is 2051"),
        "truncated data": (NAMES[0], images[:-10], "promises 3136 bytes .* holds 3126"),
        "count too large": (
            NAMES[1],
            labels[:4] + (9).to_bytes(4, "big") + labels[8:],
            "promises 9 bytes",
        ),
        "count mismatch": (NAMES[1], idx_bytes(np.zeros(3)), "4 images but .* 3 labels"),
        "cut header": (NAMES[0], images[:10], "header is cut short"),
        "not 28x28": (NAMES[0], idx_bytes(np.zeros((4, 28, 27))), "expected 28x28"),
        "label out of range": (NAMES[1], idx_bytes(np.full(4, 10)), "label 10 is not a digit"),
    }


@pytest.mark.parametrize("case", list(broken_variants()))
@pytest.mark.parametrize("compress", [True, False])
def test_broken_file_names_file_and_problem(tmp_path, case, compress):
    name, raw, message = broken_variants()[case]
    write_folder(tmp_path, fake_mnist(4) | {name: raw}, compress=compress)
    with pytest.raises(DatasetError, match=message) as info:
        load_mnist(tmp_path)
    assert name in str(info.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "too short for an IDX header"),
        (b"not gzip at all", "cannot be read .*gzip"),
        (gzip.compress(idx_bytes(np.zeros(9)))[:-12], "cannot be read"),
        (gzip.compress(idx_bytes(np.zeros(9)))[:15] + b"\xff" * 20, "cannot be read"),
    ],
    ids=["zero bytes", "not gzip", "truncated gzip", "corrupt deflate"],
)
def test_bad_gzip_is_a_dataset_error(tmp_path, raw, message):
    path = tmp_path / f"{NAMES[1]}.gz"
    path.write_bytes(raw)
    with pytest.raises(DatasetError, match=message) as info:
        read_idx(path, 2049)
    assert str(path) in str(info.value)


def test_images_to_float():
    batch = np.array([[[0, 255], [128, 1]]], np.uint8)
    floats = images_to_float(batch)
    assert floats.shape == (1, 2, 2, 1) and floats.dtype == np.float32
    assert floats.flags.c_contiguous
    assert floats[0, 0, 0, 0] == 0.0 and floats[0, 0, 1, 0] == 1.0
    np.testing.assert_allclose(floats[0, 1, :, 0], [128 / 255, 1 / 255], rtol=1e-6)
    with pytest.raises(ValueError, match="uint8"):
        images_to_float(batch.astype(np.float32))


def test_resolve_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CONVVIZ_DATA", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "cli") == tmp_path / "cli"
    assert resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("CONVVIZ_DATA")
    default = resolve_data_dir(None)
    assert default.name == "mnist" and "convviz" in default.parts


# --- the real MNIST ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_mnist():
    if missing_files(REAL_MNIST):
        pytest.skip(f"real MNIST not found in {REAL_MNIST}")
    return load_mnist(REAL_MNIST)


def test_real_mnist_shapes_and_labels(real_mnist):
    assert real_mnist.train_images.shape == (60000, 28, 28)
    assert real_mnist.test_images.shape == (10000, 28, 28)
    assert real_mnist.train_labels.shape == (60000,) and real_mnist.test_labels.shape == (10000,)
    for labels in (real_mnist.train_labels, real_mnist.test_labels):
        assert labels.dtype == np.uint8
        assert set(np.unique(labels)) == set(range(10))
    assert real_mnist.train_images.dtype == np.uint8 and real_mnist.train_images.max() == 255


def test_real_mnist_checksums(real_mnist):
    for name, known in data.MNIST_FILES.items():
        digest = hashlib.md5((REAL_MNIST / name).read_bytes()).hexdigest()
        assert f"md5:{digest}" == known, name


# --- downloading from 127.0.0.1 ------------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the stdlib's signature
        pass


@pytest.fixture
def server(tmp_path_factory, monkeypatch):
    """A local HTTP server with a good mirror at /good/ and a corrupted one at /bad/.

    Yields (base url, checksum table of the good files).
    """
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    root = tmp_path_factory.mktemp("mirror")
    good = {f"{name}.gz": gzip.compress(raw, mtime=0) for name, raw in fake_mnist(100).items()}
    (root / "good").mkdir()
    (root / "bad").mkdir()
    for name, raw in good.items():
        (root / "good" / name).write_bytes(raw)
        (root / "bad" / name).write_bytes(raw[:-1] + b"x")
    files = {name: f"md5:{hashlib.md5(raw).hexdigest()}" for name, raw in good.items()}
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", files
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_download_good_mirror(server, tmp_path):
    base, files = server
    calls = []
    folder = download_mnist(
        tmp_path / "mnist", lambda *a: calls.append(a), [f"{base}good/"], files=files
    )
    assert sorted(p.name for p in folder.iterdir()) == sorted(files)
    assert len(load_mnist(folder).train_images) == 100
    finals = {name: (done, total) for name, done, total in calls}
    assert set(finals) == set(files)
    assert all(done == total > 0 for done, total in finals.values())

    calls.clear()
    download_mnist(folder, lambda *a: calls.append(a), [f"{base}bad/"], files=files)
    assert calls == []  # all present and valid: nothing fetched, bad mirror never asked


def test_checksum_mismatch_falls_back(server, tmp_path):
    base, files = server
    download_mnist(tmp_path, mirrors=[f"{base}bad/", f"{base}good/"], files=files, retries=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(files)
    load_mnist(tmp_path)


def test_corrupt_local_file_is_replaced(server, tmp_path):
    base, files = server
    name = next(iter(files))
    (tmp_path / name).write_bytes(b"half a file")
    download_mnist(tmp_path, mirrors=[f"{base}good/"], files=files)
    load_mnist(tmp_path)


def test_unreachable_mirror_falls_back(server, closed_port_url, tmp_path):
    base, files = server
    download_mnist(tmp_path, mirrors=[closed_port_url, f"{base}good/"], files=files, retries=0)
    assert missing_files(tmp_path) == []


def test_total_failure_says_where_to_put_files(server, closed_port_url, tmp_path):
    base, files = server
    folder = tmp_path / "mnist"
    with pytest.raises(DatasetError) as info:
        download_mnist(folder, mirrors=[f"{base}bad/", closed_port_url], files=files, retries=0)
    message = str(info.value)
    assert "Downloading MNIST failed" in message and str(folder) in message
    assert all(name in message for name in files)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_cancel_leaves_no_partial_file(server, tmp_path):
    base, files = server

    def cancel_midway(name, done, total):
        if name == list(files)[2]:
            assert 0 < done < total  # the fake images span two 64 KiB chunks
            raise DownloadCancelled

    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, cancel_midway, [f"{base}good/"], files=files)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(list(files)[:2])


def test_cli_download(server, tmp_path, monkeypatch, capsys):
    base, files = server
    monkeypatch.setattr(data, "MNIST_FILES", files)
    monkeypatch.setattr(data, "MIRRORS", [f"{base}good/"])
    assert main(["download", "--data", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert all(name in err for name in files) and str(tmp_path) in err
    assert missing_files(tmp_path) == []


def test_cli_download_failure(server, closed_port_url, tmp_path, monkeypatch, capsys):
    base, files = server
    monkeypatch.setattr(data, "MNIST_FILES", files)
    monkeypatch.setattr(data, "MIRRORS", [closed_port_url])
    assert main(["download", "--data", str(tmp_path / "mnist")]) == 1
    err = capsys.readouterr().err
    assert "Downloading MNIST failed" in err and str(tmp_path / "mnist") in err
    assert "Traceback" not in err
