"""Command-line entry: `convviz <command>`; each subcommand is one `_add_*` / `_run_*` pair."""

from __future__ import annotations

import argparse
import sys

import pooch

from convviz.core import data


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


def build_parser() -> argparse.ArgumentParser:
    """The `convviz` parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="convviz", description="Watch a convolutional neural network work."
    )
    subparsers = parser.add_subparsers(dest="command")
    _add_download_command(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the subcommand named in `argv` (default: the process arguments); return exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return args.func(args)
