"""Model files: one .npz holding the architecture (a JSON string) and every weight array.

Loading never unpickles, reads only the entries the model needs and checks each entry's
header before reading it, checks every field and shape, and turns any problem into a
ModelFileError whose message says what is wrong, so a bad file cannot crash the app or build
an absurdly large model.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import tempfile
import time
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np

from convviz.core.nn.layers import LAYER_CLASSES
from convviz.core.nn.model import Sequential
from convviz.core.safe_files import open_regular_file

FORMAT = "convviz-model"
VERSION = 1
MAX_PARAMETERS = 50_000_000  # far above any model we teach with; refuses hostile files
MAX_ACTIVATIONS = 50_000_000  # values one image produces over all layers (200 MB)
MAX_ENTRY_BYTES = 4 * MAX_PARAMETERS  # no entry of a model we accept is larger
MAX_JSON_BYTES = 16_000_000  # an architecture or training state (a 20,000-layer model: ~2 MB)
ARCHITECTURE_KEY = "architecture"
MAX_CLASSES = 100_000  # class names a file may list (checked before each name is)


class ModelFileError(ValueError):
    """A model file that cannot be read: the message names the file and the problem."""


def _weight_key(layer_index: int, name: str) -> str:
    return f"weights/{layer_index:03d}/{name}"


def model_to_arrays(model: Sequential) -> dict[str, np.ndarray]:
    """The arrays of a model file: architecture JSON plus weights (checkpoints add their own)."""
    arrays = {ARCHITECTURE_KEY: np.array(json.dumps(
        {"format": FORMAT, "version": VERSION, "model": model.get_config()}))}
    for index, layer in enumerate(model.layers):
        for name in layer.param_names:
            # Never write a file our own loader refuses (NaN weights after a divergence).
            arrays[_weight_key(index, name)] = checked_weights(
                layer.params[name], layer.params[name].shape,
                f"weights {name!r} of layer {layer.name!r}")
    return arrays


def save_arrays(path: str | os.PathLike, arrays: dict[str, np.ndarray]) -> None:
    """Write an .npz atomically: a temporary file in the same folder, then a rename; first
    remove the temporaries earlier writes of `path` left when they were killed.

    The file gets the permissions of any new file (mkstemp's would be owner-only).
    """
    path = Path(path)
    remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(stream, **arrays)
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


STALE_SECONDS = 600
"""A temporary file of ours this old belongs to a write that was killed (writes take ~1 s)."""


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete what killed writes of `path` left (mkstemp's `<name>.<8 characters>.tmp`, older
    than STALE_SECONDS) and return them; a write running now is never touched."""
    pattern = re.compile(re.escape(path.name) + r"\.[A-Za-z0-9_]{8}\.tmp")
    removed = []
    try:
        candidates = [entry for entry in os.scandir(path.parent or ".")
                      if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)]
        for entry in candidates:
            if time.time() - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    except OSError:
        pass  # cleaning up is a courtesy: the save itself says what is wrong with the folder
    return removed


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def save_model(model: Sequential, path: str | os.PathLike) -> None:
    """Save architecture and weights to path (.npz)."""
    save_arrays(path, model_to_arrays(model))


def model_from_config(config: dict) -> Sequential:
    """Build the model a get_config() dictionary describes, checking every entry and refusing
    architectures too large to allocate. Its weights are freshly initialised (each layer's
    kernel initializer with seed 0, biases zero): callers overwrite them."""
    if not isinstance(config, dict) or not isinstance(config.get("layers"), list):
        raise ValueError("the architecture has no list of layers")
    if not config["layers"]:
        raise ValueError("a model needs at least one layer")
    layers = []
    for position, entry in enumerate(config["layers"]):
        if not isinstance(entry, dict) or entry.get("class") not in LAYER_CLASSES:
            raise ValueError(f"layer {position} has an unknown type: {entry!r:.80}")
        if not isinstance(entry.get("config"), dict):
            raise ValueError(f"layer {position} has no settings")
        try:
            layers.append(LAYER_CLASSES[entry["class"]].from_config(entry["config"]))
        except (TypeError, ValueError) as error:
            raise ValueError(f"layer {position} ({entry['class']}) is invalid: {error}") from None
    input_shape = config.get("input_shape")
    if (not isinstance(input_shape, list) or not 1 <= len(input_shape) <= 3
            or not all(isinstance(s, int) and 1 <= s <= 4096 for s in input_shape)):
        raise ValueError(f"invalid input shape {input_shape!r}")
    _check_size(layers, tuple(input_shape))
    class_names = config.get("class_names")
    if class_names is not None and (not isinstance(class_names, list)
                                    or len(class_names) > MAX_CLASSES):
        raise ValueError(f"its class names are not a list of at most {MAX_CLASSES:,} names")
    model = Sequential(layers, input_shape=tuple(input_shape),
                       name=str(config.get("name", "model")), seed=0)
    try:
        model.class_names = class_names
    except ValueError as error:
        raise ValueError(f"invalid class names: {error}") from None
    return model


