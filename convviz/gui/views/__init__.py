"""Views built from the DigitSession and shared by several tabs: activations, kernels, prediction,
layer table, probe.
"""
