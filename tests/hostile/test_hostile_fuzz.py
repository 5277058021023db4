"""Fuzzing (hypothesis): valid model, checkpoint, IDX and picture files with bytes flipped,
cut or inserted, and architectures with their JSON mutated. Whatever comes in, only the
documented error of each reader comes out (a ValueError subclass with a message); a mutation
that leaves the file valid may also load. A few seconds in all."""

from __future__ import annotations

import gzip
import io
import json

import hostile_files as hf
import numpy as np
import pytest
from fake_data import idx_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from convviz.core.imaging.image_io import ImageLoadError, load_image
from convviz.core.nn.serialization import ModelFileError, load_model
from convviz.core.training.checkpoint import CheckpointError, load_checkpoint
from convviz.core.training.data import DatasetError, read_idx

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def mutations(original: bytes):
    """Up to 8 edits: a byte set to any value, a cut, or bytes inserted."""
    edit = st.one_of(
        st.tuples(st.just("set"), st.integers(0, len(original) - 1), st.integers(0, 255)),
        st.tuples(st.just("cut"), st.integers(0, len(original) - 1), st.just(0)),
        st.tuples(st.just("insert"), st.integers(0, len(original) - 1), st.integers(0, 255)))
    return st.lists(edit, min_size=1, max_size=8).map(lambda edits: apply(original, edits))


def apply(original: bytes, edits) -> bytes:
    data = bytearray(original)
    for kind, position, value in edits:
        position = min(position, max(len(data) - 1, 0))
        if kind == "set" and data:
            data[position] = value
        elif kind == "cut":
            del data[position:]
        else:
            data[position:position] = bytes([value]) * 4
    return bytes(data)


def stored_npz(entries) -> bytes:
    """An uncompressed .npz, so byte edits reach the .npy headers and the JSON inside."""
    stream = io.BytesIO()
    np.savez(stream, **entries)
    return stream.getvalue()


MODEL = stored_npz(hf.model_entries())
ARCHITECTURE = str(hf.model_entries()["architecture"][()])


@pytest.fixture(scope="module")
def checkpoint_bytes(tmp_path_factory) -> bytes:
    path = hf.checkpoint(tmp_path_factory.mktemp("fuzz") / "c.npz")
    return stored_npz(hf.checkpoint_entries(path))


def png_bytes() -> bytes:
    stream = io.BytesIO()
    Image.fromarray(np.arange(64 * 48, dtype=np.uint32).reshape(48, 64).astype(np.uint8)).save(
        stream, "PNG")
    return stream.getvalue()


@FUZZ
@given(data=mutations(MODEL))
def test_mutated_model_files(tmp_path, data):
    path = tmp_path / "m.npz"
    path.write_bytes(data)
    try:
        load_model(path)
    except ModelFileError as error:
        assert str(error)


@FUZZ
@given(text=st.lists(st.tuples(st.integers(0, len(ARCHITECTURE) - 1),
                               st.sampled_from(list('0123456789-.e[]{}",:' + "Infinity NaN"))),
                     min_size=1, max_size=6))
def test_mutated_architectures(tmp_path, text):
    characters = list(ARCHITECTURE)
    for position, character in text:
        characters[position] = character
    entries = hf.model_entries()
    entries["architecture"] = np.array("".join(characters))
    path = hf.write_npz(tmp_path / "m.npz", entries)
    try:
        load_model(path)
    except ModelFileError as error:
        assert str(error)


BIAS_NPY = hf.npy_bytes(np.zeros(6, np.float32))
HEADER_END = BIAS_NPY.index(b"}") + 1


@FUZZ
@given(text=st.lists(st.tuples(st.integers(10, HEADER_END),
                               st.sampled_from(list("()-,0123456789+*'[]{}:. <fO|"))),
                     min_size=1, max_size=6))
def test_mutated_npy_headers(tmp_path, text):
    header = bytearray(BIAS_NPY)
    for position, character in text:
        header[position] = ord(character)
    entries: dict = hf.model_entries()
    entries["weights/000/bias"] = bytes(header)
    path = hf.write_npz(tmp_path / "m.npz", entries)
    try:
        load_model(path)
    except ModelFileError as error:
        assert "object at 0x" not in str(error)


@FUZZ
@given(edits=st.lists(st.tuples(st.sampled_from(["set", "cut", "insert"]),
                                st.integers(0, 10**6), st.integers(0, 255)),
                      min_size=1, max_size=8))
def test_mutated_checkpoints(tmp_path, checkpoint_bytes, edits):
    path = tmp_path / "c.npz"
    path.write_bytes(apply(checkpoint_bytes, edits))
    try:
        load_checkpoint(path)
    except CheckpointError as error:
        assert str(error)


IDX = idx_bytes(np.arange(3 * 28 * 28).reshape(3, 28, 28))


@FUZZ
@given(data=mutations(IDX), packed=st.booleans())
def test_mutated_idx_files(tmp_path, data, packed):
    path = tmp_path / ("images.gz" if packed else "images")
    path.write_bytes(gzip.compress(data, mtime=0) if packed else data)
    try:
        read_idx(path, 2051)
    except DatasetError as error:
        assert str(error)


@FUZZ
@given(data=mutations(png_bytes()))
def test_mutated_pictures(data):
    try:
        load_image(data)
    except ImageLoadError as error:
        assert str(error).startswith("Cannot open")


def test_the_fuzzed_architecture_is_the_genuine_one():
    """The mutations start from a real model description (else they would test nothing)."""
    assert json.loads(ARCHITECTURE)["format"] == "convviz-model"
