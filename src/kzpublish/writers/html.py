"""The HTML edition: a static site under OUT/html that works offline.

A one-chapter book is one page (index.html). A longer book gets index.html
(title page and contents) and one page per chapter with previous/next links.
Fonts and the stylesheet are copied beside the pages; nothing is loaded from
the network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import assets, fonts, images, intl, templates
from ..config import Config
from ..model import Book, Chapter
from . import atomic, links, shared

CSS_NAME = "book.css"


def _page(book: Book, config: Config, **context: Any) -> str:
    defaults: dict[str, Any] = {"title_page": False, "toc": [], "chapters": [], "pager": None,
                                "show_chapter_title": True, "css_href": CSS_NAME,
                                "page_title": book.meta.title}
    return templates.render(config, "page.html.j2",
                            **shared.context(book, **{**defaults, **context}))


def _file(chapter: Chapter) -> str:
    return f"{chapter.id}.html"


def _single_page(book: Book, config: Config) -> dict[str, str]:
    """The title page and the one chapter. A chapter with a title of its own has the page's
    top-level heading: the book's title above it is no heading then, or the chapter's
    h1 would sit below another (the Nu validator warns, screen readers nest it)."""
    chapter = book.chapters[0]
    return {"index.html": _page(book, config, title_page=True, chapters=[chapter],
                                show_chapter_title=chapter.title != book.meta.title,
                                title_is_heading=not chapter.has_own_title,
                                **shared.lists(book, config))}


def _pager_link(chapter: Chapter | None) -> dict[str, str] | None:
    return {"href": _file(chapter), "text": chapter.title} if chapter else None


def _pages(book: Book, config: Config) -> dict[str, str]:
    if len(book.chapters) == 1:
        return _single_page(book, config)
    toc = shared.toc_entries(book, lambda chapter, ident: f"{_file(chapter)}#{ident}",
                             depth=config.toc_depth or 1)
    lists = shared.lists(book, config, lambda chapter, ident: f"{_file(chapter)}#{ident}")
    pages = {"index.html": _page(book, config, title_page=True, toc=toc, **lists)}
    chapters = list(book.chapters)
    for index, chapter in enumerate(chapters):
        pager = {"prev": _pager_link(chapters[index - 1] if index else None),
                 "next": _pager_link(chapters[index + 1] if index + 1 < len(chapters) else None)}
        pages[_file(chapter)] = _page(book, config, chapters=[chapter], pager=pager,
                                      page_title=chapter.title)
    return pages


def _write_assets(book: Book, config: Config, folder: Path) -> None:
    """The stylesheet and the fonts, subset to the book's characters as WOFF2."""
    (folder / "fonts").mkdir()
    text = fonts.characters(book, *intl.labels(book.meta.language).values())
    woff2 = []
    for font in assets.fonts(config.project, math=shared.has_math(book)):
        target = folder / "fonts" / f"{font.stem}.woff2"
        target.write_bytes(fonts.subset_font(font, text, "woff2"))
        woff2.append(target)
    css = assets.font_faces(woff2, lambda path: f"fonts/{path.name}")
    css += assets.stylesheet(config.project, "base.css", "html.css")
    (folder / CSS_NAME).write_text(css, encoding="utf-8")


def _copy_images(book: Book, config: Config, folder: Path) -> None:
    """Images keep their ``images.output_name``, so the pages' src stay valid."""
    for name in sorted({name for chapter in book.chapters for name in chapter.images}):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(images.read(config.project, name))


def write(book: Book, config: Config, out_dir: Path) -> Path:
    """Write the site to OUT/html, replacing any previous one as a whole."""
    target = out_dir / "html"
    with atomic.directory(target) as folder:
        for name, html in links.resolve(_pages(book, config)).items():
            (folder / name).write_text(html, encoding="utf-8")
        _write_assets(book, config, folder)
        _copy_images(book, config, folder)
    return target / "index.html"
