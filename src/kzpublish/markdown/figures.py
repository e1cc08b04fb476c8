"""Implicit figures: an image with a description, alone in its paragraph, is a figure.

Pandoc's rule: ``<figure id>`` (the image's id moves to the figure, where cross-references
point), the image, and ``<figcaption>`` holding the description rendered as Markdown —
emphasis and citations included, which an ``alt`` attribute could not keep.
"""

from __future__ import annotations

from typing import Any


def rule(state: Any) -> None:
    """Core rule (after inline): turn lone-image paragraphs into figure tokens."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-2]):
        if token.type != "paragraph_open" or token.hidden:
            continue
        image = _lone_image(tokens[index + 1])
        if image is None:
            continue
        token.type, token.tag = "figure_open", "figure"
        tokens[index + 2].type, tokens[index + 2].tag = "figure_close", "figure"
        ident = image.attrGet("id")
        if ident:
            token.attrSet("id", ident)
            del image.attrs["id"]


def _lone_image(inline: Any) -> Any:
    children = [c for c in inline.children or []
                if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image" and children[0].content.strip():
        return children[0]
    return None


def render_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """The caption, then the figure's end; the image is rendered by its inline token."""
    image = _lone_image(tokens[idx - 1])
    caption = self.renderInline(image.children or [], options, env)
    return f"<figcaption>{caption}</figcaption></figure>\n"
