import io
import struct
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile, JpegImagePlugin, features

from convviz.core.imaging.image_io import ImageLoadError, LoadedImage, load_image, to_luminance

RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (12, 20, 3), dtype=np.uint8)
GRAY = RNG.integers(0, 256, (12, 20), dtype=np.uint8)


def save(tmp_path, name, image: Image.Image, **options):
    path = tmp_path / name
    image.save(path, **options)
    return path


def assert_well_formed(loaded: LoadedImage, shape):
    assert loaded.pixels.shape == shape
    assert loaded.pixels.dtype == np.float32 and loaded.pixels.flags.c_contiguous
    assert 0.0 <= loaded.pixels.min() and loaded.pixels.max() <= 1.0


# --- every kind of file -------------------------------------------------------------------------

def test_png_8_bit_gray(tmp_path):
    loaded = load_image(save(tmp_path, "gray.png", Image.fromarray(GRAY)))
    assert_well_formed(loaded, (12, 20, 1))
    np.testing.assert_allclose(loaded.pixels[:, :, 0], GRAY / 255, atol=1e-7)
    assert (loaded.source_format, loaded.source_mode, loaded.bit_depth) == ("PNG", "L", 8)
    assert loaded.original_size == (20, 12) and not loaded.had_alpha and loaded.notices == []


def test_png_16_bit_gray_keeps_full_precision(tmp_path):
    values = RNG.integers(0, 65536, (12, 20)).astype(np.uint16)
    values[0, 0], values[0, 1] = 0, 65535
    loaded = load_image(save(tmp_path, "gray16.png", Image.fromarray(values)))
    assert_well_formed(loaded, (12, 20, 1))
    np.testing.assert_allclose(loaded.pixels[:, :, 0], values / 65535, atol=1e-7)
    assert (loaded.source_mode, loaded.bit_depth) == ("I;16", 16)
    assert loaded.pixels[0, 0, 0] == 0 and loaded.pixels[0, 1, 0] == 1


@pytest.mark.parametrize("suffix", ["png", "bmp", "tif"])
def test_lossless_rgb_files(tmp_path, suffix):
    loaded = load_image(save(tmp_path, f"rgb.{suffix}", Image.fromarray(RGB)))
    assert_well_formed(loaded, (12, 20, 3))
    np.testing.assert_allclose(loaded.pixels, RGB / 255, atol=1e-7)


def test_rgba_is_composited_over_white(tmp_path):
    rgba = np.zeros((2, 3, 4), np.uint8)
    rgba[..., :3] = (255, 0, 0)
    rgba[0, :, 3] = (255, 0, 51)  # opaque, fully transparent, 20 % opaque
    rgba[1, :, 3] = 255
    loaded = load_image(save(tmp_path, "rgba.png", Image.fromarray(rgba, "RGBA")))
    assert_well_formed(loaded, (2, 3, 3))
    np.testing.assert_allclose(loaded.pixels[0], [[1, 0, 0], [1, 1, 1], [1, 0.8, 0.8]], atol=1e-6)
    assert loaded.had_alpha and loaded.source_mode == "RGBA"
    assert any("white" in notice for notice in loaded.notices)


def test_gray_with_alpha_stays_gray(tmp_path):
    la = np.stack([np.full((4, 4), 0, np.uint8), np.full((4, 4), 128, np.uint8)], axis=-1)
    loaded = load_image(save(tmp_path, "la.png", Image.fromarray(la, "LA")))
    assert_well_formed(loaded, (4, 4, 1))
    np.testing.assert_allclose(loaded.pixels, 1 - 128 / 255, atol=1e-6)
    assert loaded.had_alpha


def test_palette_png_with_a_transparent_entry(tmp_path):
    image = Image.new("P", (3, 1))
    image.putpalette([255, 0, 0, 0, 0, 255, 0, 0, 0])
    image.putdata([0, 1, 2])
    loaded = load_image(save(tmp_path, "palette.png", image, transparency=2))
    assert_well_formed(loaded, (1, 3, 3))
    np.testing.assert_allclose(loaded.pixels[0], [[1, 0, 0], [0, 0, 1], [1, 1, 1]])
    assert loaded.source_mode == "P" and loaded.had_alpha