def _check_size(layers: list, input_shape: tuple[int, ...]) -> None:
    """Refuse architectures too large for a teaching model before allocating anything: its
    parameters, and the values one image produces (outputs and padded inputs) over all layers.

    Python integers (math.prod), not NumPy's int64 that a hostile shape could overflow.
    """
    shape, total, activations = input_shape, 0, 0
    for layer in layers:
        total += sum(math.prod(s) for s in layer.parameter_shapes(shape).values())
        if total > MAX_PARAMETERS:
            raise ValueError(f"the model would have over {MAX_PARAMETERS:,} parameters")
        channels = shape[-1]
        shape = layer.compute_output_shape(shape)
        activations += math.prod(shape)
        if layer.geometry is not None:  # the padded input a window slides over (dilation 1e9)
            activations += math.prod(layer.geometry.padded_hw) * channels
        if activations > MAX_ACTIVATIONS:
            raise ValueError(f"the model's layers would output over {MAX_ACTIVATIONS:,} values "
                             "per image")


def load_model(path: str | os.PathLike) -> Sequential:
    """Load a model saved by save_model, validating everything; raises ModelFileError."""
    path = Path(path)
    with open_arrays(path, ModelFileError, "model file") as arrays:
        try:
            return model_from_arrays(arrays)
        except ValueError as error:
            raise ModelFileError(f"{path}: {error}") from None


@contextlib.contextmanager
def open_arrays(path: Path, error: type[ValueError],
                what: str) -> Iterator[ArchiveArrays]:
    """The arrays of an .npz (model files, checkpoints), each read only when asked for and
    checked from its header first; a file that cannot be opened raises `error` naming `what`.
    Reading a bad entry raises ValueError."""
    with open_regular_file(path, error, what) as stream:
        try:
            archive = zipfile.ZipFile(stream)
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as problem:
            raise error(f"{path} is not a readable {what} ({problem})") from None
        with archive:
            yield ArchiveArrays(archive)


