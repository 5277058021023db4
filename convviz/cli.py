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
    import numpy as np

    from convviz.core.nn.model import Sequential
    from convviz.core.training.data import MnistData


def _add_download_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "download", help="download MNIST, Fashion-MNIST or CIFAR-10 (checksummed)")
    parser.add_argument(
        "--data", metavar="DIR", help="the dataset's folder (default for MNIST: $CONVVIZ_DATA "
                                      "or the user cache; others: the user cache)"
    )
    _add_dataset_name_option(parser)
    parser.set_defaults(func=_run_download)


def _add_dataset_name_option(parser: argparse.ArgumentParser, folders: bool = False) -> None:
    parser.add_argument(
        "--dataset", default="mnist", metavar="NAME" + (" | FOLDER" if folders else ""),
        help="mnist (default), fashion-mnist or cifar10"
             + (", or a folder holding one sub-folder of images per class" if folders else ""))


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

    from convviz.core.training import data, datasets

    pooch.get_logger().setLevel("WARNING")  # the bar already says what pooch would log
    spec = datasets.DATASETS.get(args.dataset)
    if spec is None:
        print(f"convviz download: --dataset must be one of {', '.join(datasets.DATASETS)}; got "
              f"{args.dataset!r}", file=sys.stderr)
        return 2
    folder = datasets.dataset_dir(spec, args.data)
    progress = _TextProgress()
    try:
        if spec is datasets.MNIST:
            data.download_mnist(folder, progress)
        else:
            data.download_files(folder, spec.files, spec.mirrors, progress, title=spec.title)
    except data.DatasetError as exc:
        progress.end_line()
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        progress.end_line()
        print("Download cancelled; no partial file was kept.", file=sys.stderr)
        return 130
    print(f"{spec.title} files are in {folder}", file=sys.stderr)
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


@dataclasses.dataclass(frozen=True, eq=False)
class _Dataset:
    """What `--dataset` named, loaded: uint8 images and labels; `test` is None for a folder."""

    title: str
    train: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray] | None
    class_names: tuple[str, ...]


_DEFAULT_FOLDER_SHAPE = (32, 32, 3)  # a folder's images for a preset: the colour CNN's size


def _load_dataset_or_explain(args: argparse.Namespace,
                             input_shape: tuple[int, ...] | None) -> _Dataset | None:
    """The dataset --dataset names (a folder's images resized for `input_shape`, default
    32x32 RGB), or None after saying what to do."""
    from convviz.core.training import data, datasets

    if args.dataset == "mnist":
        mnist = _load_mnist_or_explain(args.data)
        return None if mnist is None else _Dataset(
            "MNIST", (mnist.train_images, mnist.train_labels),
            (mnist.test_images, mnist.test_labels), datasets.MNIST.class_names)
    spec = datasets.DATASETS.get(args.dataset)
    if spec is not None:
        try:
            train, test = datasets.load_data(spec, args.data, download=False)
        except data.DatasetError as exc:
            print(f"{exc}\nRun `convviz download --dataset {args.dataset}` first, or pass "
                  "--data DIR.", file=sys.stderr)
            return None
        return _Dataset(spec.title, train, test, spec.class_names)
    if not Path(args.dataset).is_dir():
        print(f"--dataset must be {', '.join(datasets.DATASETS)} or a folder of class "
              f"sub-folders; {args.dataset!r} is none of these", file=sys.stderr)
        return None
    return _load_folder_or_explain(Path(args.dataset), input_shape or _DEFAULT_FOLDER_SHAPE)


def _load_folder_or_explain(folder: Path, input_shape: tuple[int, ...]) -> _Dataset | None:
    """Every image of `folder` (one sub-folder per class), resized to `input_shape`."""
    import warnings

    from convviz.core.training.data import DatasetError
    from convviz.core.training.image_folders import (
        SkippedFilesWarning,
        image_dataset_from_directory,
    )

    if len(input_shape) != 3 or input_shape[2] not in (1, 3):
        print(f"a folder of pictures needs a model taking (height, width, 1 or 3) images, not "
              f"{input_shape}", file=sys.stderr)
        return None
    mode = "grayscale" if input_shape[2] == 1 else "rgb"
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SkippedFilesWarning)
            loaded = image_dataset_from_directory(folder, tuple(input_shape[:2]), mode, seed=0)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return None
    for warning in caught:
        print(warning.message, file=sys.stderr)
    print(f"{len(loaded.labels):,} pictures of {len(loaded.class_names)} classes "
          f"({', '.join(loaded.class_names)}) from {folder}, resized to "
          f"{'x'.join(map(str, input_shape))}", file=sys.stderr)
    return _Dataset(folder.name, (loaded.images, loaded.labels), None, loaded.class_names)


