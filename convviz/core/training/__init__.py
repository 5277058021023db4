"""The training pipeline: MNIST data, augmentation, the generator Trainer, checkpoints and
evaluation."""
