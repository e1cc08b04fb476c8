"""kzpublish.parallel: forked slices give what a plain map gives, or the parent does it."""

from __future__ import annotations

import multiprocessing
import os
import threading
import warnings
from pathlib import Path

import pytest

from kzpublish import csl, intl, parallel

from .test_csl_speed import REFERENCES, REPO, _requests


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork though other tests left threads running (the oracle's citeproc-js reader);
    the one test of that rule starts its own thread and keeps ``can_fork``."""
    monkeypatch.setattr(parallel, "can_fork",
                        lambda: "fork" in multiprocessing.get_all_start_methods())


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch, forking: None) -> None:
    monkeypatch.setattr(parallel, "MIN_SLICE", 2)


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_results_come_in_order_from_several_processes(small_slices: None) -> None:
    results = parallel.mapped(_square_and_pid, list(range(11)), processes=3)
    assert [value for value, _ in results] == [n * n for n in range(11)]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3, "three slices, three processes"
    assert pids == sorted(pids, key=pids.index), "each slice is contiguous"


def test_few_items_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_SLICE", 64)
    results = parallel.mapped(_square_and_pid, list(range(100)), processes=2)
    assert {pid for _, pid in results} == {os.getpid()}


def test_a_process_running_threads_does_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_SLICE", 2)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        results = parallel.mapped(_square_and_pid, list(range(10)), processes=2)
    finally:
        release.set()
        waiting.join()
    assert {pid for _, pid in results} == {os.getpid()}


def _fails_on_seven(number: int) -> int:
    if number == 7:
        raise ValueError("seven")
    return number


def test_an_error_in_a_child_is_raised_here(small_slices: None) -> None:
    with pytest.raises(ValueError, match="seven"):
        parallel.mapped(_fails_on_seven, list(range(10)), processes=2)


def _warns(number: int) -> int:
    warnings.warn(f"odd item {number}", UserWarning, stacklevel=1)
    return number


def test_warnings_of_a_child_are_given_again(small_slices: None) -> None:
    with warnings.catch_warnings(record=True) as given:
        warnings.simplefilter("always")
        parallel.mapped(_warns, [1, 3, 5, 7], processes=2)
    assert sorted(str(w.message) for w in given) == [f"odd item {n}" for n in (1, 3, 5, 7)]


@pytest.mark.parametrize("style", ["chicago-author-date", "ieee", "gost-r-7-0-5-2008"])
def test_a_bibliography_rendered_in_slices_reads_as_one_rendered_whole(
        style: str, monkeypatch: pytest.MonkeyPatch, forking: None) -> None:
    def entries(min_slice: int) -> list[tuple[str, str]]:
        monkeypatch.setattr(parallel, "MIN_SLICE", min_slice)
        engine = csl.Engine(csl.find_style(style, REPO), "ru", REFERENCES)
        engine.register([csl.ItemRequest(str(r["id"])) for r in REFERENCES])
        engine.disambiguate()
        return engine.entries(intl.sort_key("ru"))

    whole = entries(10_000)
    assert len(whole) >= 60
    started = []
    start = parallel._start
    monkeypatch.setattr(parallel, "_start", lambda *args: started.append(1) or start(*args))
    assert entries(8) == whole
    assert started, "the entries were rendered in more than one process"


def test_the_module_is_the_one_place_that_forks() -> None:
    sources = (REPO / "src" / "kzpublish").rglob("*.py")
    forking = sorted(path.name for path in sources
                     if "multiprocessing" in Path(path).read_text(encoding="utf-8"))
    assert forking == ["parallel.py"]


def _engine(style: str) -> csl.Engine:
    engine = csl.Engine(csl.find_style(style, REPO), "en", REFERENCES)
    engine.register([csl.ItemRequest(str(r["id"])) for r in REFERENCES])
    engine.disambiguate()
    return engine


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "chicago-notes-bibliography",
                                   "ieee"])
def test_cites_rendered_in_slices_read_as_cites_rendered_in_turn(
        style: str, monkeypatch: pytest.MonkeyPatch, forking: None) -> None:
    requests = _requests()
    in_turn = _engine(style)
    expected = [in_turn.render(request) for request in requests]
    monkeypatch.setattr(parallel, "MIN_SLICE", 4)
    started = []
    start = parallel._start
    monkeypatch.setattr(parallel, "_start", lambda *args: started.append(1) or start(*args))
    sliced = _engine(style)
    assert sliced.map_citations(sliced.render, requests) == expected
    assert started


def test_a_note_style_asks_positions_so_its_cites_are_rendered_in_turn(
        monkeypatch: pytest.MonkeyPatch, forking: None) -> None:
    """Split blindly, a repeated cite in a later slice would not know it was cited before."""
    monkeypatch.setattr(parallel, "MIN_SLICE", 2)
    engine = _engine("chicago-notes-bibliography")
    requests = [csl.ItemRequest(key) for key in ("smith2001a", "smith2001a", "smith2001a")]
    texts = engine.map_citations(lambda r: engine.render(r, engine.cluster()), requests * 2)
    assert [text.startswith("John Smith,") for text in texts] == [True] + [False] * 5
    assert texts[1:] == ["Smith, <i>The Politics of Small States: Alliances and Autonomy</i>"] * 5


def test_kzpublish_jobs_sets_the_number_of_processes(monkeypatch: pytest.MonkeyPatch,
                                                     small_slices: None) -> None:
    monkeypatch.setenv("KZPUBLISH_JOBS", "1")
    assert parallel.workers() == 1
    assert {pid for _, pid in parallel.mapped(_square_and_pid, list(range(20)))} == {os.getpid()}
    monkeypatch.setenv("KZPUBLISH_JOBS", "3")
    assert len({pid for _, pid in parallel.mapped(_square_and_pid, list(range(20)))}) == 3
    monkeypatch.setenv("KZPUBLISH_JOBS", "many")
    assert 1 <= parallel.workers() <= parallel.MAX_WORKERS
