"""The Stepper tab: a convolution or pooling one receptive field at a time."""
