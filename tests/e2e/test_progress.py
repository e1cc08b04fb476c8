"""What a build prints: nothing with -q, edition lines and a summary, stages with -v."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from kzpublish import pages, progress
from kzpublish.cli import main
from kzpublish.pipeline import Edition, Result, Step

SLUG = "kazakhstan-multi-vector"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kzpublish", *args], capture_output=True,
                          text=True, check=False)


def test_quiet_prints_nothing(seed_project: Path) -> None:
    result = _run("build", str(seed_project), "-q", "--format", "html")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_editions_sizes_pages_and_a_summary(seed_project: Path) -> None:
    first = _run("build", str(seed_project))
    assert first.returncode == 0 and first.stderr == ""
    lines = first.stdout.splitlines()
    assert re.fullmatch(rf"wrote \S+/{SLUG}\.pdf \(\d+\.\d kB, \d+ pages\)", lines[0])
    assert re.fullmatch(rf"wrote \S+/{SLUG}\.epub \(\d+\.\d [kM]B, \d+ documents\)", lines[1])
    assert re.fullmatch(r"wrote \S+/html/index\.html \(\d+\.\d kB, 1 page\)", lines[2])
    assert re.fullmatch(r"3 edition\(s\), 3 written, 0 warning\(s\), \d+\.\d s", lines[3])
    again = _run("build", str(seed_project)).stdout.splitlines()
    assert all(line.startswith("kept ") and line.endswith("— up to date") for line in again[:3])
    assert "0 written, 3 up to date" in again[3]


def test_verbose_shows_every_stage(seed_project: Path) -> None:
    _run("build", str(seed_project), "-q", "--format", "html")
    result = _run("build", str(seed_project), "-v", "--format", "html")
    stages = [line.split()[1] for line in result.stderr.splitlines()]
    assert stages == ["reading", "citations", "typography", "finished"]
    assert "(cached)" in result.stderr


def test_warnings_are_printed_and_counted(seed_project: Path) -> None:
    chapter = seed_project / "manuscript" / "essay.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("@lemon2018", "Лемон"),
                       encoding="utf-8")
    for _ in range(2):  # fresh, then from the cache
        result = _run("build", str(seed_project), "--format", "html")
        assert "warning: reference 'lemon2018' is never cited" in result.stderr
        assert "1 warning(s)" in result.stdout


def test_quiet_and_verbose_exclude_each_other() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "-q", "-v"])
    assert caught.value.code == 2


def test_the_live_status_line_is_erased() -> None:
    err, out = io.StringIO(), io.StringIO()
    display = progress.Display(progress.NORMAL, err=err, out=out, live=True)
    display(Step("citations", "19 citation(s)", cached=True))
    assert "\r\x1b[2K" in err.getvalue() and "citations 19 citation(s) · cached" in err.getvalue()
    display.summary(Result((), ()))
    assert err.getvalue().endswith("\r\x1b[2K")
    assert out.getvalue().startswith("0 edition(s), 0 written, 0 warning(s)")


def test_no_status_line_when_not_a_terminal() -> None:
    err = io.StringIO()
    progress.Display(progress.NORMAL, err=err, out=io.StringIO())(Step("read", "1 chapter"))
    assert err.getvalue() == ""


def test_pdf_page_count_matches_pikepdf(seed_build: Path) -> None:
    pdf = seed_build / f"{SLUG}.pdf"
    with pikepdf.open(pdf) as document:
        count = len(document.pages)
    assert pages.pdf_pages(pdf) == count
    assert f"{count} pages" in progress.describe(Edition("pdf", pdf, written=True))


@pytest.mark.parametrize(("size", "text"), [(0, "0 B"), (999, "999 B"), (52_213, "52.2 kB"),
                                            (3_456_789, "3.5 MB"), (12 * 10**9, "12.0 GB")])
def test_human_size(size: int, text: str) -> None:
    assert progress.human_size(size) == text
