"""The Help menu's dialogs: every keyboard shortcut, "What am I looking at?" for the tab on
show (a few sentences and a picture of the tab with numbered parts), and About (version and
the licences of the libraries convviz ships with).

The shortcut list is read from the window's actions, so it cannot fall out of step with
them; keys that tabs handle themselves (the Stepper's walk) are listed beside them.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib import metadata

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from convviz.gui.i18n import QT_TRANSLATE_NOOP, translate
from convviz.gui.widgets import theme

TAB_KEYS = {
    "Stepper": ((QT_TRANSLATE_NOOP("HelpDialogs", "Space"),
                 QT_TRANSLATE_NOOP("HelpDialogs", "Play or pause the walk")),
                ("→ / ←", QT_TRANSLATE_NOOP("HelpDialogs", "One step on / back")),
                (QT_TRANSLATE_NOOP("HelpDialogs", "Home / End"),
                 QT_TRANSLATE_NOOP("HelpDialogs", "First / last step"))),
}
"""Keys a tab handles itself while it is on show (they are not menu actions)."""

BUNDLED_LIBRARIES = (
    # (distribution, what it does here, licence)
    ("numpy", QT_TRANSLATE_NOOP("HelpDialogs", "arrays"), "BSD-3-Clause"),
    ("numba", QT_TRANSLATE_NOOP("HelpDialogs", "the compiled kernels"), "BSD-2-Clause"),
    ("PySide6-Essentials", QT_TRANSLATE_NOOP("HelpDialogs", "Qt for Python, the window"),
     "LGPL-3.0 (Qt: LGPL-3.0)"),
    ("pyqtgraph", QT_TRANSLATE_NOOP("HelpDialogs", "image grids and plots"), "MIT"),
    ("pooch", QT_TRANSLATE_NOOP("HelpDialogs", "the MNIST download"), "BSD-3-Clause"),
    ("platformdirs", QT_TRANSLATE_NOOP("HelpDialogs", "the data and log folders"), "MIT"),
    ("Pillow", QT_TRANSLATE_NOOP("HelpDialogs", "reading pictures, GIF export"), "MIT-CMU (HPND)"),
)
ABOUT_HEADINGS = (QT_TRANSLATE_NOOP("HelpDialogs", "library"),
                  QT_TRANSLATE_NOOP("HelpDialogs", "version"),
                  QT_TRANSLATE_NOOP("HelpDialogs", "licence"),
                  QT_TRANSLATE_NOOP("HelpDialogs", "used for"))
PICTURE_WIDTH = 720
"""The labelled picture of a tab is shrunk to this width."""


@dataclass(frozen=True)
class TabGuide:
    """What a tab shows, in a few sentences, and its parts: (attribute of the tab, caption),
    in English (marked for the catalog; the dialog shows them translated)."""

    sentences: str
    parts: tuple[tuple[str, str], ...]


GUIDES = {
    "Draw": TabGuide(
        QT_TRANSLATE_NOOP(
            "HelpDialogs",
            "You draw a digit; a digit network such as LeNet-5 reads it as a 28×28 picture, as "
            "the MNIST digits it learned from (a network of other pictures, colour ones for "
            "instance, takes a picture you open, resized as its training images were). Every "
            "layer's activations are drawn left to right, blue for negative, white for zero, red "
            "for positive. Click a unit to see which input pixels it depends on."),
        (("canvas_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "Your digit or picture: draw, or open a picture")),
         ("digit_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "What the network sees: its input's pixels")),
         ("prediction_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "The network's answer and how sure it is")),
         ("details_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "The learned kernels and a table of the layers")),
         ("activation_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "Every layer's activations, with a colour bar")))),
    "Stepper": TabGuide(
        QT_TRANSLATE_NOOP(
            "HelpDialogs",
            "One convolution or pooling, one receptive field at a time, as on the slides: the "
            "kernel lies over the input, each pixel is multiplied by the weight over it, the "
            "products are summed and the sum fills one output cell."),
        (("controls",
          QT_TRANSLATE_NOOP("HelpDialogs", "Input, operation, kernel, stride, padding, dilation")),
         ("input_grid", QT_TRANSLATE_NOOP("HelpDialogs", "The input with the kernel over it")),
         ("kernel_grid", QT_TRANSLATE_NOOP("HelpDialogs", "The kernel's weights")),
         ("output_grid", QT_TRANSLATE_NOOP("HelpDialogs", "The output, filled one cell per step")),
         ("explanation_label",
          QT_TRANSLATE_NOOP("HelpDialogs", "The sum of this step, written out")),
         ("start_button",
          QT_TRANSLATE_NOOP("HelpDialogs", "Walk: start, back, play, step, end")))),
    "Image inspection": TabGuide(
        QT_TRANSLATE_NOOP(
            "HelpDialogs",
            "Any photo through the first stage of a CNN: each kernel is convolved with the photo, "
            "then an activation and pooling follow. Each map shows where its kernel responds; "
            "the histogram below it shows how its values spread."),
        (("controls",
          QT_TRANSLATE_NOOP("HelpDialogs", "Kernels, convolution, activation, pooling, colours")),
         ("grid", QT_TRANSLATE_NOOP("HelpDialogs", "The photo and one map per kernel")),
         ("open_button",
          QT_TRANSLATE_NOOP("HelpDialogs", "Open, paste or take the sample photo")))),
    "Train": TabGuide(
        QT_TRANSLATE_NOOP(
            "HelpDialogs",
            "LeNet-5 learns from the MNIST digits: each batch nudges its weights to lower the "
            "loss. The curves show the loss and the accuracy, the kernels turn from noise into "
            "edge detectors, and the test set's confusion matrix shows which digits it mixes up."),
        (("controls_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "Settings and start, pause, one batch, stop")),
         ("plots_panel", QT_TRANSLATE_NOOP("HelpDialogs", "Loss and accuracy as training goes on")),
         ("learn_panel", QT_TRANSLATE_NOOP(
             "HelpDialogs", "The kernels and your digit's maps, following the training")),
         ("results_panel",
          QT_TRANSLATE_NOOP("HelpDialogs", "The test set: accuracy and confusion matrix")))),
}


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str]]:
    """(keys, what they do) for every action of the window with a shortcut, then tab keys."""
    rows = []
    seen = set()
    for action in window.findChildren(QAction):
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()]
        name = action.text().replace("&", "").rstrip("…")
        if keys and (name, tuple(keys)) not in seen:
            seen.add((name, tuple(keys)))
            rows.append((translate("HelpDialogs", " or ").join(keys), name))
    for tab, keys in TAB_KEYS.items():
        tab_title = translate("MainWindow", tab)
        rows.extend((_tr(key), translate("HelpDialogs", "{0} ({1} tab)").format(_tr(what),
                                                                               tab_title))
                    for key, what in keys)
    return rows


def _tr(text: str) -> str:
    return translate("HelpDialogs", text)


def _dialog(parent: QWidget, title: str, body: list[QWidget]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    for widget in body:
        layout.addWidget(widget)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return dialog


def shortcuts_dialog(window: QMainWindow) -> QDialog:
    """A table of every keyboard shortcut."""
    rows = shortcut_rows(window)
    table = QTableWidget(len(rows), 2)
    table.setHorizontalHeaderLabels([translate("HelpDialogs", "Keys"),
                                     translate("HelpDialogs", "What they do")])
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for row, (keys, what) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(keys))
        table.setItem(row, 1, QTableWidgetItem(what))
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    dialog = _dialog(window, translate("HelpDialogs", "Keyboard shortcuts"), [table])
    dialog.table = table
    dialog.resize(560, 520)
    return dialog


def labelled_picture(tab: QWidget, guide: TabGuide) -> QPixmap:
    """The tab as it is on screen, shrunk, each of its parts framed with a numbered disc in
    its top-right corner (titles are at the left)."""
    picture = tab.grab()
    scale = min(1.0, PICTURE_WIDTH / max(1, picture.width()))
    picture = picture.scaledToWidth(round(picture.width() * scale),
                                    Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(picture)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(theme.font(12, bold=True))
    painter.setFont(font)
    radius = 13
    for number, (attribute, _) in enumerate(guide.parts, start=1):
        part = getattr(tab, attribute, None)
        if not isinstance(part, QWidget) or not part.isVisible():
            continue
        corner = part.mapTo(tab, QPoint(0, 0))
        box = QRect(round(corner.x() * scale), round(corner.y() * scale),
                    round(part.width() * scale), round(part.height() * scale))
        painter.setPen(QPen(QColor(theme.ACCENT), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(box.adjusted(1, 1, -1, -1))
        marker = QRect(box.right() - 4 - 2 * radius, box.top() + 4, 2 * radius, 2 * radius)
        painter.setBrush(QColor(theme.ACCENT))
        painter.drawEllipse(marker)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(marker, Qt.AlignmentFlag.AlignCenter, str(number))
    painter.end()
    return picture


def guide_dialog(window: QMainWindow, tab_key: str, tab: QWidget) -> QDialog:
    """"What am I looking at?" for one tab (`tab_key`: its English title): sentences, the
    labelled picture, the legend, in the current language."""
    guide = GUIDES.get(tab_key.replace("&", ""))
    tab_title = translate("MainWindow", tab_key)
    if guide is None:
        text = QLabel(translate("HelpDialogs", "The {0} tab.").format(tab_title))
        return _dialog(window, translate("HelpDialogs", "What am I looking at?"), [text])
    sentences = QLabel(_tr(guide.sentences))
    sentences.setWordWrap(True)
    picture = QLabel()
    picture.setPixmap(labelled_picture(tab, guide))
    legend = QLabel("<br>".join(f"<b style='color:{theme.ACCENT}'>{number}</b> &nbsp;"
                                f"{_tr(text)}"
                                for number, (_, text) in enumerate(guide.parts, start=1)))
    title = translate("HelpDialogs", "What am I looking at? · {0}").format(tab_title)
    dialog = _dialog(window, title,
                     [sentences, picture, legend])
    dialog.sentences, dialog.picture, dialog.legend = sentences, picture, legend
    return dialog


def version(distribution: str) -> str:
    """The installed version of a distribution, or 'not installed'."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return translate("HelpDialogs", "not installed")


def about_text() -> str:
    """convviz's version and the bundled libraries with their versions and licences."""
    rows = "".join(f"<tr><td>{name}</td><td>{version(name)}</td><td>{licence}</td>"
                   f"<td>{_tr(use)}</td></tr>" for name, use, licence in BUNDLED_LIBRARIES)
    headings = "".join(f"<th align='left'>{_tr(heading)}</th>"
                       for heading in ABOUT_HEADINGS)
    summary = translate("HelpDialogs", "Watch a convolutional neural network work. MIT licence.")
    return (f"<h3>convviz {version('convviz')}</h3><p>{summary}</p>"
            f"<p>Python {platform.python_version()}</p>"
            f"<table cellspacing='6'><tr>{headings}</tr>{rows}</table>")


def about_dialog(window: QMainWindow) -> QDialog:
    text = QLabel(about_text())
    text.setTextFormat(Qt.TextFormat.RichText)
    dialog = _dialog(window, translate("HelpDialogs", "About convviz"), [text])
    dialog.text = text
    return dialog
