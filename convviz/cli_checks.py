"""What `convviz train` checks before it spends minutes training: the paths it will write
and the sizes it was given, each problem as one sentence (standard library only, like cli.py).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def default_checkpoint(out: str) -> str:
    """Where the checkpoints of a run saving to `out` go: beside it, `.ckpt.npz`."""
    path = Path(out)
    return str(path.with_name(path.name.removesuffix(".npz") + ".ckpt.npz"))


def output_problem(out: str, checkpoint: str | None) -> str | None:
    """Why the model (`out`) or checkpoint path (None: `default_checkpoint(out)`) cannot be
    written, or None: each must name a file (not "" or a folder), they must differ, and their
    folders must exist (they are made) and take new files, so a read-only folder is found
    before the first epoch."""
    for option, value in (("--out", out), ("--checkpoint", checkpoint)):
        if value is not None and (not value or value.endswith(("/", os.sep))
                                  or not Path(value).name or Path(value).is_dir()):
            return f"{option} must name a file to write, got {value!r}"
    checkpoint = checkpoint or default_checkpoint(out)
    if Path(out).resolve() == Path(checkpoint).resolve():
        return (f"--checkpoint and --out are the same file ({out}); the final model would "
                "overwrite the checkpoint")
    for value in (out, checkpoint):
        folder = Path(value).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            return f"cannot write into {folder} ({error.strerror or error})"
    return None


def capped_batch_size(batch_size: int, training_images: int) -> tuple[int, str | None]:
    """A batch no larger than the training set, and the sentence saying it was capped."""
    if batch_size <= training_images:
        return batch_size, None
    return training_images, (f"--batch-size {batch_size:,} is more than the {training_images:,} "
                             f"training images; using batches of {training_images:,}.")
