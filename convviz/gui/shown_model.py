"""`python -m convviz.gui.shown_model PATH`: the app on the temporary model file that
`convviz.show()` wrote; the file is deleted once read, and Save asks where to keep the model."""

from __future__ import annotations

import sys

from convviz.gui.app import discard_copy, run


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m convviz.gui.shown_model MODEL.npz", file=sys.stderr)
        return 2
    try:
        return run(model=argv[0], model_is_copy=True)
    finally:  # read and deleted at start-up; this is for a start-up that failed before that
        discard_copy(argv[0])


if __name__ == "__main__":
    raise SystemExit(main())
