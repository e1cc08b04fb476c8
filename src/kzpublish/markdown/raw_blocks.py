"""Raw blocks: a fence whose info is ``{=format}`` holds text in that output format.

````{=html}```` blocks are HTML as written (any sanitising is the raw-HTML hook's
job); other formats (``{=latex}``, ``{=openxml}``…) have no place in our editions and are
left out with a warning, as Pandoc's HTML writer leaves them out.
"""

from __future__ import annotations

from typing import Any

from . import attributes, findings


def rule(state: Any) -> None:
    """Core rule (after block): raw fences become HTML blocks or are dropped."""
    kept = []
    for token in state.tokens:
        found = attributes.parse_whole(token.info) if token.type == "fence" else None
        if found is None or not found.raw_format:
            kept.append(token)
        elif found.raw_format == "html":
            token.type, token.tag, token.info = "html_block", "", ""
            kept.append(token)
        else:
            line = token.map[0] if token.map else 0
            findings.warn(state.env, line, f"raw {found.raw_format} block ({{={found.raw_format}}}"
                          ") left out — only {=html} raw blocks reach the editions")
    state.tokens[:] = kept
