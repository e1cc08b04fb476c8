"""Live preview: edit a chapter, and the served page shows the change within a second or so."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kzpublish import progress, serve, watch


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return str(answer.read().decode("utf-8"))


def _until(check: Callable[[], bool], seconds: float = 8.0) -> float:
    """Poll ``check`` until it holds; the time it took."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s")
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture
def preview(seed_project: Path) -> Iterator[str]:
    """The seed book under ``kzpublish watch`` in a thread; yields the server's URL."""
    stop, ready = threading.Event(), threading.Event()
    urls: list[str] = []

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    thread = threading.Thread(target=watch.run, args=(seed_project,), daemon=True, kwargs={
        "port": 0, "level": progress.QUIET, "ready": on_ready, "stop": stop})
    thread.start()
    assert ready.wait(30), "the first build and the server did not start"
    yield urls[0]
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive(), "watch did not stop"


def _status(url: str) -> dict[str, object]:
    return dict(json.loads(_get(url + serve.STATUS_PATH.lstrip("/"))))


def _edit(chapter: Path, text: str) -> None:
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def test_an_edit_shows_up_in_the_served_page(preview: str, seed_project: Path) -> None:
    page = _get(preview)
    assert serve.MARKER in page
    on_disk = (seed_project / "build" / "html" / "index.html").read_text(encoding="utf-8")
    assert serve.MARKER not in on_disk, "the script must never reach the built edition"
    generation = _status(preview)["generation"]
    _edit(seed_project / "manuscript" / "essay.md", "Абзац, дописанный во время просмотра.")
    took = _until(lambda: _status(preview)["generation"] != generation)  # pages reload now
    assert "дописанный во время просмотра" in _get(preview)
    assert took < 3.0, f"rebuild took {took:.2f} s"


def test_errors_are_shown_and_the_last_good_page_kept(preview: str,
                                                      seed_project: Path) -> None:
    chapter = seed_project / "manuscript" / "essay.md"
    good = chapter.read_text(encoding="utf-8")
    _edit(chapter, "Ссылка на [@nosuchkey].")
    _until(lambda: bool(_status(preview)["errors"]))
    errors = _status(preview)["errors"]
    assert isinstance(errors, list) and "unknown citation key 'nosuchkey'" in errors[0]
    assert "Список литературы" in _get(preview)
    chapter.write_text(good + "\nИсправлено.\n", encoding="utf-8")
    _until(lambda: _status(preview)["errors"] == [])
    assert "Исправлено." in _get(preview)


def test_the_reload_script_goes_before_the_body_end() -> None:
    page = serve.with_reload_script("<html><body><p>x</p></body></html>", 7)
    assert page.index(serve.MARKER) < page.index("</body>")
    assert "const seen = 7;" in page


def test_an_open_page_in_chromium_reloads_itself(preview: str, seed_project: Path) -> None:
    from tests import validators
    chapter = seed_project / "manuscript" / "essay.md"
    with validators.page(preview, 1280) as tab:
        start = time.monotonic()
        _edit(chapter, "Строка для живой перезагрузки.")
        tab.wait_for_function(
            "document.body.innerText.includes('Строка для живой перезагрузки')", timeout=8000)
        took = time.monotonic() - start
        _edit(chapter, "[@nosuchkey]")
        tab.wait_for_selector(f"#{serve.MARKER}-errors", timeout=8000)
        assert "nosuchkey" in tab.inner_text(f"#{serve.MARKER}-errors")
    assert took < 3.0, f"the page reloaded only after {took:.2f} s"
