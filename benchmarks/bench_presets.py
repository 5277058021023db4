"""The architecture presets on real and generated data: accuracy, time to a target, memory.

    python benchmarks/bench_presets.py mlp    [--data DIR] [--max-epochs 6]   # target 97%
    python benchmarks/bench_presets.py vgg    [--data DIR] [--max-epochs 6]   # target 99.2%
    python benchmarks/bench_presets.py colour [--images 50000] [--epochs 1]

mlp, vgg: the MLP baseline / the small VGG-style CNN trained on the 60,000 MNIST training
          images (Adam, batch 64, cosine schedule over --max-epochs, no augmentation), the
          test accuracy checked every half epoch (checks not counted) until --target or the
          last epoch: the wall time to the target, or the best accuracy if it was not reached.
colour:   the small colour CNN's wall time per epoch over --images generated 32x32x3 images
          (10 classes of coloured squares; CIFAR-10 cannot be downloaded on build machines).
Each mode ends with the process's peak resident memory (ru_maxrss). Run one mode per process
so each peak is its own. Prints figures; it is not a test. The host is shared: note the load.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import time

import numpy as np
from bench_training import time_to_target

from convviz.core.nn.presets import build_preset
from convviz.core.training.data import load_mnist, resolve_data_dir
from convviz.core.training.evaluation import evaluate
from convviz.core.training.trainer import Trainer, TrainingConfig

PRESET_OF = {"mlp": "mlp", "vgg": "small-vgg", "colour": "colour-cnn"}
TARGET_OF = {"mlp": 0.97, "vgg": 0.992}


def warm_up(arch: str, images: np.ndarray, labels: np.ndarray, classes: int = 10) -> None:
    """A few steps so kernel compilation or cache loading is not timed."""
    config = TrainingConfig(arch=arch, classes=classes, batch_size=64, validation_size=0)
    for _ in itertools.islice(Trainer(config, images[:1024], labels[:1024]).run(), 5):
        pass


def generated_colour_images(count: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (count, 32, 32, 3) noisy images of 10 classes: a square of class k's colour
    (the same ten colours for every seed; the seed draws the noise and the squares' places)."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(count) % 10).astype(np.uint8)
    images = rng.integers(0, 100, (count, 32, 32, 3), dtype=np.uint8)
    colours = np.random.default_rng(12345).integers(100, 256, (10, 3), dtype=np.uint8)
    corners = rng.integers(0, 16, (count, 2))
    for index, (label, (top, left)) in enumerate(zip(labels, corners, strict=True)):
        images[index, top:top + 16, left:left + 16] = colours[label]
    return images, labels


def run_mnist(mode: str, args: argparse.Namespace) -> None:
    arch, target = PRESET_OF[mode], args.target or TARGET_OF[mode]
    mnist = load_mnist(resolve_data_dir(args.data))
    warm_up(arch, mnist.train_images, mnist.train_labels)
    config = TrainingConfig(arch=arch, epochs=args.max_epochs, batch_size=64,
                            learning_rate=args.lr, schedule="cosine", validation_size=0)
    print(f"{arch}: {build_preset(arch).count_params():,} parameters; time to {target:.1%} test "
          f"accuracy (Adam lr {config.initial_learning_rate}, batch 64, cosine over "
          f"{args.max_epochs} epochs, no augmentation):", flush=True)
    started = time.perf_counter()
    seconds, best, steps = time_to_target(mnist, config, target)
    print(f"  reached in {seconds:.1f} s of training ({steps} steps)" if seconds is not None
          else f"  not reached in {args.max_epochs} epochs (best {best:.2%})")
    print(f"  whole run {time.perf_counter() - started:.0f} s wall (test checks included)")


def run_colour(args: argparse.Namespace) -> None:
    images, labels = generated_colour_images(args.images)
    warm_up("colour-cnn", images, labels)
    config = TrainingConfig(arch="colour-cnn", epochs=args.epochs, batch_size=64,
                            validation_size=0)
    trainer = Trainer(config, images, labels)
    print(f"colour-cnn: {trainer.model.count_params():,} parameters, {len(images):,} generated "
          "32x32x3 images, batch 64, Adam:", flush=True)
    for record in trainer.run():
        if hasattr(record, "train_loss"):
            print(f"  epoch {record.epoch}: {record.seconds:.1f} s "
                  f"({record.images_per_second:,.0f} img/s), loss {record.train_loss:.3f}, "
                  f"accuracy {record.train_accuracy:.2%}", flush=True)
    held_out = generated_colour_images(2000, seed=1)
    print(f"  accuracy on 2,000 new generated images: "
          f"{evaluate(trainer.model, *held_out).accuracy:.2%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("mlp", "vgg", "colour"))
    parser.add_argument("--data", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)")
    parser.add_argument("--max-epochs", type=int, default=6)
    parser.add_argument("--target", type=float, help="default: 0.97 (mlp), 0.992 (vgg)")
    parser.add_argument("--lr", type=float, default=0.001, help="Adam's learning rate")
    parser.add_argument("--images", type=int, default=50_000, help="colour: generated images")
    parser.add_argument("--epochs", type=int, default=1, help="colour: epochs timed")
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}", flush=True)
    if args.mode == "colour":
        run_colour(args)
    else:
        run_mnist(args.mode, args)
    print(f"peak memory (ru_maxrss of this process): "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
          f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
