"""A non-modal message strip, the same in every window and tab: one sentence, coloured by level.

Information may fade after a while; warnings and errors stay until dismissed or replaced.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from convviz.gui.i18n import Retranslating
from convviz.gui.widgets import theme


class MessageLevel(enum.Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_COLOURS = {MessageLevel.INFO: theme.INFO_COLOURS, MessageLevel.WARNING: theme.WARNING_COLOURS,
            MessageLevel.ERROR: theme.ERROR_COLOURS}


class MessageBar(Retranslating, QFrame):
    """Hidden until `show_message`; `clear()` hides it again.

    `closable` adds a dismiss button; with `info_seconds` information hides itself after that
    long (warnings and errors never do).
    """

    def __init__(self, closable: bool = True, info_seconds: float | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.level = MessageLevel.INFO
        self._styled: MessageLevel | None = None
        self._info_ms = None if info_seconds is None else round(info_seconds * 1000)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFont(theme.font(12))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6 if closable else 12, 6)
        layout.addWidget(self.label, 1)
        self.action_button = QPushButton()
        self.action_button.setVisible(False)
        self.action_button.clicked.connect(self._on_action_button_clicked)
        self._action: Callable[[], None] | None = None
        layout.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.close_button = None
        if closable:
            self.close_button = QToolButton()
            self.close_button.setText("✕")
            self.close_button.setAutoRaise(True)
            self.close_button.clicked.connect(self.hide)
            layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        """The bar's own words in the current language (a message shown stays as it was
        worded; the next one comes in the new language)."""
        if self.close_button is not None:
            self.close_button.setToolTip(self.tr("Dismiss"))

    def text(self) -> str:
        return self.label.text()

    def show_message(self, text: str, level: MessageLevel = MessageLevel.INFO,
                     action: tuple[str, Callable[[], None]] | None = None) -> None:
        """Show `text`; `action` (label, callback) adds a button that does the obvious next
        thing (the bar then hides)."""
        self.level = level
        self._action = None if action is None else action[1]
        self.action_button.setText("" if action is None else action[0])
        self.action_button.setVisible(action is not None)
        if level is not self._styled:  # restyling costs a relayout: not on every progress line
            background, foreground = _COLOURS[level]
            self.setStyleSheet(f"MessageBar {{ background: {background}; border-radius: 4px; "
                               f"border: 1px solid {foreground}; }} "
                               f"QLabel {{ color: {foreground}; }}")
            self._styled = level
        self.label.setText(text)
        self.show()
        if level is MessageLevel.INFO and self._info_ms is not None:
            self._timer.start(self._info_ms)
        else:
            self._timer.stop()

    def clear(self) -> None:
        """Hide the bar and forget its text."""
        self._timer.stop()
        self.label.setText("")
        self._action = None
        self.action_button.setVisible(False)
        self.hide()

    def _on_action_button_clicked(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()
