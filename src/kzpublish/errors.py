"""The one error type users see: a message tied to a place in their sources.

The CLI prints a ``KzError`` as ``FILE:LINE:COL: error: MESSAGE`` (or
``FILE: error: MESSAGE`` when there is no line) and exits 1; anything else that
escapes is a bug in kzpublish: the CLI names it in one line, its traceback shown
with ``--debug``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourcePos:
    """Where in the user's sources something came from (1-based line and column)."""

    file: Path
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [str(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.col or 1))
        return ":".join(parts)


@dataclass(frozen=True)
class Diagnostic:
    """One finding: an error or a warning at a position."""

    pos: SourcePos
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.pos}: {self.severity}: {self.message}"


class KzError(Exception):
    """A problem in the user's input; carries one or more diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))

    @classmethod
    def at(cls, pos: SourcePos, message: str) -> KzError:
        """One error at one position."""
        return cls([Diagnostic(pos, message)])


class ConfigError(KzError):
    """book.toml is missing, malformed or has a bad key."""


class ManuscriptError(KzError):
    """A chapter cannot be read or parsed."""


class CitationError(KzError):
    """A citation or the bibliography is wrong."""


class Interrupted(KeyboardInterrupt):
    """The build was asked to stop (SIGINT, SIGTERM): raised where the program stands, so
    every ``finally`` on the way out runs (temp files removed, worker processes killed).

    A ``KeyboardInterrupt``, so what stops on Ctrl-C stops on SIGTERM alike."""

    def __init__(self, signal_number: int):
        self.signal_number = signal_number
        super().__init__(signal_number)


def read_text(path: Path, error: type[KzError] = KzError) -> str:
    """A user's source file as text; not UTF-8 → ``error`` at the first bad byte."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error.at(_byte_position(path, data, exc.start),
                       f"not UTF-8 text ({exc.reason}) — save the file as UTF-8") from None


def _byte_position(path: Path, data: bytes, offset: int) -> SourcePos:
    """Line and column of the byte at ``offset`` (columns count the characters before it)."""
    before = data[:offset]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    return SourcePos(path, before.count(b"\n") + 1, column)
