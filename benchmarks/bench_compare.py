"""Side-by-side benchmark: wfpgen against cookiecutter and a bare Typer app, in one process.

    python benchmarks/bench_compare.py [--runs 7] [--baseline /path/to/older/checkout]

Every measurement is a whole process (the ``wfpgen`` console script, ``python
-m cookiecutter``, ``python bare.py``), started from this
script, with runs of the compared commands interleaved so that both sides see
the same machine load; the table shows medians of CPU time (user + system,
which load from other processes disturbs less than wall time), the median
wall time, and the largest peak RSS (``ru_maxrss``). Comparisons:

- ``new`` vs ``cookiecutter``: the built-in template with the same context
  (its ``cookiecutter.json`` is the context wfpgen builds for the spec used
  here), warm cache, cold cache (a new empty cache folder per run), and with
  ``--baseline`` the same command from an older checkout (e.g. ``/work/main``
  before the render engine) to compare the cold run with "today".
- ``--help`` and a TAB completion of a layer name vs a bare Typer app with the
  same commands and options and a completion that returns a fixed list.
- ``new`` with 1, 10, 100 and 1000 callouts: time and peak memory.

Targets (issue 12): new <= 0.5x cookiecutter warm; cold no slower than the
baseline; --help and completion <= 1.1x the bare app; 1000 callouts <= 1 s and
<= 60 MB. The script prints ok/MISS per target and exits 1 on a miss.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "wfp-callout"


def bare_app_source() -> str:
    """A Typer app with wfpgen's commands, options and help texts, and nothing behind them.

    Built from wfpgen's own command tree, so the comparison keeps up with new
    commands; completion of arguments and options returns a fixed list.
    """
    import typer

    from wfpgen.cli import app

    lines = [
        "from typing import Annotated",
        "import typer",
        "",
        "LAYERS = ['STREAM_V4', 'STREAM_V4_DISCARD', 'STREAM_V6', 'STREAM_V6_DISCARD',",
        "          'STREAM_PACKET_V4', 'STREAM_PACKET_V6']",
        "",
        "def complete(incomplete: str) -> list[tuple[str, str]]:",
        "    return [(name, 'a layer') for name in LAYERS if name.startswith(incomplete)]",
        "",
    ]

    # Typer vendors its own copy of Click, so parameters are told apart by their kind.
    def parameter(index: int, param: Any) -> str:
        done = "autocompletion=complete" if param._custom_shell_complete else ""
        if param.param_type_name == "argument":
            kind = "str" if param.required else "str | None"
            default = "" if param.required else " = None"
            return f"p{index}: Annotated[{kind}, typer.Argument({done})]{default}"
        names = ", ".join(repr(o) for o in param.opts)
        extra = f", {done}" if done else ""
        if param.is_flag:
            return f"p{index}: Annotated[bool, typer.Option({names}{extra})] = False"
        kind = "list[str] | None" if param.multiple else "str | None"
        return f"p{index}: Annotated[{kind}, typer.Option({names}{extra})] = None"

    def emit(group: Any, var: str, prefix: str) -> None:
        for name in group.list_commands(None):  # wfpgen's root loads commands on demand
            command = group.get_command(None, name)
            if hasattr(command, "commands"):  # a group of sub-commands
                sub = f"{prefix}_{name}"
                lines.append(f"{sub} = typer.Typer(help={command.help!r})")
                lines.append(f"{var}.add_typer({sub}, name={name!r})")
                emit(command, sub, sub)
                continue
            params = [p for p in command.params if p.name not in ("help",)]
            signature = ", ".join(parameter(i, p) for i, p in enumerate(params))
            lines.append(f"@{var}.command({name!r})")
            lines.append(f"def {prefix}_{name.replace('-', '_')}({signature}) -> None:")
            lines.append(f"    {command.help or 'A command.'!r}")
            lines.append("")

    root = typer.main.get_command(app)
    lines.append(
        "app = typer.Typer(name='bare', no_args_is_help=True, add_completion=True,"
        " rich_markup_mode='rich')"
    )
    lines.append("@app.callback()")
    options = [p for p in root.params if p.name != "help"]
    signature = ", ".join(parameter(i, p) for i, p in enumerate(options))
    lines.append(f"def root({signature}) -> None:")
    lines.append(f"    {root.help!r}")
    lines.append("")
    emit(root, "app", "cmd")
    lines.append("app()")
    return "\n".join(lines) + "\n"


LAYERS = ["ALE_AUTH_CONNECT_V4", "ALE_AUTH_CONNECT_V6", "ALE_AUTH_RECV_ACCEPT_V4", "STREAM_V4"]


@dataclass(frozen=True)
class Sample:
    cpu: float
    wall: float
    mib: float


@dataclass(frozen=True)
class Command:
    label: str
    argv: list[str]
    env: dict[str, str]
    prepare: Callable[[], None] | None = None  # run before each timed run, untimed


def run(command: Command) -> Sample:
    if command.prepare:
        command.prepare()
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(
            command.argv, stdout=subprocess.DEVNULL, stderr=errors, env=command.env
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            sys.exit(f"{command.label} failed:\n{errors.read().decode()}")
    return Sample(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024)


def compare(commands: Sequence[Command], runs: int) -> dict[str, Sample]:
    """Median CPU and wall time and the largest peak RSS of each command, runs interleaved."""
    samples: dict[str, list[Sample]] = {c.label: [] for c in commands}
    for command in commands:  # one untimed run each: file system caches, .pyc files
        run(command)
    for _ in range(runs):
        for command in commands:
            samples[command.label].append(run(command))
    result = {}
    for label, values in samples.items():
        result[label] = Sample(
            statistics.median(s.cpu for s in values),
            statistics.median(s.wall for s in values),
            max(s.mib for s in values),
        )
        s = result[label]
        print(f"  {label:44} cpu {s.cpu:6.3f} s  wall {s.wall:6.3f} s  peak {s.mib:6.1f} MiB")
    return result


def spec_for(callouts: int) -> str:
    lines = ['[driver]\nname = "Bench"\nmin_os = "win10-2004"\n']
    lines += [
        f'[[callouts]]\nname = "C{i}"\nlayer = "{LAYERS[i % len(LAYERS)]}"\n'
        for i in range(callouts)
    ]
    return "\n".join(lines)


def example_spec() -> str:
    """The spec whose context is the template's cookiecutter.json (GUIDs included)."""
    example = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    driver = example["driver"]
    lines = [
        f'[driver]\nname = "{driver["name"]}"\nmin_os = "{driver["min_os"]}"\n',
        f'[provider]\nguid = "{example["provider"]["guid"]}"\n',
        f'[sublayer]\nguid = "{example["sublayer"]["guid"]}"\n',
    ]
    lines += [
        f'[[callouts]]\nname = "{c["name"]}"\nlayer = "{c["layer"]}"\nguid = "{c["guid"]}"\n'
        for c in example["callouts"].values()
    ]
    return "\n".join(lines)


