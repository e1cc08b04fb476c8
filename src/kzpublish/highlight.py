"""Pygments adapter: source code → HTML spans with pandoc's highlighting classes.

The only module that imports Pygments. Tokens are marked with the short
classes pandoc (skylighting) writes — ``kw`` keyword, ``dt`` data type,
``st`` string, ``co`` comment… — not Pygments' own, so the markup matches
``pandoc -t html`` and the stylesheets (base.css, html.css) colour both; a
stylesheet written for pandoc's output works here too.

Pygments is imported when a code block names a language, not with the reader: most
chapters have none, and importing it was a few per cent of an unchanged rebuild.
"""

from __future__ import annotations

from functools import cache
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from pygments.token import _TokenType


@cache
def _classes() -> dict[_TokenType, str]:
    """Pygments' token types → pandoc's classes. Most specific first is not needed: a token
    type looks itself up, then its parents."""
    from pygments.token import Comment, Error, Keyword, Name, Number, Operator, String
    return {
        Keyword: "kw", Keyword.Type: "dt", Keyword.Constant: "cn", Keyword.Namespace: "im",
        Operator.Word: "kw",
        Name.Builtin: "bu", Name.Builtin.Pseudo: "bu", Name.Function: "fu", Name.Class: "dt",
        Name.Exception: "dt", Name.Decorator: "at", Name.Attribute: "at", Name.Tag: "kw",
        Name.Variable: "va", Name.Constant: "cn", Name.Namespace: "im",
        String: "st", String.Char: "ch", String.Escape: "sc", String.Doc: "do",
        String.Interpol: "sc", String.Regex: "ss", String.Symbol: "ss", String.Other: "ss",
        Number: "dv", Number.Float: "fl", Number.Hex: "bn", Number.Bin: "bn",
        Number.Oct: "bn",
        Comment: "co", Comment.Preproc: "pp", Comment.PreprocFile: "pp",
        Comment.Special: "an",
        Operator: "op", Error: "er",
    }


@cache
def _lexer(language: str) -> Lexer | None:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try:
        return get_lexer_by_name(language.lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def known(language: str) -> bool:
    """Whether LANGUAGE names a language Pygments can highlight."""
    return bool(language) and _lexer(language) is not None


def _css_class(kind: _TokenType) -> str:
    classes = _classes()
    while kind not in classes and kind.parent is not None:
        kind = kind.parent
    return classes.get(kind, "")


def _runs(code: str, language: str) -> list[tuple[str, str]]:
    """CODE as (class, text) runs; neighbouring tokens of one class share a run (Pygments
    cuts a string at its quotes)."""
    lexer = _lexer(language)
    assert lexer is not None, language
    runs: list[tuple[str, str]] = []
    for kind, text in lexer.get_tokens(code):
        css = _css_class(kind) if text.strip() else ""
        if runs and runs[-1][0] == css:
            runs[-1] = (css, runs[-1][1] + text)
        else:
            runs.append((css, text))
    return runs


def _html(runs: list[tuple[str, str]]) -> str:
    return "".join(f'<span class="{css}">{escape(text, quote=False)}</span>' if css
                   else escape(text, quote=False) for css, text in runs if text)


def highlight(code: str, language: str) -> str:
    """CODE as escaped HTML, each token of LANGUAGE (a ``known`` one) in a classed span."""
    return _html(_runs(code, language))


def highlight_lines(code: str, language: str) -> list[str]:
    """``highlight`` line by line: a token spanning lines (a doc string) is cut at each end
    of line, so every line is whole HTML and can be wrapped (numbered lines)."""
    lines: list[list[tuple[str, str]]] = [[]]
    for css, text in _runs(code, language):
        first, *rest = text.split("\n")
        lines[-1].append((css, first))
        lines += [[(css, piece)] for piece in rest]
    return [_html(line) for line in lines]
