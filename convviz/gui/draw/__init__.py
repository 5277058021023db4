"""The Draw tab: the drawing canvas, the 28x28 digit and every layer responding."""
