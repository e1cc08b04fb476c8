"""Live preview: rebuild the HTML edition whenever a source changes, and serve it.

The only module that imports watchfiles. The project's source folders
(manuscript/, styles/, csl/, templates/ — those present at start) are watched,
the output folder never is; each batch of changes triggers one cached HTML
build (``pipeline.run``), after which ``serve`` makes open pages reload. A
failed build keeps the last good edition served and shows its errors on the
page and in the terminal; watching goes on.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import watchfiles

from . import pipeline, progress, serve
from .errors import KzError, SourcePos

SOURCE_FOLDERS = ("manuscript", "styles", "csl", "templates")
DEFAULT_PORT = 8000


def sources(project: Path) -> list[Path]:
    """The folders to watch: the project's source folders that exist."""
    return [project / name for name in SOURCE_FOLDERS if (project / name).is_dir()]


def rebuild(project: Path, out_dir: Path, status: serve.Status, level: int) -> bool:
    """Build the HTML edition and publish the outcome to the server; True on success."""
    display = progress.Display(level)
    try:
        result = pipeline.run(project, ["html"], out_dir, progress=display)
    except KzError as error:
        display.close()
        lines = [str(diagnostic) for diagnostic in error.diagnostics]
    except Exception:  # a bug: show it, keep the preview running
        display.close()
        lines = [traceback.format_exc()]
    else:
        display.summary(result)
        status.publish([])
        return True
    display.failed(lines)
    status.publish(lines)
    return False


def _server(out_dir: Path, status: serve.Status, port: int) -> serve.Server:
    try:
        return serve.Server(out_dir / "html", status, port)
    except OSError as exc:
        raise KzError.at(SourcePos(Path(f"127.0.0.1:{port}")),
                         f"cannot serve here ({exc.strerror}) — choose another --port") from None


def _batches(project: Path, out_dir: Path,
             stop: threading.Event | None) -> Iterator[set[tuple[watchfiles.Change, str]]]:
    """Batches of changes to the sources; an empty one after each quiet 100 ms.

    The first (empty or not) comes once the watcher is running. A stop signal raises
    KeyboardInterrupt out of the watcher's loop (the CLI names the signal again), where
    ``raise_interrupt=False`` would end the loop as if nothing had been asked.
    """
    ignore = watchfiles.DefaultFilter(ignore_paths=[out_dir.resolve()])
    yield from watchfiles.watch(*sources(project), watch_filter=ignore, debounce=400, step=30,
                                rust_timeout=100, yield_on_timeout=True, stop_event=stop,
                                raise_interrupt=True)


def run(project: Path, output: Path | None = None, port: int = DEFAULT_PORT, *,
        level: int = progress.NORMAL, ready: Callable[[str], None] | None = None,
        stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on change until ``stop`` is set (or Ctrl-C).

    ``ready(url)`` is called once the watcher is running: no later edit is missed.
    """
    out_dir = output if output is not None else project / "build"
    status = serve.Status()
    rebuild(project, out_dir, status, level)
    server = _server(out_dir, status, port)
    server.start()
    try:
        for number, changes in enumerate(_batches(project, out_dir, stop)):
            if number == 0:
                (ready or _announce(level))(server.url)
            if changes:
                rebuild(project, out_dir, status, level)
    finally:
        server.stop()


def _announce(level: int) -> Callable[[str], None]:
    def say(url: str) -> None:
        if level != progress.QUIET:
            print(f"serving {url} — rebuilding on change; Ctrl-C stops", flush=True)
    return say
