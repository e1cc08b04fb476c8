"""Attributes after an inline element: ``![x](a.png){#fig:a width=50%}``, ``[a](b){.c}``,
```` `code`{.py} ````, and raw inline content ```` `<b>`{=html} ```` (Pandoc's raw attribute).

Written for Pandoc's syntax rather than taken from mdit-py-plugins' attrs plugin, whose
(djot) syntax refuses values Pandoc takes bare, such as ``width=50%``.
"""

from __future__ import annotations

from typing import Any

from . import attributes, findings

# The element an attribute block can follow → the token that carries its attributes.
_CARRIERS = {"image": "image", "code_inline": "code_inline", "link_close": "link_open",
             "span_close": "span_open"}


def rule(state: Any, silent: bool) -> bool:
    """Inline rule at ``{``: attach the block to the element just before it."""
    if state.src[state.pos] != "{" or state.pending or not state.tokens:
        return False
    last = state.tokens[-1]
    if last.type not in _CARRIERS:
        return False
    found = attributes.parse(state.src, state.pos)
    if found is None or (found[0].raw_format and last.type != "code_inline"):
        return False
    parsed, end = found
    if not silent:
        if parsed.raw_format:
            _raw(last, parsed.raw_format, state.src[state.pos:end])
        else:
            carrier = _carrier(state.tokens, _CARRIERS[last.type])
            attributes.apply(carrier, parsed, carrier.tag)
    state.pos = end
    return True


def _carrier(tokens: list[Any], wanted: str) -> Any:
    """The opening token of the element that ends at TOKENS[-1] (nested ones skipped)."""
    if tokens[-1].type == wanted:
        return tokens[-1]
    depth = 0
    for token in reversed(tokens):
        depth += token.nesting
        if depth == 0 and token.type == wanted:
            return token
    return tokens[-1]


def _raw(code: Any, raw_format: str, snippet: str) -> None:
    """```` `x`{=html} ```` is HTML as written; other formats have no place in our editions."""
    if raw_format == "html":
        code.type = "html_inline"
        return
    findings.drop(code, f"raw {raw_format} inline `{code.content}`{snippet} left out — "
                  "only {=html} raw content reaches the editions", snippet)
