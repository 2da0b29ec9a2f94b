"""Ctrl-C from the first instant to the last: a message (and JSON), never a traceback or a lie.

The real console script runs in a subprocess and gets SIGINT at many moments:
while Python and wfpgen load, while it works, and just after it committed
the project. Before the interpreter runs any of wfpgen's code (its own
start-up, ``site``, the installer's wrapper) a Ctrl-C is Python's to
handle; from the first line of ``wfpgen.entry`` on it is wfpgen's.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import wfpgen

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

SCRIPT = Path(sys.executable).parent / "wfpgen"
PACKAGE = Path(wfpgen.__file__).resolve().parent


def start(*args: str | Path, cwd: Path) -> "subprocess.Popen[str]":
    return subprocess.Popen(
        [str(SCRIPT), *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def interrupted_in_wfpgen_code(stderr: str) -> bool:
    """Whether a traceback names a file of the wfpgen package (not Python's start-up)."""
    return "Traceback" in stderr and str(PACKAGE) in stderr


@pytest.mark.slow
def test_ctrl_c_at_any_moment_of_start_up_is_exit_130_with_a_message_and_json(
    tmp_path: Path,
) -> None:
    assert SCRIPT.is_file()
    landed = 0
    for attempt in range(24):
        target = tmp_path / f"P{attempt}"
        process = start("new", "--no-input", "--json", "--name", "Drv", target, cwd=tmp_path)
        # Popen returns once the process exists (exec succeeded); then wait a little more each time.
        time.sleep(attempt * 0.025)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
        assert not interrupted_in_wfpgen_code(stderr), stderr
        if process.returncode == 0:  # finished before the signal came
            assert json.loads(stdout)["ok"] is True
            assert (target / "wfpgen.toml").is_file()
            continue
        assert not target.exists(), (attempt, stderr)
        if process.returncode == 130:
            landed += 1
            assert stderr.splitlines() == ["error: interrupted; nothing was written"], stderr
            document = json.loads(stdout)
            assert {k: document[k] for k in ("ok", "exit_code", "error")} == {
                "ok": False,
                "exit_code": 130,
                "error": "interrupted",
            }
            assert document["wfpgen"] and document["command"]
        else:
            # Python had not started wfpgen yet: killed by the signal, or its own
            # KeyboardInterrupt in its start-up (no wfpgen file in the traceback).
            assert process.returncode in (-signal.SIGINT, 1), (process.returncode, stderr)
    assert landed >= 8, "too few interrupts landed while wfpgen was loading or working"


@pytest.mark.slow
def test_ctrl_c_right_after_the_commit_still_reports_success(tmp_path: Path) -> None:
    """SIGINT as soon as the project appears (the commit's rename): exit 0, complete project."""
    for attempt in range(5):
        target = tmp_path / f"P{attempt}"
        process = start("new", "--no-input", "--json", "--name", "Drv", target, cwd=tmp_path)
        deadline = time.monotonic() + 120
        while not target.exists() and process.poll() is None and time.monotonic() < deadline:
            pass  # spin: the signal must come within microseconds of the commit
        for _ in range(3):
            process.send_signal(signal.SIGINT)
            time.sleep(0.005)
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr and "interrupted" not in stderr
        assert json.loads(stdout)["ok"] is True
        assert (target / ".wfpgen" / "base.toml").is_file()
        assert not [p for p in tmp_path.iterdir() if ".wfpgen-stage-" in p.name]


@pytest.mark.slow
def test_sigterm_after_the_commit_still_reports_success(tmp_path: Path) -> None:
    target = tmp_path / "P"
    process = start("new", "--no-input", "--name", "Drv", target, cwd=tmp_path)
    while not target.exists() and process.poll() is None:
        pass
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    assert (target / "wfpgen.toml").is_file()


def test_the_entry_module_imports_nothing_heavy() -> None:
    """Loading it takes no time, so an interrupt is wfpgen's from its first instant."""
    code = (
        "import sys; before = set(sys.modules); import wfpgen.entry; "
        "print(sorted(set(sys.modules) - before))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)},
    )  # fmt: skip
    assert done.stdout.strip() == "['wfpgen', 'wfpgen.entry']"


def test_a_command_run_in_process_gives_the_signal_handlers_back(tmp_path: Path) -> None:
    """After a commit signals are ignored to the end of the command only, not of the caller.

    (A caller left ignoring SIGINT would pass that on to every child it starts.)
    """
    from wfpgen.cli import guard

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    assert guard.run(["new", "--no-input", "--name", "Drv", str(tmp_path / "P")]) == 0
    assert (tmp_path / "P" / "wfpgen.toml").is_file()
    assert {s: signal.getsignal(s) for s in before} == before
