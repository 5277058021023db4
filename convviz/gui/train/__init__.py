"""The Train tab: settings, live curves, kernels following, test results, MNIST dialog."""
