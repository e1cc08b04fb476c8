"""The Makefile's edition targets: a no-op `make all` does nothing, an edited input rebuilds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO, copy_project


def _make(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A top-level make, even when the suite itself runs under `make test`."""
    kzpublish = Path(sys.executable).parent / "kzpublish"
    env = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", "--no-print-directory", *args, "STAMP=", f"KZ={kzpublish}"],
                          cwd=project, capture_output=True, text=True, check=False, env=env)


def _project(tmp_path: Path) -> Path:
    """The demo with the Makefile and the package sources it lists as inputs."""
    project = copy_project(REPO, tmp_path / "book")
    shutil.copy(REPO / "Makefile", project)
    shutil.copy(REPO / "pyproject.toml", project)
    shutil.copytree(REPO / "src" / "kzpublish", project / "src" / "kzpublish",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return project


def test_a_no_op_make_all_is_instant(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _make(project, "all").returncode == 0
    start = time.monotonic()
    again = _make(project, "all")
    took = time.monotonic() - start
    assert again.stdout.strip() == "make: Nothing to be done for 'all'."
    assert took < 1.0, f"no-op make all took {took:.2f} s"


def test_each_kind_of_input_makes_the_editions_stale(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert _make(project, "all").returncode == 0
    for source in ("manuscript/essay.md", "csl/essay-author-date.csl", "styles/print.css",
                   "src/kzpublish/templates/page.html.j2", "pyproject.toml"):
        os.utime(project / source)  # newer, same bytes: make runs, kzpublish keeps
        assert _make(project, "-q", "all").returncode == 1, f"{source} is not an input"
        rebuilt = _make(project, "all")
        assert rebuilt.returncode == 0 and rebuilt.stdout.count("— up to date") == 3, source
        assert _make(project, "-q", "all").returncode == 0
