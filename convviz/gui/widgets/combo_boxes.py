"""Combo boxes whose entries change under the person's choice (another model, another input)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def refill(combo: QComboBox, texts: list[str]) -> None:
    """Replace the entries, keeping the current one when it is still offered; no signal
    fires meanwhile (the caller acts on the result)."""
    current = combo.currentText()
    combo.blockSignals(True)
    combo.clear()
    combo.addItems(texts)
    if current in texts:
        combo.setCurrentText(current)
    combo.blockSignals(False)
