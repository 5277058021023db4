"""Shared checks of float32 layers against float64 references: closeness and finite differences."""

import naive
import numpy as np


def assert_close(actual, expected, tol=2e-5):
    """float32 engine vs float64 reference: relative to the reference's scale."""
    expected = np.asarray(expected)
    scale = max(1.0, float(np.abs(expected).max(initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * scale)


def check_gradients(layer, x, forward64, rng, count=6, training=True):
    """Run layer forward/backward with a random upstream gradient dy, then compare dx and every
    trainable parameter's gradient with float64 central differences of
    sum(forward64(x, *weights) * dy); forward64 takes all the layer's weights in Keras order."""
    y = layer.forward(x, training=training)
    dy = rng.uniform(-1, 1, y.shape)
    dx = layer.backward(dy.astype(np.float32))
    arrays = [x.astype(np.float64)] + [w.astype(np.float64) for w in layer.get_weights()]
    checked = [0] + [1 + layer.param_names.index(name) for name in layer.trainable_names]
    analytic = [dx] + [layer.grads[name].copy() for name in layer.trainable_names]

    def loss():
        return float(np.sum(forward64(*arrays) * dy))

    for position, gradient in zip(checked, analytic, strict=True):
        array = arrays[position]
        assert gradient.shape == array.shape
        indices = rng.choice(array.size, size=min(count, array.size), replace=False)
        numeric = naive.numerical_gradient(loss, array, indices)
        assert_close(gradient.reshape(-1)[indices], numeric, 1e-4)
    return y