def check(label: str, value: float, limit: float, unit: str = "") -> bool:
    ok = value <= limit
    print(f"{'ok  ' if ok else 'MISS'} {label}: {value:.3f}{unit} (target <= {limit}{unit})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="an older checkout to compare cold runs with")
    args = parser.parse_args()
    python = sys.executable
    # The console script: Click names completion's variable after it (_WFPGEN_COMPLETE).
    wfpgen = str(Path(python).parent / "wfpgen")
    ok = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        home = tmp / "home"  # cookiecutter writes replay files to the home folder
        home.mkdir()
        warm_cache = tmp / "warm-cache"
        base = {**os.environ, "HOME": str(home), "WFPGEN_CACHE_DIR": str(warm_cache)}
        base.pop("CI", None)
        spec = tmp / "example.toml"
        spec.write_text(example_spec())
        out = tmp / "out"

        def fresh(folder: Path) -> Callable[[], None]:
            def clear() -> None:
                subprocess.run(["rm", "-rf", str(folder)], check=True)

            return clear

        cold_env = {**base, "WFPGEN_CACHE_DIR": str(tmp / "cold-cache")}
        new_args = ["new", "--no-input", "--config", str(spec), "-o", str(out / "w")]
        commands = [
            Command(
                "cookiecutter --no-input (built-in template)",
                [python, "-m", "cookiecutter", "--no-input", str(TEMPLATE), "-o", str(out / "c")],
                base,
                fresh(out / "c"),
            ),
            Command("wfpgen new, warm cache", [wfpgen, *new_args], base, fresh(out)),
            Command(
                "wfpgen new, cold cache",
                [wfpgen, *new_args],
                cold_env,
                lambda: (fresh(out)(), fresh(tmp / "cold-cache")()),
            ),
        ]
        if args.baseline:
            commands.append(
                Command(
                    f"wfpgen new from {args.baseline} (no cache)",
                    [wfpgen, *new_args],
                    {**base, "PYTHONPATH": str(args.baseline)},
                    fresh(out),
                )
            )
        print("new vs cookiecutter (same template, same context)")
        r = compare(commands, args.runs)
        cookie = r["cookiecutter --no-input (built-in template)"].cpu
        ok &= check("new warm / cookiecutter (cpu)", r["wfpgen new, warm cache"].cpu / cookie, 0.5)
        if args.baseline:
            before = r[f"wfpgen new from {args.baseline} (no cache)"].cpu
            ok &= check("new cold / before (cpu)", r["wfpgen new, cold cache"].cpu / before, 1.0)

        bare = tmp / "bare.py"
        bare.write_text(bare_app_source())
        print("--help and completion vs a bare Typer app")
        complete = {"COMP_WORDS": "x layers STREAM_", "COMP_CWORD": "2"}
        r = compare(
            [
                Command("bare --help", [python, str(bare), "--help"], base),
                Command("wfpgen --help", [wfpgen, "--help"], base),
                Command(
                    "bare completion (layers STREAM_)",
                    [python, str(bare)],
                    {**base, **complete, "_BARE.PY_COMPLETE": "complete_bash"},
                ),
                Command(
                    "wfpgen completion (layers STREAM_)",
                    [wfpgen],
                    {**base, **complete, "_WFPGEN_COMPLETE": "complete_bash"},
                ),
            ],
            args.runs,
        )
        ok &= check("--help / bare (cpu)", r["wfpgen --help"].cpu / r["bare --help"].cpu, 1.1)
        ok &= check(
            "completion / bare (cpu)",
            r["wfpgen completion (layers STREAM_)"].cpu / r["bare completion (layers STREAM_)"].cpu,
            1.1,
        )

        print("callouts (warm cache)")
        commands = []
        for count in (1, 10, 100, 1000):
            path = tmp / f"spec{count}.toml"
            path.write_text(spec_for(count))
            argv = [wfpgen, "new", "--no-input", "--config", str(path)]
            commands.append(
                Command(f"{count} callouts", [*argv, "-o", str(out / str(count))], base, fresh(out))
            )
        r = compare(commands, args.runs)
        # CPU time: on a shared machine wall time mostly measures the others' load.
        ok &= check("1000 callouts (cpu)", r["1000 callouts"].cpu, 1.0, " s")
        ok &= check("1000 callouts peak RSS", r["1000 callouts"].mib, 60.0, " MiB")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
