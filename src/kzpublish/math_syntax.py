"""Pandoc's TeX math in Markdown: ``$…$``, ``$$…$$ {#eq:x}`` and amsmath environments.

Pandoc's rules for ``$`` (its manual, extension ``tex_math_dollars``), which
mdit-py-plugins' dollarmath does not follow exactly (it forbids a digit *before*
the opening ``$`` and searches past a closing ``$`` that fails), so the inline
rule is ours:

- inline ``$…$``: no space right after the opening ``$``; the math ends at the
  first unescaped ``$``, which must not follow a space nor be followed by a
  digit — else there is no math here (``$5 and $6``). ``\\$`` is a dollar sign.
- display ``$$…$$``: anything up to the next ``$$``, no blank line inside; it may
  stand inside a paragraph, as in pandoc. pandoc-crossref's ``{#eq:label}``
  right after it labels the equation.
- amsmath environments (``\\begin{align}…``) standing alone are display math,
  as pandoc reads them (mdit-py-plugins' amsmath rule).

How each edition shows it: the chapter HTML holds MathML (``mathml``), the
form HTML and EPUB 3 show natively and assistive technology reads, with the TeX
as ``alttext``. The print writer alone needs a picture (WeasyPrint has no
MathML), so it turns each ``<math>`` into SVG when it writes (``mathsvg``) — one
representation in the ``Book``, not one per edition carried through every stage.

Equations: a paragraph holding only display math becomes
``<div class="math display">``; with a label ``<div class="equation"
id="eq:x">`` (the cross-reference stage numbers those and appends the number).
Display math inside a paragraph's text stays there as ``<span>`` with the same
classes. Both carry ``tabindex="0"``: a formula wider than the screen scrolls in
its box. Invalid TeX is a warning at FILE:LINE and its source is shown as code.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any

from .errors import Diagnostic, SourcePos
from .mathml import TexError, to_mathml

# Free of markdown-it imports (reader.py is its adapter): these rules see only state and tokens.

_LABEL = re.compile(r"[ \t]*\{#(eq:[^\s{}]+)\}")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# A formula wider than a phone scrolls sideways in its box (MathML does not break lines);
# a scrolling box must be reachable from the keyboard (WCAG 2.1.1).
_SCROLLS = ' tabindex="0"'


def plugin(md: Any) -> None:
    """Teach MD pandoc's math: the inline rule, lone equations as blocks, the renderers.

    Register after mdit-py-plugins' amsmath plugin, whose renderer this replaces.
    """
    md.inline.ruler.before("escape", "tex_math", _math_rule)
    md.core.ruler.after("inline", "equation_blocks", _equation_blocks)
    md.add_render_rule("math_inline", _render_inline)
    md.add_render_rule("math_display", _render_display)
    md.add_render_rule("amsmath", _render_environment)


def _math_rule(state: Any, silent: bool) -> bool:
    """``$$display$$`` or ``$inline$`` at the current position, by pandoc's rules."""
    src, start = state.src, state.pos
    if src[start] != "$":
        return False
    found = _display(src, start) if src.startswith("$$", start) else _inline(src, start)
    if found is None:
        return False
    kind, tex, end, label = found
    if not silent:
        token = state.push(kind, "math", 0)
        token.content = tex
        token.markup = "$$" if kind == "math_display" else "$"
        token.meta = {"label": label, "line": src.count("\n", 0, start)}
    state.pos = end
    return True


def _display(src: str, start: int) -> tuple[str, str, int, str] | None:
    close = src.find("$$", start + 2)
    tex = src[start + 2:close]
    if close < 0 or not tex.strip() or _BLANK_LINE.search(tex):
        return None
    label = _LABEL.match(src, close + 2)
    end = label.end() if label else close + 2
    return "math_display", tex, end, label[1] if label else ""


def _inline(src: str, start: int) -> tuple[str, str, int, str] | None:
    if start + 1 >= len(src) or src[start + 1].isspace():
        return None
    close = _closing_dollar(src, start + 1)
    if close is None or src[close - 1].isspace():
        return None
    if close + 1 < len(src) and src[close + 1].isdigit():
        return None
    return "math_inline", src[start + 1:close], close + 1, ""


def _closing_dollar(src: str, pos: int) -> int | None:
    """The first ``$`` from POS not escaped by a backslash (``\\$`` is part of the TeX)."""
    while pos < len(src):
        char = src[pos]
        if char == "\\":
            pos += 2
        elif char == "$":
            return pos
        else:
            pos += 1
    return None


def _equation_blocks(state: Any) -> None:
    """A paragraph holding only display math is an equation block, not a paragraph."""
    tokens = state.tokens
    for index in range(1, len(tokens) - 1):
        inline = tokens[index]
        if tokens[index - 1].type != "paragraph_open" or inline.type != "inline":
            continue
        maths = [c for c in inline.children or [] if not _blank(c)]
        if len(maths) == 1 and maths[0].type == "math_display":
            maths[0].meta["block"] = True
            tokens[index - 1].hidden = tokens[index + 1].hidden = True


def _blank(token: Any) -> bool:
    return token.type in ("softbreak", "hardbreak") or (
        token.type == "text" and not token.content.strip())


def _converted(token: Any, display: bool) -> str:
    """The token's MathML, or its source as code when the TeX is wrong (kept in meta)."""
    if "html" not in token.meta:
        try:
            token.meta["html"] = to_mathml(token.content.strip(), display)
        except TexError as error:
            token.meta["error"] = str(error)
            token.meta["html"] = f'<code class="tex">{escape(token.content.strip())}</code>'
    return str(token.meta["html"])


def _render_inline(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    return _converted(tokens[idx], display=False)


def _render_display(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    tag = "div" if token.meta.get("block") else "span"
    label = token.meta.get("label", "")
    opening = (f'<{tag} class="equation" id="{escape(label)}"{_SCROLLS}>' if label
               else f'<{tag} class="math display"{_SCROLLS}>')
    return f"{opening}{_converted(token, display=True)}</{tag}>" + ("\n" if tag == "div" else "")


def _render_environment(self: Any, tokens: list[Any], idx: int, options: Any,
                        env: Any) -> str:
    return f'<div class="math display"{_SCROLLS}>{_converted(tokens[idx], display=True)}</div>\n'


def warnings(tokens: list[Any], path: Path) -> list[Diagnostic]:
    """A warning at FILE:LINE for each formula whose TeX could not be read."""
    found = []
    for token in tokens:
        if token.type == "amsmath":
            found += _warning(token, True, path, (token.map or [0])[0])
        for child in token.children or []:
            if child.type in ("math_inline", "math_display"):
                line = (token.map or [0])[0] + child.meta.get("line", 0)
                found += _warning(child, child.type == "math_display", path, line)
    return found


def _warning(token: Any, display: bool, path: Path, line: int) -> list[Diagnostic]:
    _converted(token, display)
    if "error" not in token.meta:
        return []
    return [Diagnostic(SourcePos(path, line + 1), f"math not understood ({token.meta['error']})"
                       f" — shown as TeX source; fix the formula: {token.content.strip()}",
                       "warning")]