def _read_model_or_explain(name: str, command: str) -> Sequential | None:
    """The model, architecture or preset `name` names (see core.nn.model_files), or None."""
    from convviz.core.nn.model_files import read_model
    from convviz.core.nn.serialization import ModelFileError

    try:
        return read_model(name)
    except ModelFileError as exc:
        print(f"convviz {command}: {exc}", file=sys.stderr)
        return None


_PRESET_NAMES = ("lenet5-classic", "lenet5-modern", "mlp", "small-vgg", "one-5x5", "two-3x3",
                 "colour-cnn")  # core.nn.presets.PRESETS, named here so --help imports no NumPy

_TRAIN_SETTINGS = {  # command-line option -> TrainingConfig field (None: not given)
    "arch": "arch", "epochs": "epochs", "batch_size": "batch_size", "optimizer": "optimizer",
    "lr": "learning_rate", "momentum": "momentum", "weight_decay": "weight_decay",
    "dropout": "dropout", "augment": "augment", "schedule": "schedule", "seed": "seed",
    "validation_size": "validation_size", "patience": "patience",
}


def _add_train_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train a network (LeNet-5, a preset or your own) with a live progress bar",
        description="Train a network on a dataset's training set (a validation split held "
                    "out), checkpoint every epoch, save the model and report its test accuracy.")
    parser.add_argument(
        "--data", metavar="DIR", help="the dataset's folder (default for MNIST: $CONVVIZ_DATA or "
                                      "the user cache)")
    _add_dataset_name_option(parser, folders=True)
    parser.add_argument("--arch", help="LeNet-5 variant classic (tanh, average pooling) or "
                                       "modern (ReLU, max pooling; default), or a preset: "
                                       + ", ".join(_PRESET_NAMES))
    parser.add_argument("--model", metavar="FILE",
                        help="train this model instead: a model file (.npz, its weights are the "
                             "start) or an architecture (.json, as get_config() writes it)")
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
    parser.add_argument("--out", metavar="PATH",
                        help="where to save the trained model (default: the model's name .npz, "
                             "lenet5.npz for LeNet-5)")
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
    if args.resume and (set(settings) - {"epochs"} or args.model):
        given = ", ".join(["--" + option.replace("_", "-") for option, field
                           in _TRAIN_SETTINGS.items() if field in settings and field != "epochs"]
                          + (["--model"] if args.model else []))
        print(f"convviz train: --resume continues with the checkpoint's settings; only --epochs "
              f"may change (got {given})", file=sys.stderr)
        return 2
    if args.model and args.arch:
        print("convviz train: give --model or --arch, not both", file=sys.stderr)
        return 2
    out_name = args.out if args.out is not None else _default_out(args)
    problem = output_problem(out_name, args.checkpoint or args.resume)
    if problem:
        print(f"convviz train: {problem}", file=sys.stderr)
        return 1
    out = Path(out_name)
    checkpoint_path = args.checkpoint or args.resume or default_checkpoint(out_name)
    try:
        config = None if args.resume else TrainingConfig(**settings,
                                                         checkpoint_path=checkpoint_path)
    except ValueError as exc:
        print(f"convviz train: {exc}", file=sys.stderr)
        return 2
    model = _read_model_or_explain(args.model, "train") if args.model else None
    if args.model and model is None:
        return 1
    dataset = _load_dataset_or_explain(args, _training_input_shape(args, model))
    if dataset is None:
        return 1
    images, labels = dataset.train
    try:
        if args.resume:
            trainer = Trainer.from_checkpoint(args.resume, images, labels,
                                              epochs=settings.get("epochs"),
                                              checkpoint_path=args.checkpoint)
        else:
            config = dataclasses.replace(config, classes=len(dataset.class_names))
            batch_size, notice = capped_batch_size(config.batch_size,
                                                   len(labels) - config.validation_size)
            if notice:
                print(notice, file=sys.stderr)
                config = dataclasses.replace(config, batch_size=batch_size)
            trainer = Trainer(config, images, labels, model=model)
    except (CheckpointError, ValueError) as exc:
        print(f"convviz train: {exc}", file=sys.stderr)
        return 1
    config = trainer.config
    held_out = f" ({config.validation_size:,} held out for validation)"
    print(f"Training {trainer.model.name} on {len(labels):,} {dataset.title} images"
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
    if dataset.test is None:
        tested = f"{dataset.title} has no separate test set: the validation accuracy above is it"
    else:
        result = evaluate(trainer.model, *dataset.test)
        correct = int(round(result.accuracy * result.count))
        tested = f"Test accuracy {result.accuracy:.2%} ({correct:,} of {result.count:,})"
    print(f"Training time {format_duration(time.monotonic() - started)}. {tested}. Model saved "
          f"to {out}; checkpoint in {config.checkpoint_path}.", file=sys.stderr)
    return 0


def _default_out(args: argparse.Namespace) -> str:
    """lenet5.npz for LeNet-5 (as always), else named after the preset, model or checkpoint."""
    if args.resume:
        return Path(args.resume).name.removesuffix(".npz").removesuffix(".ckpt") + ".npz"
    if args.model:
        return Path(args.model).stem + "-trained.npz"
    if args.arch in (None, "classic", "modern", "lenet5-classic", "lenet5-modern"):
        return "lenet5.npz"
    return f"{args.arch}.npz"


def _training_input_shape(args: argparse.Namespace,
                          model: Sequential | None) -> tuple[int, ...] | None:
    """The image shape the network trains on, when it is known before the data is loaded."""
    if model is not None:
        return model.input_shape
    if args.resume and Path(args.dataset).is_dir():
        from convviz.core.training.checkpoint import CheckpointError, load_checkpoint
        try:
            return load_checkpoint(args.resume).model.input_shape
        except CheckpointError:
            return None  # Trainer.from_checkpoint explains it
    return None


def _add_evaluate_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evaluate", help="test a model on a dataset's test set",
        description="Test accuracy, per-class accuracy and the confusion matrix of a model on "
                    "a dataset's test images (the 10,000 MNIST ones by default; every picture "
                    "of a folder).")
    parser.add_argument("model", metavar="MODEL", help="model file (.npz) from convviz train")
    parser.add_argument(
        "--data", metavar="DIR", help="the dataset's folder (default for MNIST: $CONVVIZ_DATA or "
                                      "the user cache)")
    _add_dataset_name_option(parser, folders=True)
    parser.add_argument("--json", action="store_true",
                        help="print machine-readable JSON (accuracy, per_class, confusion, ...)")
    parser.set_defaults(func=_run_evaluate)


