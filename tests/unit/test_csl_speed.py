"""csl.speed: each memo or shortcut gives what citeproc-py's own code gives."""

from __future__ import annotations

import json
import random
from functools import cmp_to_key
from pathlib import Path
from typing import Any

import pytest
from citeproc.model import Choose, ConditionFailed, Group, If, Names

from kzpublish import csl, intl
from kzpublish.csl import speed

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "oracle" / "fixtures"
REFERENCES = json.loads((FIXTURES / "references.json").read_text(encoding="utf-8"))
STYLES = ["apa", "chicago-author-date", "chicago-notes-bibliography", "ieee",
          "gost-r-7-0-5-2008", "essay-author-date"]


def _engine(style: str, language: str = "en") -> csl.Engine:
    engine = csl.Engine(csl.find_style(style, REPO), language, REFERENCES)
    engine.register([csl.ItemRequest(str(r["id"])) for r in REFERENCES])
    return engine


def _requests() -> list[csl.ItemRequest]:
    """The oracle's English cites, in order: locators, narrative and repeated keys."""
    cites = json.loads((FIXTURES / "citations.json").read_text(encoding="utf-8"))["en"]
    requests = []
    for cite in cites:
        for item in cite["items"]:
            names = csl.NamesMode.SUPPRESS if item.get("suppress-author") else csl.NamesMode.NORMAL
            requests.append(csl.ItemRequest(item["id"], item.get("locator", ""),
                                            item.get("label", "page"), names))
            if item.get("narrative"):
                requests.append(csl.ItemRequest(item["id"], names=csl.NamesMode.ONLY))
    return requests


def _outcome(test: Any, element: Any, item: Any, context: Any) -> Any:
    try:
        return test(element, item, context)
    except Exception as exc:
        return type(exc)  # both must fail alike


def _original_holds(element: Any, item: Any, context: Any) -> bool:
    """citeproc-py's own cs:if, its branch's rendering stubbed out."""
    element.render_children = lambda *args, **kwargs: "held"
    try:
        return speed._original_if_render(element, item, context=context) == "held"
    except ConditionFailed:
        return False
    finally:
        del element.render_children


@pytest.mark.parametrize("style", STYLES)
def test_if_tests_hold_as_citeproc_py_decides(style: str) -> None:
    engine = _engine(style)
    for request in _requests()[:5]:  # a cite history for position tests
        engine.render(request)
    tests = [el for el in engine.style.root.iter() if isinstance(el, If)]
    root = engine.style.root
    for item in engine.bibliography.items:
        for element in tests:
            in_bibliography = element.xpath_search("./ancestor::cs:bibliography")
            layout = (root.bibliography if in_bibliography else root.citation).layout
            assert (_outcome(speed.if_holds, element, item, layout)
                    == _outcome(_original_holds, element, item, layout)), (
                style, item.key, dict(element.attrib))


def _compare(descending: list[bool]) -> Any:
    return csl.row_compare(descending)  # the order csl._sort_rows gives when it compares all


def test_lexicographic_sorts_as_comparing_every_key_does() -> None:
    rng = random.Random(7)
    for _ in range(200):
        width, count = rng.randint(1, 4), rng.randint(0, 30)
        rows = [tuple(rng.choice([None, (0, rng.randint(0, 3)), (1, b"a"), (1, b"b")])
                      for _ in range(width)) for _ in range(count)]
        descending = [rng.random() < 0.3 for _ in range(width)]
        asked: list[int] = []

        def column(index: int, positions: list[int], rows: Any = rows,
                   asked: list[int] = asked) -> list[Any]:
            asked.extend(positions)
            return [rows[at][index] for at in positions]

        expected = [at for at, _ in sorted(enumerate(rows),
                                           key=cmp_to_key(_compare(descending)))]
        assert speed.lexicographic(count, column, descending) == expected
        assert len(asked) <= count * width


def test_lexicographic_renders_later_keys_only_for_ties() -> None:
    rows = [("b", "x"), ("a", "y"), ("b", "z")]
    asked: list[tuple[int, list[int]]] = []

    def column(index: int, positions: list[int]) -> list[Any]:
        asked.append((index, positions))
        return [rows[at][index] for at in positions]

    assert speed.lexicographic(3, column, [False, False]) == [1, 0, 2]
    assert asked == [(0, [0, 1, 2]), (1, [0, 2])]


_MONTHS = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>t</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><date variable="issued" form="text"/></layout></citation>
  <bibliography><layout>
    <date variable="issued" form="text"><date-part name="month" form="short"/></date>
  </layout></bibliography>
