"""references-per-chapter: each chapter lists what it cites, with links of its own."""

from __future__ import annotations

from pathlib import Path

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