def test_cmyk_tiff_becomes_rgb(tmp_path):
    image = Image.new("CMYK", (2, 1))
    image.putdata([(255, 0, 0, 0), (0, 0, 0, 0)])  # cyan, white
    loaded = load_image(save(tmp_path, "cmyk.tif", image))
    assert_well_formed(loaded, (1, 2, 3))
    np.testing.assert_allclose(loaded.pixels[0], [[0, 1, 1], [1, 1, 1]])
    assert loaded.source_mode == "CMYK"


def test_float_tiff_outside_0_1_is_stretched_with_a_notice(tmp_path):
    values = np.array([[-10.0, 0.0, 30.0]], np.float32)
    loaded = load_image(save(tmp_path, "float.tif", Image.fromarray(values, "F")))
    np.testing.assert_allclose(loaded.pixels[0, :, 0], [0, 0.25, 1])
    assert loaded.bit_depth == 32 and "stretched" in loaded.notices[0]


def test_animated_gif_gives_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (5, 4), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    loaded = load_image(path)
    assert_well_formed(loaded, (4, 5, 3))
    np.testing.assert_allclose(loaded.pixels.reshape(-1, 3), np.tile([1.0, 0, 0], (20, 1)))
    assert loaded.source_format == "GIF" and "3 frames" in loaded.notices[0]


def test_webp(tmp_path):
    if not features.check("webp"):
        pytest.skip("this Pillow has no WebP support")
    loaded = load_image(save(tmp_path, "rgb.webp", Image.fromarray(RGB), lossless=True))
    assert_well_formed(loaded, (12, 20, 3))
    np.testing.assert_allclose(loaded.pixels, RGB / 255, atol=1e-7)


def quadrants(height=32, width=64) -> np.ndarray:
    """Four 8-pixel-aligned quadrants of different gray levels: survives JPEG, shows rotation."""
    image = np.empty((height, width), np.uint8)
    image[: height // 2, : width // 2], image[: height // 2, width // 2:] = 0, 85
    image[height // 2:, : width // 2], image[height // 2:, width // 2:] = 170, 255
    return image


UPRIGHT = {  # how the EXIF standard says to display stored pixels for each orientation
    1: lambda a: a, 2: np.fliplr, 3: lambda a: np.rot90(a, 2), 4: np.flipud,
    5: lambda a: a.T, 6: lambda a: np.rot90(a, -1), 7: lambda a: np.rot90(a, 2).T,
    8: lambda a: np.rot90(a, 1),
}


@pytest.mark.parametrize("orientation", sorted(UPRIGHT))
def test_jpeg_exif_orientation_is_applied(tmp_path, orientation):
    stored = quadrants()
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = save(tmp_path, "photo.jpg", Image.fromarray(stored), quality=95, exif=exif.tobytes())
    loaded = load_image(path)
    expected = UPRIGHT[orientation](stored) / 255
    assert_well_formed(loaded, (*expected.shape, 1))
    assert loaded.original_size == (expected.shape[1], expected.shape[0])
    np.testing.assert_allclose(loaded.pixels[:, :, 0], expected, atol=0.05)


def test_a_24_megapixel_photo_loads_at_full_size(tmp_path):
    ramp = np.linspace(0, 255, 6000).astype(np.uint8)
    photo = np.ascontiguousarray(np.broadcast_to(ramp[None, :, None], (4000, 6000, 3)))
    loaded = load_image(save(tmp_path, "big.jpg", Image.fromarray(photo)))
    assert loaded.pixels.shape == (4000, 6000, 3) and loaded.pixels.dtype == np.float32
    assert loaded.notices == []


def test_bytes_give_the_same_result_as_the_path(tmp_path):
    path = save(tmp_path, "rgb.png", Image.fromarray(RGB))
    np.testing.assert_array_equal(load_image(path.read_bytes()).pixels, load_image(path).pixels)
    np.testing.assert_array_equal(load_image(str(path)).pixels, load_image(path).pixels)


# --- images above the working limit are shrunk while decoding ----------------------------------

def test_large_png_is_downscaled_with_a_notice(tmp_path):
    path = save(tmp_path, "wide.png", Image.fromarray(np.tile(GRAY, (10, 10))))  # 200x120
    loaded = load_image(path, working_pixels=6000)
    assert_well_formed(loaded, (60, 100, 1))
    assert loaded.original_size == (200, 120)
    assert loaded.notices == ["Downscaled from 200x120 to 100x60 to stay under 0.006 megapixels."]
    np.testing.assert_allclose(loaded.pixels[0, 0, 0], GRAY[:2, :2].mean() / 255, atol=1e-6)


def test_large_16_bit_png_is_downscaled_at_full_precision(tmp_path):
    values = np.full((40, 60), 40000, np.uint16)
    loaded = load_image(save(tmp_path, "g16.png", Image.fromarray(values)), working_pixels=600)
    assert_well_formed(loaded, (20, 30, 1))
    np.testing.assert_allclose(loaded.pixels, 40000 / 65535, rtol=1e-6)


def test_large_rotated_jpeg_is_decoded_small_and_upright(tmp_path, monkeypatch):
    drafts = []
    original_draft = JpegImagePlugin.JpegImageFile.draft
    def spy(self, mode, size):
        drafts.append(size)
        return original_draft(self, mode, size)
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    exif = Image.Exif()
    exif[0x0112] = 6
    stored = Image.fromarray(quadrants(256, 512))  # displayed rotated: 256 wide, 512 high
    path = save(tmp_path, "big.jpg", stored, quality=95, exif=exif.tobytes())
    loaded = load_image(path, working_pixels=9000)
    assert drafts == [(128, 64)]  # the decoder itself shrank it (by 4: 1/2 was not enough)
    assert loaded.pixels.shape == (128, 64, 1) and loaded.original_size == (256, 512)
    assert "from 256x512 to 64x128" in loaded.notices[0]
    expected = np.rot90(quadrants(64, 128), -1) / 255
    np.testing.assert_allclose(loaded.pixels[:, :, 0], expected, atol=0.05)


# --- hostile and broken files ------------------------------------------------------------------

def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header (with a valid CRC) claims width x height RGB, with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def no_decoding(monkeypatch):
    """Make any attempt to decode pixels fail loudly, to prove a file is refused unread."""
    def refuse(self):
        raise AssertionError("pixels were decoded")
    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path, no_decoding):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_claiming(50000, 50000))
    with pytest.raises(ImageLoadError, match=r"'bomb.png'.*claims to be 2,500,000,000 pixels"):
        load_image(path)


