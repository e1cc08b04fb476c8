"""The missing-character warning is true: the PDF of a book with such a character embeds a
font that is not the book's (the machine's fallback), and one without it embeds none."""

from __future__ import annotations

import subprocess
from pathlib import Path

from kzpublish import assets, pipeline
from tests.unit.test_glyphs import ARMENIAN, small_book


def _embedded(pdf: Path) -> set[str]:
    """The families of the fonts pdffonts lists, subset prefix and spaces left out."""
    rows = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                          text=True).stdout.splitlines()[2:]
    return {row.split()[0].split("+", 1)[-1].replace("-", "") for row in rows}


def test_the_warned_character_is_set_in_a_machine_font(tmp_path: Path) -> None:
    clean = pipeline.run(small_book(tmp_path / "clean", "# T\n\nPlain text.\n"), ["pdf"],
                         tmp_path / "clean-out")
    warned = pipeline.run(small_book(tmp_path / "warned", f"# T\n\nPlain {ARMENIAN} text.\n"),
                          ["pdf"], tmp_path / "warned-out")
    assert [w for w in warned.warnings if "U+0532" in w.message]
    assert not [w for w in clean.warnings if "fonts" in w.message]
    vendored = {name for font in assets.fonts(tmp_path) for name in
                (font.stem.replace("-", ""), font.stem.replace("-Regular", "").replace("-", ""))}
    assert _embedded(clean.editions[0].path) <= vendored
    fallback = _embedded(warned.editions[0].path) - vendored
    assert fallback, "the Armenian word was set in one of the book's fonts"
