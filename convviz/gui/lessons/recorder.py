""""Record this setup as a step": a small editor for the step's title, text and highlight,
appended with the window's current setup to the lesson file being edited."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from convviz.core.lessons.targets import HIGHLIGHTS
from convviz.gui.i18n import QT_TRANSLATE_NOOP
from convviz.gui.widgets import theme

LESSON_FILTER = QT_TRANSLATE_NOOP("RecordStepDialog", "Lesson (*.json)")


class RecordStepDialog(QDialog):
    """Title, text (2-5 sentences, {placeholders} allowed) and highlight of a new step.

    ``save(path, step)`` writes it and returns None, or the sentence saying why it could not
    (the dialog then stays open with the text kept).
    """

    def __init__(self, setup: dict, path: Path | None,
                 save: Callable[[Path, dict], str | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record this setup as a step"))
        self.setup = setup
        self.save = save
        self.saved_path: Path | None = None
        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.setPlaceholderText(self.tr("the lesson file to add the step to"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._on_browse_clicked)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.title_edit = QLineEdit()
        self.text_edit = QPlainTextEdit()
        self.text_edit.setPlaceholderText(self.tr(
            "Two to five sentences. Numbers in braces are filled in live, e.g. "
            "{output_size} or {cell_sum}."))
        self.highlight_box = QComboBox()
        self.highlight_box.addItem(self.tr("nothing"), None)
        for name, description in HIGHLIGHTS.items():
            self.highlight_box.addItem(description, name)
        self.setup_label = QLabel(self.tr("Setup recorded: {0}").format(
            ", ".join(f"{key} = {_short(value)}" for key, value in setup.items())))
        self.setup_label.setWordWrap(True)
        self.setup_label.setStyleSheet(f"color: {theme.MUTED};")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {theme.ERROR_COLOURS[1]};")
        form = QFormLayout()
        form.addRow(self.tr("Lesson file"), path_row)
        form.addRow(self.tr("Step title"), self.title_edit)
        form.addRow(self.tr("Text"), self.text_edit)
        form.addRow(self.tr("Highlight"), self.highlight_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.setup_label)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def step(self) -> dict:
        step = {"title": self.title_edit.text().strip(),
                "setup": self.setup, "text": self.text_edit.toPlainText().strip()}
        if self.highlight_box.currentData():
            step["highlight"] = self.highlight_box.currentData()
        return step

    def record(self) -> None:
        """Append the step to the file; close if that worked, else say why."""
        text = self.path_edit.text().strip()
        if not text:
            self.error_label.setText(self.tr("Choose the lesson file first."))
            return
        path = Path(text)
        if path.suffix != ".json":
            path = path.with_suffix(".json")
        problem = self.save(path, self.step())
        if problem:
            self.error_label.setText(problem)
            return
        self.saved_path = path
        self.accept()

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("The lesson file"), self.path_edit.text(), self.tr(LESSON_FILTER),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if path:
            self.path_edit.setText(path)


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "…"