def _run_evaluate(args: argparse.Namespace) -> int:
    from convviz.core.training.evaluation import evaluate

    model = _read_model_or_explain(args.model, "evaluate")
    if model is None:
        return 1
    dataset = _load_dataset_or_explain(args, model.input_shape)
    if dataset is None:
        return 1
    if model.output_shape != (len(dataset.class_names),):
        print(f"convviz evaluate: {args.model} has {model.output_shape[-1]} outputs but "
              f"{dataset.title} has {len(dataset.class_names)} classes", file=sys.stderr)
        return 1
    try:
        result = evaluate(model, *(dataset.test or dataset.train))
    except ValueError as exc:
        print(f"convviz evaluate: {args.model} does not fit {dataset.title}: {exc}",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_dict()))
        return 0
    correct = int(round(result.accuracy * result.count))
    print(f"Test accuracy: {result.accuracy:.2%} ({correct:,} of {result.count:,} images)\n")
    print("Per-class accuracy:")
    print("  " + "  ".join(f"{digit}: {value:.2%}" for digit, value in enumerate(result.per_class)))
    if dataset.class_names != tuple(map(str, range(len(dataset.class_names)))):
        print("  classes: " + ", ".join(f"{index} {name}"
                                        for index, name in enumerate(dataset.class_names)))
    print("\nConfusion matrix (rows: true class, columns: predicted class):")
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


def _add_summary_command(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summary", help="print a model's layers, output shapes, parameters and memory",
        description="Keras-style table of a model: each layer's output shape and parameter "
                    "count, and the activation memory per image and per batch.")
    parser.add_argument("model", metavar="MODEL",
                        help="a model file (.npz), an architecture (.json) or a preset: "
                             + ", ".join(_PRESET_NAMES))
    parser.add_argument("--batch-size", type=int, default=64,
                        help="batch size for the activation memory line (default 64)")
    parser.set_defaults(func=_run_summary)


def _run_summary(args: argparse.Namespace) -> int:
    if args.batch_size < 1:
        print("convviz summary: --batch-size must be at least 1", file=sys.stderr)
        return 2
    model = _read_model_or_explain(args.model, "summary")
    if model is None:
        return 1
    print(f"Model: {model.name}, input {'x'.join(map(str, model.input_shape))}")
    model.summary(batch_size=args.batch_size)
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


def _run_gui(path: str | None) -> int:
    """Open the app on a model (`.npz`) or a picture (Qt is imported only here, so the other
    commands start fast)."""
    from convviz.gui.platform_check import missing_xcb_libraries

    missing = missing_xcb_libraries()
    if missing is not None:
        from convviz.gui.i18n import install_console_language

        install_console_language()
        print(missing.message(), file=sys.stderr)
        return 1
    from convviz.gui.app import run

    if path is not None and path.lower().endswith(".npz"):
        return run(model=path)
    return run(path)


def build_parser() -> argparse.ArgumentParser:
    """The `convviz` parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="convviz", description="Watch a convolutional neural network work.",
        usage="%(prog)s [-h] [IMAGE | MODEL.npz | COMMAND ...]",
        epilog="Without a command, opens the app, showing IMAGE or MODEL.npz if one is given.",
    )
    subparsers = parser.add_subparsers(dest="command", prog="convviz")
    _add_download_command(subparsers)
    _add_train_command(subparsers)
    _add_evaluate_command(subparsers)
    _add_summary_command(subparsers)
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
