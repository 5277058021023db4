"""Data files shipped with convviz (models, sample images, icons), read via importlib.resources."""
