"""Time the "why this prediction?" maps and the "what if?" experiments on the shipped LeNet-5.

    python benchmarks/bench_attribution.py [--runs 21]

Prints the median time of a saliency map, a Grad-CAM map (at C3), both together, an occlusion
map (5x5 patch, stride 1: 576 occluded copies through the network) and the randomisation
sanity check of each, after a warm-up call (JIT compile or cache load); then the what-if
view's own costs: the test accuracy of LeNet-5 with a filter switched off on 10,000 digits
(MNIST's test set when ../shared is there, else 10,000 random pictures: same cost), the
shift sweep and the top patches of a C3 filter over those 10,000 pictures. Targets from the
issue: occlusion <= 100 ms, saliency + Grad-CAM <= 20 ms, ablated test accuracy <= 1 s. The
host is noisy (+-30 %).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from timing import median_ms

MODEL = Path(__file__).resolve().parent.parent / "assets" / "models" / "lenet5.npz"
MNIST = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "mnist"



def a_digit() -> np.ndarray:
    """The first MNIST test digit when ../shared is there, else a drawn-looking 7."""
    if MNIST.is_dir():
        from convviz.core.training.data import images_to_float, load_mnist
        return images_to_float(load_mnist(MNIST).test_images[:1])[0]
    image = np.zeros((28, 28, 1), np.float32)
    image[6:8, 8:21] = 1.0
    for row in range(8, 23):
        column = 20 - (row - 8) * 8 // 15
        image[row, column - 1:column + 1] = 1.0
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    from convviz.core.attribution import grad_cam, occlusion_map, saliency_map, sanity_check
    from convviz.core.nn.serialization import load_model

    model = load_model(MODEL)
    image = a_digit()
    target = int(model.predict(image[None])[0].argmax())
    cases = {
        "saliency": lambda: saliency_map(model, image, target),
        "grad-cam (C3)": lambda: grad_cam(model, image, target),
        "saliency + grad-cam": lambda: (saliency_map(model, image, target),
                                        grad_cam(model, image, target)),
        "occlusion 5x5, stride 1": lambda: occlusion_map(model, image, target),
        "sanity check, saliency": lambda: sanity_check(saliency_map, model, image, target),
        "sanity check, occlusion": lambda: sanity_check(occlusion_map, model, image, target),
    }
    print(f"class {target}; medians of {args.runs} runs")
    for name, run in cases.items():
        print(f"{name:<26}{median_ms(run, args.runs):9.2f} ms")

    from convviz.core.experiments import WhatIf, shift_sweep, top_patches
    from convviz.core.training.data import images_to_float, load_mnist
    from convviz.core.training.evaluation import evaluate

    if MNIST.is_dir():
        data = load_mnist(MNIST)
        images, labels = data.test_images, data.test_labels
    else:
        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (10_000, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, 10_000)
    what_if = WhatIf(model)
    what_if.set_switched_off("C1", 2, True)
    ablated = model.clone()
    ablated.set_weights(what_if.weights())
    runs = max(3, args.runs // 4)
    print(f"what-if (medians of {runs} runs, {len(images):,} pictures)")
    accuracy = {}
    slow = {
        "ablated test accuracy": lambda: accuracy.update(
            value=evaluate(ablated, images, labels).accuracy),
        "shift sweep (13 shifts)": lambda: shift_sweep(model, image),
        "top patches of C3 #5": lambda: top_patches(model, "C3", 5, images_to_float(images)),
    }
    for name, run in slow.items():
        print(f"{name:<26}{median_ms(run, runs):9.2f} ms")
    print(f"accuracy with C1 #2 off: {100 * accuracy['value']:.2f} % "
          f"(trained: {100 * evaluate(model, images, labels).accuracy:.2f} %)")


if __name__ == "__main__":
    main()
