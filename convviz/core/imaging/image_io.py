"""Load any image a user drops into float32 pixels in [0, 1], or explain why not.

Pillow decodes; this module adds what a teaching app needs on top: EXIF orientation applied,
every mode reduced to grayscale (1 channel) or RGB (3), transparency composited over white,
16-bit data kept at full precision, oversized photos shrunk while decoding, and one-sentence
``ImageLoadError`` messages for empty, foreign, damaged or absurdly large files.
"""

from __future__ import annotations

import io
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from convviz.core.safe_files import open_regular_file

MAX_PIXELS = 150_000_000
"""Files claiming more pixels are refused unread. Pillow itself refuses above
2 * Image.MAX_IMAGE_PIXELS (about 179 MP), so a higher limit here would not take effect."""
WORKING_PIXELS = 25_000_000
"""Larger images are downscaled by an integer factor while decoding, to at most this size
(as float32 RGB: 300 MB; a 24 MP photo stays whole)."""
MAX_DECODE_BYTES = 300_000_000
"""Bytes decoding may take before the downscale (the decoded picture and its 8-bit RGB or
gray copy). JPEG decodes reduced (1/2 to 1/8) and so reaches MAX_PIXELS; other formats
decode at full size, so this caps them (e.g. 100 MP gray, 50 MP RGB)."""
ALLOWED_FORMATS = ("PNG", "JPEG", "BMP", "GIF", "TIFF", "WEBP", "PPM")
"""The only Pillow plugins ever tried (PPM also reads PGM and PBM): no PostScript (which runs
Ghostscript), FITS, PSD or the dozens of others Pillow would otherwise parse."""

_GRAY_MODES = {"1", "L", "LA", "La"}
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}
_BIT_DEPTHS = {"1": 1, "I": 32, "F": 32, "I;16": 16, "I;16L": 16, "I;16B": 16, "I;16N": 16}


class ImageLoadError(ValueError):
    """The image cannot be loaded; the message says why, for a student or teacher."""


@dataclass(frozen=True, eq=False)
class LoadedImage:
    """Pixels ready for the network plus what the user should know about the file.

    ``pixels`` is (H, W, C) float32 in [0, 1], C-contiguous, C = 1 (gray) or 3 (RGB), already
    upright (EXIF orientation applied). ``original_size`` is the upright (width, height) in the
    file, before any downscaling; ``bit_depth`` is bits per channel as decoded (8, 16, ...).
    """

    pixels: np.ndarray
    source_format: str
    source_mode: str
    bit_depth: int
    original_size: tuple[int, int]
    had_alpha: bool
    notices: list[str] = field(default_factory=list)


def load_image(
    source: str | os.PathLike | bytes,
    *,
    max_pixels: int = MAX_PIXELS,
    working_pixels: int = WORKING_PIXELS,
) -> LoadedImage:
    """Load an image file (path) or its encoded bytes; raises ImageLoadError on failure.

    Only the formats in ALLOWED_FORMATS are tried, recognised by content whatever the file's
    name (so a PostScript file called digit.png never reaches Ghostscript). Only the header is
    read before the size checks, so a file claiming an absurd size, or one whose decoding
    would take more than MAX_DECODE_BYTES, is refused without being decoded.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        label, stream = "the image data", io.BytesIO(source)
        if not len(stream.getbuffer()):
            raise ImageLoadError("Cannot open the image data: it is empty (0 bytes).")
    else:
        label = f"'{Path(source).name}'"
        stream = open_regular_file(source, _file_refused, "picture file")
        if os.fstat(stream.fileno()).st_size == 0:
            stream.close()
            raise ImageLoadError(f"Cannot open {label}: the file is empty (0 bytes).")
    with stream:
        image = _open(stream, label, max_pixels)
        with image:
            try:
                return _decode(image, label, max_pixels, working_pixels)
            except MemoryError:
                raise ImageLoadError(f"Cannot open {label}: there is not enough memory.") from None


def _file_refused(message: str) -> ImageLoadError:
    """The sentence for a path that is not a readable regular file."""
    return ImageLoadError(f"Cannot open {message}.")


def _open(stream: BinaryIO, label: str, max_pixels: int) -> Image.Image:
    """Pillow's lazy image (header read) for one of the ALLOWED_FORMATS, or ImageLoadError."""
    try:
        with warnings.catch_warnings():
            # We apply our own size limits; Pillow's bomb warning would only alarm.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(stream, formats=ALLOWED_FORMATS)
    except UnidentifiedImageError:
        raise ImageLoadError(
            f"Cannot open {label}: it is not in an image format convviz reads (PNG, JPEG, "
            "BMP, GIF, TIFF, WebP, PPM or PGM)."
        ) from None
    except Image.DecompressionBombError as error:
        claimed = re.search(r"\((\d+) pixels\)", str(error))
        pixels = f"{int(claimed[1]):,} pixels" if claimed else "an enormous number of pixels"
        raise _too_large(label, pixels, max_pixels) from None
    except Exception as error:  # Pillow's header parsers raise many types for corrupt data.
        raise ImageLoadError(f"Cannot open {label}: it is damaged ({error}).") from None


