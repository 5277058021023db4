"""Time ``correlate2d`` on a 12-megapixel image against OpenCV and SciPy, side by side.

    python benchmarks/bench_filter.py [--runs 15] [--size 3000x4000]

Prints the first-call time (JIT compile, or loading from Numba's cache), then the median over
``--runs`` runs after a warm-up for 3x3 and 7x7 'same' zero padding, stride 1, and our time as
a ratio of OpenCV's. The host is noisy: compare ratios from one run, not times across runs.
OpenCV and SciPy are benchmark references only and are skipped when not installed. To time a
cold JIT compile, point Numba at an empty cache: NUMBA_CACHE_DIR=$(mktemp -d) python ...
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from timing import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", default="3000x4000", help="HEIGHTxWIDTH")
    args = parser.parse_args()
    height, width = (int(n) for n in args.size.lower().split("x"))

    start = time.perf_counter()
    from convviz.core.imaging import _filter_kernels
    from convviz.core.imaging.filtering import correlate2d
    first_image = np.zeros((8, 8), np.float32)
    correlate2d(first_image, np.ones((3, 3), np.float32))
    cache_hits = sum(_filter_kernels.correlate2d.stats.cache_hits.values())
    source = "loaded from cache" if cache_hits else "compiled"
    print(f"import + first call: {time.perf_counter() - start:.2f} s ({source})")

    try:
        import cv2
    except ImportError:
        cv2 = None
    try:
        from scipy import ndimage
    except ImportError:
        ndimage = None

    rng = np.random.default_rng(0)
    image = rng.random((height, width), dtype=np.float32)
    print(f"{height}x{width} float32, 'same' zero padding, stride 1, median of {args.runs} (ms)")
    print(f"{'kernel':>6} {'ours+out':>9} {'ours':>7} {'OpenCV':>7} {'SciPy':>7}"
          f" {'ours+out/OpenCV':>16} {'ours/OpenCV':>12}")
    for size in (3, 7):
        kernel = rng.standard_normal((size, size)).astype(np.float32)
        out = np.empty_like(image)
        reused = median_ms(lambda: correlate2d(image, kernel, out=out), args.runs)  # noqa: B023
        fresh = median_ms(lambda: correlate2d(image, kernel), args.runs)  # noqa: B023
        opencv = scipy = float("nan")
        if cv2 is not None:
            opencv = median_ms(
                lambda: cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT),  # noqa: B023
                args.runs)
        if ndimage is not None:
            scipy = median_ms(
                lambda: ndimage.correlate(image, kernel, mode="constant"),  # noqa: B023
                max(3, args.runs // 3))
        print(f"{size}x{size:<4} {reused:9.1f} {fresh:7.1f} {opencv:7.1f} {scipy:7.1f}"
              f" {reused / opencv:16.2f} {fresh / opencv:12.2f}")


if __name__ == "__main__":
    main()
