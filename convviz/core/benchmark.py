"""What `convviz bench` measures: training throughput, batch-1 latency, conv GFLOP/s, JIT start-up.

Every figure is the median of several timed repeats after a warm-up, measured with wall-clock
time in this process (start-up times in fresh subprocesses, with their CPU time too: on a
machine shared with other work, CPU time shows the compiler's cost better than wall time).
Such machines are noisy: compare figures from one run, not across runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from convviz.core.imaging.filtering import PARALLEL_MIN_OUTPUTS, correlate2d
from convviz.core.nn import ops
from convviz.core.nn.model import lenet5
from convviz.core.nn.optim import SGD
from convviz.core.nn.parallel import THREADS

VARIANTS = ("classic", "modern")
BATCH_SIZES = (64, 128)
# LeNet-5's C3: 14x14x6 -> 10x10x16 with 5x5 kernels, the engine's busiest layer.
CONV_CASE = {"input_hw": (14, 14), "in_channels": 6, "out_channels": 16, "kernel": 5}


@dataclass(frozen=True)
class BenchResult:
    """Medians of one `convviz bench` run (throughput in images/s, times in ms or s)."""

    training_images_per_s: dict[str, float] = field(default_factory=dict)  # "classic/64" -> img/s
    forward_all_ms: dict[str, float] = field(default_factory=dict)  # variant -> ms, batch 1
    conv_gflops: dict[str, float] = field(default_factory=dict)  # "forward", "forward+backward"
    jit_warm_s: float | None = None
    jit_cold_s: float | None = None
    jit_warm_cpu_s: float | None = None
    jit_cold_cpu_s: float | None = None
    threads: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _median_time(call: Callable[[], object], repeats: int, inner: int) -> float:
    """Median over repeats of the mean wall time of `inner` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(inner):
            call()
        times.append((time.perf_counter() - start) / inner)
    return float(np.median(times))


