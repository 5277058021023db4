"""A word-wrapped label that is always given the height its lines need.

A plain QLabel with word wrap reports a height for its width, but box and grid layouts ask
only for its minimum size, so at a narrow width its second and third lines were cut off
(the Stepper's per-channel titles on a laptop screen). This label makes the height its text
needs at its current width its (fixed) height, and tells layouts it has no height for
width, so they honour that minimum.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    """A QLabel that wraps and keeps every wrapped line visible."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setWordWrap(True)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """No: its fixed height already holds its lines. Layouts that see a height for
        width size by it instead of by minimums and squeezed the widgets beside it."""
        return False

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        needed = self.heightForWidth(self.width()) if self.width() > 0 else -1
        if needed > 0 and needed != self.height():
            self.setFixedHeight(needed)  # the lines' height, no less and no more
