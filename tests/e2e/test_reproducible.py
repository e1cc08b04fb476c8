"""Same sources, same bytes: all three editions, whatever the time, time zone, locale or folder.

Two builds of the demo, each in its own process, in folders of different names
and depths, under different TZ, locale variables, umask and working
directory, without SOURCE_DATE_EPOCH and without the cache. Each build takes
seconds, so a clock time leaking into any file (zip entries keep two-second
steps) would show up as a difference.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, copy_project


def _build(project: Path, cwd: Path, env: dict[str, str], umask: int) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run([sys.executable, "-m", "kzpublish", "build", str(project), "--no-cache",
                    "-q"], cwd=cwd, env={**environment, **env}, check=True,
                   preexec_fn=lambda: os.umask(umask))


def _hashes(out: Path) -> dict[str, str]:
    return {path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(out.rglob("*")) if path.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = copy_project(REPO, tmp_path / "a" / "seed")
    second = copy_project(REPO, tmp_path / "b" / "somewhere" / "else" / "другая-книга")
    _build(first, first, {"TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}, 0o022)
    _build(second, tmp_path, {"TZ": "Asia/Almaty", "LC_ALL": "POSIX",
                              "LANG": "ru_RU.UTF-8"}, 0o077)
    one, two = _hashes(first / "build"), _hashes(second / "build")
    assert {"kazakhstan-multi-vector.pdf", "kazakhstan-multi-vector.epub",
            "html/index.html"} <= set(one)
    assert one == two
