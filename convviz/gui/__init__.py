"""PySide6 + pyqtgraph views over the core. Displays state, sends commands, computes nothing."""
