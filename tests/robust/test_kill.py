"""A build stopped by a signal: no process left behind, no temp file kept, no mix of editions.

The build runs as a subprocess in a session of its own, so every process it forks shares
its process group: after the signal, no living process may be left in that group (Linux
/proc). Three moments: while the forked citation workers run, while the PDF's forked
child lays out its half, and while the editions are being written (a temp file or folder
in OUT). SIGINT and SIGTERM end the build with one line and 130 / 143; after SIGKILL too,
the next build removes what was left and the editions in OUT are all the old ones or all
the new ones.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kzpublish import cli
from tests.conftest import PROJECTS

REPO = Path(__file__).resolve().parents[2]
REFERENCES = 200
"""Enough references for the citation stage to fork workers (``parallel.MIN_SLICE``)."""
EPOCH = "1700000000"


def _environment() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(REPO / "src"), SOURCE_DATE_EPOCH=EPOCH,
                KZPUBLISH_JOBS="4")


def _cited_book(folder: Path, count: int) -> Path:
    """A one-chapter book citing COUNT generated references, once each."""
    sys.path.insert(0, str(REPO / "tools"))
    try:
        from bench import citation_project
    finally:
        sys.path.remove(str(REPO / "tools"))
    return citation_project(folder, count, "chicago-author-date")


def _build(project: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kzpublish", "build", str(project), "-q",
                           *args], env=_environment(), capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def cited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _cited_book(tmp_path_factory.mktemp("cited") / "book", REFERENCES)
    _build(project, "--format", "html")
    return project


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("sample") / "book"
    shutil.copytree(PROJECTS / "english", project)
    _build(project, "--format", "all")
    return project


def _copy_and_edit(project: Path, tmp_path: Path) -> Path:
    """A copy of the built PROJECT whose last chapter has one more sentence."""
    copy = tmp_path / "book"
    shutil.copytree(project, copy)
    chapter = sorted((copy / "manuscript").glob("*.md"))[-1]
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more sentence.\n",
                       encoding="utf-8")
    return copy


def _processes() -> dict[int, tuple[str, int, int]]:
    """Every process: pid → (state, parent pid, process group)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            found[int(entry.name)] = (fields[0], int(fields[1]), int(fields[2]))
    return found


def _living_in_group(group: int) -> list[int]:
    return [pid for pid, (state, _, pgrp) in _processes().items()
            if pgrp == group and state not in "ZX"]


def _has_children(pid: int) -> bool:
    return any(parent == pid and state not in "ZX"
               for state, parent, _ in _processes().values())


def _temp_names(folder: Path) -> list[Path]:
    return [path for path in folder.rglob(".*") if re.search(r"\.(tmp|old)$", path.name)]


def _wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, "the build ended before the moment to stop it"
        assert time.monotonic() < deadline, "the moment to stop the build never came"
        time.sleep(0.005)


def _editions(out: Path) -> dict[str, str]:
    """Each edition's digest (the HTML edition: its whole folder)."""
    found = {}
    for path in sorted(out.iterdir()):
        if path.name.startswith("."):
            continue
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        sha = hashlib.sha256()
        for file in (f for f in files if f.is_file()):
            sha.update(file.relative_to(out).as_posix().encode() + file.read_bytes())
        found[path.name] = sha.hexdigest()
    return found


def _stopped(project: Path, moment: Callable[[subprocess.Popen[str]], bool], how: str,
             fmt: str) -> tuple[int, str]:
    """Start a build of PROJECT, signal it (HOW) at MOMENT; its exit status and stderr, once
    no process of its group lives any more."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kzpublish", "build", str(project), "--format", fmt,
         "--no-cache"], env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True)
    try:
        _wait_for(lambda: moment(process), process)
        number = signal.Signals[how.removesuffix("-group")]
        if how.endswith("-group"):  # Ctrl-C in a terminal: the whole foreground group
            os.killpg(process.pid, number)
        else:
            os.kill(process.pid, number)
        process.wait(timeout=60)
        deadline = time.monotonic() + 1  # a worker's slice takes longer than this
        while _living_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _living_in_group(process.pid) == [], "a worker outlived the build"
        _, stderr = process.communicate(timeout=5)  # and no orphan holds the pipes open
    finally:
        if _living_in_group(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode, stderr


def _check_ending(how: str, status: int, stderr: str) -> None:
    number = signal.Signals[how.removesuffix("-group")]
    assert "Traceback" not in stderr, stderr
    if number == signal.SIGKILL:
        assert status == -signal.SIGKILL
    else:
        assert status == 128 + number, stderr
        assert stderr.strip().splitlines() == [f"kzpublish: interrupted ({number.name})"], \
            stderr


def _next_build_cleans_up(project: Path, before: dict[str, str], after_kill: dict[str, str],
                          fmt: str) -> None:
    """The next build leaves no temp name, and the editions the stopped build left were all
    the old ones or all the new ones."""
    _build(project, "--format", fmt)
    assert _temp_names(project / "build") == []
    new = _editions(project / "build")
    assert new != before
    assert after_kill in (before, new)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT-group", "SIGKILL"])
def test_stopped_while_citation_workers_run(how: str, cited: Path, tmp_path: Path) -> None:
    project = _copy_and_edit(cited, tmp_path)
    before = _editions(project / "build")
    status, stderr = _stopped(project, lambda process: _has_children(process.pid), how, "html")
    _check_ending(how, status, stderr)
    after_kill = _editions(project / "build")
    assert after_kill == before
    _next_build_cleans_up(project, before, after_kill, "html")


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_stopped_while_editions_are_written(how: str, sample: Path, tmp_path: Path) -> None:
    project = _copy_and_edit(sample, tmp_path)
    before = _editions(project / "build")
    status, stderr = _stopped(project, lambda _: bool(_temp_names(project / "build")), how,
                              "all")
    _check_ending(how, status, stderr)
    after_kill = _editions(project / "build")
    if how == "SIGTERM":
        assert _temp_names(project / "build") == []  # removed on the way out
    _next_build_cleans_up(project, before, after_kill, "all")


@pytest.fixture(scope="module")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two chapters of plain text, long enough for the PDF to be laid out in two halves,
    the second by a forked child (``writers.pdf_parts``)."""
    project = tmp_path_factory.mktemp("long") / "book"
    shutil.copytree(PROJECTS / "english", project)
    paragraph = "A sentence of plain words that fills the page with text to lay out. " * 12
    names = []
    for number in (1, 2):
        names.append(f"long{number}.md")
        (project / "manuscript" / names[-1]).write_text(
            f"# Long {number}\n\n" + f"{paragraph}\n\n" * 26, encoding="utf-8")
    toml = project / "manuscript" / "book.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(re.sub(r"(?m)^chapters = .*$", f"chapters = {names!r}".replace("'", '"'),
                           text), encoding="utf-8")
    return project


