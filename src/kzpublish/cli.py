"""Command line: argument parsing, progress lines and error printing; no logic.

``main(argv)`` takes its arguments (WeasyPrint's habit) so tests call it
directly. Only ``KzError`` is caught: it is the user's to fix and prints as
``FILE:LINE:COL: error: …``; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .errors import KzError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzpublish", description="Publish a Markdown manuscript as PDF, EPUB 3 and HTML.")
    parser.add_argument("--version", action="version", version=f"kzpublish {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the editions")
    build.add_argument("project", nargs="?", default=".", type=Path, help="project folder")
    build.add_argument("--format", "-f", default="all",
                       choices=["pdf", "epub", "html", "all"], help="edition to build")
    build.add_argument("--output", "-o", type=Path, help="output folder (default PROJECT/build)")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")

    check = commands.add_parser("check", help="validate the project without rendering")
    check.add_argument("project", nargs="?", default=".", type=Path, help="project folder")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new = commands.add_parser("new", help="create a new book project")
    new.add_argument("directory", type=Path, help="folder to create")
    new.add_argument("--title", help="book title (default: from the folder name)")
    new.add_argument("--language", default="en", help='BCP 47 language tag (default "en")')
    return parser


def _build(args: argparse.Namespace) -> int:
    from .pipeline import FORMATS, build
    formats = FORMATS if args.format == "all" else (args.format,)
    for path in build(args.project, formats, args.output):
        if not args.quiet:
            print(f"wrote {path}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .pipeline import check
    warnings = check(args.project)
    for warning in warnings:
        print(warning, file=sys.stderr)
    return EXIT_ERROR if warnings and args.strict else EXIT_OK


def _new(args: argparse.Namespace) -> int:
    from .scaffold import create
    create(args.directory, title=args.title, language=args.language)
    print(f"created {args.directory} — build it with: kzpublish build {args.directory}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = _parser().parse_args(argv)
    command = {"build": _build, "check": _check, "new": _new}[args.command]
    try:
        return command(args)
    except KzError as error:
        if args.debug:
            raise
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
