"""Issue 16's engine-speed targets, side by side with PyTorch CPU (2 threads) when installed.

    python benchmarks/bench_engine.py train    [--presets a,b] [--batches 64,128] [--rounds 3]
    python benchmarks/bench_engine.py forward1 [--presets a,b] [--rounds 3]
    python benchmarks/bench_engine.py epoch    [--data DIR] [--rounds 3]
    python benchmarks/bench_engine.py start    [--rounds 3]
    python benchmarks/bench_engine.py startwait [--rounds 3] [--press 1.0]
    python benchmarks/bench_engine.py memory   [--data DIR] [--epochs 20] [--images 20000]
    python benchmarks/bench_engine.py profile  [--presets a,b] [--batches 64]

    train, forward1 and profile also take --clock cpu (process CPU seconds instead of wall
    time: steadier on a shared, busy machine); train and forward1 take --against DIR (instead
    of PyTorch, the same benchmark run with the convviz of another checkout, e.g.
    `git archive main | tar -x -C /tmp/main`).

train:    training images/s (Adam, random data of the preset's input shape, logits + softmax
          cross-entropy) of each preset at each batch size. Target: >= 1.5x PyTorch for the
          LeNet-5s at 64 and 128, >= 1.0x for small-vgg and colour-cnn at 64.
forward1: batch-1 forward returning every layer's output, ms. Target: <= 0.5x PyTorch's time.
epoch:    one MNIST epoch of LeNet-5 modern through the real Trainer (Adam, batch 128,
          shuffled, uint8 -> float per batch, no augmentation, no validation) against the
          same loop written in PyTorch. Target: <= 0.67x PyTorch's time.
start:    CPU seconds of a fresh process that imports the engine and calls every kernel
          (`convviz.core.benchmark.warm_every_kernel`), with an empty Numba cache (cold;
          target <= 6 s) and with the cache it filled (warm; target <= 0.4 s); with each
          kernel's compile time (its inlined helpers and NumPy functions included), costliest
          first, and the CPU seconds of the import (NumPy, Numba) apart.
startwait: how long the Train tab's Start waits, cold cache: a fresh process runs the app's
          start-up warm-up (batch-1 forward, then the queue: training kernels, inspector
          chain) on a thread, "presses Start" --press seconds in and times its first
          training step (LeNet-5 classic, batch 64). Three ways: as the app does it (Start
          holds the queue), without the hold, and with no warm-up at all (the compile of
          the kernels that training needs, alone). Target: held <= 1.2x alone.
memory:   resident memory after each epoch of a Trainer run of LeNet-5 modern at batch 128
          and the peak (ru_maxrss). Targets: after the last epoch within 5 % of after epoch 2;
          peak < 300 MB.
profile:  where a training step's time goes, per layer, forward and backward (ours only).

Every contender's figure comes from its own fresh process; the contenders alternate within
each round and the medians over the rounds are printed with their ratio and the load average.
With --against, the contenders are this checkout's convviz and DIR's (each on PYTHONPATH),
and the ratio is this one's over DIR's.
PyTorch is imported only in its own processes, never by convviz. Prints figures; not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np
from timing import median_ms

LENETS = ("lenet5-classic", "lenet5-modern")
WIDE = ("small-vgg", "colour-cnn")
ALL_PRESETS = (*LENETS, "mlp", *WIDE, "one-5x5", "two-3x3")
HERE = os.path.abspath(__file__)
ROOT = os.path.dirname(os.path.dirname(HERE))
TORCH_THREADS = int(os.environ.get("BENCH_TORCH_THREADS", "2"))
CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter  # a worker's clock, set from its spec
CLOCK_NAME = "wall"  # the clock the workers are told to use (--clock)
AGAINST = None  # the other checkout's root (--against)


def torch_available() -> bool:
    try:
        import importlib.util
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


# --- the two contenders, each run in a worker process -----------------------------------------

def _random_batch(shape: tuple[int, ...], batch: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((batch, *shape), dtype=np.float32), rng.integers(0, 10, batch)


def _ours_model(preset: str):
    from convviz.core.nn.losses import SparseCategoricalCrossentropy
    from convviz.core.nn.optim import Adam
    from convviz.core.nn.presets import build_preset
    model = build_preset(preset)
    model.compile(Adam(learning_rate=1e-3), SparseCategoricalCrossentropy(from_logits=True))
    return model


def _torch_model(preset: str):
    """The preset rebuilt layer by layer in PyTorch (NCHW), from convviz's built model."""
    import torch  # first: before Numba starts any thread (see PERFORMANCE.md)
    from torch import nn

    from convviz.core.nn import layers as ours
    from convviz.core.nn.presets import build_preset
    activations = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    model = build_preset(preset)
    modules, shape = [], model.input_shape
    for layer in model.layers:
        if isinstance(layer, ours.Conv2D):
            (top, bottom), (left, right) = layer.geometry.padding
            if (top, left) != (bottom, right):
                modules.append(nn.ZeroPad2d((left, right, top, bottom)))
                top = left = 0
            modules.append(nn.Conv2d(shape[-1], layer.filters, layer.kernel_size, layer.strides,
                                     (top, left), layer.dilation_rate))
        elif isinstance(layer, ours.MaxPool2D | ours.AvgPool2D):
            kind = nn.MaxPool2d if isinstance(layer, ours.MaxPool2D) else nn.AvgPool2d
            modules.append(kind(layer.geometry.kernel_hw, layer.geometry.strides))
        elif isinstance(layer, ours.Flatten):
            modules.append(nn.Flatten())
        elif isinstance(layer, ours.Dense):
            modules.append(nn.Linear(int(np.prod(shape)), layer.units))
        elif isinstance(layer, ours.Dropout):
            modules.append(nn.Dropout(layer.rate))
        else:
            raise ValueError(f"no PyTorch twin for {type(layer).__name__}")
        if layer.activation in activations:
            modules.append(activations[layer.activation]())
        shape = layer.output_shape
    torch.set_num_threads(TORCH_THREADS)
    return nn.Sequential(*modules), torch


