"""Guided lessons: the file format, its checks and the live numbers a step quotes (Qt-free)."""
