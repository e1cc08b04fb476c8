"""ziamath adapter: MathML in a page → typeset SVG pictures, for the print edition.

The only module that imports ziamath. WeasyPrint cannot lay out MathML, so
the PDF writer swaps every ``<math>`` of the chapter HTML for an ``<img>``
whose source is ziamath's SVG as a ``data:`` URI. Glyphs come from the STIX
Two Math font ziamath ships, drawn as outlines: nothing is fetched, no font is
embedded, and no TeX source reaches the page (pdftotext sees none). The TeX
(``alttext``, see ``mathml``) becomes the image's alt text, which WeasyPrint
writes into the tagged PDF for screen readers.

An ``<img>`` rather than inline ``<svg>``: each picture is a document of its
own, so the glyph symbols' ids never clash between formulas, and alt text is
the standard accessible name of an image. Its size is set in ``em`` and its
baseline sits on the text's (``vertical-align`` by the formula's depth), so
inline math follows the surrounding font size.
"""

from __future__ import annotations

import base64
import re
from html import escape, unescape

import ziamath

_MATH = re.compile(r"<math\b[^>]*>.*?</math>", re.S)
_ALTTEXT = re.compile(r'\balttext="([^"]*)"')
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
# ziamath's size, in px: large enough that rounding its coordinates loses nothing.
_SIZE = 24.0


def svg(mathml: str) -> tuple[str, float, float]:
    """MATHML typeset as SVG, and its width and depth below the baseline in em (the height
    follows from the picture's proportions, also when a wide formula is scaled down)."""
    picture = ziamath.Math(mathml, size=_SIZE).svg()
    box = _VIEWBOX.search(picture)
    assert box is not None, picture[:200]
    top, width, height = (float(box[n]) for n in (2, 3, 4))
    return picture, width / _SIZE, (height + top) / _SIZE


def _image(match: re.Match[str]) -> str:
    mathml = match[0]
    alttext = _ALTTEXT.search(mathml)
    tex = unescape(alttext[1]) if alttext else "formula"
    try:
        picture, width, depth = svg(mathml)
    except Exception:  # ziamath fails on MathML it cannot lay out: print the TeX, never crash
        return f'<code class="tex">{escape(tex, quote=False)}</code>'
    alt = escape(tex, quote=True)
    source = base64.b64encode(picture.encode("utf-8")).decode("ascii")
    return (f'<img class="math" alt="{alt}" src="data:image/svg+xml;base64,{source}" '
            f'style="width: {width:.3f}em; vertical-align: {-depth:.3f}em">')  # may be above


def to_pictures(html: str) -> str:
    """HTML with every ``<math>`` element replaced by its SVG picture."""
    return _MATH.sub(_image, html) if "<math" in html else html
