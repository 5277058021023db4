"""Training any design in the app: the Train tab's worker against `convviz train`, same design.

    python benchmarks/bench_train_app.py                    # both cases, 3 rounds
    python benchmarks/bench_train_app.py --case design --repeats 5

Target: in-app throughput >= 90% of `convviz train` for the same design and data.

Cases:
- design: a CNN built as the Lab builds it (Conv2D 16 3x3 same, MaxPool2D, Conv2D 32 3x3 same,
  MaxPool2D, Flatten, Dense 64, Dense 10), handed to the Train tab with `set_design` like "Train
  this design", on the first --images real MNIST training images; `convviz train --model` gets
  the same architecture as a JSON file.
- colour: the colour CNN preset on a CIFAR-10 archive written here in the real binary format
  (random pixels: the speed does not depend on them), chosen in the Train tab's Dataset box;
  `convviz train --dataset cifar10 --arch colour-cnn` reads the same archive.

Each round runs `convviz train` (a subprocess) and then the app (a window in this process, GUI
offscreen, Start clicked, the Train tab on show with its live plots), two epochs each; epoch 2
is compared (epoch 1 also loads the compiled kernels). Figures: the trainer's own images/s
(training steps only, what `convviz train` prints), medians over the rounds, every round shown.
The host is shared and noisy (2 cores): compare the medians and ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]  # this checkout, whatever is installed

import bench_gui  # noqa: E402  (the app's own start-up)
import bench_train_gui  # noqa: E402  (the MNIST subset writer, the CLI's epoch line, AppRun)

EPOCHS = 2
BATCH, SEED = 64, 0


def lab_design():
    """The design's layers as the Lab holds them (core.design), and the Sequential it builds."""
    from convviz.core.design.design import Design

    design = Design(name="my-cnn")
    for kind in ("Conv2D", "MaxPool2D", "Conv2D", "MaxPool2D", "Flatten", "Dense", "Dense"):
        design.add(kind)
    for index, filters in ((0, 16), (2, 32)):
        design.set_argument(index, "filters", filters)
        design.set_argument(index, "kernel_size", 3)
        design.set_argument(index, "padding", "same")
        design.set_argument(index, "activation", "relu")
    design.set_argument(5, "units", 64)
    design.set_argument(5, "activation", "relu")
    design.set_argument(6, "units", 10)
    assert design.check().valid, design.check().problems
    return design


def write_cifar(records_per_batch: int) -> Path:
    """A CIFAR-10 archive (five training batches and the test batch) in a temporary folder."""
    import io
    import tarfile

    import numpy as np

    from convviz.core.training import cifar10

    folder = Path(tempfile.mkdtemp(prefix="convviz-cifar-"))
    rng = np.random.default_rng(0)
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=1) as archive:
        for name in (*cifar10.TRAIN_BATCHES, cifar10.TEST_BATCH):
            count = records_per_batch if name != cifar10.TEST_BATCH else records_per_batch // 2
            records = rng.integers(0, 256, (count, cifar10.RECORD_BYTES), dtype=np.uint8)
            records[:, 0] %= 10
            info = tarfile.TarInfo(f"{cifar10.FOLDER}/{name}")
            info.size = records.nbytes
            archive.addfile(info, io.BytesIO(records.tobytes()))
    (folder / cifar10.ARCHIVE).write_bytes(buffer.getvalue())
    return folder


def run_cli(arguments: list[str]) -> float:
    """`convviz train` with these arguments; images/s of its last epoch."""
    out = Path(tempfile.mkdtemp(prefix="convviz-cli-"))
    command = [sys.executable, "-m", "convviz", "train", "--epochs", str(EPOCHS),
               "--batch-size", str(BATCH), "--optimizer", "adam", "--lr", "0.001",
               "--seed", str(SEED), "--out", str(out / "model.npz"), *arguments]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT,
                            env=env)
    speeds = {}
    for line in result.stderr.splitlines():
        match = bench_train_gui._EPOCH_LINE.match(line.split("\r")[-1].strip())
        if match:
            speeds[int(match[1])] = float(match[3].replace(",", ""))
    return speeds[EPOCHS]


