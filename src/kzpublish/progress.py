"""What a build shows: a live status line on a terminal, plain lines elsewhere, a summary.

Three levels: ``QUIET`` prints nothing on success; ``NORMAL`` prints a line
per edition (``wrote PATH (size, pages)``), the warnings and a closing summary,
with a status line on a terminal that shows the stage at work; ``VERBOSE``
prints every stage as a timed line, cache hits marked. Progress goes to
stderr, the edition lines and summary to stdout.
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO

from . import pages
from .pipeline import Edition, Result, Step

QUIET, NORMAL, VERBOSE = 0, 1, 2
_LABELS = {"read": "reading", "citations": "citations", "typography": "typography",
           "write": "writing", "done": "finished"}


def human_size(size: int) -> str:
    """Bytes as people read them: "812 B", "52.2 kB", "3.4 MB"."""
    if size < 1000:
        return f"{size} B"
    value, unit = size / 1000, "kB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:.1f} {unit}"


def size(edition: Edition) -> int:
    """Bytes on disk: the file, or the HTML edition's whole folder."""
    if edition.format != "html":
        return edition.path.stat().st_size
    return sum(path.stat().st_size for path in edition.path.parent.rglob("*") if path.is_file())


def describe(edition: Edition) -> str:
    """One summary line for an edition."""
    number, unit = pages.count(edition.format, edition.path)
    length = f", {number} {unit if number != 1 else unit[:-1]}" if number is not None else ""
    verb = "wrote" if edition.written else "kept "
    note = "" if edition.written else " — up to date"
    return f"{verb} {edition.path} ({human_size(size(edition))}{length}){note}"


class Display:
    """The progress callback for ``pipeline.run`` and the summary printer."""

    def __init__(self, level: int = NORMAL, err: TextIO | None = None,
                 out: TextIO | None = None, live: bool | None = None):
        self.level = level
        self.err = err or sys.stderr
        self.out = out or sys.stdout
        self.live = (self.err.isatty() if live is None else live) and level == NORMAL
        self.start = time.monotonic()
        self._status = False

    def __call__(self, step: Step) -> None:
        """Show one step."""
        if self.level == QUIET:
            return
        if step.edition is not None:
            self._print(describe(step.edition))
        if self.level == VERBOSE:
            self._verbose(step)
        elif self.live and step.stage != "done":
            self._show_status(step)

    def _verbose(self, step: Step) -> None:
        now = time.monotonic()
        cached = " (cached)" if step.cached else ""
        label = _LABELS.get(step.stage, step.stage)
        print(f"{now - self.start:6.2f}s {label} {step.detail}{cached}".rstrip(), file=self.err)

    def _show_status(self, step: Step) -> None:
        cached = " · cached" if step.cached else ""
        text = f"{_LABELS.get(step.stage, step.stage)} {step.detail}{cached}…"
        width = shutil.get_terminal_size((80, 24)).columns - 3  # never wrap: \r must reach it
        self.err.write(f"\r\x1b[2K⏳ {text[:width]}")
        self.err.flush()
        self._status = True

    def _print(self, line: str, stream: TextIO | None = None) -> None:
        self.close()
        print(line, file=stream or self.out, flush=True)

    def close(self) -> None:
        """Erase the status line, if one is shown."""
        if self._status:
            self.err.write("\r\x1b[2K")
            self.err.flush()
            self._status = False

    def failed(self, lines: list[str]) -> None:
        """A build's errors, one per line on stderr (printed even when quiet)."""
        self.close()
        for line in lines:
            print(line.rstrip("\n"), file=self.err, flush=True)

    def summary(self, result: Result) -> None:
        """The warnings, then one closing line: editions, how many written, warnings, time."""
        self.close()
        if self.level == QUIET:
            return
        for warning in result.warnings:
            self._print(str(warning), self.err)
        written = sum(edition.written for edition in result.editions)
        kept = len(result.editions) - written
        parts = [f"{len(result.editions)} edition(s)", f"{written} written"]
        if kept:
            parts.append(f"{kept} up to date")
        parts.append(f"{len(result.warnings)} warning(s)")
        parts.append(f"{time.monotonic() - self.start:.1f} s")
        self._print(", ".join(parts))
