"""cli._stoppable: a stop signal ends the build once — even one that lands in a finaliser."""

from __future__ import annotations

import os
import signal
import time

import pytest

from kzpublish import cli
from kzpublish.errors import Interrupted


class _SignalledWhileFinalised:
    """Sends SIGTERM to this process from its ``__del__`` and lets the handler run there,
    as when a build is stopped while multiprocessing closes a worker's pipe."""

    def __del__(self) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10_000):
            pass


def test_a_signal_in_a_finaliser_is_not_lost(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(Interrupted) as stopped, cli._stoppable():
        _SignalledWhileFinalised()  # finalised at once: the signal arrives in __del__
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the build going on, until it is stopped
            pass
    assert stopped.value.signal_number == signal.SIGTERM
    assert "Exception ignored" not in capsys.readouterr().err
