"""PyYAML adapter: YAML text → Python data; a syntax error is a ``KzError`` at FILE:LINE:COL.

The only module that imports PyYAML (imported on first use: a book without YAML does not
pay for it). Used for CSL-YAML bibliographies and for chapters' YAML metadata blocks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import KzError, SourcePos


def load(text: str, path: Path, error: type[KzError], first_line: int = 1) -> Any:
    """The data in TEXT, which starts at line FIRST_LINE of PATH; bad YAML raises ERROR."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line, col = (mark.line + first_line, mark.column + 1) if mark else (first_line, None)
        raise error.at(SourcePos(path, line, col),
                       f"not valid YAML ({exc.problem}) — fix the syntax") from None
    except yaml.YAMLError as exc:
        raise error.at(SourcePos(path, first_line, None),
                       f"not valid YAML ({exc}) — fix the syntax") from None
