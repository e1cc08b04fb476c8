"""latex2mathml adapter: TeX math → MathML, or a ``TexError`` saying what is wrong.

The only module that imports latex2mathml. The TeX source goes into the
``alttext`` attribute of ``<math>`` (MathML's own text alternative): screen
readers without MathML support read it, nothing displays it, and the print
writer takes it as the picture's alt text (``mathsvg``). pandoc and MathJax
offer the same TeX to assistive technology (an annotation, an aria-label).

latex2mathml is lenient: an unknown command comes out as an identifier
spelling the command (``<mi>\\foo</mi>``), which would print TeX source in the
book, so that is an error here too.
"""

from __future__ import annotations

import re
from html import escape

# LaTeX's equation labels and \nonumber print nothing: texmath (pandoc) skips them, where
# latex2mathml printed them as an unknown command and the formula as TeX source.
_UNPRINTED = re.compile(r"\\label\s*\{[^{}]*\}|\\nonumber(?![A-Za-z])")
# latex2mathml numbers the rows of align itself; pandoc does not (numbers are crossref's).
_NUMBERED_ALIGN = re.compile(r"\\(begin|end)\{align\}")
# amsmath's aligned/alignedat/alignat and gathered/gather, and LaTeX's eqnarray, which
# latex2mathml does not know: it printed their rows as one line with a bare "&"
# (<mi>&</mi>, not even XML). They are the align* and arrays it does know, laid out as
# texmath (pandoc) lays them out.
_ALIGNED = re.compile(r"\\(begin|end)\{(?:aligned|alignedat|alignat\*?)\}(?:\{\d+\})?")
_GATHERED = re.compile(r"\\(begin|end)\{(?:gathered|gather\*?)\}")
_EQNARRAY = re.compile(r"\\(begin|end)\{eqnarray\*?\}")  # LaTeX's own: right, centre, left
# An ampersand latex2mathml left bare: an alignment it did not understand.
_BARE_AMPERSAND = re.compile(r"&(?!#?\w+;)")
# A TeX command left as text in the MathML: latex2mathml did not know it.
_LEFTOVER_COMMAND = re.compile(r">[^<]*(\\[A-Za-z]+)[^<]*<")


class TexError(ValueError):
    """TeX that cannot be turned into MathML; the message names the problem."""


def to_mathml(tex: str, display: bool) -> str:
    """``<math>`` for TEX (inline or display), its source as ``alttext``.

    latex2mathml is imported at the first formula: its import is a third of a cached
    rebuild's time (80 ms), which a book without math need not pay."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(_known_environments(tex), display="block" if display else "inline")
    except Exception as error:  # latex2mathml raises bare Exception subclasses
        raise TexError(_describe(error)) from None
    if _BARE_AMPERSAND.search(mathml):
        raise TexError("'&' outside an alignment environment (align, aligned, matrix, cases…)")
    leftover = _LEFTOVER_COMMAND.search(mathml)
    if leftover:
        raise TexError(f"unknown command {leftover[1]}")
    alttext = escape(" ".join(tex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alttext}" ', 1)


def _known_environments(tex: str) -> str:
    """TEX with what latex2mathml cannot read spelled as what it can (see the patterns)."""
    tex = _ALIGNED.sub(r"\\\1{align*}", _NUMBERED_ALIGN.sub(r"\\\1{align*}", tex))
    tex = _GATHERED.sub(lambda m: r"\begin{array}{c}" if m[1] == "begin" else r"\end{array}",
                        tex)
    tex = _EQNARRAY.sub(lambda m: r"\begin{array}{rcl}" if m[1] == "begin" else r"\end{array}",
                        tex)
    return _UNPRINTED.sub("", tex)


def _describe(error: Exception) -> str:
    """latex2mathml's exception names say what is wrong; their messages are often empty."""
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type(error).__name__).lower()
    name = name.removesuffix(" error")
    return f"{name}: {error}" if str(error) else name
