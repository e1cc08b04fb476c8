"""Reference files in every supported format, and the lint that checks them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kzpublish import bibliography
from kzpublish.errors import CitationError

DATA = Path(__file__).parent / "data"


def _items(*paths: Path) -> dict[str, dict]:
    return {item["id"]: item for item in bibliography.load(list(paths)).items}


def test_bibtex_names_accents_dates_and_pages() -> None:
    items = _items(DATA / "sample.bib")
    knuth = items["knuth1981"]
    assert knuth["type"] == "article-journal"
    assert knuth["author"][1] == {"family": "Plass", "given": "Michael F."}
    assert knuth["container-title"] == "Software: Practice and Experience"
    assert (knuth["issue"], knuth["page"], knuth["language"]) == ("11", "1119-1184", "en")
    assert knuth["issued"] == {"date-parts": [[1981, 11]]}
    goedel = items["goedel1931"]
    assert goedel["type"] == "chapter"
    assert goedel["title"] == "Über formal unentscheidbare Sätze"
    assert goedel["author"][0] == {"family": "Gödel", "given": "Kurt"}
    assert goedel["author"][1] == {"family": '"van der Waerden"', "given": "Bartel"}
    assert goedel["author"][2] == {"family": "Vallée Poussin", "given": "Charles",
                                   "dropping-particle": "de la"}  # BibLaTeX's, as pandoc
    assert goedel["issued"] == {"date-parts": [[1931, 3]]}
    tolstoy = items["tolstoy1869"]
    assert tolstoy["author"] == [{"family": "Толстой", "given": "Лев Николаевич"}]
    assert (tolstoy["publisher-place"], tolstoy["language"]) == ("Москва", "ru")
    nasa = items["nasa2020"]
    assert nasa["author"] == [{"literal": "NASA"}]  # braced: one literal name, as pandoc
    assert nasa["type"] == "webpage" and nasa["accessed"] == {"date-parts": [[2024, 5, 1]]}


def test_csl_yaml_with_pandoc_dates() -> None:
    items = _items(DATA / "sample.yaml")
    assert items["lemon2018"]["issued"] == {"date-parts": [[2018]]}
    assert items["site2024"]["issued"] == {"date-parts": [[2024, 5]]}
    assert items["site2024"]["accessed"] == {"date-parts": [[2025, 1, 15]]}


@pytest.mark.parametrize("closing", ["---", "...", "--- \n\nNotes after the block."])
def test_csl_yaml_as_a_metadata_block_closed_either_way(closing: str, tmp_path: Path) -> None:
    """Pandoc reads a bibliography block closed by ``---`` as by ``...``; PyYAML read the
    ``---`` as a second document, an error."""
    path = tmp_path / "refs.yaml"
    path.write_text(f"---\nreferences:\n- id: a\n  type: book\n  title: T\n{closing}\n",
                    encoding="utf-8")
    loaded = bibliography.load([path])
    assert [item["id"] for item in loaded.items] == ["a"]
    assert str(loaded.positions["a"]).endswith("refs.yaml:3:7")


def test_an_empty_csl_yaml_file_holds_no_references(tmp_path: Path) -> None:
    for text in ("", "---\n---\n", "# none yet\n"):
        (tmp_path / "refs.yaml").write_text(text, encoding="utf-8")
        assert bibliography.load([tmp_path / "refs.yaml"]).items == []


def test_positions_point_at_each_id(tmp_path: Path) -> None:
    loaded = bibliography.load([DATA / "sample.yaml", DATA / "sample.bib"])
    assert str(loaded.positions["site2024"]).endswith("sample.yaml:15:7")
    assert str(loaded.positions["goedel1931"]).endswith("sample.bib:10:1")


def _write(tmp_path: Path, items: list[dict], name: str = "refs.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(items, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def test_lint_finds_every_error_at_once(tmp_path: Path) -> None:
    first = _write(tmp_path, [
        {"id": "a", "type": "book", "title": "A", "issued": {"date-parts": [[2020, 5, 40]]}},
        {"id": "b", "type": "novel", "title": "B"},
        {"type": "book", "title": "No id"},
    ])
    second = _write(tmp_path, [{"id": "A", "type": "book", "title": "Again"}], "more.json")
    with pytest.raises(CitationError) as caught:
        bibliography.load([first, second])
    messages = [str(d) for d in caught.value.diagnostics]
    assert any("refs.json:3:" in m and "malformed issued" in m for m in messages)
    assert any("unknown type 'novel'" in m for m in messages)
    assert any("reference without an id" in m for m in messages)
    assert any("more.json:3:" in m and "duplicate reference id 'A' — also at" in m
               for m in messages)
    assert len(messages) == 4


def test_missing_fields_are_warnings(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"id": "w", "type": "webpage", "title": "Page"},
                             {"id": "j", "type": "article-journal"}])
    warnings = [str(w) for w in bibliography.load([path]).warnings]
    assert warnings == [
        f"{path}:3:10: warning: reference 'w' (webpage) lacks URL — readers need it to find "
        "the source",
        f"{path}:8:10: warning: reference 'j' (article-journal) lacks title, container-title — "
        "readers need it to find the source"]


def test_a_reference_without_a_type_is_a_generic_document_with_a_warning(
        tmp_path: Path) -> None:
    """citeproc-js and pandoc render it (45 fixtures of the CSL suite have no type)."""
    path = _write(tmp_path, [{"id": "n", "title": "Untyped", "author": [{"family": "Doe"}]},
                             {"id": "e", "type": "", "title": "Empty"}])
    loaded = bibliography.load([path])
    assert [item["type"] for item in loaded.items] == ["document", "document"]
    warnings = [str(w) for w in loaded.warnings if "has no type" in str(w)]
    assert len(warnings) == 2 and warnings[0].startswith(f"{path}:3:")
    assert "set as a generic document" in warnings[0]


def test_syntax_errors_have_positions(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('[\n  {"id": "x",}\n]\n', encoding="utf-8")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("- id: x\n  title: [unclosed\n", encoding="utf-8")
    for path, where in ((bad_json, ":2:"), (bad_yaml, ":3:")):
        with pytest.raises(CitationError) as caught:
            bibliography.load([path])
        assert where in str(caught.value.diagnostics[0]), caught.value.diagnostics[0]


def test_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "refs.ris"
    path.write_text("TY  - BOOK\n", encoding="utf-8")
    with pytest.raises(CitationError, match="unknown bibliography format"):
        bibliography.load([path])


def test_bibtex_errors_say_what_went_wrong_and_nothing_else(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    unclosed = tmp_path / "unclosed.bib"
    unclosed.write_text("@book{a, title={A}}\n\n@book{b,\n title={B},\n", encoding="utf-8")
    with pytest.raises(CitationError) as caught:
        bibliography.load([unclosed])
    assert str(caught.value.diagnostics[0]).endswith(
        "unclosed.bib:3:1: error: cannot read this BibTeX entry (unexpectedly reached end "
        "of file) — check its braces and commas")
    assert capfd.readouterr().err == ""  # bibtexparser's own log line is not shown
    twice = tmp_path / "twice.bib"
    twice.write_text("@book{a, title={A}}\n@book{b, title={B}}\n@book{a, title={C}}\n",
                     encoding="utf-8")
    with pytest.raises(CitationError) as caught:
        bibliography.load([twice])
    assert [str(d) for d in caught.value.diagnostics] == [
        f"{twice}:3:1: error: duplicate reference id 'a' — also at {twice}:1:1; rename one"]


def test_fields_of_the_wrong_shape_are_errors_and_numbers_become_text(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        {"id": "a", "type": "book", "title": ["A"], "author": "Smith, J."},
        {"id": "b", "type": "book", "title": "B", "editor": [{"family": ["Roe"]}]},
        {"id": 1984, "type": "book", "title": 1984, "volume": 3, "language": 42,
         "author": [{"family": "Orwell", "given": "George"}], "custom": {"x": [1]}},
    ])
    with pytest.raises(CitationError) as caught:
        bibliography.load([path])
    assert [d.message for d in caught.value.diagnostics] == [
        "reference 'a': title must be text, not list — write it as a string",
        "reference 'a': author must be a list of names — write "
        '[{"family": "Smith", "given": "Jane"}] or [{"literal": "UNESCO"}]',
        "reference 'b': editor must be a list of names — write "
        '[{"family": "Smith", "given": "Jane"}] or [{"literal": "UNESCO"}]']
    path.write_text(json.dumps([{"id": 1984, "type": "book", "title": 1984, "volume": 3}]),
                    encoding="utf-8")
    [orwell] = bibliography.load([path]).items
    assert (orwell["id"], orwell["title"], orwell["volume"]) == ("1984", "1984", "3")


def test_multilingual_data_is_dropped_without_a_word(tmp_path: Path) -> None:
    """citeproc-js's ``multi`` (Zotero's multilingual fields), on an item or a name, is
    printed by no CSL 1.0.2 style: dropped, not an error (CSL suite:
    flipflop_ApostropheInsideTag)."""
    multi = {"main": "ja", "_keys": {"title": {"en": "The Title"}}}
    path = _write(tmp_path, [{"id": "a", "type": "book", "title": "題名", "multi": multi,
                              "author": [{"family": "山田", "multi": {"_key": {}}}]}])
    loaded = bibliography.load([path])
    assert loaded.items == [{"id": "a", "type": "book", "title": "題名",
                             "author": [{"family": "山田"}]}]
    assert loaded.warnings == []
