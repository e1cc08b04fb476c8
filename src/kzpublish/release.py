"""Releases: every edition built reproducibly and published to dist/ with a SHA256SUMS file.

``kzpublish release`` (``make release``) writes DIST/<slug>-<version>.pdf,
DIST/<slug>-<version>.epub, DIST/<slug>-<version>-html.zip and DIST/SHA256SUMS
(``sha256sum -c SHA256SUMS`` verifies them in DIST).

* version — book.toml's ``version``; else ``git describe --tags --dirty``
  with a leading "v" dropped; else, in a repository without tags,
  ``0.0.0+g<short hash>`` (``.dirty`` appended for uncommitted changes);
  outside git, ``0.0.0``.
* time — ``SOURCE_DATE_EPOCH`` from the environment; else the last commit's
  time; else book.toml's ``date`` (midnight UTC); else 0. The editions are
  built with it set, and the zip's entry times are that moment (not before 1980).

The editions are built (with the cache) into PROJECT/build/release, then copied.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

from . import config, environ, pipeline
from .config import Config
from .errors import KzError, SourcePos
from .writers import FORMATS, atomic

_ZIP_MIN, _ZIP_MAX = datetime(1980, 1, 1, tzinfo=UTC), datetime(2107, 12, 31, tzinfo=UTC)


def _git(project: Path, *args: str) -> str | None:
    """A git command's output in PROJECT, or None (no git, not a repository, failure)."""
    try:
        done = subprocess.run(["git", "-C", str(project), *args], capture_output=True,
                              text=True, check=False)
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def version(settings: Config) -> str:
    """The release's version, safe in a file name."""
    found = settings.version or _described(settings.project)
    return re.sub(r"[^A-Za-z0-9._+-]", "-", found)


def _described(project: Path) -> str:
    tagged = _git(project, "describe", "--tags", "--dirty")
    if tagged:
        return tagged.removeprefix("v")
    commit = _git(project, "describe", "--always", "--dirty")
    return f"0.0.0+g{commit.replace('-dirty', '.dirty')}" if commit else "0.0.0"


def source_date_epoch(settings: Config) -> int:
    """The moment the release is stamped with (seconds since 1970, UTC)."""
    given = os.environ.get("SOURCE_DATE_EPOCH")
    if given:
        if not given.isdigit():
            raise KzError.at(SourcePos(Path("SOURCE_DATE_EPOCH")),
                             f"'{given}' is not a number of seconds — unset it or fix it")
        return int(given)
    committed = _git(settings.project, "log", "-1", "--format=%ct")
    if committed and committed.isdigit():
        return int(committed)
    if settings.date:
        return int(datetime.combine(date.fromisoformat(settings.date), datetime.min.time(),
                                    UTC).timestamp())
    return 0


def html_zip(folder: Path, root: str, epoch: int) -> bytes:
    """The HTML edition as a zip: entries under ROOT/, sorted, stamped ``epoch``, mode 0644."""
    moment = min(max(datetime.fromtimestamp(epoch, UTC), _ZIP_MIN), _ZIP_MAX)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            entry = zipfile.ZipInfo(f"{root}/{path.relative_to(folder).as_posix()}",
                                    date_time=moment.timetuple()[:6])
            entry.create_system = 3
            entry.external_attr = 0o100644 << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, path.read_bytes())
    return out.getvalue()


def checksums(paths: list[Path]) -> str:
    """``sha256sum`` output for the files (names without folders, sorted)."""
    return _checksums({path.name: path.read_bytes() for path in paths})


def _checksums(files: dict[str, bytes]) -> str:
    """``sha256sum`` output for files given by name and content."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n"
                   for name, data in sorted(files.items()))


def _publish(result: pipeline.Result, dist: Path, version: str, epoch: int) -> list[Path]:
    """Copy the editions into DIST as <slug>-<version>…; add SHA256SUMS. The four files
    replace the last release's together or not at all (``atomic.staged``)."""
    paths = {edition.format: edition.path for edition in result.editions}
    stem = f"{paths['pdf'].stem}-{version}"
    files = {f"{stem}.pdf": paths["pdf"].read_bytes(),
             f"{stem}.epub": paths["epub"].read_bytes(),
             f"{stem}-html.zip": html_zip(paths["html"].parent, f"{stem}-html", epoch)}
    files["SHA256SUMS"] = _checksums(files).encode("ascii")
    atomic.sweep(dist)
    with atomic.staged():
        return [atomic.write_bytes(dist / name, data) for name, data in files.items()]


def release(project: Path, dist: Path | None = None, *,
            progress: pipeline.Progress = pipeline.silent) -> tuple[pipeline.Result, list[Path]]:
    """Build every edition for release into DIST (default PROJECT/dist); the files written."""
    settings = config.load(project)
    epoch = source_date_epoch(settings)
    with environ.setting("SOURCE_DATE_EPOCH", str(epoch)):
        result = pipeline.run(project, FORMATS, project / "build" / "release", progress=progress)
    target = dist if dist is not None else project / "dist"
    return result, _publish(result, target, version(settings), epoch)
