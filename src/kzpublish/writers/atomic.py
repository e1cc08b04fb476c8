"""Nothing is lost: every output is written beside its target and renamed when complete.

A crash or Ctrl-C mid-build leaves the previous edition in place, never a
truncated file that looks finished. Inside ``staged()`` the renames wait until
the block ends without an error, and then happen together: a build that fails
on its third edition leaves the first two as the last build wrote them (all
old or all new). Temp names carry the writing process's id
(``.NAME.PID.RANDOM.tmp``), so ``sweep`` can tell a killed build's leftovers
(its process gone) from a running build's work.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

_PENDING: ContextVar[list[tuple[Path, Path]] | None] = ContextVar("_PENDING", default=None)
"""The (temp, target) renames ``staged()`` holds back; None outside it."""

_LEFTOVER = re.compile(r"\..+\.(?P<pid>\d+)\.(?:[a-z0-9_]{8}\.tmp|old)"
                       r"|\..+\.[a-z0-9_]{8}\.tmp|\.html\.old")
"""A temp or backup name of ours: ``.NAME.PID.RANDOM.tmp``, ``.NAME.PID.old``, and the
names before the process id was in them (``.NAME.RANDOM.tmp``, ``.html.old``)."""


def _prefix(target: Path) -> str:
    return f".{target.name}.{os.getpid()}."


def _named(error: OSError, target: Path) -> OSError:
    """``error`` naming ``target``: a full disk or a read-only folder is reported at the
    file the user asked for, not at a temp name they never saw (or at no name)."""
    return type(error)(error.errno, error.strerror or str(error), str(target))


def write_bytes(target: Path, data: bytes, *, now: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically (same-folder temp file, then rename);
    inside ``staged()`` the rename waits for the block's end, unless ``now`` (a cache
    entry, which is no edition: ``pdf_parts``'s child keeps parts while the PDF is
    written, and a forked child's staged renames would never happen)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _named(error, target) from None
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        if now:
            _commit([(temp, target)])
        else:
            _install(temp, target)
    except BaseException as error:
        temp.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _named(error, target) from None
        raise
    return target


@contextmanager
def directory(target: Path) -> Iterator[Path]:
    """Yield a fresh temp folder; on success it replaces ``target`` as a whole (inside
    ``staged()``, at the block's end)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=_prefix(target), suffix=".tmp", dir=target.parent))
    except OSError as error:
        raise _named(error, target) from None
    try:
        yield temp
        os.chmod(temp, 0o755)
        _install(temp, target)
    except BaseException as error:
        shutil.rmtree(temp, ignore_errors=True)
        if isinstance(error, OSError):
            raise _named(error, target) from None
        raise


def _install(temp: Path, target: Path) -> None:
    """Rename ``temp`` over ``target`` now, or at the end of the enclosing ``staged()``."""
    pending = _PENDING.get()
    if pending is not None:
        pending.append((temp, target))
    else:
        _commit([(temp, target)])


@contextmanager
def staged() -> Iterator[None]:
    """Hold back the renames of everything written in the block; do them all when it ends
    without an error, none (temp files removed) when it raises."""
    pending: list[tuple[Path, Path]] = []
    token = _PENDING.set(pending)
    try:
        yield
    except BaseException:
        _discard(pending)
        raise
    finally:
        _PENDING.reset(token)
    _commit(pending)


def _commit(renames: list[tuple[Path, Path]]) -> None:
    """Put every temp in its target's place, or (a rename failing) none: the targets
    replaced so far are put back."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for temp, target in renames:
            done.append((target, _replaced(temp, target)))
    except BaseException as error:
        _restore(done)
        _discard(renames[len(done):])
        if isinstance(error, OSError):
            raise _named(error, renames[len(done)][1]) from None
        raise
    for _, backup in done:
        _remove(backup)


def _replaced(temp: Path, target: Path) -> Path | None:
    """Rename ``temp`` to ``target``; the old target's backup (None: there was none).

    A file's backup is a hard link, so the target is never missing; a folder cannot be
    replaced by a rename while it exists, so it is moved aside first."""
    if not target.exists():
        os.replace(temp, target)
        return None
    backup = target.with_name(f"{_prefix(target)}old")
    _remove(backup)
    folder = target.is_dir()
    if folder:
        os.replace(target, backup)
    else:
        os.link(target, backup)
    try:
        os.replace(temp, target)
    except BaseException:
        if folder:
            os.replace(backup, target)
        else:
            backup.unlink()
        raise
    return backup


def _restore(done: list[tuple[Path, Path | None]]) -> None:
    """Undo ``_replaced`` renames, newest first."""
    for target, backup in reversed(done):
        _remove(target)
        if backup is not None:
            os.replace(backup, target)


def _discard(renames: list[tuple[Path, Path]]) -> None:
    for temp, _ in renames:
        _remove(temp)


def _remove(path: Path | None) -> None:
    """Delete a file or a folder, if there."""
    if path is None:
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(folder: Path) -> list[Path]:
    """Remove the temp files and folders a killed build left in ``folder``; what it removed.

    A name with the id of a process still running is left alone: that build may be
    writing it now (two builds into one folder, ``watch``)."""
    if not folder.is_dir():
        return []
    removed = []
    for entry in sorted(folder.iterdir()):
        match = _LEFTOVER.fullmatch(entry.name)
        if match and not _running(match["pid"]):
            _remove(entry)
            removed.append(entry)
    return removed


def _running(pid: str | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(int(pid), 0)
    except PermissionError:  # someone else's process
        return True
    except (ProcessLookupError, OverflowError):  # gone, or never a process id
        return False
    return True
