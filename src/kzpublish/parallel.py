"""CPU-bound work spread across the machine's cores in forked processes: a list in slices,
or a child that talks with its parent (``talking``).

Rendering a long bibliography is the one stage that is both slow and made of independent
pieces (each entry is a function of its reference once the list is sorted and
disambiguated) — and its state, the parsed style and every reference, is in memory
already and costly to rebuild or pickle. So the work is *forked*: each child process
starts with that state as it is, renders a contiguous slice, and sends back plain
results (strings) through a pipe; the parent renders the first slice meanwhile.
``talking`` forks the same way for a child that talks with its parent over a two-way pipe
(``writers.pdf_parts``: half of a long book's print layout, which waits for its first page
number from the parent).

Used only where forking is safe: on a platform that has ``fork``, in a process that
runs one thread (``kzpublish watch`` and ``serve`` run more: a lock another thread held
when the process forked would stay held in the child). A child that fails for any reason
is not trusted: the parent renders its slice itself, so an error is raised where it
would have been, with its own message. Warnings a child gives are given again by the
parent, in order. The result is the same list, in the same order, as a plain ``map``.

A child never outlives the build: on Linux it asks the kernel for SIGKILL when its
parent dies (``PR_SET_PDEATHSIG``: even a parent killed with SIGKILL takes it along),
and a parent leaving ``mapped`` by an exception (Ctrl-C, SIGTERM) kills and reaps the
children it started. Children take the default action for SIGINT and SIGTERM, not the
CLI's handlers: they have no temp files to remove and must not report an interruption.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import signal
import threading
import warnings
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_SLICE = 64
"""Fewest items worth a process of their own: a fork and a pipe cost ≈10–20 ms, about
as much as rendering a few dozen entries."""
MAX_WORKERS = 4
_SHOWN: dict[Any, Any] = {}
"""The warnings children gave that were given again (shown once, as Python's default)."""


def workers() -> int:
    """How many processes may work at once here: the cores this process may use, at most
    ``MAX_WORKERS``, or ``KZPUBLISH_JOBS`` when set (1: everything in this process)."""
    asked = os.environ.get("KZPUBLISH_JOBS", "").strip()
    if asked.isdigit() and int(asked) > 0:
        return int(asked)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_WORKERS))


def can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def mapped(function: Callable[[Item], Result], items: Sequence[Item],
           processes: int | None = None) -> list[Result]:
    """``[function(item) for item in items]``, its slices computed in forked processes
    when there are enough items (``MIN_SLICE`` a process) and cores (see the module's
    docstring)."""
    count = min(processes or workers(), len(items) // max(MIN_SLICE, 1))
    if count < 2 or not can_fork():
        return [function(item) for item in items]
    slices = _slices(len(items), count)
    context = multiprocessing.get_context("fork")
    children: list[tuple[Any, Any]] = []
    try:
        for start, end in slices[1:]:
            children.append(_start(context, function, items[start:end]))
        results = [function(item) for item in items[slices[0][0]:slices[0][1]]]
        for (start, end), child in zip(slices[1:], children, strict=True):
            results += _collected(child, function, items[start:end])
    except BaseException:
        _stopped(children)
        raise
    return results


def _stopped(children: list[tuple[Any, Any]]) -> None:
    """Kill and reap the children still running, and close their pipes: the parent is
    leaving (an error, an interruption) and their results would never be read."""
    for process, receiver in children:
        receiver.close()
        stopped(process)


def _slices(total: int, count: int) -> list[tuple[int, int]]:
    """``count`` contiguous (start, end) slices of ``total`` items, sizes differing by one."""
    size, extra = divmod(total, count)
    bounds, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        bounds.append((start, end))
        start = end
    return bounds


def _start(context: Any, function: Callable[[Any], Any], items: Sequence[Any]) -> Any:
    receiver, sender = context.Pipe(duplex=False)
    process = _forked(context, _work, function, items, sender)
    sender.close()
    return process, receiver


def talking(target: Callable[..., None], *args: Any) -> tuple[Any, Any]:
    """A forked child process running ``target(*args, connection)``, and this process's
    end of their two-way pipe. Like ``mapped``'s children it dies with this process;
    call only where ``can_fork``, and ``stopped`` it when done."""
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe()
    process = _forked(context, target, *args, theirs)
    theirs.close()
    return process, mine


def _forked(context: Any, target: Callable[..., None], *args: Any) -> Any:
    """A started child process (of ``context``, a ``fork`` one) running ``target(*args)``,
    that dies with this process (see the module's docstring)."""
    process = context.Process(target=_child, args=(target, args, os.getpid()), daemon=True)
    _prctl()  # looked up before forking: every child would import ctypes again
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:  # a stop signal arriving inside fork's hooks would be printed and lost: held
        process.start()  # until the fork is done, it is raised here
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return process


def stopped(process: Any) -> None:
    """Kill ``process`` if it still runs, and reap it."""
    if process.is_alive():
        process.kill()
    process.join()


def _child(target: Callable[..., None], args: tuple[Any, ...], parent: int) -> None:
    _die_with_parent(parent)
    target(*args)


_STOPPING = {signal.SIGINT, signal.SIGTERM}
_PR_SET_PDEATHSIG = 1
"""prctl(2)'s option: the signal the kernel sends this process when its parent dies."""


def _die_with_parent(parent: int) -> None:
    """In the child: SIGKILL from the kernel when the parent dies (Linux; elsewhere the
    parent's ``_stopped`` alone), and the default signal actions, not the CLI's."""
    for number in _STOPPING:
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)  # held by ``_start`` in the parent
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request: no signal will come
        os._exit(1)


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl(2), None where there is none (not Linux)."""
    try:
        import ctypes
        return ctypes.CDLL(None, use_errno=True).prctl  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _work(function: Callable[[Any], Any], items: Sequence[Any], sender: Any) -> None:
    """In the child: the slice's results and the warnings given, or None on any failure."""
    try:
        with warnings.catch_warnings(record=True) as given:
            warnings.simplefilter("always")
            results = [function(item) for item in items]
        notes = list(dict.fromkeys((str(w.message), w.category, w.filename, w.lineno)
                                   for w in given))
        sender.send((results, notes))
    except BaseException:  # the parent renders this slice again and reports the error
        sender.send(None)
    finally:
        sender.close()


def _collected(child: tuple[Any, Any], function: Callable[[Any], Result],
               items: Sequence[Any]) -> list[Result]:
    process, receiver = child
    try:
        answer = receiver.recv()
    except (EOFError, OSError, pickle.UnpicklingError):
        answer = None
    finally:  # an interruption leaves the child running: ``mapped`` kills it, not waits
        receiver.close()
    process.join()
    if answer is None:
        return [function(item) for item in items]
    results, notes = answer
    for message, category, filename, lineno in notes:
        warnings.warn_explicit(message, category, filename, lineno, registry=_SHOWN)
    return list(results)
