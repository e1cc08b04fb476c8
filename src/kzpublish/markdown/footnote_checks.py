"""Footnote definitions the text loses: one never called, one defined twice.

markdown-it's footnote plugin drops a definition no ``[^label]`` calls, and a second
definition of a label replaces the first, both silently; pandoc warns about both. So do we,
at the definition's line (a definition another file calls is called: ``shared_notes``).
"""

from __future__ import annotations

from typing import Any

from . import findings
from .shared_notes import CALLED_ELSEWHERE


def rule(state: Any) -> None:
    """Core rule (before ``footnote_tail``, which drops what no call uses)."""
    refs = state.env.get("footnotes", {}).get("refs", {})
    called_elsewhere = state.env.get(CALLED_ELSEWHERE, set())  # from another file
    seen: set[str] = set()
    for token in state.tokens:
        if token.type != "footnote_reference_open":
            continue
        label, line = token.meta["label"], token.map[0] if token.map else 0
        if label in seen:
            findings.warn(state.env, line, f"footnote [^{label}] is defined again — this "
                          "definition replaces the earlier one; give one of them another label")
        elif refs.get(f":{label}", -1) < 0 and label not in called_elsewhere:
            findings.warn(state.env, line, f"footnote [^{label}] is never called — its text "
                          f"is left out; call it with [^{label}] or remove it")
        seen.add(label)