class ArchiveArrays(Mapping):
    """The arrays of an open .npz, each read only when asked for (extra entries never are)."""

    def __init__(self, archive: zipfile.ZipFile):
        self._archive = archive
        self._members = {name.removesuffix(".npy"): name for name in archive.namelist()
                         if name.endswith(".npy")}

    def __contains__(self, key: object) -> bool:
        return key in self._members

    def __iter__(self) -> Iterator[str]:
        return iter(self._members)

    def __len__(self) -> int:
        return len(self._members)

    def __getitem__(self, key: str) -> np.ndarray:
        return self.read(key)

    def read(self, key: str, shape: tuple[int, ...] | None = None,
             max_bytes: int = MAX_ENTRY_BYTES, what: str | None = None) -> np.ndarray:
        """Entry `key`, refused from its header if it is larger than `max_bytes` or not of
        `shape` (when given; the message calls the entry `what`): a wrong entry costs no more
        than its header."""
        try:
            with self._archive.open(self._members[key]) as stream:
                return _read_npy(stream, key, shape, max_bytes, what or f"its entry {key!r}")
        except (OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise ValueError(f"its entry {key!r} cannot be read ({error})") from None
        except (RuntimeError, NotImplementedError) as error:  # encrypted, unknown compression
            raise ValueError(f"its entry {key!r} cannot be read ({error})") from None


def _read_npy(stream, key: str, expected_shape: tuple[int, ...] | None,
              max_bytes: int, what: str) -> np.ndarray:
    """One .npy entry, checked from its header first: a header can claim any shape or dtype, and
    np.load would allocate what it claims (or unpickle objects) before reading any data."""
    try:
        version = np.lib.format.read_magic(stream)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, fortran_order, dtype = read_header(stream)
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile):
        raise
    except Exception:  # NumPy's header parser raises ValueError, SyntaxError, TokenError, ...
        raise ValueError(f"its entry {key!r} has a damaged header") from None
    if dtype.hasobject:
        raise ValueError(f"its entry {key!r} holds Python objects, which are never loaded")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ValueError(f"its entry {key!r} claims the impossible shape {shape}")
    size = math.prod(shape) * dtype.itemsize
    if size > max_bytes:
        raise ValueError(f"its entry {key!r} claims {size:,} bytes, more than any model has")
    if expected_shape is not None and tuple(shape) != tuple(expected_shape):
        raise ValueError(f"{what} have shape {tuple(shape)} ({dtype}); expected "
                         f"{tuple(expected_shape)} floats")
    data = stream.read(size)
    if len(data) != size:
        raise ValueError(f"its entry {key!r} is cut short")
    return np.frombuffer(data, dtype).reshape(shape, order="F" if fortran_order else "C")


def model_from_arrays(arrays: ArchiveArrays) -> Sequential:
    """Rebuild a model from model_to_arrays() output, checking every shape and value."""
    if ARCHITECTURE_KEY not in arrays:
        raise ValueError("it has no architecture description (not a convviz model)")
    header = read_json_entry(arrays, ARCHITECTURE_KEY, "architecture description")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError("it is not a convviz model file")
    if header.get("version") != VERSION:
        raise ValueError(
            f"it has format version {header.get('version')!r}; this convviz reads {VERSION}")
    model = model_from_config(header.get("model"))
    for index, layer in enumerate(model.layers):
        for name in layer.param_names:
            key = _weight_key(index, name)
            if key not in arrays:
                raise ValueError(f"weights {name!r} of layer {layer.name!r} are missing")
            shape, what = layer.params[name].shape, f"weights {name!r} of layer {layer.name!r}"
            value = checked_weights(arrays.read(key, shape, what=what), shape, what)
            problem = layer.weight_problem(name, value)
            if problem:
                raise ValueError(f"{what} {problem}")
            layer.params[name][...] = value
    return model


def checked_weights(value: np.ndarray, shape: tuple[int, ...], what: str) -> np.ndarray:
    """`value` as the float32 array of `shape` a layer holds, or ValueError naming `what`.

    The NaN/inf check runs after the cast: float64 1e300 is finite but becomes inf in float32.
    """
    if not isinstance(value, np.ndarray) or value.shape != shape or value.dtype.kind != "f":
        raise ValueError(f"{what} have shape {getattr(value, 'shape', None)} "
                         f"({getattr(value, 'dtype', type(value).__name__)}); "
                         f"expected {shape} floats")
    with np.errstate(over="ignore", invalid="ignore"):
        value = value.astype(np.float32)
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{what} contain NaN or inf (in float32)")
    return value


def read_json_entry(arrays: ArchiveArrays, key: str, what: str) -> object:
    """The JSON text stored in entry `key`, parsed strictly: a string of at most
    MAX_JSON_BYTES, no NaN or Infinity (JSON has none; Python's parser accepts them, and a
    1e400 that becomes inf), nesting no deeper than the parser can follow."""
    value = arrays.read(key, max_bytes=MAX_JSON_BYTES)
    if not isinstance(value, np.ndarray) or value.shape != () or value.dtype.kind != "U":
        raise ValueError(f"its {what} is not a text entry")
    try:
        return json.loads(str(value[()]), parse_constant=_refuse_constant,
                          parse_float=_finite_float)
    except RecursionError:
        raise ValueError(f"its {what} is nested too deeply") from None
    except ValueError as error:
        raise ValueError(f"its {what} is not valid JSON ({error})") from None


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value
