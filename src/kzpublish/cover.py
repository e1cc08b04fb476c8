"""A cover image drawn from the book's title, for editions that want one (EPUB).

Pillow (already a WeasyPrint dependency) draws the title and authors in the
vendored Noto Sans on a plain ground: a real cover beats none in a library
view, and a designer's cover can replace it through book.toml. The only
module that imports Pillow; the PNG is deterministic for the same input.
So ``unreadable``, the check that a book's image decodes, lives here too.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1600, 2400)
MARGIN = 150
GROUND, INK, ACCENT = (246, 242, 234), (29, 29, 31), (138, 43, 29)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
          width: int) -> list[str]:
    """Greedy line filling by measured width."""
    lines: list[str] = []
    for word in text.split(" "):  # not split(): a no-break space must hold
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _block(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont,
           top: int, fill: tuple[int, int, int]) -> int:
    """Draw wrapped text from ``top``; return the y below it."""
    line_height = int(font.size * 1.25)
    for line in _wrap(draw, text, font, SIZE[0] - 2 * MARGIN):
        draw.text((MARGIN, top), line, font=font, fill=fill)
        top += line_height
    return top


def render(title: str, subtitle: str, authors: list[str], fonts: Path) -> bytes:
    """The cover as PNG bytes."""
    image = Image.new("RGB", SIZE, GROUND)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(fonts / "NotoSans-Bold.ttf"), 130)
    regular = ImageFont.truetype(str(fonts / "NotoSans-Regular.ttf"), 72)
    draw.rectangle((MARGIN, 420, MARGIN + 240, 440), fill=ACCENT)
    below = _block(draw, title, bold, 560, INK)
    if subtitle:
        below = _block(draw, subtitle, regular, below + 60, INK)
    if authors:
        _block(draw, ", ".join(authors), regular, SIZE[1] - MARGIN - 200, ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def unreadable(path: Path) -> str | None:
    """Why the raster image at ``path`` cannot go into an edition, or None if it can.

    WeasyPrint leaves an image it cannot decode out of the PDF with only a log line, so
    the reader asks first: a damaged file, or one past Pillow's decompression-bomb limit
    (``Image.MAX_IMAGE_PIXELS``, ≈ 89 megapixels), is an error at the Markdown that uses
    it. SVG is XML, not Pillow's: ``_unreadable_svg``."""
    if path.suffix.lower() == ".svg":
        return _unreadable_svg(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        return f"is larger than {limit} megapixels — scale it down"
    except Exception as error:  # Pillow raises many kinds for damaged data
        return (f"is not a readable image ({type(error).__name__}: {error}) — "
                "export it again as PNG, JPEG, GIF or WebP")
    return None


def _unreadable_svg(path: Path) -> str | None:
    """An SVG that is not well-formed XML, or declares entities (WeasyPrint leaves those out:
    external ones would read other files, nested ones explode in size)."""
    from xml.etree import ElementTree
    data = path.read_bytes()
    if b"<!ENTITY" in data:
        return "declares XML entities — remove its <!DOCTYPE …> part"
    try:
        ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"is not a well-formed SVG ({error}) — export it again"
    return None
