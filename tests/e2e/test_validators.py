"""End to end: the HTML and EPUB editions judged by real validators.

Nu Html Checker (vnu.jar), axe-core in Debian's Chromium at a phone and a desktop width,
DAISY Ace on the EPUB, and a local link checker. Screenshots for a person to review are
written to build/screenshots/. Tools come from `make tools`; a missing one fails, never skips.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import validators

BOOKS = {"seed": "kazakhstan-multi-vector", "english": "setting-type"}
WIDTHS = (390, 1280)
SCREENSHOTS = validators.REPO / "build" / "screenshots"


@dataclass(frozen=True)
class Built:
    name: str
    out: Path
    slug: str


@pytest.fixture(params=list(BOOKS))
def built(request: pytest.FixtureRequest, seed_build: Path, english_build: Path) -> Built:
    """Each test runs on the demo essay and on the two-chapter English book."""
    out = seed_build if request.param == "seed" else english_build
    return Built(request.param, out, BOOKS[request.param])


def _pages(built: Built) -> list[Path]:
    pages = sorted((built.out / "html").glob("*.html"))
    assert pages, "no HTML pages built"
    return pages


def test_vnu_finds_no_errors_or_warnings(built: Built) -> None:
    html_dir = built.out / "html"
    findings = validators.vnu(_pages(built) + sorted(html_dir.glob("*.css")))
    errors = [f for f in findings if not f.startswith("warning ")]
    warnings = [f for f in findings if f.startswith("warning ")]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors + warnings)
    assert not warnings, f"{len(warnings)} warnings:\n" + "\n".join(warnings)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violations(built: Built, width: int, scheme: str) -> None:
    found = [f"{p.name}: {v}" for p in _pages(built) for v in validators.axe(p, width, scheme)]
    assert not found, f"{len(found)} axe violations:\n" + "\n".join(found)


def test_no_horizontal_scrolling_on_a_phone(built: Built) -> None:
    found = [f"{p.name}: {v}" for p in _pages(built)
             for v in validators.horizontal_overflow(p, 390)]
    assert not found, "\n".join(found)


def test_ace_finds_no_violations(built: Built, tmp_path: Path) -> None:
    findings = validators.ace(built.out / f"{built.slug}.epub", tmp_path / "ace")
    assert not findings, f"{len(findings)} Ace violations:\n" + "\n".join(findings)


def test_every_local_link_and_fragment_resolves(built: Built) -> None:
    broken = validators.links(built.out / "html")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken)


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_for_review(built: Built, width: int) -> None:
    for page in _pages(built):
        png = validators.screenshot(page, width,
                                    SCREENSHOTS / f"{built.name}-{page.stem}-{width}.png")
        assert png.stat().st_size > 10_000, f"{png} looks empty"


def test_the_link_and_overflow_checks_can_fail(tmp_path: Path) -> None:
    """The harness itself: a broken page is caught, so a green run means something."""
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text('<p id="y">y</p>', encoding="utf-8")
    (tmp_path / "a.html").write_text(
        '<p id="x" style="width:600px">x</p><a href="#x"></a><a href="#nope"></a>'
        '<a href="sub/b.html#y"></a><a href="sub/b.html#z"></a><a href="gone.html"></a>'
        '<a href="https://example.org/#q"></a>', encoding="utf-8")
    assert validators.links(tmp_path) == [
        "a.html: #nope: no id 'nope' in a.html",
        "a.html: sub/b.html#z: no id 'z' in b.html",
        f"a.html: gone.html: no such file in {tmp_path.name}/"]
    assert validators.horizontal_overflow(tmp_path / "a.html", 390)[0].startswith("scrollWidth")


def test_a_new_projects_html_passes_vnu_and_axe(tmp_path: Path) -> None:
    """What ``kzpublish new`` starts an author with: one chapter with its own "# Title",
    on the index page under the book's title — whose h1 made the chapter's a nested one
    (vnu warned on every starter book)."""
    from kzpublish.cli import main
    project = tmp_path / "starter"
    assert main(["new", str(project)]) == 0
    assert main(["build", str(project), "-o", str(tmp_path / "out"), "-f", "html", "-q"]) == 0
    page = tmp_path / "out" / "html" / "index.html"
    assert validators.vnu([page]) == []
    assert validators.axe(page, 1280) == []
