"""Animated GIF export of a stepper walk: frame conversion, the Pillow writer and its dialog."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget


def qimage_to_pil(image: QImage, width: int | None = None) -> Image.Image:
    """An RGB Pillow copy of a QImage, scaled to ``width`` pixels (aspect kept) if given."""
    rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
    size = (rgba.width(), rgba.height())
    frame = Image.frombuffer("RGBA", size, bytes(rgba.constBits()), "raw", "RGBA",
                             rgba.bytesPerLine(), 1).convert("RGB")
    if width and width != size[0]:
        height = max(round(size[1] * width / size[0]), 1)
        frame = frame.resize((width, height), Image.Resampling.LANCZOS)
    return frame


def save_gif(frames: list[Image.Image], path: str | Path, frame_ms: int) -> None:
    """Write frames as a looping animated GIF, each shown for frame_ms milliseconds.

    Each frame gets its own 256-colour palette by octree quantization, which keeps small
    patches of colour (the legend, thin outlines) that median cut would merge into grey;
    no dithering, as the frames are flat drawings.
    """
    if not frames:
        raise ValueError("a GIF needs at least one frame")
    paletted = [frame.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
                for frame in frames]
    paletted[0].save(path, format="GIF", save_all=True, append_images=paletted[1:],
                     duration=frame_ms, loop=0)


class GifExportDialog(QDialog):
    """Asks which steps to export (1-based, inclusive), the frame width and the frame time."""

    def __init__(self, n_steps: int, width: int, frame_ms: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the walk as an animated GIF"))
        form = QFormLayout(self)
        self.first_spin, self.last_spin = QSpinBox(), QSpinBox()
        for spin, value in ((self.first_spin, 1), (self.last_spin, n_steps)):
            spin.setRange(1, n_steps)
            spin.setValue(value)
        self.width_spin = QSpinBox()
        self.width_spin.setRange(160, 3840)
        self.width_spin.setSingleStep(80)
        self.width_spin.setSuffix(" px")
        self.width_spin.setValue(width)
        self.frame_spin = QSpinBox()
        self.frame_spin.setRange(20, 10_000)
        self.frame_spin.setSingleStep(100)
        self.frame_spin.setSuffix(self.tr(" ms per step"))
        self.frame_spin.setValue(frame_ms)
        form.addRow(self.tr("From step"), self.first_spin)
        form.addRow(self.tr("To step"), self.last_spin)
        form.addRow(self.tr("Width"), self.width_spin)
        form.addRow(self.tr("Speed"), self.frame_spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def step_range(self) -> tuple[int, int]:
        """Chosen (first, last) steps, 0-based and in order."""
        first, last = self.first_spin.value() - 1, self.last_spin.value() - 1
        return min(first, last), max(first, last)
