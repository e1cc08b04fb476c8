"""CSL disambiguation (csl/disambiguation.py): each method, as CSL 1.0.2 and citeproc-js do it.

citeproc-py 0.11 has none of these: it ignores disambiguate-add-names,
disambiguate-add-givenname and givenname-disambiguation-rule, and its
``disambiguate="true"`` condition is always true.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kzpublish import csl, intl
from kzpublish.csl import disambiguation

REPO = Path(__file__).resolve().parents[2]


def _person(family: str, given: str) -> dict[str, str]:
    return {"family": family, "given": given}


def _book(key: str, year: int, *people: dict[str, str], title: str = "") -> dict[str, Any]:
    return {"id": key, "type": "book", "title": title or f"Title of {key}",
            "issued": {"date-parts": [[year]]}, "author": list(people)}


JOHN, JANE, ROBERT = _person("Smith", "John"), _person("Smith", "Jane"), _person("Smith", "Robert")
ADAMS, DOE, ROE, POE, FOX = (_person("Adams", "Ann"), _person("Doe", "Dan"), _person("Roe", "Rita"),
                             _person("Poe", "Paul"), _person("Fox", "Fay"))


def _style(tmp_path: Path, options: str, extra: str = "",
           name: str = 'form="short" initialize-with=". "') -> Path:
    """A small author-date style: names, year, whatever EXTRA adds."""
    path = tmp_path / "test.csl"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Test</title><id>test</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation {options}>
    <layout delimiter="; ">
      <group delimiter=" ">
        <names variable="author"><name {name} and="text" delimiter=", "/></names>
        <date variable="issued"><date-part name="year"/></date>
        {extra}
      </group>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="title"/></sort>
    <layout><text variable="title"/></layout>
  </bibliography>
</style>
""", encoding="utf-8")
    return path


def _cites(style: Path, references: list[dict[str, Any]], language: str = "en") -> list[str]:
    """Each reference cited once, after the whole book is registered and disambiguated."""
    engine = csl.Engine(style, language, references, intl.sort_key(language))
    engine.register([csl.ItemRequest(r["id"]) for r in references])
    engine.disambiguate()
    return [engine.render(csl.ItemRequest(r["id"])) for r in references]


# --- disambiguate-add-givenname, global rules -------------------------------------------

def test_primary_name_with_initials_adds_initials_everywhere() -> None:
    """APA: every cite of a Smith gets initials once two Smiths are cited, even when
    its own cite is unambiguous (J. Smith, 2001 beside R. Smith, 2005)."""
    style = csl.find_style("apa", REPO)
    cites = _cites(style, [_book("j2001", 2001, JOHN), _book("j2005", 2005, JOHN),
                           _book("r2005", 2005, ROBERT), _book("lee", 2005, ADAMS)])
    assert cites == ["J. Smith, 2001", "J. Smith, 2005", "R. Smith, 2005", "Adams, 2005"]