</style>"""
_DATED = [{"id": f"k{n}", "type": "book", "issued": {"date-parts": [[2001, 3]]}}
          for n in range(2)]


def test_history_free_sees_date_part_overrides_that_differ(tmp_path: Path) -> None:
    style = tmp_path / "months.csl"
    style.write_text(_MONTHS, encoding="utf-8")
    engine = csl.Engine(style, "en", _DATED)
    engine.register([csl.ItemRequest("k0"), csl.ItemRequest("k1")])
    assert not speed.history_free(engine.style.root)
    # why it matters: citeproc-py copies the bibliography's short month onto the locale
    assert engine.render(csl.ItemRequest("k0")) == "March 2001"
    engine.entries(lambda text: text.encode())
    assert engine.render(csl.ItemRequest("k1")) == "Mar. 2001"


@pytest.mark.parametrize(("style", "free"), [("ieee", True), ("chicago-author-date", True)])
def test_history_free_for_styles_that_override_no_locale_date(style: str, free: bool) -> None:
    assert speed.history_free(_engine(style).style.root) is free


def test_a_repeated_cite_is_not_taken_for_a_first_cite() -> None:
    engine = _engine("chicago-notes-bibliography")
    first = engine.render(csl.ItemRequest("smith2001a"))
    again = engine.render(csl.ItemRequest("smith2001a"))
    assert again != first  # the subsequent (short) note form


def test_citation_numbers_follow_registration_and_sorting() -> None:
    engine = _engine("ieee")
    items = engine.bibliography.items
    assert [item.number for item in items] == list(range(1, len(items) + 1))
    engine.entries(lambda text: text.encode())
    keys = engine.bibliography.keys
    assert [item.number for item in items] == [keys.index(item.key) + 1 for item in items]


def test_register_lists_each_key_once() -> None:
    engine = _engine("apa")
    count = len(engine.bibliography.keys)
    engine.register([csl.ItemRequest(str(REFERENCES[0]["id"]))] * 3)
    assert len(engine.bibliography.keys) == count == len(set(engine.bibliography.keys))


def test_a_names_element_finds_the_name_citeproc_py_gives_it() -> None:
    engine = _engine("apa")
    bare = next(el for el in engine.style.root.iter()
                if isinstance(el, Names) and el.find("cs:name", el.nsmap) is None)
    assert bare.name is None
    for item in engine.bibliography.items:
        engine.render(csl.ItemRequest(item.key))
    assert bare.name is not None or bare.find("cs:name", bare.nsmap) is None


def test_a_mend_installed_before_speed_keeps_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    def other_mend(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        return "mended"

    monkeypatch.setattr(Group, "process", other_mend)
    speed.apply()
    assert Group.process is other_mend


def test_a_mended_if_test_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(If, "_type", lambda self, item: [True])  # as another mend might
    engine = _engine("apa")
    item = engine.bibliography.items[0]
    typed = [el for el in engine.style.root.iter()
             if isinstance(el, If) and set(el.attrib) == {"type"}]
    assert typed and all(speed.if_holds(el, item, None) for el in typed)


@pytest.mark.parametrize("style", STYLES)
def test_choose_takes_the_branch_testing_in_order_takes(style: str) -> None:
    remembered, tested = _engine(style), _engine(style)
    for element in tested.style.root.iter():
        if isinstance(element, Choose):
            element.__dict__["_kz_choose"] = None  # no remembered branches: test each
    assert any(speed.choose_plan(el) for el in remembered.style.root.iter()
               if isinstance(el, Choose))
    sort_key = intl.sort_key("en")
    assert remembered.entries(sort_key) == tested.entries(sort_key)
    requests = _requests()
    assert [remembered.render(r) for r in requests] == [tested.render(r) for r in requests]


def test_choose_keeps_its_shortcut_under_the_disambiguation_mend() -> None:
    """disambiguation wraps every cs:if but acts only on those testing ``disambiguate``:
    a choose of type and variable tests still remembers its branches."""
    engine = _engine("chicago-author-date")
    chooses = [el for el in engine.style.root.iter() if isinstance(el, Choose)]
    plain = [choose for choose in chooses
             if all(set(child.attrib) <= {"type", "variable", "match"}
                    and "locator" not in child.get("variable", "")
                    for child in speed.children(choose))]
    assert plain and all(speed.choose_plan(choose) is not None for choose in plain)
    asking = [choose for choose in chooses
              if any("disambiguate" in child.attrib for child in speed.children(choose))]
    assert asking and all(speed.choose_plan(choose) is None for choose in asking)
