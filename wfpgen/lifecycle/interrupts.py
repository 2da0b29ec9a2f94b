"""Signals as exceptions, and sections of code that signals cannot cut in half.

Ctrl-C already raises ``KeyboardInterrupt``. :func:`signals_as_interrupts`
makes SIGTERM and SIGHUP (a CI job cancelled, a terminal closed) raise
:class:`Terminated`, so ``finally`` blocks and rollbacks run for them too.
:func:`deferred_signals` holds any of the three back while a short critical
section runs (moving files into place, or putting them back), then raises
it. Handlers can be installed only in the main thread; elsewhere both are
no-ops and signals keep their default behaviour.
"""

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

_CAUGHT = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_Handler = Callable[[int, FrameType | None], object] | int | None


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived; like ``KeyboardInterrupt``, not an ``Exception``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_for(signum: int, _frame: FrameType | None) -> None:
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise Terminated(signum)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def _handlers(handler: _Handler, signums: tuple[int, ...]) -> Iterator[None]:
    if not _in_main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, handler) for signum in signums}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated`."""
    others = tuple(s for s in _CAUGHT if s != signal.SIGINT)
    with _handlers(_raise_for, others):
        yield


class HeldSignals:
    """The signals held back by :func:`deferred_signals`, for checks between steps."""

    def __init__(self) -> None:
        self._held: list[int] = []

    def hold(self, signum: int, _frame: FrameType | None) -> None:
        """The signal handler: remember the signal instead of acting on it."""
        self._held.append(signum)

    def check(self) -> None:
        """Raise the first held signal now, at a point where stopping is safe."""
        if self._held:
            signum = self._held[0]
            self._held.clear()
            _raise_for(signum, None)


@contextmanager
def deferred_signals() -> Iterator[HeldSignals]:
    """Hold SIGINT, SIGTERM and SIGHUP back until the block is over, then raise the first.

    The block may call ``check()`` on the yielded object to stop early at a
    safe point; an exception the block raises wins over a held signal.
    """
    held = HeldSignals()
    with _handlers(held.hold, _CAUGHT):
        yield held
    held.check()