def test_primary_name_adds_the_given_name_when_initials_are_alike() -> None:
    """Chicago author-date (primary-name): John and Jane Smith share "J.", so both
    print their given names; the Smiths' co-authors are left alone."""
    style = csl.find_style("chicago-author-date", REPO)
    cites = _cites(style, [_book("john", 2005, JOHN), _book("jane", 2005, JANE),
                           _book("two", 2010, ADAMS, ROBERT)])
    assert cites == ["John Smith 2005", "Jane Smith 2005", "Adams and Smith 2010"]


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of every cite rendered: as disambiguation compares it, or as printed
    (a cite the engine could not take from disambiguation's last form)."""
    rendered: list[str] = []
    cite_form, known_form = csl.Engine._cite_form, csl.Engine._known_form

    def counted(self: csl.Engine, key: str) -> disambiguation.CiteForm:
        rendered.append(key)
        return cite_form(self, key)

    def known(self: csl.Engine, request: csl.ItemRequest, first_note: int | None = None
              ) -> str | None:
        found = known_form(self, request, first_note)
        rendered.extend([request.key] if found is None else [])
        return found
    monkeypatch.setattr(csl.Engine, "_cite_form", counted)
    monkeypatch.setattr(csl.Engine, "_known_form", known)
    monkeypatch.setenv("KZPUBLISH_JOBS", "1")  # counted in this process
    return rendered


def test_a_global_rule_renders_each_cite_form_once_when_the_data_foretell_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry is guessed from the authors before the first renders; when the guess
    is right (authors are what cites show), no cite is rendered a second time."""
    rendered = _counting_renders(monkeypatch)
    style = csl.find_style("chicago-author-date", REPO)
    cites = _cites(style, [_book("john", 2005, JOHN), _book("jane", 2006, JANE),
                           _book("two", 2010, ADAMS, ROBERT)])
    assert cites == ["John Smith 2005", "Jane Smith 2006", "Adams and Smith 2010"]
    assert sorted(rendered) == ["jane", "john", "two"]


def test_a_wrong_guess_of_the_registry_costs_renders_not_text(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Translated anonymous works: the cites show the translators, whom the guess (authors,
    else editors) misses; those forms are rendered again under the real registry."""
    rendered = _counting_renders(monkeypatch)
    style = csl.find_style("chicago-author-date", REPO)
    works = [{"id": key, "type": "book", "title": f"Title of {key}",
              "issued": {"date-parts": [[year]]}, "translator": [person]}
             for key, year, person in (("john", 2005, JOHN), ("jane", 2006, JANE))]
    cites = _cites(style, [*works, _book("adams", 2007, ADAMS)])
    assert cites == ["John Smith 2005", "Jane Smith 2006", "Adams 2007"]
    assert sorted(rendered) == ["adams", "jane", "jane", "john", "john"]


@pytest.mark.parametrize(("rule", "expected"), [
    ("all-names", ["Adams and J. Smith 2001", "Adams and R. Smith 2001"]),
    ("primary-name", ["Adams and Smith 2001a", "Adams and Smith 2001b"]),
])
def test_all_names_reaches_names_after_the_first(tmp_path: Path, rule: str,
                                                 expected: list[str]) -> None:
    style = _style(tmp_path, f'disambiguate-add-givenname="true" '
                   f'givenname-disambiguation-rule="{rule}" disambiguate-add-year-suffix="true"')
    assert _cites(style, [_book("a", 2001, ADAMS, JOHN), _book("b", 2001, ADAMS, ROBERT)]) \
        == expected


def test_with_initials_rules_never_add_full_given_names(tmp_path: Path) -> None:
    """Robert Smith makes every Smith show initials, but John and Jane Smith stay
    "J. Smith"; year suffixes tell them apart."""
    style = _style(tmp_path, 'disambiguate-add-givenname="true" disambiguate-add-year-suffix='
                   '"true" givenname-disambiguation-rule="all-names-with-initials"')
    cites = _cites(style, [_book("john", 2005, JOHN), _book("jane", 2005, JANE),
                           _book("robert", 2005, ROBERT)])
    assert cites == ["J. Smith 2005b", "J. Smith 2005a", "R. Smith 2005"]


# --- disambiguate-add-givenname, by-cite (the default) -----------------------------------

def test_by_cite_expands_only_names_of_ambiguous_cites(tmp_path: Path) -> None:
    style = _style(tmp_path, 'disambiguate-add-givenname="true"')
    cites = _cites(style, [_book("j2001", 2001, JOHN), _book("j2005", 2005, JOHN),
                           _book("r2005", 2005, ROBERT)])
    assert cites == ["Smith 2001", "J. Smith 2005", "R. Smith 2005"]


def test_by_cite_goes_on_to_full_names_and_stops_where_it_helps(tmp_path: Path) -> None:
    """Initials do not part John and Jane Smith: their given names do. Adams, alike in
    both cites, stays short."""
    style = _style(tmp_path, 'disambiguate-add-givenname="true"')
    cites = _cites(style, [_book("john", 2005, ADAMS, JOHN), _book("jane", 2005, ADAMS, JANE)])
    assert cites == ["Adams and John Smith 2005", "Adams and Jane Smith 2005"]


def test_by_cite_without_initialize_with_shows_the_full_name(tmp_path: Path) -> None:
    style = _style(tmp_path, 'disambiguate-add-givenname="true"', name='form="short"')
    assert _cites(style, [_book("r", 2005, ROBERT), _book("j", 2005, JOHN)]) \
        == ["Robert Smith 2005", "John Smith 2005"]


# --- disambiguate-add-names ----------------------------------------------------------------

def test_add_names_shows_et_al_names_one_by_one_until_cites_differ(tmp_path: Path) -> None:
    style = _style(tmp_path, 'disambiguate-add-names="true" et-al-min="3" et-al-use-first="1"')
    cites = _cites(style, [_book("a", 2000, DOE, ROE, POE), _book("b", 2000, DOE, ROE, FOX),
                           _book("c", 2000, ADAMS, ROE, FOX)])
    assert cites == ["Doe, Roe, and Poe 2000", "Doe, Roe, and Fox 2000", "Adams et al. 2000"]


def test_add_names_keeps_a_useless_expansion_out(tmp_path: Path) -> None:
    """Same authors, same year: more names cannot help, so the year suffix does it alone."""
    style = _style(tmp_path, 'disambiguate-add-names="true" disambiguate-add-year-suffix="true" '
                   'et-al-min="3" et-al-use-first="1"')
    cites = _cites(style, [_book("a", 2000, DOE, ROE, POE, title="A"),
                           _book("b", 2000, DOE, ROE, POE, title="B")])
    assert cites == ["Doe et al. 2000a", "Doe et al. 2000b"]


def test_add_names_keeps_what_parted_some_cites_of_a_group(tmp_path: Path) -> None:
    """The third name parts c from a and b (citeproc-js: "lone nonpartner"); a and b
    keep it and still need year suffixes."""
    style = _style(tmp_path, 'disambiguate-add-names="true" disambiguate-add-year-suffix="true" '
                   'et-al-min="3" et-al-use-first="1"')
    cites = _cites(style, [_book("a", 2000, DOE, ROE, POE, title="A"),
                           _book("b", 2000, DOE, ROE, POE, title="B"),
                           _book("c", 2000, DOE, ROE, FOX, title="C")])
    assert cites == ["Doe, Roe, and Poe 2000a", "Doe, Roe, and Poe 2000b",
                     "Doe, Roe, and Fox 2000"]


def test_a_given_name_that_helps_keeps_the_names_it_was_tried_with(tmp_path: Path) -> None:
    """AndreaEg: a third name parts nothing, its initial does ("A. Jones"): the cites keep
    the third name with it (citeproc-js's captureStepToBase)."""
    style = _style(tmp_path, 'disambiguate-add-names="true" disambiguate-add-givenname="true" '
                   'et-al-min="3" et-al-use-first="1"')
    jones, arthur = _person("Jones", "John"), _person("Jones", "Arthur")
    cites = _cites(style, [_book("a", 2000, DOE, ROE, jones), _book("b", 2000, DOE, FOX, jones),
                           _book("c", 2000, DOE, ROE, arthur)])
    assert cites == ["Doe, Roe, and J. Jones 2000", "Doe, Fox, et al. 2000",
                     "Doe, Roe, and A. Jones 2000"]


def test_by_cite_tries_a_given_name_before_one_more_name(tmp_path: Path) -> None:
    """citeproc-js expands each shown person's given name before it shows the next name:
    "Brandon Roe, et al." rather than a third name that parts nothing."""
    style = _style(tmp_path, 'disambiguate-add-names="true" disambiguate-add-givenname="true" '
                   'et-al-min="3" et-al-use-first="1"', name='initialize-with=". "')
    cites = _cites(style, [_book("a", 2000, DOE, _person("Roe", "Brandon"), POE),
                           _book("b", 2000, DOE, _person("Roe", "Biff"), POE)])
    assert cites == ["D. Doe, Brandon Roe, et al. 2000", "D. Doe, Biff Roe, et al. 2000"]


def test_a_name_that_parts_pairs_is_kept_and_each_pair_gets_suffixes(tmp_path: Path) -> None:
    """YearSuffixAtTwoLevels: a third name parts two pairs of twins; it stays, and each
    pair is then told apart by a and b of its own."""
    style = _style(tmp_path, 'disambiguate-add-names="true" disambiguate-add-year-suffix="true" '
                   'et-al-min="3" et-al-use-first="1"')
    three, four = (DOE, ROE, POE), (DOE, ROE, POE, FOX)
    cites = _cites(style, [_book("a", 2000, *three, title="A"), _book("b", 2000, *three, title="B"),
                           _book("c", 2000, *four, title="C"), _book("d", 2000, *four, title="D")])
    assert cites == ["Doe, Roe, and Poe 2000a", "Doe, Roe, and Poe 2000b",
                     "Doe, Roe, Poe, et al. 2000a", "Doe, Roe, Poe, et al. 2000b"]


# --- disambiguate-add-year-suffix ----------------------------------------------------------

def test_year_suffixes_follow_the_bibliography_not_the_citing_order(tmp_path: Path) -> None:
    style = _style(tmp_path, 'disambiguate-add-year-suffix="true"')
    cites = _cites(style, [_book("late", 2001, DOE, title="Zebras"),
                           _book("early", 2001, DOE, title="Ants"),
                           _book("alone", 2002, DOE, title="Bees")])
    assert cites == ["Doe 2001b", "Doe 2001a", "Doe 2002"]


def test_year_suffixes_follow_the_citing_order_without_a_bibliography(tmp_path: Path) -> None:
    """A style with no cs:bibliography (review-of-international-studies) has no list to
    order the suffixes by: they follow the order of first citation (citeproc-js's
    registry; this is citeproc-js's output); the sort of a list that is not there used to crash."""
    style = _style(tmp_path, 'disambiguate-add-year-suffix="true"')
    text = style.read_text(encoding="utf-8")
    style.write_text(text[:text.index("<bibliography>")] + text[text.index("</style>"):],
                     encoding="utf-8")
    cites = _cites(style, [_book("z", 2001, JOHN, title="Zeta"), _book("a", 2001, JOHN,
                                                                      title="Alpha")])
    assert cites == ["Smith 2001a", "Smith 2001b"]


def test_year_suffix_where_the_style_prints_it(tmp_path: Path) -> None:
    style = _style(tmp_path, 'disambiguate-add-year-suffix="true"',
                   extra='<text variable="year-suffix" prefix="[" suffix="]"/>')
    assert _cites(style, [_book("a", 2001, DOE, title="A"), _book("b", 2001, DOE, title="B")]) \
        == ["Doe 2001 [a]", "Doe 2001 [b]"]


def test_year_suffix_letters_go_on_after_z() -> None:
    assert [disambiguation._letters(n) for n in (0, 25, 26, 27, 52)] == ["a", "z", "aa", "ab",
                                                                         "ba"]


def test_given_names_come_before_year_suffixes() -> None:
    """J. Smith's two 2001 works need suffixes; R. Smith's 2001 work needs none."""
    style = csl.find_style("apa", REPO)
    cites = _cites(style, [_book("a", 2001, JOHN, title="A"), _book("b", 2001, JOHN, title="B"),
                           _book("r", 2001, ROBERT)])
    assert cites == ["J. Smith, 2001a", "J. Smith, 2001b", "R. Smith, 2001"]


# --- disambiguate="true" -------------------------------------------------------------------

@pytest.mark.parametrize("condition", ['disambiguate="true"',
                                       'disambiguate="true" type="book" match="all"',
                                       'disambiguate="true" type="report" match="any"'])
def test_disambiguate_condition_holds_only_for_cites_still_alike(tmp_path: Path,
                                                                 condition: str) -> None:
    extra = f'<choose><if {condition}><text variable="title" prefix="(" suffix=")"/></if></choose>'
    style = _style(tmp_path, "", extra=extra)
    cites = _cites(style, [_book("a", 2001, DOE, title="A"), _book("b", 2001, DOE, title="B"),
                           _book("c", 2002, DOE, title="C")])
    assert cites == ["Doe 2001 (A)", "Doe 2001 (B)", "Doe 2002"]


def test_disambiguate_none_renders_for_unambiguous_cites(tmp_path: Path) -> None:
    extra = '<choose><if disambiguate="true" match="none"><text value="unique"/></if></choose>'
    style = _style(tmp_path, "", extra=extra)
    assert _cites(style, [_book("a", 2001, DOE), _book("b", 2001, DOE), _book("c", 2002, DOE)]) \
        == ["Doe 2001", "Doe 2001", "Doe 2002 unique"]


def test_disambiguate_tests_hold_one_more_at_a_time(tmp_path: Path) -> None:
    """citeproc-js's incremental extra text: the first test (title) parts A from B; only
    the two cites still alike go on to the second (edition)."""
    extra = ('<choose><if disambiguate="true"><text variable="title"/></if></choose>'
             '<choose><if disambiguate="true"><text variable="edition" prefix="ed. "/>'
             '</if></choose>')
    style = _style(tmp_path, "", extra=extra)
    books = [_book("a", 2001, DOE, title="A"), _book("b", 2001, DOE, title="B"),
             _book("c", 2001, DOE, title="C"), _book("d", 2001, DOE, title="C")]
    for book, edition in zip(books, "1234", strict=True):
        book["edition"] = edition
    assert _cites(style, books) == ["Doe 2001 A", "Doe 2001 B", "Doe 2001 C ed. 3",
                                    "Doe 2001 C ed. 4"]


def test_the_bibliography_follows_the_disambiguate_tests_of_the_cites(tmp_path: Path) -> None:
    """citeproc-js: an entry's disambiguate="true" holds where its cites' did."""
    condition = '<choose><if disambiguate="true"><text variable="title"/></if></choose>'
    style = _style(tmp_path, "", extra=condition)
    text = style.read_text(encoding="utf-8").replace(
        '<layout><text variable="title"/></layout>',
        f'<layout><group delimiter=", "><names variable="author"/>{condition}</group></layout>')
    style.write_text(text, encoding="utf-8")
    references = [_book("a", 2001, DOE, title="A"), _book("b", 2001, DOE, title="B"),
                  _book("c", 2001, ROE, title="C")]
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(r["id"]) for r in references])
    engine.disambiguate()
    assert [text for _, text in engine.entries(intl.sort_key("en"))] == [
        "Dan Doe, A", "Dan Doe, B", "Rita Roe"]


