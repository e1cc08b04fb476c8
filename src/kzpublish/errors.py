"""The one error type users see: a message tied to a place in their sources.

The CLI prints a ``KzError`` as ``FILE:LINE:COL: error: MESSAGE`` (or
``FILE: error: MESSAGE`` when there is no line) and exits 1; anything else that
escapes is a bug in kzpublish and keeps its traceback.
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
