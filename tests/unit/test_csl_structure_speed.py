"""csl.structure: the closures render what the chain of mends they fuse renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from citeproc.model import Choose, Group, Parent, Text

from kzpublish import csl, intl
from kzpublish.csl import structure, variables

from .test_csl_speed import REFERENCES, REPO, STYLES, _requests

MORE_STYLES = ["modern-language-association", "harvard-cite-them-right", "nature",
               "american-medical-association", "oscola", "elsevier-vancouver",
               "iso690-author-date-en"]


def _everything(style: str, language: str) -> tuple[list[str], list[tuple[str, str]]]:
    engine = csl.Engine(csl.find_style(style, REPO), language, REFERENCES)
    engine.register([csl.ItemRequest(str(r["id"])) for r in REFERENCES])
    engine.disambiguate()
    cites = [engine.render(request, engine.cluster()) for request in _requests()]
    return cites, engine.entries(intl.sort_key(language))


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("style", STYLES + MORE_STYLES)
def test_the_closures_render_as_the_layered_mends(style: str, language: str) -> None:
    fused = _everything(style, language)
    with structure.layered():
        assert Choose.render is not structure._choose_render
        layered = _everything(style, language)
    assert Choose.render is structure._choose_render
    assert fused == layered
    assert len(fused[1]) >= 60


def test_the_closures_are_installed() -> None:
    assert Group.render is structure._group_render
    assert Text.render is structure._text_render
    assert Parent.render_children is structure._render_children


def test_a_new_mend_in_the_chain_turns_the_closures_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mend installed over a method the closures stand for would be bypassed by them."""
    def another_group_process(self: Any, *args: Any, **kwargs: Any) -> Any:
        return variables.group_process(self, *args, **kwargs)

    with structure.layered():
        assert structure._fused_chain()
        monkeypatch.setattr(Group, "process", another_group_process)
        assert not structure._fused_chain()
        assert not structure.apply()
        assert Choose.render is not structure._choose_render
        monkeypatch.undo()
    assert Choose.render is structure._choose_render


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("style", STYLES + MORE_STYLES)
def test_a_cite_taken_from_disambiguation_reads_as_one_rendered_again(
        style: str, language: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``Engine._known_form``: the cite form disambiguation rendered last, when nothing it
    depended on has changed, is the cite's text."""
    taken: list[str] = []
    known_form = csl.Engine._known_form

    def noted(self: csl.Engine, request: csl.ItemRequest, first_note: int | None = None
              ) -> str | None:
        found = known_form(self, request, first_note)
        taken.extend([found] if found is not None else [])
        return found
    monkeypatch.setattr(csl.Engine, "_known_form", noted)
    reused = _everything(style, language)
    monkeypatch.setattr(csl.Engine, "_known_form", lambda *args: None)
    assert _everything(style, language) == reused
    if style in ("apa", "chicago-author-date", "modern-language-association"):
        assert len(taken) >= 18, "most plain cites of an author-date style are taken"


def _layout(tmp_path: Path, layout: str) -> Any:
    style = tmp_path / "shape.csl"
    style.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl"'
        ' class="in-text" version="1.0"><info><title>Shape</title><id>shape</id>'
        '<updated>2024-01-01T00:00:00+00:00</updated></info>'
        f'<citation><layout>{layout}</layout></citation></style>', encoding="utf-8")
    engine = csl.Engine(style, "en", [])
    return next(iter(engine.style.root.citation.layout.iterchildren()))


def test_a_group_of_terms_and_variables_needs_one_of_its_variables(tmp_path: Path) -> None:
    group = _layout(tmp_path, '<group delimiter=" "><text term="in"/>'
                              '<text variable="container-title"/><label variable="page"/>'
                              '<text variable="page"/></group>')
    found = structure.shape(group)
    assert found == structure.Shape(frozenset({"container_title", "page"}),
                                    frozenset({"container_title", "page"}), certain=True)


def test_terms_alone_are_printed_whatever_the_reference_holds(tmp_path: Path) -> None:
    group = _layout(tmp_path, '<group><text term="in"/><text value="x"/></group>')
    assert structure.shape(group).needs is None


@pytest.mark.parametrize(("otherwise", "certain"), [("<else><text variable='URL'/></else>", True),
                                                    ("", False)])
def test_a_choose_surely_calls_a_variable_only_with_an_else(tmp_path: Path, otherwise: str,
                                                             certain: bool) -> None:
    choose = _layout(tmp_path, '<choose><if type="book"><text variable="title"/></if>'
                               f'{otherwise}</choose>')
    assert structure.shape(choose).certain is certain