def test_short_notes_carry_the_editors_only_when_ambiguous() -> None:
    """Chicago notes: a chapter's short note is "Lee, “Title,” 40." — the editors its
    disambiguate branch adds are for short notes that would otherwise read alike.
    The first note is in full (disambiguation renders leave the history alone)."""
    style = csl.find_style("chicago-notes-bibliography", REPO)
    chapter = {"id": "lee", "type": "chapter", "title": "Kazakhstan", "container-title": "Asia",
               "author": [_person("Lee", "Ann")], "editor": [ROE, POE], "publisher": "CUP",
               "issued": {"date-parts": [[2015]]}}
    engine = csl.Engine(style, "en", [chapter], intl.sort_key("en"))
    engine.register([csl.ItemRequest("lee")])
    engine.disambiguate()
    first = engine.render(csl.ItemRequest("lee", locator="40"))
    second = engine.render(csl.ItemRequest("lee", locator="41"))
    assert first.startswith("Ann Lee, “Kazakhstan,” in <i>Asia</i>, ed. Rita Roe and Paul Poe")
    assert second == "Lee, “Kazakhstan,” 41"  # the layout's "." is the citation's


# --- the plan in every form of a cite -------------------------------------------------------

def test_narrative_and_suppressed_author_follow_the_plan() -> None:
    """@key prints the disambiguated author ("J. Smith (2001)"), and APA's citation
    <sort> key (names rendered in sort order) neither shows nor shifts it."""
    style = csl.find_style("apa", REPO)
    references = [_book("j", 2001, JOHN), _book("r", 2005, ROBERT)]
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(r["id"]) for r in references])
    engine.disambiguate()
    only = engine.render(csl.ItemRequest("j", names=csl.NamesMode.ONLY))
    suppressed = engine.render(csl.ItemRequest("j", names=csl.NamesMode.SUPPRESS))
    assert (only, suppressed) == ("J. Smith", "2001")
    assert engine.order(["r", "j"]) == [1, 0]