def _ours_train(preset: str, batch: int, steps: int) -> float:
    model = _ours_model(preset)
    x, y = _random_batch(model.input_shape, batch)
    for _ in range(3):
        model.train_on_batch(x, y)
    started = clock()
    for _ in range(steps):
        model.train_on_batch(x, y)
    return batch * steps / (clock() - started)


def _torch_train(preset: str, batch: int, steps: int) -> float:
    net, torch = _torch_model(preset)
    from convviz.core.nn.presets import build_preset
    x, y = _random_batch(build_preset(preset).input_shape, batch)
    x, y = torch.from_numpy(x.transpose(0, 3, 1, 2).copy()), torch.from_numpy(y)
    optimizer, loss_function = torch.optim.Adam(net.parameters(), 1e-3), torch.nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad()
        loss_function(net(x), y).backward()
        optimizer.step()

    for _ in range(3):
        step()
    started = clock()
    for _ in range(steps):
        step()
    return batch * steps / (clock() - started)


def _ours_forward1(preset: str, calls: int) -> float:
    model = _ours_model(preset)
    x = _random_batch(model.input_shape, 1)[0]
    return median_ms(lambda: model.forward_all(x), calls, warmups=10, clock=clock)


def _torch_forward1(preset: str, calls: int) -> float:
    net, torch = _torch_model(preset)
    from convviz.core.nn.presets import build_preset
    x = _random_batch(build_preset(preset).input_shape, 1)[0]
    x = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())
    net.eval()

    def forward_all() -> list:
        with torch.no_grad():
            outputs, h = [], x
            for module in net:
                h = module(h)
                outputs.append(h)
            return outputs

    return median_ms(forward_all, calls, warmups=10, clock=clock)


def _mnist(data: str | None):
    from convviz.core.training.data import load_mnist, resolve_data_dir
    return load_mnist(resolve_data_dir(data))


def _ours_epoch(preset: str, data: str | None) -> float:
    from convviz.core.training.trainer import Trainer, TrainingConfig
    mnist = _mnist(data)
    warm = TrainingConfig(arch=preset, batch_size=128, validation_size=0, epochs=1)
    for _, _ in zip(range(3), Trainer(warm, mnist.train_images[:1024],
                                      mnist.train_labels[:1024]).run(), strict=False):
        pass
    config = TrainingConfig(arch=preset, epochs=1, batch_size=128, validation_size=0,
                            augment=False, optimizer="adam")
    trainer = Trainer(config, mnist.train_images, mnist.train_labels)
    started = time.perf_counter()
    for _ in trainer.run():
        pass
    return time.perf_counter() - started