def test_a_file_over_our_own_limit_is_refused_with_its_claimed_size(tmp_path, no_decoding):
    path = tmp_path / "huge.png"
    path.write_bytes(png_claiming(13000, 12000))  # 156 MP: under Pillow's own refusal limit
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ImageLoadError, match=r"claims to be 13000x12000 pixels \(156 mega"):
            load_image(path)
    with pytest.raises(ImageLoadError, match="20x12 pixels"):
        load_image(save(tmp_path, "small.png", Image.fromarray(RGB)), max_pixels=200)


def encoded(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


NOISE = Image.fromarray(RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (RNG.integers(0, 256, 1000, dtype=np.uint8).tobytes(), "not in an image format"),
        (b"Dear students,\nthis is not a picture.\n" * 20, "not in an image format"),
        (encoded(NOISE, "PNG")[:3000], "damaged or incomplete"),
        (encoded(NOISE, "JPEG")[:1500], "damaged or incomplete"),
    ],
    ids=["zero-byte", "random-bytes", "text", "truncated-png", "truncated-jpeg"],
)
def test_broken_files_raise_one_clear_sentence(tmp_path, content, message):
    path = tmp_path / "dropped.png"
    path.write_bytes(content)
    for source in (path, content):
        with pytest.raises(ImageLoadError, match=message) as raised:
            load_image(source)
        assert str(raised.value).startswith("Cannot open ") and str(raised.value).endswith(".")
        assert isinstance(raised.value, ValueError)


def test_missing_files_and_folders(tmp_path):
    with pytest.raises(ImageLoadError, match="no such file"):
        load_image(tmp_path / "missing.png")
    with pytest.raises(ImageLoadError, match="folder"):
        load_image(tmp_path)


# --- luminance ---------------------------------------------------------------------------------

def test_luminance_uses_rec_601_weights():
    pixels = np.array([[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]], np.float32)
    luminance = to_luminance(pixels)
    assert luminance.shape == (1, 4) and luminance.dtype == np.float32
    np.testing.assert_allclose(luminance[0], [0.299, 0.587, 0.114, 1.0], rtol=1e-6)


def test_luminance_passes_gray_through_and_rejects_other_shapes():
    gray = RNG.random((5, 6, 1), dtype=np.float32)
    np.testing.assert_array_equal(to_luminance(gray), gray[:, :, 0])
    with pytest.raises(ValueError, match="H, W, 3"):
        to_luminance(np.zeros((5, 6, 4), np.float32))
