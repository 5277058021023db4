"""The Lab tab: design a network layer by layer, see what each layer does, hand it to training."""
