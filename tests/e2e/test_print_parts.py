"""A book typeset in parts (writers.pdf_parts) reads as the one-document build: same pages,
footers, contents numbers, links, bookmarks and tags — and the same bytes on any number
of cores. The English test book is split with no minimum of text (``min_text=0``): its
front matter ends on an odd page, so a blank page is added before the body."""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from kzpublish import cache, pipeline
from kzpublish.config import Config
from kzpublish.writers import atomic, pdf, pdf_parts
from tests.conftest import PROJECTS, copy_project
from tests.textutil import pdf_text

EPOCH = "1700000000"


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        yield copy_project(PROJECTS / "english", tmp_path_factory.mktemp("parts") / "book")


def _typeset(project: Path, jobs: str = "2", min_text: int = 0,
             store: cache.Store | None = None) -> bytes:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        patch.setenv("KZPUBLISH_JOBS", jobs)
        settings, book = pipeline.resolve(project)
        return pdf_parts.typeset(book, settings, min_text=min_text, store=store)


@pytest.fixture(scope="module")
def one(english: Path) -> bytes:
    """The book as one document (today's build of a short book)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        settings, book = pipeline.resolve(english)
        return pdf.typeset(book, settings)


@pytest.fixture(scope="module")
def parts(english: Path) -> bytes:
    return _typeset(english)


def _saved(data: bytes, folder: Path, name: str) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _pages(data: bytes, folder: Path, name: str) -> list[str]:
    return pdf_text(_saved(data, folder, name)).split("\f")[:-1]


def test_the_book_is_split_with_a_blank_page_before_the_body(english: Path,
                                                             parts: bytes) -> None:
    settings, book = pipeline.resolve(english)
    split = pdf_parts.split(book, settings, pdf.render_html(book, settings), min_text=0)
    assert split is not None
    assert split.body[:split.cut] == split.body[:1]  # a chapter a part, one a process
    assert "Metal and Ink" in split.body[0] and "Metal and Ink" not in split.body[1]
    assert "Pages on Screens" in split.body[1]
    with pikepdf.open(BytesIO(parts)) as joined:
        blank = joined.pages[3].obj
        assert blank.Contents.read_bytes() == b""  # added by pdf_merge, not WeasyPrint


def test_same_pages_footers_and_contents_numbers(one: bytes, parts: bytes,
                                                 tmp_path: Path) -> None:
    ours, theirs = _pages(parts, tmp_path, "parts.pdf"), _pages(one, tmp_path, "one.pdf")
    assert ours == theirs
    feet = [(index, page.strip().rsplit("\n", 1)[-1]) for index, page in enumerate(ours)]
    numbered = [(index, foot) for index, foot in feet if foot.isdigit()]
    assert [index for index, _ in numbered] == [2, 4, 5, 6, 8]  # not the title, blanks
    assert all(number == str(index + 1) for index, number in numbered)  # footers
    contents = ours[2]
    opening = next(index for index, page in enumerate(ours) if page.startswith("Pages on"))
    assert re.search(rf"Pages on Screens[ .]*{opening + 1}\b", contents)
    metal = next(index for index, page in enumerate(ours) if page.startswith("Metal and"))
    assert ours[metal + 1].startswith("Setting Type")  # a left page's head: the book title


def _links(pdf_file: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    """Each link: its page, its destination's name and the page that destination is on."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf_file.pages)}
    names = pdf_file.Root.Names.Dests.Names
    dests = {str(names[i]): pages[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
    found = []
    for index, page in enumerate(pdf_file.pages):
        for annotation in page.obj.get("/Annots", ()):
            if "/A" in annotation:  # a web link: no kzpart: one is left
                assert str(annotation.A.URI).startswith("https://"), annotation
                found.append((index, str(annotation.A.URI), -1))
            else:
                found.append((index, str(annotation.Dest), dests[str(annotation.Dest)]))
    return found


def _outline(pdf_file: pikepdf.Pdf) -> list[tuple[int, str, int]]:
    pages = {page.obj.objgen: index for index, page in enumerate(pdf_file.pages)}
    found = []

    def walk(item: pikepdf.Object | None, depth: int) -> None:
        while item is not None:
            found.append((depth, str(item.Title), pages[item.Dest[0].objgen]))
            if "/First" in item:
                walk(item.First, depth + 1)
            item = item.get("/Next")
    walk(pdf_file.Root.Outlines.First, 0)
    return found


def _structure(pdf_file: pikepdf.Pdf) -> list[str]:
    """The structure elements' kinds in document order, each with its page if it has one."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf_file.pages)}
    kinds, stack = [], [pdf_file.Root.StructTreeRoot.K[0]]
    while stack:
        element = stack.pop()
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            page = pages[element.Pg.objgen] if "/Pg" in element else ""
            kinds.append(f"{element.S}{page}")
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            stack.extend(reversed(list(kids)))
    return kinds


def test_links_outline_and_tags_as_one_document(one: bytes, parts: bytes) -> None:
    with pikepdf.open(BytesIO(parts)) as ours, \
            pikepdf.open(BytesIO(one)) as theirs:
        links = _links(ours)
        assert links == _links(theirs)
        assert any(page < 4 <= target for page, _, target in links)  # contents → body
        assert any(page < 6 <= target for page, _, target in links)  # cite → references
        assert _outline(ours) == _outline(theirs)
        assert len(_outline(ours)) >= 6
        assert _structure(ours) == _structure(theirs)
        keys = [int(page.obj.StructParents) for page in ours.pages]
        nums = ours.Root.StructTreeRoot.ParentTree.Nums
        tree_keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert len(set(keys)) == len(keys) == len(theirs.pages)
        assert set(keys) <= set(tree_keys) and tree_keys == sorted(tree_keys)
        for page in ours.pages:
            for annotation in page.obj.get("/Annots", ()):
                assert int(annotation.StructParent) in tree_keys
        assert str(ours.Root.Lang) == "en" and ours.Root.MarkInfo.Marked is True
        assert str(ours.docinfo.Title) == "Setting Type"


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    """The (process, pipe) of each child ``pdf_parts`` starts, as it starts them."""
    started = pdf_parts._started
    found: list[tuple[Any, Any]] = []

    def recorded(htmls: list[str], config: Config, kept: Any) -> tuple[Any, Any]:
        found.append(started(htmls, config, kept))
        return found[-1]

    monkeypatch.setattr(pdf_parts, "_started", recorded)
    return found


def test_the_same_bytes_on_one_core_twice_and_from_a_failed_child(
        english: Path, parts: bytes, children: list[tuple[Any, Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert _typeset(english, jobs="1") == parts  # and a second build: the same bytes
    monkeypatch.setattr(pdf_parts, "_second_half", lambda *args: os._exit(3))
    assert _typeset(english, jobs="2") == parts  # the parent laid the half out itself
    assert children[-1][0] is not None and children[-1][0].exitcode == 3
    assert multiprocessing.active_children() == []


def test_no_child_outlives_an_interrupted_build(english: Path, children: list[tuple[Any, Any]],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object) -> int:  # Ctrl-C while the child lays out its part
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf_parts, "_front_pages", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _typeset(english, jobs="2")
    assert multiprocessing.active_children() == []
    assert children[0][0].exitcode == -9  # killed: it was waiting for its first page


def test_front_matter_that_grows_with_its_numbers_makes_one_document(
        english: Path, one: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    numbered = pdf_parts._numbered

    def longer_with_placeholders(front: str, numbers: dict[str, int] | None) -> str:
        html = numbered(front, numbers)
        return html if numbers else html.replace("</nav>", "<p>x</p>" * 80 + "</nav>", 1)

    monkeypatch.setattr(pdf_parts, "_numbered", longer_with_placeholders)
    assert _typeset(english, jobs="2") == one
    assert multiprocessing.active_children() == []


def test_short_books_and_own_stylesheets_are_one_document(english: Path,
                                                          tmp_path: Path) -> None:
    settings, book = pipeline.resolve(english)
    html = pdf.render_html(book, settings)
    assert pdf_parts.split(book, settings, html) is None  # under SPLIT_MIN_TEXT
    own = copy_project(english, tmp_path / "own")
    (own / "styles").mkdir()
    builtin = (pdf_parts.assets.BUILTIN_STYLES / "print.css").read_text(encoding="utf-8")
    (own / "styles" / "print.css").write_text(builtin, encoding="utf-8")
    settings, book = pipeline.resolve(own)
    assert pdf_parts.split(book, settings, html, min_text=0) is not None  # an unchanged copy
    (own / "styles" / "print.css").write_text(builtin + "h2 { color: red; }\n",
                                              encoding="utf-8")
    settings, book = pipeline.resolve(own)
    assert pdf_parts.split(book, settings, html, min_text=0) is None


def test_halves_cut_by_text_and_parts_open_on_right_pages() -> None:
    assert [pdf_parts._group_size(count) for count in (2, 12, 13, 24, 43)] == [1, 1, 2, 2, 4]
    assert pdf_parts._cut([10] * 10) == 5  # 47 % of the text: 50 is nearer than 40
    assert pdf_parts._cut([1, 100]) == 1 and pdf_parts._cut([100, 1, 1]) == 1
    assert pdf_parts._cut([1, 1, 1, 100]) == 3
    assert [pdf_parts._right(pages) for pages in (0, 1, 2, 3)] == [0, 2, 2, 4]


def test_front_matter_numbers_are_its_targets_pages() -> None:
    front = '<a href="kzpart:a&amp;b">A</a> <a href="kzpart:gone">G</a>'
    assert pdf_parts._numbered(front, {"a&b": 12}) == (
        '<a href="kzpart:a&amp;b" data-page="12">A</a> <a href="kzpart:gone" data-page="">G</a>')
    assert 'data-page="000"' in pdf_parts._numbered(front, None)


def test_an_edited_chapter_is_laid_out_alone_and_the_pdf_is_the_cold_builds(
        english: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_project(english, tmp_path / "book")
    store = cache.Store(tmp_path / "cache", project)
    with atomic.staged():  # as the pipeline writes: the child's parts are kept at once
        _typeset(project, jobs="2", store=store)
    chapter = project / "manuscript" / "01-metal.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "did not begin in Mainz", "did not begin in the town of Mainz", 1), encoding="utf-8")
    laid: list[str] = []
    lay_out = pdf.lay_out

    def counted(html: str, *args: Any) -> pdf.LaidOut:
        laid.append(html)
        return lay_out(html, *args)

    monkeypatch.setattr(pdf, "lay_out", counted)
    edited = _typeset(project, jobs="1", store=store)
    assert len(laid) == 1 and "the town of Mainz" in laid[0]  # the front, chapter 2: kept
    assert "Pages on Screens" not in laid[0]
    assert edited == _typeset(project, jobs="2")  # a cold build's bytes
    assert multiprocessing.active_children() == []


def test_a_kept_part_is_not_reused_once_a_file_it_read_changed(
        english: Path, tmp_path: Path) -> None:
    project = copy_project(english, tmp_path / "book")
    settings, _ = pipeline.resolve(project)
    kept = pdf_parts.pdf_cache.PartCache(cache.Store(tmp_path / "cache", project), settings)
    picture = project / "manuscript" / "images" / "x.png"
    picture.write_bytes(b"one")
    typeset = pdf_parts.pdf_cache.Part(3, 2, {"a": 1}, b"%PDF")
    kept.put("k", typeset, [picture, project / "missing.svg"])
    assert kept.get("k") == typeset
    picture.write_bytes(b"two")
    assert pdf_parts.pdf_cache.PartCache(cache.Store(tmp_path / "cache", project),
                                         settings).get("k") is None
    kept.put("k", typeset, [tmp_path / "elsewhere.png"])  # outside: never read again
    assert kept.get("k") is None


def test_a_part_depends_on_the_projects_font_file_not_the_built_in_one(english: Path) -> None:
    """The built-in fonts are in every cache key already (``cache.environment``): a part names
    the project's file of their name instead, so a font the project adds later is a miss."""
    settings, _ = pipeline.resolve(english)
    laid = pdf.lay_out("<p>Type</p>", settings)
    laid.written()
    fonts = [path for path in laid.reads() if path.suffix == ".ttf"]
    assert fonts and all(path.parent == english / "styles" / "fonts" for path in fonts)
