"""The EPUB 3 edition, assembled with ebooklib.

The only module that imports ebooklib. One XHTML document for the title page
and one per chapter; cross-document links are resolved by ``links``. ebooklib
stamps the current time into dcterms:modified and every zip entry, so the
archive is re-packed with fixed timestamps: same sources → same bytes.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import unescape

from ebooklib import epub

from .. import assets, cover, fonts, images, intl, templates
from ..config import Config
from ..model import Book, Chapter
from . import atomic, links, shared

_FONT_TYPES = {".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff", ".woff2": "font/woff2"}
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def identifier(book: Book) -> str:
    """book.toml's identifier, else a UUID5 of title and authors: stable across builds."""
    if book.meta.identifier:
        return book.meta.identifier
    name = "\n".join((book.meta.title, *book.meta.authors))
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'kzpublish:' + name)}"


def _modified(book: Book) -> datetime:
    """SOURCE_DATE_EPOCH, else the book's date, else 1980-01-01: never the clock."""
    moment = shared.source_date()
    if moment:
        return moment
    if book.meta.date:
        return datetime.fromisoformat(book.meta.date).replace(tzinfo=UTC)
    return datetime(1980, 1, 1, tzinfo=UTC)


_EPUB_TYPES = {"doc-noteref": "noteref", "doc-footnote": "footnote",
               "doc-endnotes": "footnotes", "doc-chapter": "chapter",
               "doc-bibliography": "bibliography"}
_ROLE = re.compile(r'role="(doc-[a-z]+)"')


def _with_epub_types(html: str) -> str:
    """Reading systems pop up notes by epub:type; DPUB-ARIA roles tell assistive tech."""
    def add(match: re.Match[str]) -> str:
        kind = _EPUB_TYPES.get(match[1])
        return f'epub:type="{kind}" {match[0]}' if kind else match[0]
    return _ROLE.sub(add, html)


def _chapter_body(chapter: Chapter) -> str:
    heading = ("" if chapter.has_own_title
               else f'<h1 class="chapter-title">{_escape(chapter.title)}</h1>\n')
    return (f'<section class="chapter" id="{chapter.id}" role="doc-chapter">\n'
            f"{heading}{chapter.html}</section>\n")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


BIBLIOGRAPHY = "bibliography.xhtml"
LISTS = "lists.xhtml"
"""book.toml's lof and lot: the lists of figures and tables, after the contents."""
_REFS_HEADING = re.compile(r'(?:<section class="bibliography">\s*)?<h[1-6][^>]*\sid="refs"')
_NOTES = re.compile(r'<section class="footnotes"')


def split_bibliography(html: str) -> tuple[str, str]:
    """Cut the reference list (its heading to the chapter's notes) out of a chapter.

    The list becomes a document of its own, after that chapter (back matter when it ends
    the book, as EPUB back matter should); the chapter keeps its notes, and any text
    after the list goes with the list. Not with book.toml's references-per-chapter: a
    chapter's list is its own there, also one placed at its ``{#refs}`` (``chapters``),
    and stays in its document, as it does in the other editions.
    """
    heading = _REFS_HEADING.search(html)
    if not heading:
        return html, ""
    notes = _NOTES.search(html, heading.start())
    end = notes.start() if notes else len(html)
    listing = html[heading.start():end]
    if listing.startswith('<section class="bibliography">'):
        listing = listing.removeprefix('<section class="bibliography">').rsplit("</section>", 1)[0]
    return html[:heading.start()] + html[end:], listing


def _documents(book: Book, config: Config) -> dict[str, str]:
    """File name → XHTML body, in reading order, with links resolved across files."""
    title = templates.render(config, "title.html.j2", **shared.context(book))
    documents = {"title.xhtml": title}
    lists = shared.lists(book, config)
    if lists["lof"] or lists["lot"]:  # after the title page and the nav, before chapter 1
        documents[LISTS] = templates.render(config, "lists.html.j2",
                                            **shared.context(book, **lists))
    back_matter, place = "", None
    for chapter in book.chapters:
        body, listing = (chapter.html, "") if config.references_per_chapter else (
            split_bibliography(chapter.html))
        back_matter += listing
        if body.strip() or not chapter.has_own_title or not listing:
            documents[f"{chapter.id}.xhtml"] = _chapter_body(replace(chapter, html=body))
        # else: "# References {#refs}" was the chapter, and is the list's document now
        if listing and place is None:
            place = len(documents)
    if back_matter:
        listing_html = (f'<section class="bibliography" role="doc-bibliography">\n'
                        f"{back_matter}</section>\n")
        documents = _inserted(documents, place or len(documents), BIBLIOGRAPHY, listing_html)
    return {name: _with_epub_types(html) for name, html in links.resolve(documents).items()}


