"""Training speed and memory on real MNIST: epoch time, time to 99% test accuracy, peak memory.

    python benchmarks/bench_training.py [--data DIR] [--arch modern] [--batch-size 128]
                                        [--target-batch-size 64] [--skip epoch,target,memory]

epoch:  one epoch over all 60,000 training images (no validation), after a short warm-up that
        loads or compiles the Numba kernels; with and without augmentation.
target: training wall time until the test accuracy first reaches --target (default 99.0%),
        checked every half epoch (the checks are not counted). The recipe: Adam at --lr,
        batch --target-batch-size, cosine schedule over --max-epochs epochs, augmentation
        (--no-augment to leave it out).
memory: peak resident memory (ru_maxrss) of a `convviz train` run of --memory-epochs epochs
        in a subprocess, test evaluation included.

Prints figures; it is not a test. The host is shared and noisy: note the load average.
"""

from __future__ import annotations

import argparse
import itertools
import os
import resource
import subprocess
import sys
import tempfile
import time

from convviz.core.training.data import load_mnist, resolve_data_dir
from convviz.core.training.evaluation import evaluate
from convviz.core.training.trainer import StepRecord, Trainer, TrainingConfig


def warm_up(mnist, arch: str, batch_size: int) -> None:
    """Run a few steps so kernel compilation or cache loading is not timed."""
    config = TrainingConfig(arch=arch, batch_size=batch_size, validation_size=0, augment=True)
    for _ in itertools.islice(Trainer(config, mnist.train_images[:2048],
                                      mnist.train_labels[:2048]).run(), 5):
        pass


def time_epoch(mnist, arch: str, batch_size: int, augment: bool) -> float:
    config = TrainingConfig(arch=arch, epochs=1, batch_size=batch_size, validation_size=0,
                            augment=augment)
    trainer = Trainer(config, mnist.train_images, mnist.train_labels)
    started = time.perf_counter()
    for _ in trainer.run():
        pass
    return time.perf_counter() - started


def time_to_target(mnist, config: TrainingConfig,
                   target: float) -> tuple[float | None, float, int]:
    """(training seconds until test accuracy >= target or None, best accuracy, steps)."""
    trainer = Trainer(config, mnist.train_images, mnist.train_labels)
    check_every = max(trainer.batches_per_epoch // 2, 1)
    training_seconds, best = 0.0, 0.0
    started = time.perf_counter()
    for record in trainer.run():
        if not isinstance(record, StepRecord) or record.step % check_every:
            continue
        training_seconds += time.perf_counter() - started
        accuracy = evaluate(trainer.model, mnist.test_images, mnist.test_labels).accuracy
        best = max(best, accuracy)
        print(f"    {record.step / trainer.batches_per_epoch:4.1f} epochs  "
              f"{training_seconds:6.1f} s  test accuracy {accuracy:.2%}", flush=True)
        if accuracy >= target:
            return training_seconds, best, record.step
        started = time.perf_counter()
    return None, best, trainer.step


def peak_memory_mb(data_dir: str, arch: str, batch_size: int, epochs: int) -> float:
    """ru_maxrss of a `convviz train` subprocess, in MB (Linux reports kilobytes)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "convviz", "train", "--data", data_dir, "--arch", arch,
             "--batch-size", str(batch_size), "--epochs", str(epochs), "--augment",
             "--out", os.path.join(folder, "model.npz")],
            check=True, stderr=subprocess.DEVNULL)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)")
    parser.add_argument("--arch", default="modern")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.002, help="Adam's rate for 'target'")
    parser.add_argument("--target", type=float, default=0.99)
    parser.add_argument("--target-batch-size", type=int, default=64)
    parser.add_argument("--no-augment", action="store_true", help="no augmentation in 'target'")
    parser.add_argument("--max-epochs", type=int, default=6)
    parser.add_argument("--memory-epochs", type=int, default=1)
    parser.add_argument("--skip", default="", help="comma-separated: epoch, target, memory")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    data_dir = str(resolve_data_dir(args.data))
    mnist = load_mnist(data_dir)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; LeNet-5 {args.arch}, "
          f"batch {args.batch_size}", flush=True)
    warm_up(mnist, args.arch, args.batch_size)
    if "epoch" not in skip:
        for augment in (False, True):
            seconds = time_epoch(mnist, args.arch, args.batch_size, augment)
            print(f"epoch of 60,000 images{' (augmented)' if augment else ''}: {seconds:.1f} s "
                  f"({60_000 / seconds:,.0f} img/s)", flush=True)
    if "target" not in skip:
        config = TrainingConfig(arch=args.arch, epochs=args.max_epochs,
                                batch_size=args.target_batch_size, learning_rate=args.lr,
                                schedule="cosine", augment=not args.no_augment,
                                validation_size=0)
        print(f"time to {args.target:.1%} test accuracy (Adam lr {args.lr}, batch "
              f"{args.target_batch_size}, cosine over {args.max_epochs} epochs, "
              f"{'no ' if args.no_augment else ''}augmentation):", flush=True)
        seconds, best, steps = time_to_target(mnist, config, args.target)
        print(f"  reached in {seconds:.1f} s of training ({steps} steps)" if seconds is not None
              else f"  not reached in {args.max_epochs} epochs (best {best:.2%})")
    if "memory" not in skip:
        megabytes = peak_memory_mb(data_dir, args.arch, args.batch_size, args.memory_epochs)
        print(f"peak memory of `convviz train --epochs {args.memory_epochs} --augment`: "
              f"{megabytes:.0f} MB")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