def _digit_batch(batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.random((batch, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, batch)


def training_throughput(variant: str, batch: int, steps: int = 20, repeats: int = 7) -> float:
    """Median LeNet-5 training images/s: forward, backward and SGD-momentum update per step."""
    model = lenet5(variant, seed=0)
    model.compile(SGD(learning_rate=0.01, momentum=0.9))
    x, y = _digit_batch(batch)
    for _ in range(3):
        model.train_on_batch(x, y)
    return batch / _median_time(lambda: model.train_on_batch(x, y), repeats, steps)


def forward_all_latency(variant: str, calls: int = 200, repeats: int = 7) -> float:
    """Median time in ms of `forward_all` (every layer's output) for one image."""
    model = lenet5(variant, seed=0)
    x, _ = _digit_batch(1)
    model.forward_all(x)
    return 1e3 * _median_time(lambda: model.forward_all(x), repeats, calls)


def conv_gflops(batch: int = 128, repeats: int = 7) -> dict[str, float]:
    """GFLOP/s (useful multiply-adds x 2) of a LeNet C3 convolution, forward and training."""
    rng = np.random.default_rng(0)
    height, width = CONV_CASE["input_hw"]
    channels, filters = CONV_CASE["in_channels"], CONV_CASE["out_channels"]
    size = CONV_CASE["kernel"]
    x = rng.random((batch, height, width, channels), dtype=np.float32)
    kernel = rng.uniform(-0.2, 0.2, (size, size, channels, filters)).astype(np.float32)
    bias = np.zeros(filters, np.float32)
    geometry = ops.conv2d_geometry(x.shape, kernel.shape)
    y = ops._conv2d_forward(x, kernel, bias, geometry, "tanh")
    dy = rng.random(y.shape, dtype=np.float32)
    flops = 2.0 * y.size * size * size * channels
    forward = _median_time(lambda: ops._conv2d_forward(x, kernel, bias, geometry, "tanh"),
                           repeats, 10)
    backward = _median_time(lambda: ops._conv2d_backward(x, kernel, y, dy, geometry, "tanh"),
                            repeats, 10)
    return {"forward": flops / forward / 1e9,
            "forward+backward": 3 * flops / (forward + backward) / 1e9}


def warm_every_kernel() -> None:
    """Call every kernel once, on one chunk and on several, with the argument types the app uses."""
    for variant in VARIANTS:
        model = lenet5(variant, seed=0)
        model.compile(SGD(learning_rate=0.01, momentum=0.9))
        model.forward_all(_digit_batch(1)[0])
        model.train_on_batch(*_digit_batch(2))
    for batch in (1, 2):
        z = np.zeros((batch, 3), np.float32)
        ops.activation_backward(z, ops.activate(z, "relu"), "relu")
        x = np.zeros((batch, 4, 4, 1), np.float32)
        geometry = ops.conv2d_geometry(x.shape, (3, 3, 1, 1))
        y = ops._conv2d_forward(x, np.zeros((3, 3, 1, 1), np.float32), np.zeros(1, np.float32),
                                geometry)
        ops._conv2d_backward(x, np.zeros((3, 3, 1, 1), np.float32), y, y, geometry)
        pool_geometry = ops.window_geometry(x.shape[1:3], 2, 2)
        pooled, argmax = ops._pool2d_forward(x, pool_geometry, "max")
        ops._pool2d_backward(pooled, x.shape, pool_geometry, "max", argmax)
    for side in (4, int(PARALLEL_MIN_OUTPUTS ** 0.5)):
        correlate2d(np.zeros((side, side), np.float32), np.ones((3, 3), np.float32))


@dataclass(frozen=True)
class StartupFigures:
    """What a fresh process spent to import the engine and call every kernel once (seconds).

    kernels: CPU seconds of each kernel's compilation, the helpers it inlines and the NumPy
    functions it pulls in included (empty when every kernel came from the cache).
    """

    wall: float
    cpu: float
    import_cpu: float
    kernels: dict[str, float] = field(default_factory=dict)


def _compile_clock():
    """A Numba event listener: CPU seconds of each outermost compilation, by kernel name
    (made on demand: its base class is Numba's, which this module does not import)."""
    from numba.core import event

    class CompileClock(event.Listener):
        def __init__(self):
            self.seconds: dict[str, float] = {}
            self._depth, self._started = 0, 0.0

        def on_start(self, event) -> None:
            if self._depth == 0:
                self._started = time.process_time()
            self._depth += 1

        def on_end(self, event) -> None:
            self._depth -= 1
            if self._depth == 0:
                function = event.data["dispatcher"].py_func
                name = f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"
                spent = time.process_time() - self._started
                self.seconds[name] = self.seconds.get(name, 0.0) + spent

    return CompileClock()


def timed_warm_every_kernel(start: float, cpu: float) -> dict:
    """warm_every_kernel in this fresh process, as a StartupFigures dict; start and cpu are
    the perf_counter and process_time taken before the engine was imported."""
    from numba.core import event  # imports Numba: counted in the import time

    import_cpu = time.process_time() - cpu
    clock = _compile_clock()
    with event.install_listener("numba:compile", clock):
        warm_every_kernel()
    return asdict(StartupFigures(time.perf_counter() - start, time.process_time() - cpu,
                                 import_cpu, clock.seconds))


_STARTUP_SCRIPT = (
    "import json, time; start, cpu = time.perf_counter(), time.process_time(); "
    "from convviz.core import benchmark; "
    "print(json.dumps(benchmark.timed_warm_every_kernel(start, cpu)))"
)


def startup_figures(cache_dir: str | None = None) -> StartupFigures:
    """What a fresh process needs to import the engine and call every kernel.

    cache_dir sets NUMBA_CACHE_DIR (an empty folder measures compilation from scratch).
    """
    env = dict(os.environ)
    if cache_dir is not None:
        env["NUMBA_CACHE_DIR"] = cache_dir
    done = subprocess.run([sys.executable, "-c", _STARTUP_SCRIPT], env=env, check=True,
                          capture_output=True, text=True)
    return StartupFigures(**json.loads(done.stdout.strip().splitlines()[-1]))


def jit_startup(cache_dir: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of `startup_figures`."""
    figures = startup_figures(cache_dir)
    return figures.wall, figures.cpu


def run(quick: bool = False, startup: bool = True,
        progress: Callable[[str], None] | None = None) -> BenchResult:
    """Every figure of `convviz bench`; quick uses fewer repeats (for smoke tests)."""
    say = progress or (lambda message: None)
    repeats = 3 if quick else 7
    steps = 3 if quick else 20
    jit_cold = jit_warm = (None, None)
    if startup:
        say("JIT start-up: cold cache, then warm cache (fresh processes)")
        with tempfile.TemporaryDirectory(prefix="convviz-numba-cache-") as folder:
            jit_cold = jit_startup(folder)
            warm = [jit_startup(folder) for _ in range(1 if quick else 3)]
            jit_warm = tuple(float(np.median(column)) for column in zip(*warm, strict=True))
    warm_every_kernel()
    training = {}
    for variant in VARIANTS:
        for batch in BATCH_SIZES:
            say(f"training LeNet-5 {variant}, batch {batch}")
            training[f"{variant}/{batch}"] = training_throughput(variant, batch, steps, repeats)
    say("batch-1 forward_all latency")
    latency = {variant: forward_all_latency(variant, 20 if quick else 200, repeats)
               for variant in VARIANTS}
    say("convolution GFLOP/s")
    gflops = conv_gflops(repeats=repeats)
    return BenchResult(training, latency, gflops, jit_warm[0], jit_cold[0], jit_warm[1],
                       jit_cold[1], THREADS)


def format_result(result: BenchResult) -> str:
    """The human-readable table `convviz bench` prints."""
    lines = [f"convviz bench  (medians; {result.threads} threads)",
             "LeNet-5 training (forward + backward + SGD momentum), images/s:"]
    for key, value in result.training_images_per_s.items():
        variant, batch = key.split("/")
        lines.append(f"  {variant:<8} batch {batch:>4}  {value:>10,.0f}")
    lines.append("batch-1 forward_all (all activations), ms:")
    for variant, value in result.forward_all_ms.items():
        lines.append(f"  {variant:<8}             {value:>10.3f}")
    lines.append("conv layer 14x14x6 -> 10x10x16, 5x5, batch 128, GFLOP/s:")
    for phase, value in result.conv_gflops.items():
        lines.append(f"  {phase:<20} {value:>10.1f}")
    if result.jit_cold_s is not None:
        lines.append("JIT start-up (import + first call of every kernel), s:      wall      CPU")
        lines.append(f"  cold cache (compile)                    {result.jit_cold_s:>9.2f}"
                     f" {result.jit_cold_cpu_s:>8.2f}")
        lines.append(f"  warm cache (load)                       {result.jit_warm_s:>9.2f}"
                     f" {result.jit_warm_cpu_s:>8.2f}")
    return "\n".join(lines)
