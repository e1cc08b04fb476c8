"""Command line: argument parsing, progress and error printing; no logic.

``main(argv)`` takes its arguments (WeasyPrint's habit) so tests call it
directly. ``KzError`` is the user's to fix and prints as ``FILE:LINE:COL: error: …``;
an ``OSError`` (a read-only folder, a full disk) as ``PATH: error: …``; SIGINT and
SIGTERM stop the command with one line and exit 128 + the signal's number (130, 143);
anything else is a bug: one line, its traceback with ``--debug``.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from . import __version__, environ
from .config import UNTRUSTED_ENV
from .errors import Interrupted, KzError

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
_STOPPING = (signal.SIGINT, signal.SIGTERM)


def _verbosity() -> argparse.ArgumentParser:
    """-q / -v, shared by the commands that build."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_mutually_exclusive_group()
    group.add_argument("--quiet", "-q", action="store_true", help="print nothing on success")
    group.add_argument("--verbose", "-v", action="store_true",
                       help="print every stage, with times and cache hits")
    return parent


def _add_project(command: argparse.ArgumentParser) -> None:
    command.add_argument("project", nargs="?", default=".", type=Path, help="project folder")
    command.add_argument("--untrusted", action="store_true",
                         help="the manuscript is not trusted (CI on pull requests): project "
                              "templates refused, raw HTML cut to the allow-list; the same as "
                              "KZPUBLISH_UNTRUSTED=1")


def _add_build_commands(commands: argparse._SubParsersAction, verbosity: argparse.ArgumentParser,
                        ) -> None:
    build = commands.add_parser("build", help="build the editions", parents=[verbosity])
    _add_project(build)
    build.add_argument("--format", "-f", default="all",
                       choices=["pdf", "epub", "html", "all"], help="edition to build")
    build.add_argument("--output", "-o", type=Path, help="output folder (default PROJECT/build)")
    build.add_argument("--no-cache", action="store_true",
                       help="render everything again, ignoring OUTPUT/.cache")

    watch = commands.add_parser("watch", parents=[verbosity],
                                help="rebuild the HTML edition on change and serve it")
    _add_project(watch)
    watch.add_argument("--output", "-o", type=Path, help="output folder (default PROJECT/build)")
    watch.add_argument("--port", "-p", type=int, default=8000,
                       help="port on 127.0.0.1 (default 8000; 0 picks a free one)")

    release = commands.add_parser("release", parents=[verbosity],
                                  help="build every edition reproducibly into DIST")
    _add_project(release)
    release.add_argument("--dist", "-d", type=Path, help="release folder (default PROJECT/dist)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzpublish", description="Publish a Markdown manuscript as PDF, EPUB 3 and HTML.")
    parser.add_argument("--version", action="version", version=f"kzpublish {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_build_commands(commands, _verbosity())

    check = commands.add_parser("check", help="validate the project without rendering")
    _add_project(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new = commands.add_parser("new", help="create a new book project")
    new.add_argument("directory", type=Path, help="folder to create")
    new.add_argument("--title", help="book title (default: from the folder name)")
    new.add_argument("--language", default="en", help='BCP 47 language tag (default "en")')
    return parser


def _level(args: argparse.Namespace) -> int:
    from .progress import NORMAL, QUIET, VERBOSE
    return QUIET if args.quiet else VERBOSE if args.verbose else NORMAL


def _build(args: argparse.Namespace) -> int:
    from .pipeline import FORMATS, run
    from .progress import Display
    formats = FORMATS if args.format == "all" else (args.format,)
    display = Display(_level(args))
    try:
        result = run(args.project, formats, args.output, use_cache=not args.no_cache,
                     progress=display)
    finally:
        display.close()
    display.summary(result)
    return EXIT_OK


def _watch(args: argparse.Namespace) -> int:
    from .watch import run
    run(args.project, args.output, args.port, level=_level(args))
    return EXIT_OK


def _release(args: argparse.Namespace) -> int:
    from .progress import Display, human_size
    from .release import release
    display = Display(_level(args))
    try:
        result, files = release(args.project, args.dist, progress=display)
    finally:
        display.close()
    display.summary(result)
    if not args.quiet:
        for path in files:
            print(f"released {path} ({human_size(path.stat().st_size)})")
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


@contextlib.contextmanager
def _mode(args: argparse.Namespace) -> Iterator[None]:
    """``--untrusted`` sets KZPUBLISH_UNTRUSTED for the command (``config.untrusted_mode``
    reads it), and puts back what was there after, so ``main`` can be called again."""
    if not getattr(args, "untrusted", False):
        yield
        return
    with environ.setting(UNTRUSTED_ENV, "1"):
        yield


COMMANDS = {"build": _build, "watch": _watch, "release": _release, "check": _check, "new": _new}
ENDED_BY_CTRL_C = {"watch"}
"""Commands Ctrl-C is the way to end: exit 0 quietly, as mkdocs' and hugo's previews do;
SIGTERM, a supervisor's stop, still ends them with one line and 143."""


@contextlib.contextmanager
def _stoppable() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted`` — once: a second signal while the first
    unwinds (temp files being removed) is ignored, so the clean-up finishes. The previous
    handlers come back after (tests call ``main`` in process)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    raised: list[int] = []

    def stop(number: int, frame: FrameType | None) -> None:
        if not raised:
            raised.append(number)
            raise Interrupted(number)

    def unraisable(info: Any) -> None:
        """A stop raised inside a finaliser (a worker's pipe is closed in its __del__)
        is printed as "Exception ignored" and dropped: send the signal again instead."""
        if not isinstance(info.exc_value, Interrupted):
            return hook(info)
        number = info.exc_value.signal_number
        threading.Timer(0.01, again, (number,)).start()  # once the finaliser is done
        return None

    def again(number: int) -> None:
        raised.clear()
        signal.pthread_kill(threading.main_thread().ident or 0, number)

    hook = sys.unraisablehook
    previous = {number: signal.signal(number, stop) for number in _STOPPING}
    sys.unraisablehook = unraisable
    try:
        yield
    except KeyboardInterrupt as interrupt:
        # A library that ran our handler and raised its own KeyboardInterrupt instead
        # (watchfiles' Rust loop) lost which signal it was: name it again.
        if raised and not isinstance(interrupt, Interrupted):
            raise Interrupted(raised[0]) from None
        raise
    finally:
        sys.unraisablehook = hook
        for number, handler in previous.items():
            signal.signal(number, handler)


def _os_error(error: OSError) -> str:
    """An OS error as one line naming its path (the operation's, not a temp file's)."""
    where = error.filename if error.filename is not None else "kzpublish"
    reason = error.strerror or str(error)
    return f"{where}: error: {reason} — check the path, its permissions and the free space"


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        with _stoppable(), _mode(args):
            return COMMANDS[args.command](args)
    except KzError as error:
        if args.debug:
            raise
        for diagnostic in error.diagnostics:
            print(diagnostic, file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as stop:
        number = stop.signal_number if isinstance(stop, Interrupted) else signal.SIGINT
        if number == signal.SIGINT and args.command in ENDED_BY_CTRL_C:
            return EXIT_OK
        print(f"kzpublish: interrupted ({signal.Signals(number).name})", file=sys.stderr)
        return 128 + number
    except OSError as error:
        if args.debug:
            raise
        print(_os_error(error), file=sys.stderr)
        return EXIT_ERROR
    except Exception as bug:  # a bug of ours: one line for the user, the traceback on --debug
        if args.debug:
            raise
        print(f"kzpublish: error: internal error ({type(bug).__name__}: {bug}) — rerun with "
              "--debug for the traceback and report it", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
