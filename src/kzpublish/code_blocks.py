"""Pandoc's code in Markdown: fenced blocks with their info forms, and ``code``{.lang}.

A fence names its language as pandoc reads it: ```` ```haskell ````,
```` ``` {.haskell .numberLines} ````, ```` ```{#id .python} ````; the first
class is the language. What pandoc writes is what we write:

- a language Pygments knows: ``<div class="sourceCode"><pre class="sourceCode
  LANG …"><code class="sourceCode LANG">`` with highlighted spans (``highlight``);
  with ``.numberLines`` each line is a ``<span class="line">`` the stylesheet numbers;
- any other class list: ``<pre class="…"><code>``; no info: ``<pre><code>``
  (indented code too — markdown-it's own rendering already is pandoc's);
- inline code followed by ``{.lang}``: ``<code class="sourceCode lang">``.

Free of markdown-it imports (reader.py is its adapter): these rules see only
state and tokens.
"""

from __future__ import annotations

import re
from html import escape
from itertools import pairwise
from typing import Any

from . import highlight
from .markdown import attributes as attribute_blocks

_ATTRS = re.compile(r"\{([^{}]*)\}")
_INLINE_ATTRS = re.compile(r"\{((?:\s*[#.][\w:.-]+)+)\s*\}")


def plugin(md: Any) -> None:
    """Teach MD pandoc's code: fence info forms, inline code classes, highlighting."""
    md.core.ruler.after("inline", "inline_code_attrs", _inline_code_attrs)
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_inline", _render_inline)


def attributes(info: str) -> tuple[str, list[str]]:
    """A fence's info string → (id, classes), e.g. ``{#x .python .numberLines}``."""
    braced = _ATTRS.search(info)
    words = (info[:braced.start()] if braced else info).split()
    ident, classes = "", words[:1]
    for attr in braced[1].split() if braced else []:
        if attr.startswith("#"):
            ident = attr[1:]
        elif attr.startswith("."):
            classes.append(attr[1:])
    return ident, classes


def _data_attrs(info: str) -> str:
    """The ``key=value`` attributes of a fence's braces as pandoc writes them on the block
    (``data-startFrom="10"``, pandoc-crossref's ``data-caption``): they were dropped."""
    braced = _ATTRS.search(info)
    parsed = attribute_blocks.parse_whole(braced[0]) if braced else None
    if parsed is None or not parsed.pairs:
        return ""
    pairs = attribute_blocks.html_pairs(attribute_blocks.Attributes(pairs=parsed.pairs))
    return "".join(f' {key}="{escape(value)}"' for key, value in pairs)


def _line_counter(info: str) -> str:
    """``startFrom=N`` on a numbered block: its lines count from N, as pandoc sets them."""
    start = re.search(r"""\bstartFrom=["']?(-?\d+)""", info)
    return f' style="counter-reset: source-line {int(start[1]) - 1};"' if start else ""


def _class_attr(classes: list[str]) -> str:
    return f' class="{escape(" ".join(classes))}"' if classes else ""


def _render_fence(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    ident, classes = attributes(token.info)
    # Attributes a block-attribute rule ({.class} on the line before) may have set.
    ident = ident or str(token.attrGet("id") or "")
    classes += [c for c in str(token.attrGet("class") or "").split() if c not in classes]
    code = token.content.removesuffix("\n")
    id_attr = f' id="{escape(ident)}"' if ident else ""
    data = _data_attrs(token.info)
    if not classes or not highlight.known(classes[0]):
        body = escape(code, quote=False)
        return f"<pre{id_attr}{_class_attr(classes)}{data}><code>{body}</code></pre>\n"
    language, numbered = classes[0], "numberLines" in classes
    pre = ["sourceCode", *(["numberSource"] if numbered else []), *classes]
    body = ("\n".join(f'<span class="line">{line}</span>'
                      for line in highlight.highlight_lines(code, language))
            if numbered else highlight.highlight(code, language))
    counter = _line_counter(token.info) if numbered else ""
    return (f'<div class="sourceCode"{id_attr}{data}><pre{_class_attr(pre)}>'
            f'<code class="sourceCode {escape(language)}"{counter}>{body}</code></pre></div>\n')


def _inline_code_attrs(state: Any) -> None:
    """``code``{.python}: the braces after inline code give it classes (pandoc's attributes)."""
    for inline in (t for t in state.tokens if t.type == "inline"):
        children = inline.children or []
        for code, after in pairwise(children):
            if code.type != "code_inline" or after.type != "text":
                continue
            match = _INLINE_ATTRS.match(after.content)
            if match:
                code.meta["classes"] = [a[1:] for a in match[1].split() if a.startswith(".")]
                after.content = after.content[match.end():]


def _render_inline(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    classes = token.meta.get("classes") or (token.attrGet("class") or "").split()
    others = _other_attrs(token)
    if classes and highlight.known(classes[0]):
        body = highlight.highlight(token.content, classes[0])
        return f'<code class="sourceCode {escape(" ".join(classes))}"{others}>{body}</code>'
    return f"<code{_class_attr(classes)}{others}>{escape(token.content, quote=False)}</code>"


def _other_attrs(token: Any) -> str:
    """The attributes besides the class that ``code``{#id key=v} gives (an id to link to,
    ``data-key``, ``lang``), as pandoc writes them: they were dropped."""
    return "".join(f' {name}="{escape(str(value))}"'
                   for name, value in (token.attrs or {}).items() if name != "class")
