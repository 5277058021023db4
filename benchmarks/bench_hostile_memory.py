"""Peak memory of each "small file costs gigabytes" case of the hostile-input audit.

Each hostile file is written into a temporary folder (a few MB on disk), then read in a fresh
Python process by the reader a user would reach it through; the script prints the file's size,
the reader's peak resident memory and what happened (refused with which sentence, or read).
A baseline line gives the cost of the imports alone. The readers run under a 6 GB
address-space cap, so a reader that trusts a bomb ends in MemoryError instead of the machine.

    python benchmarks/bench_hostile_memory.py [--repo PATH]

`--repo` measures another checkout's convviz (e.g. the code before the fixes), with the same
files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "hostile"))
sys.path.insert(0, str(ROOT))

import hostile_files  # noqa: E402  (the generators the tests use)


def cases(folder: Path) -> list[tuple[str, str, list[str]]]:
    """(description, reader, arguments) of each case, its file written into `folder`."""
    return [
        ("imports of a model reader only (baseline)",
         "convviz.core.nn.serialization:ModelFileError", []),
        ("model, .npy header with shape (-1,), 2 GB of zeros",
         "convviz.core.nn.serialization:load_model",
         [str(hostile_files.model_with_negative_shape(folder / "negative.npz", 2000))]),
        ("gzipped IDX, 10 labels then 4 GB of zeros", "convviz.core.training.data:read_idx",
         [str(hostile_files.gzip_idx_bomb(folder / "labels.gz", 4000)), "2049"]),
        ("checkpoint + 10 unused entries of 190 MB",
         "convviz.core.training.checkpoint:load_checkpoint",
         [str(hostile_files.checkpoint_with_unused_entries(folder / "unused.npz", 10, 190))]),
        ("checkpoint, optimizer slot index 300,000,000", "hostile_files:resume",
         [str(hostile_files.checkpoint_with_slot_index(folder / "slot.npz", 300_000_000))]),
        ("PNG 12000x12000 gray", "convviz.core.imaging.image_io:load_image",
         [str(hostile_files.big_png(folder / "gray.png"))]),
        ("PNG 12000x12000 RGB", "convviz.core.imaging.image_io:load_image",
         [str(hostile_files.big_png(folder / "rgb.png", rgb=True))]),
        ("PNG 8000x6000 RGB (48 MP)", "convviz.core.imaging.image_io:load_image",
         [str(hostile_files.big_png(folder / "rgb48.png", 8000, 6000, rgb=True))]),
        ("PNG 12000x12000 gray, inspector job (GUI)", "convviz.gui.inspector.jobs:prepare_image",
         [str(folder / "gray.png"), "gray.png"]),
        ("PNG 12000x12000 gray, Draw tab import (GUI)",
         "convviz.core.drawing.digit_preprocess:import_picture",
         [str(folder / "gray.png"), "gray.png", "280"]),
        ("PNG 12000x12000 gray, Stepper read (GUI)", "convviz.core.stepper:read_image",
         [str(folder / "gray.png"), ""]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=ROOT,
                        help="checkout whose convviz reads the files (default: this one)")
    args = parser.parse_args()
    print(f"convviz from {args.repo}")
    with tempfile.TemporaryDirectory() as folder:
        for description, reader, arguments in cases(Path(folder)):
            size = Path(arguments[0]).stat().st_size / 1e6 if arguments else 0.0
            peak, outcome = hostile_files.peak_memory_mb(reader, *arguments, repo_root=args.repo)
            print(f"{description:<52} file {size:6.2f} MB  peak {peak:6,} MB  {outcome}",
                  flush=True)


if __name__ == "__main__":
    main()