def test_bibliography_is_not_disambiguated_by_name() -> None:
    """Name expansion is for cites; the reference list prints names as its layout says."""
    style = csl.find_style("apa", REPO)
    references = [_book("j", 2001, JOHN), _book("r", 2005, ROBERT)]
    engine = csl.Engine(style, "en", references, intl.sort_key("en"))
    engine.register([csl.ItemRequest(r["id"]) for r in references])
    engine.disambiguate()
    entries = dict(engine.entries(intl.sort_key("en")))
    assert entries["j"].startswith("Smith, J. (2001)")


# --- year suffix: once, and on "n.d." -------------------------------------------------------

def test_the_implicit_year_suffix_goes_on_the_first_date_only(tmp_path: Path) -> None:
    """citeproc-js suffixes the first issued date a cite renders, not a second one."""
    style = _style(tmp_path, 'disambiguate-add-year-suffix="true"',
                   extra='<date variable="issued" prefix="[" suffix="]">'
                         '<date-part name="year"/></date>')
    cites = _cites(style, [_book("a", 2001, JOHN, title="A"), _book("b", 2001, JOHN, title="B")])
    assert cites == ["Smith 2001a [2001]", "Smith 2001b [2001]"]


def test_cites_differing_only_by_accessed_date_are_ambiguous(tmp_path: Path) -> None:
    """citeproc-js leaves the accessed date out of the cites it compares: two undated
    pages by one author get "n.d.-a" and "n.d.-b"."""
    undated = ('<group><choose><if variable="issued"><text variable="year-suffix"/></if>'
               '<else><text term="no date" form="short"/>'
               '<text variable="year-suffix" prefix="-"/></else></choose></group>'
               '<date variable="accessed" prefix="[" suffix="]"><date-part name="year"/></date>')
    style = _style(tmp_path, 'disambiguate-add-year-suffix="true"', extra=undated)
    pages = [{"id": key, "type": "webpage", "title": key, "author": [JOHN],
              "accessed": {"date-parts": [[year]]}} for key, year in (("p", 1999), ("q", 2005))]
    assert _cites(style, pages) == ["Smith n.d.-a [1999]", "Smith n.d.-b [2005]"]