class CaseRun(bench_train_gui.AppRun):
    """The Train tab set up for one case: dataset, network (preset or design), settings."""

    def __init__(self, app, window, dataset: str, arch: str, design=None):
        super().__init__(app, window)
        self.dataset, self.arch, self.design = dataset, arch, design

    def configure(self, epochs: int) -> None:
        settings = self.view.settings
        settings.dataset_box.setCurrentIndex(settings.dataset_box.findData(self.dataset))
        settings.start_box.setCurrentIndex(settings.start_box.findData("new"))
        settings.arch_box.setCurrentIndex(settings.arch_box.findData(self.arch))
        settings.optimizer_box.setCurrentIndex(settings.optimizer_box.findData("adam"))
        settings.learning_rate_box.setValue(0.001)
        settings.batch_box.setValue(BATCH)
        settings.seed_box.setValue(SEED)
        settings.epochs_box.setValue(epochs)
        if self.design is None:
            self.view.set_design(None, "")
        else:
            self.view.set_design(self.design.build, f"the Lab's design {self.design.name}")
        problem = self.view.fit_problem()
        if problem:
            raise RuntimeError(problem)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=("design", "colour", "both"), default="both")
    parser.add_argument("--data", type=Path, help="MNIST folder (default: $CONVVIZ_DATA, else "
                                                  f"{bench_train_gui.SHARED_MNIST})")
    parser.add_argument("--images", type=int, default=12_000, help="MNIST training images used")
    parser.add_argument("--cifar-records", type=int, default=2000,
                        help="records per CIFAR-10 training batch file (five files)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds (medians)")
    args = parser.parse_args()
    source = args.data or Path(os.environ.get("CONVVIZ_DATA", bench_train_gui.SHARED_MNIST))
    mnist_folder, validation = bench_train_gui.write_subset(source, args.images)
    os.environ["CONVVIZ_DATA"] = str(mnist_folder)  # the app reads the subset as its MNIST
    print(f"load average at start: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")

    app, window = bench_gui._make_window()
    window.model_file.ask_before_discarding = lambda action: _discard()
    cases = []
    if args.case in ("design", "both"):
        design = lab_design()
        architecture = Path(tempfile.mkdtemp(prefix="convviz-design-")) / "my-cnn.json"
        architecture.write_text(json.dumps(design.build(SEED).get_config()))
        cases.append(("Lab design on MNIST", CaseRun(app, window, "mnist", "classic", design),
                      ["--data", str(mnist_folder), "--model", str(architecture),
                       "--validation-size", str(validation)]))
        print(f"design: {args.images:,} MNIST training images ({validation:,} held out); "
              f"{design.build(SEED).count_params():,} parameters")
    if args.case in ("colour", "both"):
        cifar = write_cifar(args.cifar_records)
        window.train_tab.dataset_folders["cifar10"] = cifar
        images = 5 * args.cifar_records
        held = _validation_size(images)
        cases.append(("colour CNN on CIFAR-10 files", CaseRun(app, window, "cifar10",
                                                             "colour-cnn"),
                      ["--dataset", "cifar10", "--data", str(cifar), "--arch", "colour-cnn",
                       "--validation-size", str(held)]))
        print(f"colour: {images:,} CIFAR-format training images ({held:,} held out)")
    run = cases[0][1]
    run.wait(lambda: window.session.is_ready and window.train_tab.mnist is not None)

    for title, case, cli_arguments in cases:
        cli, in_app = [], []
        for repeat in range(args.repeats):
            cli.append(run_cli(cli_arguments))
            in_app.append(case.throughput()[0])
            print(f"  {title}, round {repeat + 1}: convviz train {cli[-1]:7,.0f} img/s | app "
                  f"{in_app[-1]:7,.0f} img/s", flush=True)
        ratio = statistics.median(in_app) / statistics.median(cli)
        print(f"{title}: convviz train {statistics.median(cli):,.0f} img/s, app "
              f"{statistics.median(in_app):,.0f} img/s: ratio {ratio:.1%} (medians of "
              f"{args.repeats}; target >= 90%)", flush=True)
    print(f"load average at end: {', '.join(f'{v:.2f}' for v in os.getloadavg())}")
    window.model_file.modified = False  # nothing to ask about on close
    window.close()
    return 0


def _discard():
    from convviz.gui.model_file import CloseChoice

    return CloseChoice.DISCARD


def _validation_size(images: int) -> int:
    from convviz.gui.train.view import validation_size

    return validation_size(images)


if __name__ == "__main__":
    raise SystemExit(main())
