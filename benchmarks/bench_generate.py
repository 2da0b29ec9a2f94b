"""Measure wfpgen's speed and memory against its targets.

    python benchmarks/bench_generate.py [--runs 5]

Each scenario runs the real CLI in a fresh process ``--runs`` times and reports
the median wall time and the largest peak resident memory (the child's
``ru_maxrss``). The script exits 1 when a scenario misses its target, so it can
gate a release; it is not part of the test suite, where timings are flaky.

Targets (a 2-core machine):
- ``wfpgen --help``: under 0.6 s, under 60 MiB (the CLI must not import the renderer).
- ``wfpgen new`` with the built-in defaults: under 1.5 s, under 80 MiB.
- ``wfpgen new`` with 24 callouts over every layer family: under 2.5 s, under 100 MiB.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LAYERS = [
    "INBOUND_IPPACKET_V4",
    "OUTBOUND_IPPACKET_V6",
    "IPFORWARD_V4",
    "INBOUND_TRANSPORT_V6",
    "OUTBOUND_TRANSPORT_V4",
    "STREAM_V4",
    "STREAM_V6",
    "DATAGRAM_DATA_V4",
    "INBOUND_ICMP_ERROR_V6",
    "ALE_RESOURCE_ASSIGNMENT_V4",
    "ALE_AUTH_LISTEN_V6",
    "ALE_AUTH_RECV_ACCEPT_V4",
    "ALE_AUTH_CONNECT_V6",
    "ALE_FLOW_ESTABLISHED_V4",
    "ALE_ENDPOINT_CLOSURE_V6",
    "ALE_CONNECT_REDIRECT_V4",
    "ALE_BIND_REDIRECT_V6",
    "NAME_RESOLUTION_CACHE_V4",
    "STREAM_PACKET_V6",
    "INBOUND_MAC_FRAME_ETHERNET",
    "OUTBOUND_MAC_FRAME_NATIVE",
    "INGRESS_VSWITCH_ETHERNET",
    "EGRESS_VSWITCH_TRANSPORT_V4",
    "ALE_RESOURCE_RELEASE_V6",
]


@dataclass(frozen=True)
class Scenario:
    name: str
    args: list[str]
    max_seconds: float
    max_mib: float


def scenarios(work: Path) -> list[Scenario]:
    callouts = [arg for i, layer in enumerate(LAYERS) for arg in ("--callout", f"C{i}:{layer}")]
    return [
        Scenario("help", ["--help"], 0.6, 60),
        Scenario("new-default", ["new", "--no-input", "--force", "-o", str(work / "d")], 1.5, 80),
        Scenario(
            "new-24-callouts",
            ["new", "--no-input", "--force", "--min-os", "win11", "-o", str(work / "m"), *callouts],
            2.5,
            100,
        ),
    ]


def run_once(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one CLI run in a fresh process."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "wfpgen", *args], stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            sys.exit(f"wfpgen {' '.join(args)} failed:\n{errors.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    missed = 0
    with tempfile.TemporaryDirectory() as tmp:
        # The compiled-template cache goes to the benchmark's folder, not the home folder;
        # the first run of each scenario fills it, the median shows warm runs.
        os.environ["WFPGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        for scenario in scenarios(Path(tmp)):
            results = [run_once(scenario.args) for _ in range(runs)]
            seconds = statistics.median(r[0] for r in results)
            mib = max(r[1] for r in results)
            ok = seconds <= scenario.max_seconds and mib <= scenario.max_mib
            missed += not ok
            print(
                f"{'ok  ' if ok else 'MISS'} {scenario.name:16} {seconds:6.3f} s "
                f"(target {scenario.max_seconds} s)  {mib:6.1f} MiB (target {scenario.max_mib} MiB)"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
