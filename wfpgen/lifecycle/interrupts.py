"""Signals as exceptions, and sections of code that signals cannot cut in half.

Ctrl-C already raises ``KeyboardInterrupt``. :func:`signals_as_interrupts`
makes it, SIGTERM and SIGHUP (a CI job cancelled, a terminal closed) raise
:class:`Terminated`, so ``finally`` blocks and rollbacks run for them too,
and no library between wfpgen and the signal swallows it.
:func:`deferred_signals` holds any of the three back while a short critical
section runs (moving files into place, or putting them back), then raises
it. :func:`settle` marks the point of no return: once a command's result
is committed, the three signals are ignored until the process exits, so a
late Ctrl-C cannot turn a complete write into a reported failure. Handlers
can be installed only in the main thread; elsewhere these are no-ops and
signals keep their default behaviour.
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
_settled = False  # the result is committed: signals no longer stop this command
_depth = 0  # how many command_scope() blocks are open


class Terminated(BaseException):
    """SIGTERM, SIGHUP or (within :func:`signals_as_interrupts`) SIGINT arrived.

    Like ``KeyboardInterrupt``, not an ``Exception``; unlike it, Typer and
    Click do not turn it into a silent exit status, so the command line
    reports it (with JSON under ``--json``).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextmanager
def command_scope(*, restore: bool = True) -> Iterator[None]:
    """One command's run, within which :func:`settle` applies.

    When the outermost scope ends, ``restore`` puts the signal handlers back
    as they were (for a command run inside a longer-lived process, such as a
    test); the console script passes False, so signals stay ignored until
    the process exits.
    """
    global _depth, _settled
    saved = {s: signal.getsignal(s) for s in _CAUGHT} if _in_main_thread() else {}
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and restore and _settled:
            _settled = False
            for signum, handler in saved.items():
                signal.signal(signum, handler)


def settle() -> None:
    """The result is committed: ignore SIGINT, SIGTERM and SIGHUP until the command ends.

    What is left to do (remove the staging folder, print the summary) cannot
    change the outcome, so a signal now must not report it as a failure.
    Signals held back by :func:`deferred_signals` are dropped as well.
    Outside a :func:`command_scope` (a library caller) nothing changes.
    """
    global _settled
    if _depth == 0:
        return
    _settled = True
    if _in_main_thread():
        for signum in _CAUGHT:
            signal.signal(signum, signal.SIG_IGN)


def settled() -> bool:
    """Whether :func:`settle` was called: the command's result is committed."""
    return _settled


def _raise_for(signum: int, _frame: FrameType | None) -> None:
    if _settled:
        return
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
            # Once settled, signals stay ignored: no handler comes back.
            signal.signal(signum, signal.SIG_IGN if _settled else old)


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    """Within the block, the three signals raise :class:`Terminated` (until :func:`settle`).

    SIGINT only where Python would raise ``KeyboardInterrupt`` for it: a
    shell that started wfpgen in the background with SIGINT ignored is obeyed.
    """
    python_handles_sigint = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    chosen = tuple(s for s in _CAUGHT if s != signal.SIGINT or python_handles_sigint)
    with _handlers(_raise_for, chosen):
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
        if self._held and _settled:
            self._held.clear()  # too late to stop: the result is committed
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
