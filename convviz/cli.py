"""Command-line entry: `convviz <command>`; each subcommand is one `_add_*` / `_run_*` pair.

Only the standard library is imported at the top; each `_run_*` imports what its command
needs. So `convviz --help` loads no third-party package and `convviz download` only NumPy and
pooch: neither waits for Numba or Qt (tests/test_cli.py checks it).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from convviz.cli_checks import capped_batch_size, default_checkpoint, output_problem
from convviz.core.formatting import format_duration

if TYPE_CHECKING:
    from convviz.core.training.data import MnistData


def _add_download_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("download", help="download MNIST (checksummed)")
    parser.add_argument(
        "--data", metavar="DIR", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)"
    )
    parser.set_defaults(func=_run_download)


class _TextProgress:
    """A carriage-return progress bar on stderr, one line per file."""

    WIDTH = 30

    def __init__(self) -> None:
        self.line_open = False

    def __call__(self, file_name: str, done: int, total: int) -> None:
        filled = self.WIDTH * done // total if total else 0
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        size = f"{done // 1000:,}/{total // 1000:,} kB" if total else f"{done // 1000:,} kB"
        sys.stderr.write(f"\r{file_name:<28} [{bar}] {size}")
        self.line_open = done != total
        if not self.line_open:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def end_line(self) -> None:
        """Finish an interrupted bar so the next message starts on its own line."""
        if self.line_open:
            sys.stderr.write("\n")
            self.line_open = False


def _run_download(args: argparse.Namespace) -> int:
    import pooch

    from convviz.core.training import data

    pooch.get_logger().setLevel("WARNING")  # the bar already says what pooch would log
    folder = data.resolve_data_dir(args.data)
    progress = _TextProgress()
    try:
        data.download_mnist(folder, progress)
    except data.DatasetError as exc:
        progress.end_line()
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.end_line()
        print("Download cancelled; no partial file was kept.", file=sys.stderr)
        return 130
    print(f"MNIST files are in {folder}", file=sys.stderr)
    return 0


def _load_mnist_or_explain(data_dir: str | None) -> MnistData | None:
    """MNIST from --data / $CONVVIZ_DATA / the cache, or None after saying what to do."""
    from convviz.core.training import data

    folder = data.resolve_data_dir(data_dir)
    try:
        missing = data.missing_files(folder)
        if missing:
            print(f"MNIST was not found in {folder} (missing {', '.join(missing)}).\n"
                  "Run `convviz download` first, or pass --data DIR (or set CONVVIZ_DATA).",
                  file=sys.stderr)
            return None
        return data.load_mnist(folder)
    except data.DatasetError as exc:
        print(f"{exc}\nRun `convviz download` to fetch fresh copies.", file=sys.stderr)
        return None


_TRAIN_SETTINGS = {  # command-line option -> TrainingConfig field (None: not given)
    "arch": "arch", "epochs": "epochs", "batch_size": "batch_size", "optimizer": "optimizer",
    "lr": "learning_rate", "momentum": "momentum", "weight_decay": "weight_decay",
    "dropout": "dropout", "augment": "augment", "schedule": "schedule", "seed": "seed",
    "validation_size": "validation_size", "patience": "patience",
}


def _add_train_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train LeNet-5 on MNIST with a live progress bar",
        description="Train LeNet-5 on the MNIST training set (a validation split held out), "
                    "checkpoint every epoch, save the model and report its test accuracy.")
    parser.add_argument(
        "--data", metavar="DIR", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)")
    parser.add_argument("--arch", help="LeNet-5 variant: classic (tanh, average pooling) or "
                                       "modern (ReLU, max pooling; default)")
    parser.add_argument("--epochs", type=int, help="passes over the training set (default 10)")
    parser.add_argument("--batch-size", type=int, help="images per step (default 64)")
    parser.add_argument("--optimizer", help="sgd, momentum, nesterov, adagrad, rmsprop or adam "
                                            "(default)")
    parser.add_argument("--lr", type=float, help="learning rate (default: the optimizer's usual)")
    parser.add_argument("--momentum", type=float, help="for momentum and nesterov (default 0.9)")
    parser.add_argument("--weight-decay", type=float, help="L2 penalty on kernels (default 0)")
    parser.add_argument("--dropout", type=float, help="dropout rate before F6 and the output")
    parser.add_argument("--augment", action="store_true", default=None,
                        help="random shifts, rotations and scaling of the training images")
    parser.add_argument("--schedule", help="learning-rate schedule: constant (default), step "
                                           "(x0.1 every 5 epochs) or cosine")
    parser.add_argument("--seed", type=int, help="random seed (default 0); same seed, same run")
    parser.add_argument("--validation-size", type=int,
                        help="training images held out for validation (default 5000)")
    parser.add_argument("--patience", type=int,
                        help="stop after this many epochs without a better validation loss")
    parser.add_argument("--out", metavar="PATH", default="lenet5.npz",
                        help="where to save the trained model (default lenet5.npz)")
    parser.add_argument("--checkpoint", metavar="PATH",
                        help="checkpoint written every epoch (default: OUT with .ckpt.npz)")
    parser.add_argument("--resume", metavar="PATH",
                        help="continue from a checkpoint with its settings (--epochs may grow)")
    parser.set_defaults(func=_run_train)


class _TrainingProgress:
    """A carriage-return progress line on stderr, redrawn at most 10 times a second."""

    WIDTH = 20
    INTERVAL = 0.1

    def __init__(self, batch_size: int) -> None:
        self.batch_size = batch_size
        self.line_open = False
        self.last_draw = 0.0

    def step(self, record) -> None:
        now = time.monotonic()
        if now - self.last_draw < self.INTERVAL and record.batch != record.batches:
            return
        self.last_draw = now
        filled = self.WIDTH * record.batch // record.batches
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        remaining = ((record.batches - record.batch)
                     + (record.epochs - record.epoch) * record.batches) * self.batch_size
        eta = format_duration(remaining / max(record.images_per_second, 1e-9))
        sys.stderr.write(
            f"\repoch {record.epoch}/{record.epochs} [{bar}] {record.batch}/{record.batches}"
            f"  loss {record.epoch_loss:.4f}  acc {record.epoch_accuracy:6.2%}"
            f"  {record.images_per_second:,.0f} img/s  ETA {eta}  ")
        sys.stderr.flush()
        self.line_open = True

    def epoch(self, record) -> None:
        self.end_line()
        validation = ("" if record.val_loss is None else
                      f"  val_loss {record.val_loss:.4f}  val_acc {record.val_accuracy:6.2%}"
                      + (" *" if record.improved else ""))
        print(f"epoch {record.epoch}/{record.epochs}  loss {record.train_loss:.4f}  "
              f"acc {record.train_accuracy:6.2%}{validation}  lr {record.learning_rate:.3g}  "
              f"{record.seconds:.1f} s  {record.images_per_second:,.0f} img/s", file=sys.stderr)

    def end_line(self) -> None:
        if self.line_open:
            sys.stderr.write("\r" + " " * 100 + "\r")
            self.line_open = False


def _run_train(args: argparse.Namespace) -> int:
    from convviz.core.nn.serialization import save_model
    from convviz.core.training.checkpoint import CheckpointError
    from convviz.core.training.evaluation import evaluate
    from convviz.core.training.trainer import FinishedRecord, StepRecord, Trainer, TrainingConfig

    settings = {field: getattr(args, option) for option, field in _TRAIN_SETTINGS.items()
                if getattr(args, option) is not None}
    if args.resume and set(settings) - {"epochs"}:
        given = ", ".join("--" + option.replace("_", "-") for option, field
                          in _TRAIN_SETTINGS.items() if field in settings and field != "epochs")
        print(f"convviz train: --resume continues with the checkpoint's settings; only --epochs "
              f"may change (got {given})", file=sys.stderr)
        return 2
    problem = output_problem(args.out, args.checkpoint or args.resume)
    if problem:
        print(f"convviz train: {problem}", file=sys.stderr)
        return 1
    out = Path(args.out)
    checkpoint_path = args.checkpoint or args.resume or default_checkpoint(args.out)
    try:
        config = None if args.resume else TrainingConfig(**settings,
                                                         checkpoint_path=checkpoint_path)
    except ValueError as exc:
        print(f"convviz train: {exc}", file=sys.stderr)
        return 2
    mnist = _load_mnist_or_explain(args.data)
    if mnist is None:
        return 1
    try:
        if args.resume:
            trainer = Trainer.from_checkpoint(args.resume, mnist.train_images, mnist.train_labels,
                                              epochs=settings.get("epochs"),
                                              checkpoint_path=args.checkpoint)
        else:
            batch_size, notice = capped_batch_size(
                config.batch_size, len(mnist.train_labels) - config.validation_size)
            if notice:
                print(notice, file=sys.stderr)
                config = dataclasses.replace(config, batch_size=batch_size)
            trainer = Trainer(config, mnist.train_images, mnist.train_labels)
    except (CheckpointError, ValueError) as exc:
        print(f"convviz train: {exc}", file=sys.stderr)
        return 1
    config = trainer.config
    held_out = f" ({config.validation_size:,} held out for validation)"
    print(f"Training {trainer.model.name} on {len(mnist.train_labels):,} images"
          f"{held_out if config.validation_size else ''}: {config.optimizer} lr "
          f"{config.initial_learning_rate:g}, batch {config.batch_size}, {config.epochs} epochs, "
          f"{config.schedule} schedule{', augmented' if config.augment else ''}"
          + (f" (resuming after epoch {trainer.epoch})" if args.resume else ""), file=sys.stderr)
    progress = _TrainingProgress(config.batch_size)
    records = trainer.run()
    started = time.monotonic()
    checkpointed = bool(args.resume)  # a checkpoint exists once an epoch record came back
    try:
        for record in records:
            if isinstance(record, StepRecord):
                progress.step(record)
            elif isinstance(record, FinishedRecord):
                finished = record
            else:
                progress.epoch(record)
                checkpointed = True
    except KeyboardInterrupt:
        records.close()
        progress.end_line()
        print(f"Training stopped. Resume with: convviz train --resume {config.checkpoint_path}"
              if checkpointed else "Training stopped before the first checkpoint was written.",
              file=sys.stderr)
        return 130
    except OSError as exc:  # the checkpoint could not be written
        progress.end_line()
        print(f"convviz train: {exc}", file=sys.stderr)
        return 1
    progress.end_line()
    print(finished.message, file=sys.stderr)
    if finished.diverged:  # say plainly what is on disk: the weights were kept in memory only
        print(f"Nothing was saved to {out}"
              + (f"; the last checkpoint is {config.checkpoint_path}." if checkpointed else "."),
              file=sys.stderr)
        return 1
    try:
        save_model(trainer.model, out)
    except (OSError, ValueError) as exc:
        print(f"convviz train: the model was not saved: {exc}", file=sys.stderr)
        return 1
    result = evaluate(trainer.model, mnist.test_images, mnist.test_labels)
    correct = int(round(result.accuracy * result.count))
    print(f"Training time {format_duration(time.monotonic() - started)}. Test accuracy "
          f"{result.accuracy:.2%} ({correct:,} of {result.count:,}). Model saved to {out}; "
          f"checkpoint in {config.checkpoint_path}.", file=sys.stderr)
    return 0


def _add_evaluate_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="test a model on the MNIST test set",
        description="Test accuracy, per-class accuracy and the confusion matrix of a model on "
                    "the 10,000 MNIST test images.")
    parser.add_argument("model", metavar="MODEL", help="model file (.npz) from convviz train")
    parser.add_argument(
        "--data", metavar="DIR", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)")
    parser.add_argument("--json", action="store_true",
                        help="print machine-readable JSON (accuracy, per_class, confusion, ...)")
    parser.set_defaults(func=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from convviz.core.nn.serialization import ModelFileError, load_model
    from convviz.core.training import data
    from convviz.core.training.evaluation import evaluate

    try:
        model = load_model(args.model)
    except ModelFileError as exc:
        print(f"convviz evaluate: {exc}", file=sys.stderr)
        return 1
    if model.input_shape != (data.IMAGE_SIZE, data.IMAGE_SIZE, 1) or model.output_shape != (
            data.NUM_CLASSES,):
        print(f"convviz evaluate: {args.model} maps {model.input_shape} to {model.output_shape}; "
              "an MNIST model maps (28, 28, 1) images to 10 classes", file=sys.stderr)
        return 1
    mnist = _load_mnist_or_explain(args.data)
    if mnist is None:
        return 1
    result = evaluate(model, mnist.test_images, mnist.test_labels)
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    correct = int(round(result.accuracy * result.count))
    print(f"Test accuracy: {result.accuracy:.2%} ({correct:,} of {result.count:,} images)\n")
    print("Per-class accuracy:")
    print("  " + "  ".join(f"{digit}: {value:.2%}" for digit, value in enumerate(result.per_class)))
    print("\nConfusion matrix (rows: true digit, columns: predicted digit):")
    print("     " + "".join(f"{digit:>6}" for digit in range(len(result.confusion))))
    for digit, row in enumerate(result.confusion):
        print(f"{digit:>5}" + "".join(f"{count:>6}" for count in row))
    mistakes = result.most_confident_mistakes(5)
    if mistakes:
        print("\nMost confident mistakes (test index: true -> predicted, confidence):")
        for mistake in mistakes:
            print(f"  #{mistake.index}: {mistake.true_label} -> {mistake.predicted_label} "
                  f"({mistake.confidence:.1%})")
    return 0


def _add_bench_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="measure training speed, batch-1 latency, conv GFLOP/s and JIT start-up")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a rough check)")
    parser.add_argument("--no-startup", action="store_true",
                        help="skip the JIT start-up runs (they compile every kernel from scratch)")
    parser.set_defaults(func=_run_bench)


def _run_bench(args: argparse.Namespace) -> int:
    from convviz.core import benchmark

    def say(message: str) -> None:
        print(f"... {message}", file=sys.stderr, flush=True)

    result = benchmark.run(quick=args.quick, startup=not args.no_startup, progress=say)
    print(json.dumps(result.as_dict(), indent=2) if args.json else benchmark.format_result(result))
    return 0


def _run_gui(image: str | None) -> int:
    """Open the app (Qt is imported only here, so the other commands start fast)."""
    from convviz.gui.app import run

    return run(image)


def build_parser() -> argparse.ArgumentParser:
    """The `convviz` parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="convviz", description="Watch a convolutional neural network work.",
        usage="%(prog)s [-h] [IMAGE | COMMAND ...]",
        epilog="Without a command, opens the app, showing IMAGE if one is given.",
    )
    subparsers = parser.add_subparsers(dest="command", prog="convviz")
    _add_download_command(subparsers)
    _add_train_command(subparsers)
    _add_evaluate_command(subparsers)
    _add_bench_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand named in `argv` (default: the process arguments); return exit code.

    Ctrl-C anywhere (while importing, reading data, evaluating) ends with one line, never a
    traceback; commands that can say more (train, download) catch it themselves first.
    """
    try:
        parser = build_parser()
        argv = sys.argv[1:] if argv is None else list(argv)
        if _opens_app(parser, argv):
            return _run_gui(argv[0] if argv else None)
        args = parser.parse_args(argv)
        return args.func(args)
    except KeyboardInterrupt:
        print("\nconvviz: interrupted.", file=sys.stderr)
        return 130


def _opens_app(parser: argparse.ArgumentParser, argv: list[str]) -> bool:
    """No arguments, or a single one that is neither an option nor a command (an IMAGE)."""
    commands = {name for action in parser._actions
                if isinstance(action, argparse._SubParsersAction) for name in action.choices}
    return not argv or (len(argv) == 1 and not argv[0].startswith("-")
                        and argv[0] not in commands)