def _torch_epoch(preset: str, data: str | None) -> float:
    net, torch = _torch_model(preset)
    mnist = _mnist(data)
    images = torch.from_numpy(np.ascontiguousarray(mnist.train_images.reshape(-1, 1, 28, 28)))
    labels = torch.from_numpy(mnist.train_labels.astype(np.int64))
    optimizer, loss_function = torch.optim.Adam(net.parameters(), 1e-3), torch.nn.CrossEntropyLoss()

    def epoch(count: int) -> None:
        order = torch.randperm(count)
        for start in range(0, count, 128):
            chosen = order[start:start + 128]
            x = images[chosen].float() / 255.0
            optimizer.zero_grad()
            loss_function(net(x), labels[chosen]).backward()
            optimizer.step()

    epoch(1024)
    started = time.perf_counter()
    epoch(len(labels))
    return time.perf_counter() - started


def _ours_startwait(scenario: str, press: float) -> float:
    """Seconds from "Start" to the end of the first training step, in a cold process."""
    import threading

    from convviz.core.nn.model import lenet5
    from convviz.core.nn.warm_up import WarmUpQueue, warm_forward, warm_training
    from convviz.gui.inspector.jobs import warm_up_chain
    app_model, queue = lenet5("classic", seed=0), WarmUpQueue()

    def app_warm_up() -> None:  # what convviz.gui.workers.start_warm_up runs
        warm_forward(app_model.clone())
        queue.add("training", lambda: warm_training(app_model.clone()))
        queue.add("inspector", warm_up_chain)
        queue.run()

    if scenario != "alone":
        threading.Thread(target=app_warm_up, daemon=True).start()
    time.sleep(press)
    started = time.perf_counter()
    release = queue.hold() if scenario == "held" else (lambda: None)
    model = _ours_model("lenet5-classic")
    model.train_on_batch(*_random_batch(model.input_shape, 64))
    waited = time.perf_counter() - started
    release()
    return waited


def worker(spec: dict) -> None:
    """Run one measurement of one contender and print it as a JSON number."""
    global clock
    clock = CLOCKS[spec["clock"]]
    if spec["who"] == "torch":
        import torch  # noqa: F401  (before Numba, see PERFORMANCE.md)
    contender = {"ours": {"train": _ours_train, "forward1": _ours_forward1, "epoch": _ours_epoch,
                          "startwait": _ours_startwait},
                 "torch": {"train": _torch_train, "forward1": _torch_forward1,
                           "epoch": _torch_epoch}}[spec["who"]][spec["mode"]]
    print(json.dumps(contender(*spec["args"])))


def measure(contender: tuple[str, str, str], mode: str, *args,
            env: dict[str, str] | None = None) -> float:
    """One figure from a fresh process: contender = (label, "ours" or "torch", convviz root);
    env adds to the worker's environment (startwait: its own empty Numba cache)."""
    _, who, root = contender
    spec = json.dumps({"who": who, "mode": mode, "args": args, "clock": CLOCK_NAME})
    done = subprocess.run([sys.executable, HERE, "_worker", spec], check=True,
                          capture_output=True, text=True,
                          env={**os.environ, "BENCH_TORCH_THREADS": str(TORCH_THREADS),
                               "PYTHONPATH": root, **(env or {})})
    return float(done.stdout.strip().splitlines()[-1])


def side_by_side(mode: str, cases: list[tuple], rounds: int, unit: str,
                 higher_is_better: bool, target: dict) -> None:
    """Alternate the contenders' fresh processes per case and round; print medians.

    Ours against PyTorch (with the issue's targets), or with --against ours against DIR's.
    """
    if AGAINST:
        contenders = (("this", "ours", ROOT), ("against", "ours", AGAINST))
        target = {}
    elif torch_available():
        contenders = (("ours", "ours", ROOT), ("torch", "torch", ROOT))
    else:
        contenders = (("ours", "ours", ROOT),)
        print("(PyTorch is not installed: our figures only)")
    for case in cases:
        figures = {contender[0]: [] for contender in contenders}
        for round_index in range(rounds):
            order = contenders if round_index % 2 == 0 else contenders[::-1]
            for contender in order:
                figures[contender[0]].append(measure(contender, mode, *case))
        medians = {label: float(np.median(values)) for label, values in figures.items()}
        first, *other = medians
        line = (f"{' '.join(map(str, case[:2] if mode == 'train' else case[:1])):24s} "
                f"{first} {medians[first]:9.2f} {unit}")
        if other:
            ratio = medians[first] / medians[other[0]]
            goal = target.get(case[0])
            met = ("" if goal is None else
                   ("  target met" if (ratio >= goal if higher_is_better else ratio <= goal)
                    else "  target NOT met") + f" ({'>=' if higher_is_better else '<='} {goal}x)")
            line += (f"  {other[0]} {medians[other[0]]:9.2f} {unit}  "
                     f"ratio {ratio:5.2f}x{met}")
        rounds_text = ", ".join(f"{label} " + "/".join(f"{v:.3g}" for v in values)
                                for label, values in figures.items())
        print(f"{line}   [{rounds_text}]  load {os.getloadavg()[0]:.1f}", flush=True)