def _inserted(documents: dict[str, str], place: int, name: str, html: str) -> dict[str, str]:
    """The documents with one more at ``place`` in reading order: the reference list
    stands where the author put it (after the chapter it ends), so the spine and the
    contents keep the author's order (epubcheck: the nav must be in reading order)."""
    items = list(documents.items())
    return dict([*items[:place], (name, html), *items[place:]])


def _stylesheet(config: Config, fonts: list[Path]) -> epub.EpubItem:
    faces = assets.font_faces(fonts, lambda path: f"../fonts/{path.name}")
    css = assets.stylesheet(config.project, "base.css", "epub.css")
    return epub.EpubItem(uid="style", file_name="style/book.css", media_type="text/css",
                         content=(faces + css).encode("utf-8"))


def _accessibility(book: epub.EpubBook, own_cover: bool) -> None:
    """EPUB Accessibility 1.1 metadata: what the book offers and what it conforms to. The
    cover drawn from the title only repeats it; an author's own cover may show more."""
    properties = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "visual"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary",
         "Structured text with headings, a table of contents, linked citations and notes"
         + ("." if own_cover else "; the cover image only repeats the title and subtitle.")),
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"),
    ]
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})


def _assemble(book: Book, config: Config) -> epub.EpubBook:
    result = epub.EpubBook()
    result.set_identifier(identifier(book))
    result.set_title(book.meta.title)
    result.set_language(book.meta.language)
    for number, author in enumerate(book.meta.authors, start=1):
        result.add_author(author, uid=f"creator{number}")
    if book.meta.subject or book.meta.subtitle:
        result.add_metadata("DC", "description", book.meta.subject or book.meta.subtitle)
    for keyword in book.meta.keywords:
        result.add_metadata("DC", "subject", keyword)
    _accessibility(result, own_cover=bool(config.cover))
    cover_name = f"cover{Path(config.cover).suffix.lower() or '.png'}"
    result.set_cover(cover_name, _cover(book, config), create_page=False)
    result.get_item_with_id("cover-img").media_type = images.MEDIA_TYPES[Path(cover_name).suffix]
    faces = assets.fonts(config.project, math=shared.has_math(book))
    css = _stylesheet(config, faces)
    result.add_item(css)
    text = fonts.characters(book, *intl.labels(book.meta.language).values())
    for font in faces:
        result.add_item(epub.EpubItem(uid=f"font-{font.stem}", file_name=f"fonts/{font.name}",
                                      media_type=_FONT_TYPES[font.suffix],
                                      content=fonts.subset_font(font, text)))
    for index, src in enumerate(sorted({s for c in book.chapters for s in c.images}), 1):
        result.add_item(epub.EpubItem(uid=f"image-{index}", file_name=src,
                                      media_type=images.MEDIA_TYPES[Path(src).suffix.lower()],
                                      content=images.read(config.project, src)))
    pages = []
    documents = _documents(book, config)
    for name, body in documents.items():
        page = epub.EpubHtml(uid=Path(name).stem, file_name=name, lang=book.meta.language,
                             title=_page_title(book, name, body), content=body)
        page.add_item(css)
        if "<math" in body:
            page.properties.append("mathml")  # EPUB 3: documents with MathML say so
        result.add_item(page)
        pages.append(page)
    result.toc = _nested(_toc(book, documents, config.toc_depth or 1))
    result.add_item(epub.EpubNav(title=intl.labels(book.meta.language)["contents"]))
    result.add_item(epub.EpubNcx())
    result.spine = [pages[0], "nav", *pages[1:]]
    result.guide = _landmarks(book, pages, config.references_per_chapter)
    return result


def _landmarks(book: Book, pages: list[epub.EpubHtml],
               lists_per_chapter: bool) -> list[dict[str, str]]:
    """Landmarks (EPUB 3 nav) and guide (EPUB 2): contents, start of text, references
    (the book's list: none when each chapter has its own)."""
    words = intl.labels(book.meta.language)
    marks = [{"type": "toc", "href": "nav.xhtml", "title": words["contents"]},
             {"type": "text", "href": pages[1].file_name, "title": book.chapters[0].title}]
    for page in [] if lists_per_chapter else pages:
        if 'id="refs"' in page.content:
            marks.append({"type": "bibliography", "href": f"{page.file_name}#refs",
                          "title": words["references"]})
    return marks