def _too_large(label: str, claimed: str, max_pixels: int) -> ImageLoadError:
    return ImageLoadError(
        f"Cannot open {label}: it claims to be {claimed}, more than the "
        f"{max_pixels / 1e6:g}-megapixel limit, which usually means a damaged file or a "
        "decompression bomb."
    )


def _decode(image: Image.Image, label: str, max_pixels: int, working_pixels: int) -> LoadedImage:
    """Check the claimed size, decode (shrinking if needed), orient and convert to floats."""
    width, height = image.size
    if width * height > max_pixels:
        raise _too_large(label, f"{width}x{height} pixels ({width * height / 1e6:,.0f} "
                                "megapixels)", max_pixels)
    source_format, source_mode = image.format or "unknown", image.mode
    try:
        factor = _shrink_factor(width, height, working_pixels)
        if factor > 1 and source_format == "JPEG":
            image.draft(None, (-(-width // factor), -(-height // factor)))  # decode at 1/2..1/8
        cost = _decode_bytes(image)  # before anything that may decode (a PNG's EXIF does)
        if cost > MAX_DECODE_BYTES:
            raise ImageLoadError(
                f"Cannot open {label}: decoding its {width}x{height} pixels "
                f"({image.mode}) would take {cost / 1e6:,.0f} MB of memory, more than the "
                f"{MAX_DECODE_BYTES / 1e6:,.0f} MB convviz allows a picture; save it smaller or "
                "as JPEG.")
        frames = getattr(image, "n_frames", 1)
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        image.load()
    except (MemoryError, ImageLoadError):
        raise
    except Exception as error:  # Pillow's decoders raise many types for corrupt data.
        raise ImageLoadError(
            f"Cannot open {label}: it is damaged or incomplete ({error})."
        ) from None
    try:
        canonical = _canonical(image)
        factor = _shrink_factor(*canonical.size, working_pixels)
        if factor > 1:
            canonical = canonical.reduce(factor)
        ImageOps.exif_transpose(canonical, in_place=True)
    except ValueError as error:
        raise ImageLoadError(
            f"Cannot open {label}: its pixel format {source_mode!r} is not supported ({error})."
        ) from None
    notices = [f"The file holds {frames} frames; showing the first."] if frames > 1 else []
    upright = (height, width) if orientation in (5, 6, 7, 8) else (width, height)  # 90-degree turns
    if canonical.size != upright:
        notices.append(f"Downscaled from {upright[0]}x{upright[1]} to "
                       f"{canonical.size[0]}x{canonical.size[1]} to stay under "
                       f"{working_pixels / 1e6:g} megapixels.")
    pixels = _to_float(canonical, notices)
    return LoadedImage(pixels, source_format, source_mode, _BIT_DEPTHS.get(source_mode, 8),
                       upright, canonical.mode in ("LA", "RGBA"), notices)


def _decode_bytes(image: Image.Image) -> int:
    """Memory that decoding `image` at its (drafted) size and making its canonical copy takes."""
    pixels = image.size[0] * image.size[1]
    stored = 4 if image.mode in ("I", "F") or image.mode.startswith("I;16") else len(
        image.getbands())
    return pixels * (stored + _canonical_bytes(image))


def _canonical_bytes(image: Image.Image) -> int:
    """Bytes per pixel of the copy `_canonical` makes (0 when it keeps the image as it is)."""
    mode = image.mode
    if mode.startswith("I;16"):
        return 4
    target = _canonical_mode(image)
    return 0 if target == mode else len(target)


def _shrink_factor(width: int, height: int, working_pixels: int) -> int:
    """Smallest integer factor that brings the image down to at most working_pixels."""
    factor = max(1, math.ceil(math.sqrt(width * height / working_pixels)))
    while -(-width // factor) * -(-height // factor) > working_pixels:
        factor += 1
    return factor


def _canonical_mode(image: Image.Image) -> str:
    """L, LA, RGB or RGBA (8 bit), or I or F (wider), whichever keeps the image's content."""
    mode = image.mode
    if mode.startswith("I;16") or mode in ("I", "F"):
        return "I" if mode.startswith("I") else "F"
    has_alpha = mode in _ALPHA_MODES or "transparency" in image.info
    if mode in _GRAY_MODES:
        return "LA" if has_alpha else "L"
    return "RGBA" if has_alpha else "RGB"


def _canonical(image: Image.Image) -> Image.Image:
    """The image in its `_canonical_mode`."""
    target = _canonical_mode(image)
    return image if image.mode == target else image.convert(target)


def _to_float(image: Image.Image, notices: list[str]) -> np.ndarray:
    """(H, W, 1 or 3) float32 in [0, 1] with any alpha composited over white."""
    if image.mode in ("I", "F"):
        pixels = _rescale_wide(np.asarray(image, dtype=np.float32), image.mode, notices)
    else:
        pixels = np.asarray(image, dtype=np.float32)
        pixels /= np.float32(255)
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if image.mode in ("LA", "RGBA"):
        color, alpha = pixels[:, :, :-1], pixels[:, :, -1:]
        if alpha.min() < 1:
            notices.append("Transparent areas are shown over white.")
        pixels = np.clip(color * alpha + (1 - alpha), 0, 1)
    return np.ascontiguousarray(pixels, dtype=np.float32)


def _rescale_wide(values: np.ndarray, mode: str, notices: list[str]) -> np.ndarray:
    """32-bit integer or float pixels: 16-bit range if they fit it, else stretched to [0, 1]."""
    values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(values.min()), float(values.max())
    if mode == "F" and low >= 0 and high <= 1:
        return values
    if mode == "I" and low >= 0 and high <= 65535:
        return values / np.float32(65535)
    notices.append(f"Pixel values ran from {low:g} to {high:g}; stretched to 0..1 for display.")
    return (values - low) / np.float32(max(high - low, 1e-30))


def to_luminance(pixels: np.ndarray) -> np.ndarray:
    """(H, W) float32 brightness: Rec. 601 weights for RGB; gray is returned as it is (a view)."""
    if pixels.ndim != 3 or pixels.shape[2] not in (1, 3):
        raise ValueError(f"expected (H, W, 1) or (H, W, 3) pixels, got shape {pixels.shape}")
    if pixels.shape[2] == 1:
        return np.ascontiguousarray(pixels[:, :, 0], dtype=np.float32)
    weights = np.array([0.299, 0.587, 0.114], dtype=np.float32)
    return np.ascontiguousarray(np.asarray(pixels, dtype=np.float32) @ weights)