def _busy_child(pid: int) -> bool:
    """Whether a child of PID has worked a while (0.3 s of CPU): in the middle of its
    layout, not waiting on the pipe — a child left alone would outlive its parent then."""
    for child, (state, parent, _) in _processes().items():
        if parent == pid and state not in "ZX":
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{child}/stat").read_text()
                ticks = sum(map(int, stat[stat.rindex(")") + 2:].split()[11:13]))
                if ticks > 0.3 * os.sysconf("SC_CLK_TCK"):
                    return True
    return False


@pytest.mark.parametrize("how", ["SIGTERM", "SIGKILL"])
def test_stopped_while_the_pdf_child_lays_out_its_half(how: str, long_book: Path,
                                                       tmp_path: Path) -> None:
    """The PDF's forked child (the second half's layout) dies with the build: reaped by
    the parent leaving on a signal, or killed by the kernel when the parent is."""
    project = _copy_and_edit(long_book, tmp_path)
    status, stderr = _stopped(project, lambda process: _busy_child(process.pid), how, "pdf")
    _check_ending(how, status, stderr)
    assert not list(project.glob("build/*.pdf"))


def test_a_killed_build_s_leftovers_are_removed(sample: Path, tmp_path: Path) -> None:
    """Temp names of a process that is gone (and of older kzpublish versions) are removed;
    those of a running process (this one: a build in progress) are not."""
    project = _copy_and_edit(sample, tmp_path)
    out = project / "build"
    gone = (out / ".setting-type.pdf.999999999.abcdefgh.tmp", out / ".html.999999999.old",
            out / ".setting-type.epub.abcdefgh.tmp", out / ".html.old",
            out / ".cache" / "chapters" / ".x.json.999999999.abcdefgh.tmp")
    (out / ".html.999999999.x1y2z3w4.tmp").mkdir()
    for path in gone:
        path.write_bytes(b"half")
    running = out / f".setting-type.pdf.{os.getpid()}.abcdefgh.tmp"
    running.write_bytes(b"mine")
    mine = out / ".notes.old"
    mine.write_bytes(b"not ours")
    assert cli.main(["build", str(project), "--format", "html", "-q"]) == 0
    assert sorted(_temp_names(out)) == sorted([running, mine])


_SLOW_WORK = """
import signal, sys, time
from kzpublish import parallel
signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(143))
parallel.mapped(lambda item: time.sleep(0.2), range(4 * parallel.MIN_SLICE), processes=4)
"""


@pytest.mark.parametrize("how", ["SIGKILL", "SIGTERM"])
def test_workers_die_with_their_parent(how: str) -> None:
    """Workers in the middle of a long slice (≈13 s each) die within a second of their
    parent: killed (the kernel's PR_SET_PDEATHSIG) or leaving by an exception (the parent
    kills and reaps them)."""
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WORK], env=_environment(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        _wait_for(lambda: sum(parent == process.pid for _, parent, _ in
                              _processes().values()) == 3, process)
        os.kill(process.pid, signal.Signals[how])
        process.wait(timeout=10)
        deadline = time.monotonic() + 1
        while _living_in_group(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _living_in_group(process.pid) == []
    finally:
        if _living_in_group(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_watch_stopped_by_a_signal(how: str, sample: Path, tmp_path: Path) -> None:
    """``kzpublish watch`` stops on SIGTERM as a build does: one line and 143 (the file
    watcher's loop used to swallow the signal and end with 0); Ctrl-C is how a preview is
    ended, quietly, with 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kzpublish", "watch", str(sample), "--port", "0",
         "--output", str(tmp_path / "out")], env=_environment(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        said = iter(process.stdout.readline, "")  # the first build's lines, then "serving …"
        assert any(line.startswith("serving ") for line in said), process.stderr.read()
        os.kill(process.pid, signal.Signals[how])
        process.wait(timeout=60)
        _, stderr = process.communicate(timeout=5)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if how == "SIGINT":
        assert (process.returncode, stderr) == (0, "")
    else:
        _check_ending(how, process.returncode, stderr)