# --- the modes ---------------------------------------------------------------------------------

def run_train(args) -> None:
    target = {**dict.fromkeys(LENETS, 1.5), **dict.fromkeys(WIDE, 1.0)}
    cases = [(preset, batch, args.steps) for preset in args.presets for batch in args.batches]
    print(f"training images per {CLOCK_NAME} second, Adam, medians of {args.rounds} rounds:")
    side_by_side("train", cases, args.rounds, "img/s", True, target)


def run_forward1(args) -> None:
    print(f"batch-1 forward with every layer's output, {CLOCK_NAME} ms, medians of "
          f"{args.rounds} rounds:")
    side_by_side("forward1", [(preset, args.calls) for preset in args.presets], args.rounds,
                 "ms", False, dict.fromkeys(args.presets, 0.5))


def run_epoch(args) -> None:
    print(f"one MNIST epoch, LeNet-5 modern, Adam, batch 128, no augmentation, seconds, "
          f"medians of {args.rounds} rounds (ours through the Trainer):")
    side_by_side("epoch", [("lenet5-modern", args.data)], args.rounds, "s", False,
                 {"lenet5-modern": 0.67})


def _rounds_text(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values)


def run_start(args) -> None:
    from convviz.core.benchmark import startup_figures
    cold, warm = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            cold.append(startup_figures(folder))
            warm.append(startup_figures(folder))
    for name, runs, target in (("cold start (empty Numba cache)", cold, 6.0),
                               ("warm start (cache filled)     ", warm, 0.4)):
        cpu = [run.cpu for run in runs]
        print(f"{name}: {np.median(cpu):.2f} s CPU (target <= {target} s; rounds "
              f"{_rounds_text(cpu)}; wall {np.median([run.wall for run in runs]):.2f} s; "
              f"import of NumPy and Numba {np.median([run.import_cpu for run in runs]):.2f} s "
              f"CPU){'' if np.median(cpu) <= target else '  target NOT met'}")
    kernels = {name: float(np.median([run.kernels.get(name, 0.0) for run in cold]))
               for name in cold[0].kernels}
    print(f"compile CPU seconds per kernel, cold, medians (sum {sum(kernels.values()):.2f} s):")
    for name, seconds in sorted(kernels.items(), key=lambda item: -item[1]):
        print(f"  {name:40s} {seconds:6.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")


def run_startwait(args) -> None:
    print(f"seconds the first training step waits after Start (pressed {args.press:.1f} s "
          f"after start-up, cold Numba cache, wall time), medians of {args.rounds} rounds:")
    figures = {scenario: [] for scenario in ("held", "unheld", "alone")}
    for _ in range(args.rounds):
        for scenario, values in figures.items():
            with tempfile.TemporaryDirectory() as folder:
                values.append(measure(("ours", "ours", ROOT), "startwait", scenario,
                                      args.press, env={"NUMBA_CACHE_DIR": folder}))
    for scenario, values in figures.items():
        print(f"  {scenario:8s} {np.median(values):6.2f} s  [{_rounds_text(values)}]")
    held, alone = np.median(figures["held"]), np.median(figures["alone"])
    met = "target met" if held <= 1.2 * alone else "target NOT met"
    print(f"held / alone: {held / alone:.2f}x ({met}: <= 1.2x, Start waits about as long as "
          f"the compile of the kernels training needs); load {os.getloadavg()[0]:.1f}")


