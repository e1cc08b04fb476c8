"""A part of the print edition kept between builds: its PDF, page count and anchors,
reused when nothing its bytes depend on has changed (``pdf_parts``'s incremental build).

A part's PDF is a function of its HTML, the print stylesheet and the CSS added to it, the
page it starts at (its footers' numbers), the files WeasyPrint asked the URL fetcher for
(fonts, pictures — a file that was missing counts too: it may appear), and kzpublish's code
and packages (``cache.environment``). The entry's key is the digest of the first two;
the start and each file's digest are kept in the entry and compared on reading, so that
the start is known only when the part is looked up (``pdf_parts`` learns it from the
parts before) and the files are the ones this part really read. The PDF is kept as base64
in the cache's JSON (``cache.Store``: never a pickle, each entry checked before use).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import cache, confine
from ..config import Config
from . import pdf

KIND = "pdf-parts"


@dataclass
class Part:
    """A document of the book as typeset: where it starts, how long it is, its PDF."""

    start: int
    """The 0-based index of its first page in the book."""
    pages: int
    anchors: dict[str, int]
    """Each anchor (an element's id) and the 0-based page of the part it stands on."""
    pdf: bytes | None = None
    """Its PDF once written (None for a layout kept for its page count only)."""


class PartCache:
    """Parts kept in ``store`` for one build of a book set with ``config``."""

    def __init__(self, store: cache.Store, config: Config):
        self.store = store
        self.project = config.project
        self.stylesheet = pdf.stylesheet(config)
        self._digests: dict[Path, str] = {}

    def key(self, html: str, css: str) -> str:
        """The key of the document ``html`` laid out with ``css`` after the stylesheet."""
        return cache.digest(cache.environment(), KIND, html, self.stylesheet + css)

    def get(self, key: str) -> Part | None:
        """The part kept under ``key`` if the files it read are as they were; else None."""
        found: Any = self.store.get(KIND, key)
        try:
            reads, kept_pdf = found["reads"], found["pdf"]
            part = Part(int(found["start"]), int(found["pages"]),
                        {str(name): int(page) for name, page in found["anchors"].items()},
                        None if kept_pdf is None else base64.b64decode(kept_pdf, validate=True))
            paths = {self._path(str(name)): digest for name, digest in reads.items()}
            unchanged = None not in paths and all(self._digest(path) == digest
                                                  for path, digest in paths.items()
                                                  if path is not None)
        except (TypeError, KeyError, ValueError, AttributeError, binascii.Error):
            return None  # absent, or not an entry this module wrote: a miss
        return part if unchanged else None

    def put(self, key: str, part: Part, reads: list[Path]) -> None:
        """Keep ``part`` under ``key``, with the digests of the files it read."""
        self.store.put(KIND, key, {
            "start": part.start, "pages": part.pages, "anchors": part.anchors,
            "pdf": None if part.pdf is None else base64.b64encode(part.pdf).decode("ascii"),
            "reads": {self._name(path): self._digest(path) for path in reads}})

    def _name(self, path: Path) -> str:
        """A file's name in an entry: relative to the project inside it (a moved project
        still hits), else absolute (and ``_path`` never reads it)."""
        return (path.relative_to(self.project).as_posix() if path.is_relative_to(self.project)
                else path.as_posix())

    def _path(self, name: str) -> Path | None:
        """The file an entry names; None outside the project (a planted entry: nothing
        outside the project is read, even to hash it)."""
        return confine.inside(self.project, self.project / name)

    def _digest(self, path: Path) -> str:
        """The digest of a file's bytes (of its absence when missing), once a build."""
        if path not in self._digests:
            try:
                self._digests[path] = cache.digest(path.read_bytes())
            except OSError:
                self._digests[path] = cache.digest(b"\0missing")
        return self._digests[path]
