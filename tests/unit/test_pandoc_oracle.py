"""The pandoc oracle itself: constructs kzpublish already reads as pandoc does."""

from __future__ import annotations

from pathlib import Path

from tests.pandoc_oracle import same_shape, shape


def test_shape_names_pandoc2_figures_as_figure() -> None:
    html = '<div class="figure"><img src="a.png" /><p class="caption">Cap</p></div>'
    assert shape(html, "figure", "figcaption") == [("figure", "Cap"), ("figcaption", "Cap")]


def test_emphasis_headings_and_lists_read_as_pandoc_reads_them(tmp_path: Path) -> None:
    markdown = "# One\n\nA *b* **c** `d`.\n\n- x\n- y\n\n1. z\n"
    ours, pandoc = same_shape(markdown, tmp_path, "h1", "em", "strong", "code", "li", "ol")
    assert ours == pandoc
    assert ("strong", "c") in ours
