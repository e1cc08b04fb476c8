"""Fonts cut down to a book's characters: complete, small, the same every time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kzpublish import assets, fonts
from kzpublish.pipeline import resolve
from tests.conftest import REPO


@pytest.fixture(scope="module")
def seed_text() -> str:
    _, book = resolve(REPO)
    return fonts.characters(book)


def test_characters_cover_the_text(seed_text: str) -> None:
    for expected in "«»—–ЁёЮю\u00a0TUSAŞ0123456789":
        assert expected in seed_text


@pytest.mark.parametrize("flavor", [None, "woff2"])
def test_subset_keeps_every_character_and_is_stable(seed_text: str, flavor: str | None,
                                                    tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = assets.BUILTIN_STYLES / "fonts" / "NotoSerif-Regular.ttf"
    data = fonts.subset_font(source, seed_text, flavor)
    assert fonts.subset_font(source, seed_text, flavor) == data  # from the cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other"))
    assert fonts.subset_font(source, seed_text, flavor) == data  # computed again: same bytes
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    missing = [c for c in seed_text if c.isprintable() and ord(c) not in cmap]
    assert missing == []
    assert len(data) < source.stat().st_size / 10


@pytest.mark.parametrize("name", ["NotoSerif-Italic.ttf", "STIXTwoMath-Regular.ttf"])
def test_the_html_font_is_the_epub_subset_compressed(seed_text: str, name: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A build of both screen editions subsets each font once; the WOFF2 is byte for byte
    what subsetting straight to WOFF2 gives."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    source = assets.BUILTIN_STYLES / "fonts" / name
    straight = fonts._subset(source, seed_text, "woff2")
    fonts.subset_font(source, seed_text)  # the EPUB's TrueType

    def subset_again(*args: object) -> bytes:
        raise AssertionError("the font was subset a second time")

    monkeypatch.setattr(fonts, "_subset", subset_again)
    assert fonts.subset_font(source, seed_text, "woff2") == straight
