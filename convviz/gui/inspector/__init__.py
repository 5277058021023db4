"""The Image inspection tab: conv -> activation -> pooling of a photo for several kernels at
once."""
