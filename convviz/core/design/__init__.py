"""The Lab tab's Qt-free half: a network design being edited, checked layer by layer, written
as Keras code, saved and read back, and its training time estimated."""
