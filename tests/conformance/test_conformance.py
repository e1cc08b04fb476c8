"""The CSL test suite, held to expected_failures.txt: the pass count never drops.

Strict both ways: a fixture that fails and is not listed is a regression; a listed
fixture that passes must be struck off the list (so the count only goes up).
"""

from __future__ import annotations

import pytest

from tests.conformance import suite, unfollowed


@pytest.fixture(scope="module")
def outcomes() -> dict[str, suite.Outcome]:
    return {fixture.name: suite.run(fixture) for fixture in suite.fixtures()}


def test_the_suite_is_all_here() -> None:
    assert len(suite.fixtures()) == 845


def test_no_fixture_fails_that_is_not_listed(outcomes: dict[str, suite.Outcome]) -> None:
    listed = suite.expected_failures()
    regressions = {name: suite.reason(outcome) for name, outcome in outcomes.items()
                   if outcome.status != "pass" and name not in listed}
    assert regressions == {}


def test_no_listed_fixture_passes(outcomes: dict[str, suite.Outcome]) -> None:
    listed = suite.expected_failures()
    mended = sorted(name for name, outcome in outcomes.items()
                    if outcome.status == "pass" and name in listed)
    assert mended == [], "passing now: strike them off expected_failures.txt"


def test_every_listed_fixture_exists_and_says_why() -> None:
    names = {fixture.name for fixture in suite.fixtures()}
    listed = suite.expected_failures()
    assert set(listed) <= names
    assert all(reason for reason in listed.values())


def test_every_unfollowed_fixture_is_listed_with_its_why() -> None:
    """unfollowed.py's fixtures fail on purpose: each is listed with that why as its reason
    (one that passes now, or is gone, must be struck off there too)."""
    listed = suite.expected_failures()
    assert {name: listed.get(name) for name in unfollowed.WHY} == unfollowed.WHY


def test_a_known_pass_reads_as_citeproc_js() -> None:
    fixture = next(f for f in suite.fixtures() if f.name == "affix_InterveningEmpty")
    assert suite.run(fixture).status == "pass"
