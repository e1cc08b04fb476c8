"""Releases: four files in dist/, a SHA256SUMS that verifies, versions and dates from git."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kzpublish import config, release
from kzpublish.errors import KzError
from tests.conftest import REPO, copy_project

SLUG = "kazakhstan-multi-vector"
BOOK_DATE = 1750723200  # 2025-06-24T00:00:00Z, the demo's book.toml date
COMMIT_TIME = 1700000000


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def _git(project: Path, *args: str) -> str:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_DATE": f"@{COMMIT_TIME} +0000",
           "GIT_COMMITTER_DATE": f"@{COMMIT_TIME} +0000"}
    done = subprocess.run(["git", "-C", str(project), "-c", "user.name=Test",
                           "-c", "user.email=test@example.invalid", *args],
                          env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _repository(project: Path) -> Path:
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "book")
    return project


def _without_version(project: Path) -> Path:
    toml = project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('version = "1.0"\n', ""),
                    encoding="utf-8")
    return project


def test_release_writes_four_files_that_verify(seed_project: Path) -> None:
    dist = seed_project / "dist"
    _, files = release.release(seed_project, dist)
    stem = f"{SLUG}-1.0"
    assert sorted(path.name for path in dist.iterdir()) == sorted(
        [f"{stem}.pdf", f"{stem}.epub", f"{stem}-html.zip", "SHA256SUMS"])
    assert sorted(files) == sorted(dist.iterdir())
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True,
                           text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 3


def test_the_html_zip_is_sorted_and_dated(seed_project: Path) -> None:
    _, files = release.release(seed_project, seed_project / "dist")
    with zipfile.ZipFile(next(p for p in files if p.suffix == ".zip")) as archive:
        entries = archive.infolist()
    names = [entry.filename for entry in entries]
    assert names == sorted(names) and f"{SLUG}-1.0-html/index.html" in names
    assert {entry.date_time for entry in entries} == {(2025, 6, 24, 0, 0, 0)}
    assert {entry.external_attr >> 16 for entry in entries} == {0o100644}


def test_a_release_is_the_same_bytes_anywhere(tmp_path: Path) -> None:
    sums = []
    for folder, zone in (("one", "UTC"), ("two/deeper", "Pacific/Auckland")):
        project = copy_project(REPO, tmp_path / folder / "book")
        env = {**os.environ, "TZ": zone}
        subprocess.run([sys.executable, "-m", "kzpublish", "release", str(project), "-q"],
                       env=env, check=True)
        sums.append((project / "dist" / "SHA256SUMS").read_text())
    assert sums[0] == sums[1]


def test_version_comes_from_book_toml_first(seed_project: Path) -> None:
    _repository(seed_project)
    assert release.version(config.load(seed_project)) == "1.0"


def test_version_from_git_describe(seed_project: Path) -> None:
    project = _repository(_without_version(seed_project))
    commit = _git(project, "rev-parse", "--short", "HEAD")
    assert release.version(config.load(project)) == f"0.0.0+g{commit}"
    (project / "manuscript" / "essay.md").write_text("Changed.\n", encoding="utf-8")
    assert release.version(config.load(project)) == f"0.0.0+g{commit}.dirty"
    _git(project, "commit", "-q", "-am", "change")
    _git(project, "tag", "v2.1")
    assert release.version(config.load(project)) == "2.1"


def test_version_outside_git(seed_project: Path) -> None:
    assert release.version(config.load(_without_version(seed_project))) == "0.0.0"


def test_source_date_epoch(seed_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = config.load(seed_project)
    assert release.source_date_epoch(settings) == BOOK_DATE
    _repository(seed_project)
    assert release.source_date_epoch(settings) == COMMIT_TIME
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    assert release.source_date_epoch(settings) == 1234567890
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(KzError, match="not a number of seconds"):
        release.source_date_epoch(settings)


def test_source_date_epoch_without_git_or_date(seed_project: Path) -> None:
    toml = seed_project / "manuscript" / "book.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('date = "2025-06-24"\n', ""),
                    encoding="utf-8")
    assert release.source_date_epoch(config.load(seed_project)) == 0


def test_checksums_are_in_sha256sum_format(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    lines = release.checksums([tmp_path / "b.txt", tmp_path / "a.txt"]).splitlines()
    assert [line.split("  ")[1] for line in lines] == ["a.txt", "b.txt"]
    assert all(len(line.split("  ")[0]) == 64 for line in lines)