def _cover(book: Book, config: Config) -> bytes:
    """book.toml's cover image, else one drawn from the title (a PNG). The cover keeps its
    file's type in the EPUB: a JPEG named cover.png was an error to epubcheck."""
    if config.cover:
        return (config.manuscript / config.cover).read_bytes()
    return cover.render(book.meta.title, book.meta.subtitle, list(book.meta.authors),
                        assets.BUILTIN_STYLES / "fonts")


def _page_title(book: Book, name: str, body: str) -> str:
    if name == BIBLIOGRAPHY:
        return intl.labels(book.meta.language)["references"]
    if name == LISTS:  # "List of Figures · List of Tables", as the page holds them
        words = intl.labels(book.meta.language)
        return " · ".join(words[kind] for kind in ("lof", "lot") if f'id="{kind}-title"' in body)
    for chapter in book.chapters:
        if name == f"{chapter.id}.xhtml":
            return chapter.title or book.meta.title  # an empty heading's: a page needs a title
    return book.meta.title


def _toc(book: Book, documents: dict[str, str], depth: int) -> list[shared.TocEntry]:
    """Chapters and headings down to ``depth``, each pointing into the document that now
    holds it."""
    home = links.homes(documents)
    entries = shared.toc_entries(
        book, lambda chapter, ident: f"{home.get(ident, chapter.id + '.xhtml')}#{ident}",
        depth=depth)
    if BIBLIOGRAPHY in documents and not any(BIBLIOGRAPHY in e.href for e in entries):
        # a "## References {#refs}" is below the contents' depth: its entry goes where its
        # document stands in reading order (epubcheck: the nav must be in reading order)
        label = intl.labels(book.meta.language)["references"]
        position = {name: index for index, name in enumerate(documents)}
        place = next((index for index, entry in enumerate(entries)
                      if position.get(entry.href.split("#")[0], 0) > position[BIBLIOGRAPHY]),
                     len(entries))
        entries.insert(place, shared.TocEntry(1, label, f"{BIBLIOGRAPHY}#refs"))
    return entries


def _nested(entries: list[shared.TocEntry]) -> list[Any]:
    """The nav's entries as ebooklib nests them: a heading's subsections in a list after
    it, ``(Link, [...])``; an entry without any, a bare ``Link``."""
    root: list[Any] = []
    open_levels: list[tuple[int, list[Any]]] = [(0, root)]  # each open entry's level, list
    for index, entry in enumerate(entries, start=1):
        while open_levels[-1][0] >= entry.level:
            open_levels.pop()
        below: list[Any] = []
        open_levels[-1][1].append((epub.Link(entry.href, entry.text, f"toc-{index}"), below))
        open_levels.append((entry.level, below))
    return _bare(root)


def _bare(items: list[Any]) -> list[Any]:
    """``(Link, [])`` as ``Link``: ebooklib writes an empty ``<ol>`` for an empty list."""
    return [(link, _bare(below)) if below else link for link, below in items]


def _package_language(opf: bytes, language: str) -> bytes:
    """ebooklib leaves xml:lang off <package>; Ace (and EPUB 3.3) want it there."""
    return opf.replace(b"<package ", f'<package xml:lang="{language}" '.encode(), 1)


_MANIFEST_HREF = re.compile(rb'(<item [^>]*?href=")([^"]*)(")')


def _encoded_hrefs(opf: bytes) -> bytes:
    """ebooklib writes a manifest href as the file's name; a URL must encode its spaces
    and non-ASCII letters (epubcheck RSC-020 for ``images/my chart é.png``). The files
    keep their names: the chapters already refer to them percent-encoded."""
    def encode(match: re.Match[bytes]) -> bytes:
        name = unescape(match[2].decode("utf-8"), {"&quot;": "\""})
        return match[1] + quote(name, safe="/").encode() + match[3]  # nothing left to escape
    return _MANIFEST_HREF.sub(encode, opf)


def _repack(data: bytes, language: str) -> bytes:
    """Re-zip with mimetype first and stored, fixed entry times and order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.external_attr = 0o644 << 16
            stored = info.filename == "mimetype"
            entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            content = source.read(info.filename)
            if info.filename.endswith(".opf"):
                content = _encoded_hrefs(_package_language(content, language))
            target.writestr(entry, content)
    return out.getvalue()


def write(book: Book, config: Config, out_dir: Path) -> Path:
    """Assemble the EPUB and write OUT/<slug>.epub."""
    buffer = io.BytesIO()
    options = {"mtime": _modified(book), "raise_exceptions": True, "epub3_pages": False,
               "landmark_title": intl.labels(book.meta.language)["landmarks"]}
    epub.write_epub(buffer, _assemble(book, config), options)
    packed = _repack(buffer.getvalue(), book.meta.language)
    return atomic.write_bytes(out_dir / f"{book.meta.slug}.epub", packed)