def run_memory(args) -> None:
    from convviz.core.training.trainer import EpochRecord, Trainer, TrainingConfig
    mnist = _mnist(args.data)
    config = TrainingConfig(arch="modern", epochs=args.epochs, batch_size=128,
                            validation_size=0, optimizer="adam")
    trainer = Trainer(config, mnist.train_images[:args.images], mnist.train_labels[:args.images])
    page = os.sysconf("SC_PAGE_SIZE")
    resident = []
    for record in trainer.run():
        if isinstance(record, EpochRecord):
            with open("/proc/self/statm") as statm:
                resident.append(int(statm.read().split()[1]) * page / 2 ** 20)
            print(f"  epoch {record.epoch:2d}: resident {resident[-1]:.1f} MB", flush=True)
    growth = resident[-1] / resident[1] - 1 if len(resident) > 1 else float("nan")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"after epoch {len(resident)} vs after epoch 2: {growth:+.1%} (target within 5 %); "
          f"peak {peak:.0f} MB (target < 300 MB); load {os.getloadavg()[0]:.1f}")


def run_profile(args) -> None:
    timer = CLOCKS[CLOCK_NAME]
    for preset in args.presets:
        for batch in args.batches:
            model = _ours_model(preset)
            x, y = _random_batch(model.input_shape, batch)
            for _ in range(3):
                model.train_on_batch(x, y)
            forward = {layer.name: [] for layer in model.layers}
            backward = {layer.name: [] for layer in model.layers}
            for _ in range(args.steps):
                h = x
                for layer in model.layers:
                    started = timer()
                    h = layer.forward(h, True)
                    forward[layer.name].append(timer() - started)
                d = np.full(h.shape, 1e-3, np.float32)
                for layer in reversed(model.layers):
                    started = timer()
                    d = layer.backward(d)
                    backward[layer.name].append(timer() - started)
            print(f"{preset} batch {batch}, median {CLOCK_NAME} ms per step over {args.steps} "
                  f"steps (load {os.getloadavg()[0]:.1f}):")
            total = 0.0
            for name in forward:
                ms = 1e3 * float(np.median(forward[name])), 1e3 * float(np.median(backward[name]))
                total += sum(ms)
                print(f"  {name:14s} forward {ms[0]:7.2f}  backward {ms[1]:7.2f}")
            print(f"  sum of medians {total:.2f} ms = {1e3 * batch / total:,.0f} img/s",
                  flush=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "_worker":
        worker(json.loads(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=("train", "forward1", "epoch", "start", "startwait",
                                         "memory", "profile"))
    parser.add_argument("--presets", help="comma-separated preset names")
    parser.add_argument("--batches", default="64,128")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=40, help="train/profile: steps timed")
    parser.add_argument("--calls", type=int, default=200, help="forward1: calls timed")
    parser.add_argument("--data", help="MNIST folder (default: $CONVVIZ_DATA or the user cache)")
    parser.add_argument("--press", type=float, default=1.0,
                        help="startwait: seconds after start-up that Start is pressed")
    parser.add_argument("--epochs", type=int, default=20, help="memory: epochs")
    parser.add_argument("--images", type=int, default=20_000, help="memory: training images")
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="wall",
                        help="train/forward1/profile: wall time or this process's CPU time")
    parser.add_argument("--against", metavar="DIR",
                        help="train/forward1: compare with the convviz of checkout DIR, not "
                             "PyTorch")
    parser.add_argument("--torch-threads", type=int, default=2,
                        help="PyTorch's threads (on a busy 2-core host its OpenMP threads can "
                             "collapse; 1 shows that)")
    args = parser.parse_args()
    global TORCH_THREADS, CLOCK_NAME, AGAINST
    TORCH_THREADS = args.torch_threads
    CLOCK_NAME = args.clock
    AGAINST = args.against and os.path.abspath(args.against)
    default_presets = {"train": (*LENETS, *WIDE), "profile": (*LENETS, *WIDE)}
    args.presets = (args.presets.split(",") if args.presets
                    else list(default_presets.get(args.mode, ALL_PRESETS)))
    args.batches = [int(b) for b in args.batches.split(",")]
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start; PyTorch "
          f"threads {TORCH_THREADS}", flush=True)
    {"train": run_train, "forward1": run_forward1, "epoch": run_epoch, "start": run_start,
     "startwait": run_startwait, "memory": run_memory, "profile": run_profile}[args.mode](args)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
