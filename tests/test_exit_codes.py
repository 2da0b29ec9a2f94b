"""Exit statuses and messages of the top-level guard: never a traceback, always a status.

Stream cases (a closed stdin, a stdout that cannot encode or cannot be written)
run ``python -m wfpgen`` as a real process, since they depend on how Python
sets up its standard streams; the rest go through the same guard in-process.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli
from tests.jsonout import check_json_output, wants_json
from tests.test_property import wfpgen
from wfpgen.cli import guard, reporting
from wfpgen.cli.environment import FALSE_WORDS, env_flag

TRACEBACK = "Traceback (most recent call last)"


def run_process(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(cwd), "CI": "true", **(env or {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    done = subprocess.run(
        [sys.executable, "-m", "wfpgen", *map(str, args)],
        cwd=cwd,
        env=environment,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )
    if wants_json(args) and isinstance(done.stdout, str) and done.stdout.strip():
        check_json_output(done.stdout, done.returncode)
    return done


@pytest.mark.parametrize(
    "args",
    [
        ("new", "--bogus"),
        ("new", "--min-os"),
        ("layers", "--nope"),
        ("frobnicate",),
        ("new", "--output-dir"),
    ],
)
def test_usage_errors_exit_2_with_one_line_and_json(args: tuple[str, ...]) -> None:
    code, stdout, stderr = wfpgen(args[0], "--json", *args[1:])
    assert code == 2
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("error: ") and "--help`" in stderr
    report = json.loads(stdout)
    assert report["ok"] is False and report["exit_code"] == 2 and report["error"]


def test_usage_errors_without_json_print_nothing_on_stdout() -> None:
    code, stdout, stderr = wfpgen("new", "--bogus")
    assert (code, stdout) == (2, "")
    assert stderr == "error: No such option: --bogus; see `wfpgen new --help`\n"


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("new", "--callout"), "Option '--callout' requires an argument; see `wfpgen new --help`"),
        (("new", "--min-os"), "Option '--min-os' requires an argument; see `wfpgen new --help`"),
        (("validate",), "Missing argument 'file'; see `wfpgen validate --help`"),
        (
            ("template", "export"),
            "Missing argument 'directory'; see `wfpgen template export --help`",
        ),
        (("frobnicate",), "No such command 'frobnicate'; see `wfpgen --help`"),
    ],
)
def test_usage_errors_name_the_subcommands_help_in_one_sentence(
    args: tuple[str, ...], line: str
) -> None:
    code, stdout, stderr = wfpgen(*args)
    assert (code, stdout, stderr) == (2, "", f"error: {line}\n")


@pytest.mark.parametrize(
    ("args", "label", "value", "command"),
    [
        (
            ("new", "--no-input", "--dry-run", "-o", "--json"),
            "'--output-dir' / '-o'",
            "--json",
            "new",
        ),
        (("new", "--no-input", "--config", "-x"), "'--config' / '-c'", "-x", "new"),
        (("new", "--no-input", "--", "-p"), "'directory'", "-p", "new"),
        (("validate", "--", "-f"), "'file'", "-f", "validate"),
        (("template", "export", "--", "-d"), "'directory'", "-d", "template export"),
        (("template", "context", "-c", "-"), "'--config' / '-c'", "-", "template context"),
        (("check", "--", "-q"), "'project'", "-q", "check"),
        (("add", "callout", "X:STREAM_V4", "-p", "-x"), "'--project' / '-p'", "-x", "add callout"),
    ],
)
def test_a_path_that_looks_like_an_option_is_a_usage_error(
    args: tuple[str, ...],
    label: str,
    value: str,
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # were the value taken, it would be written here
    code, stdout, stderr = wfpgen(*args)
    assert code == 2
    # The guard cannot tell a --json taken as a value from one meant: it answers in JSON too.
    assert json.loads(stdout)["exit_code"] == 2 if "--json" in args else stdout == ""
    assert stderr == (
        f"error: Invalid value for {label}: '{value}' looks like an option, not a path; "
        f"write ./{value} if you mean a file or folder of that name; "
        f"see `wfpgen {command} --help`\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_folder_named_like_an_option_can_be_given_as_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, stderr = wfpgen("new", "--no-input", "-o", "./--json")
    assert code == 0, stderr
    assert (tmp_path / "--json" / "WfpCallout" / "wfpgen.toml").is_file()


def test_help_and_readme_list_exactly_the_values_that_leave_ci_off(run_cli: RunCli) -> None:
    """Any CI value but these stops the questions; the docs must name the same values."""
    expected = (FALSE_WORDS - {""}) | {"empty"}
    shown = " ".join(run_cli("new", "--help").stdout.replace("│", " ").split())
    (in_help,) = re.findall(r"CI is set \(to anything but ([^)]*)\)", shown)
    assert set(re.split(r", | or ", in_help)) == expected
    docs = Path(__file__).parent.parent / "docs" / "getting-started.md"
    readme = " ".join(docs.read_text(encoding="utf-8").split())
    (in_readme,) = re.findall(
        r"`CI` environment variable is set to anything but (.*?) value", readme
    )
    words = set(re.findall(r"`([^`]+)`", in_readme.split("(any case)")[0]))
    assert words | {"empty"} == expected and "an empty" in in_readme


def test_an_unexpected_error_is_one_line_with_a_debug_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text('[driver]\nname = "A"\n', encoding="utf-8")

    def broken(*_: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("wfpgen.core.project.plan_project", broken)
    code, stdout, stderr = wfpgen("validate", spec, "--json")
    assert code == 1
    assert stderr.splitlines() == [
        "error: internal error: ZeroDivisionError: division by zero; "
        "rerun with --debug (or WFPGEN_DEBUG=1) to see the traceback"
    ]
    assert json.loads(stdout)["error"] == "internal error: ZeroDivisionError: division by zero"
    code, _, stderr = wfpgen("--debug", "validate", spec)
    assert code == 1
    assert TRACEBACK in stderr and "ZeroDivisionError" in stderr
    assert stderr.splitlines()[-1] == "error: internal error: ZeroDivisionError: division by zero"
    code, _, stderr = wfpgen("validate", spec, "--debug")  # anywhere on the line
    assert code == 1 and TRACEBACK in stderr
    monkeypatch.setenv("WFPGEN_DEBUG", "1")
    assert TRACEBACK in wfpgen("validate", spec)[2]


@pytest.mark.parametrize(
    ("output_dir", "message"),
    [
        ("a-file", "a-file is a file, so a-file/WfpCallout cannot be created"),
        ("a-file/below", "a-file is a file, so a-file/below/WfpCallout cannot be created"),
        ("/dev/null", "/dev/null is a file, so /dev/null/WfpCallout cannot be created"),
        ("dangling", "dangling is a symbolic link to a missing path"),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
def test_output_dirs_that_cannot_be_folders_exit_2(
    output_dir: str, message: str, dry_run: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a-file").write_text("x", encoding="utf-8")
    Path("dangling").symlink_to(tmp_path / "missing")
    before = sorted(p.name for p in tmp_path.iterdir())
    extra = ["--dry-run"] if dry_run else []
    code, stdout, stderr = wfpgen("new", "--no-input", "--json", *extra, "-o", output_dir)
    assert code == 2, stderr
    assert message in stderr.splitlines()[-1]
    assert json.loads(stdout)["ok"] is False  # --dry-run -o FILE --json never says ok
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_output_dir_the_system_will_not_create_exits_1_in_one_line() -> None:
    code, stdout, stderr = wfpgen("new", "--no-input", "--json", "-o", "/proc/wfpgen-test")
    assert code == 1
    assert stderr.splitlines()[-1].startswith("error: cannot create /proc/wfpgen-test: ")
    assert json.loads(stdout)["ok"] is False
    assert not Path("/proc/wfpgen-test").exists()


def test_a_target_that_is_a_file_exits_2(tmp_path: Path) -> None:
    (tmp_path / "P").write_text("x", encoding="utf-8")
    code, _, stderr = wfpgen("new", "--no-input", tmp_path / "P")
    assert code == 2
    assert "exists and is not a folder" in stderr


@pytest.mark.parametrize("name", ["CON", "nul", "Com1", "lpt9.txt", "bad:name", "trailing."])
def test_a_directory_windows_cannot_open_is_refused(name: str, tmp_path: Path) -> None:
    code, _, stderr = wfpgen("new", "--no-input", "-o", tmp_path, name)
    assert code == 2
    assert stderr.startswith("error: DIRECTORY: "), stderr
    assert list(tmp_path.iterdir()) == []


def test_a_closed_stdin_means_no_prompts(tmp_path: Path) -> None:
    done = run_process("new", "P", cwd=tmp_path, env={"CI": ""}, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    closed = subprocess.run(
        f"{sys.executable} -m wfpgen new Q <&-",
        shell=True,
        cwd=tmp_path,
        env={**os.environ, "HOME": str(tmp_path), "CI": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert closed.returncode == 0, closed.stderr
    assert TRACEBACK not in closed.stderr
    assert (tmp_path / "Q" / "wfpgen.toml").is_file()


def test_stdout_that_cannot_encode_gets_escapes_and_valid_json(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text('[driver]\nname = "A"\ndescription = "caf\u00e9 \u2192"\n', encoding="utf-8")
    env = {"PYTHONIOENCODING": "ascii"}
    done = run_process("validate", spec, "--json", cwd=tmp_path, env=env)
    assert done.returncode == 2
    assert TRACEBACK not in done.stderr
    assert "\\xe9" in done.stderr
    report = json.loads(done.stdout)
    assert "\u00e9" in report["problems"][0]["message"]
    done = run_process("layers", "connect", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr


def test_stdout_that_cannot_be_written_is_reported_with_what_was_written(tmp_path: Path) -> None:
    with Path("/dev/full").open("w") as full:
        done = run_process("new", "--no-input", "--json", "P", cwd=tmp_path, stdout=full)
    assert done.returncode == 1
    assert TRACEBACK not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        f"error: cannot write to standard output: No space left on device; "
        f"{tmp_path / 'P'} was written in full"
    )
    with Path("/dev/full").open("w") as full:
        done = run_process("layers", cwd=tmp_path, stdout=full)
    assert done.returncode == 1
    assert done.stderr == "error: cannot write to standard output: No space left on device\n"


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        ("true", True),
        ("1", True),
        ("True", True),
        ("yes", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("", False),
        ("no", False),
        ("off", False),
    ],
)
def test_ci_counts_only_when_true_ish(
    value: str, truthy: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI", value)
    assert env_flag("CI") is truthy

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    assert reporting.is_interactive(no_input=False) is not truthy


def test_the_problem_list_is_capped(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(
        "[driver]\n" + "".join(f"k{i} = 1\n" for i in range(500)) + "[[callouts]]\n",
        encoding="utf-8",
    )
    code, stdout, stderr = wfpgen("validate", spec, "--json")
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == 51
    assert lines[-1] == "error: ... and 452 more problems; fix these first"
    report = json.loads(stdout)
    assert len(report["problems"]) == 50 and report["problem_count"] == 502


def test_a_huge_spec_of_unknown_keys_is_quick(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """200,000 unknown keys: did-you-mean only for the shown problems (it took minutes)."""
    import time

    spec = tmp_path / "big.toml"
    spec.write_text("[driver]\n" + "".join(f"k{i:06d} = 1\n" for i in range(200_000)))
    code, _, stderr = wfpgen("validate", spec)  # 2.4 MB: over the spec size limit
    assert code == 2
    assert (
        stderr
        == f"error: E104 {spec}: larger than 1 MiB (set WFPGEN_MAX_SPEC_BYTES to raise it); a spec is a few kilobytes: is it the right file?\n"
    )
    monkeypatch.setenv("WFPGEN_MAX_SPEC_BYTES", str(4 * 1024 * 1024))
    start = time.monotonic()
    code, _, stderr = wfpgen("validate", spec)
    assert code == 2
    assert time.monotonic() - start < 20
    assert len(stderr.splitlines()) == 51


def test_guard_exit_status_of_help_and_version() -> None:
    assert guard.run(["--version"]) == 0
    assert wfpgen("--help")[0] == 0
    for args in ((), ("--debug",)):  # no command: the help, as a usage error
        code, stdout, stderr = wfpgen(*args)
        assert code == 2
        assert "Usage: wfpgen" in stdout + stderr
        assert "error:" not in stderr
