"""A link reference label defined twice: pandoc warns and keeps the last definition.

CommonMark (markdown-it) keeps the first, silently, so ``[Ref]`` led elsewhere than in
pandoc; markdown-it-py notes each later definition in ``env["duplicate_refs"]``.
"""

from __future__ import annotations

import re
from typing import Any

from . import findings

_LABEL = re.compile(r"\[[^\]]*\]")


def rule(state: Any) -> None:
    """Core rule (after block, before links are read): the last definition of a label wins,
    and each redefinition is a warning at its line."""
    references, lines = state.env.get("references", {}), state.src.split("\n")
    for duplicate in state.env.pop("duplicate_refs", []):
        line = duplicate["map"][0]
        references[duplicate["label"]] = {key: duplicate[key] for key in ("title", "href", "map")}
        written = _LABEL.search(lines[line])  # the label as written, not normalised
        label = written[0] if written else duplicate["label"]
        findings.warn(state.env, line, f"link reference {label} is defined again — this "
                      "definition is used, as pandoc uses the last; remove the other")
