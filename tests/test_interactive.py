"""`wfpgen new` in a terminal: the interview, driven through a real pseudo-terminal.

Every session runs the installed CLI in a child process under pexpect, types
answers (wrong ones included), and checks what the user sees and what lands on
disk. The judges behind each question are also tested directly, with the same
catalog, at the end of the file.
"""

import io
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from wfpgen import interview
from wfpgen.core.catalog import Catalog, load_catalog
from wfpgen.interview import AnswerError

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
GUID_DEFAULT_TEXT = re.compile(r"\(([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\)")


class Session:
    """One `wfpgen new` run in a pseudo-terminal; ``log`` is everything it printed."""

    def __init__(self, cwd: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.buffer = io.StringIO()
        environment = {k: v for k, v in os.environ.items() if k != "CI"}
        environment |= {"TERM": "xterm-256color", **(env or {})}
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "wfpgen", "new", *args],
            cwd=str(cwd),
            env=environment,
            encoding="utf-8",
            timeout=30,
            dimensions=(50, 200),
        )
        self.child.logfile_read = self.buffer

    @property
    def log(self) -> str:
        return ANSI.sub("", self.buffer.getvalue()).replace("\r\n", "\n")

    def expect_question(self, question: str) -> None:
        """Wait for ``question``; its default, in (parentheses), is styled apart from it."""
        first, *rest = question.split(" (")
        self.child.expect_exact(first)
        for part in rest:
            self.child.expect_exact(f"({part}")
        self.child.expect_exact(": ")

    def answer(self, question: str, text: str) -> None:
        """Wait for ``question`` and type ``text`` (then Enter)."""
        self.expect_question(question)
        self.child.sendline(text)

    def rejected(self, reason: str) -> None:
        """The last answer was refused with ``reason`` (and the question comes again)."""
        self.child.expect_exact("invalid answer:")
        self.child.expect_exact(reason)

    def interrupt_at(self, question: str) -> None:
        self.expect_question(question)
        self.child.sendintr()

    def finish(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus is not None, f"killed by signal {self.child.signalstatus}"
        return self.child.exitstatus


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def _built_in_template_ready() -> bool:
    root = Path(__file__).resolve().parent.parent / "templates" / "wfp-callout"
    return (root / "{{cookiecutter.project_slug}}").is_dir()


@pytest.fixture
def tiny_template(tmp_path: Path) -> Path:
    """A minimal cookiecutter template: one README naming the driver."""
    root = tmp_path / "tiny"
    project = root / "{{cookiecutter.project_slug}}"
    project.mkdir(parents=True)
    (root / "cookiecutter.json").write_text('{"project_slug": "x"}\n', encoding="utf-8")
    (project / "README.md").write_text("# {{cookiecutter.project_slug}}\n", encoding="utf-8")
    return root


def files_under(root: Path) -> list[str]:
    """The project's files, without wfpgen's base record (.wfpgen/)."""
    files = (p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    return sorted(name for name in files if not name.startswith(".wfpgen/"))


# --- full sessions --------------------------------------------------------


@pytest.mark.skipif(not _built_in_template_ready(), reason="built-in template not there yet")
def test_full_session_with_two_callouts_and_wrong_answers(workdir: Path) -> None:
    s = Session(workdir)
    s.answer("Driver name (WfpCallout)", "1Contoso")
    s.rejected("'1Contoso' is not a C identifier")
    s.answer("Driver name (WfpCallout)", "Contoso")
    s.answer("Minimum Windows (win10-2004)", "windows 12")
    s.rejected("unknown Windows version 'windows 12'")
    s.answer("Minimum Windows (win10-2004)", "1709")

    # Callout 1: an ambiguous layer, then words that name one; a flag by word.
    s.answer("Callout name (Callout1)", "Connect")
    s.answer("Layer (? lists them)", "connect v4")
    s.rejected("'connect v4' matches ALE_AUTH_CONNECT_V4, ALE_CONNECT_REDIRECT_V4")
    s.answer("Layer (? lists them)", "auth connect v4")
    s.child.expect_exact("taken as ALE_AUTH_CONNECT_V4")
    s.answer("Flags, comma-separated names or numbers (none)", "mid_stream")
    s.rejected(
        "FWP_CALLOUT_FLAG_ALLOW_MID_STREAM_INSPECTION only matters at the STREAM layers, "
        "not ALE_AUTH_CONNECT_V4"
    )
    s.answer("Flags, comma-separated names or numbers (none)", "reclassify")
    s.child.expect_exact("taken as ALLOW_RECLASSIFY")
    s.child.expect_exact("GUID")
    s.child.expect(GUID_DEFAULT_TEXT)
    offered = s.child.match.group(1)
    s.child.expect_exact(": ")
    s.child.sendline("not-a-guid")
    s.rejected("'not-a-guid' is not a GUID")
    s.answer(f"GUID ({offered})", "")  # Enter takes the fresh GUID
    s.answer("Behavior [decide/ask] (decide)", "")  # ALE_AUTH_CONNECT may also ask user mode
    s.answer("Filter action [terminating/inspection/unknown] (terminating)", "block")
    s.rejected("unknown action 'block'; use one of terminating, inspection, unknown")
    s.answer("Filter action [terminating/inspection/unknown] (terminating)", "")
    s.answer("Add another callout? [y/n] (n)", "perhaps")
    s.rejected("'perhaps' is neither yes nor no; answer y or n")
    s.answer("Add another callout? [y/n] (n)", "y")

    # Callout 2: a taken name, a flag number out of range, a braced upper-case GUID.
    s.answer("Callout name (Callout2)", "connect")
    s.rejected("'connect' is already used by callouts[0]")
    s.answer("Callout name (Callout2)", "Stream")
    s.answer("Layer (? lists them)", "?")
    s.child.expect_exact("STREAM_PACKET_V6")  # the list again
    s.answer("Layer (? lists them)", "fwps_layer_stream_v4")
    s.child.expect_exact("CONDITIONAL_ON_FLOW")
    s.answer("Flags, comma-separated names or numbers (none)", "1, 9")
    s.rejected("there is no flag 9; pick 1 to 5")
    s.answer("Flags, comma-separated names or numbers (none)", "conditional_on_flow")
    s.answer("GUID (", "{0D9C4B2E-1A2B-4C3D-8E9F-0A1B2C3D4E5F}")
    s.answer("Filter action", "insp")
    s.answer("Add another callout? [y/n] (n)", "")
    s.answer("Control channel to user mode", "n")

    s.child.expect_exact("Summary")
    s.answer("Write the project? [y/n] (y)", "yes")
    assert s.finish() == 0, s.log
    log = s.log

    assert "added callout FlowEstablishedV4 at ALE_FLOW_ESTABLISHED_V4" in log
    assert "FlowEstablishedV4 at ALE_FLOW_ESTABLISHED_V4, inspection (added by wfpgen)" in log
    assert "Traceback" not in log
    # Only the flags that fit each layer on win10-1709 were offered, numbered:
    # no CONDITIONAL_ON_FLOW at ALE_AUTH_CONNECT, no ALLOW_USO before win10-1903.
    offers = re.findall(r"\n(1  [A-Z_]+.*?)\nFlags, comma-separated", log, flags=re.DOTALL)
    numbered = [re.findall(r"^\d+  ([A-Z_]+)", offer, flags=re.MULTILINE) for offer in offers]
    assert numbered[0] == ["ALLOW_OFFLOAD", "ENABLE_COMMIT_ADD_NOTIFY", "ALLOW_RECLASSIFY"]
    assert numbered[-1] == [
        "CONDITIONAL_ON_FLOW",
        "ALLOW_OFFLOAD",
        "ENABLE_COMMIT_ADD_NOTIFY",
        "ALLOW_MID_STREAM_INSPECTION",
        "ALLOW_RSC",
    ]

    project = workdir / "Contoso"
    spec = tomllib.loads((project / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["driver"]["name"] == "Contoso"
    assert spec["driver"]["min_os"] == "win10-1709"
    callouts = {c["name"]: c for c in spec["callouts"]}
    assert list(callouts) == ["Connect", "Stream", "FlowEstablishedV4"]
    assert callouts["Connect"] | {"description": ""} == {
        "name": "Connect",
        "layer": "ALE_AUTH_CONNECT_V4",
        "flags": ["ALLOW_RECLASSIFY"],
        "guid": offered,
        "action": "terminating",
        "flow_context": False,
        "description": "",
    }
    assert callouts["Stream"]["layer"] == "STREAM_V4"
    assert callouts["Stream"]["flags"] == ["CONDITIONAL_ON_FLOW"]
    assert callouts["Stream"]["guid"] == "0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    assert callouts["Stream"]["action"] == "inspection"
    assert callouts["Stream"]["flow_context"] is True

    # The answers reach the C sources, and the tree shown lists what is on disk.
    sources = [p for p in project.rglob("*") if p.suffix in {".c", ".h"}]
    assert sources
    code = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sources).lower()
    assert "0x0d9c4b2e" in code
    assert "0x" + offered[:8] in code
    on_disk = files_under(project)
    assert f"Generated {len(on_disk)} files:" in log
    for name in on_disk:
        assert Path(name).name in log
    assert "Next steps:" in log
    assert "Contoso.sln" in log


def test_values_given_as_options_are_not_asked(workdir: Path, tiny_template: Path) -> None:
    s = Session(
        workdir, "--name", "Given", "--min-os", "win10-1709", "--template", str(tiny_template)
    )
    s.answer("Callout name (Callout1)", "Transport")
    # win10-1709 came from --min-os: newer layers and flags are refused with the reason.
    s.answer("Layer (? lists them)", "outbound network connection policy v4")
    s.rejected("OUTBOUND_NETWORK_CONNECTION_POLICY_V4 needs min_os win11-22h2 or later")
    s.answer("Layer (? lists them)", "inbound transport v4")
    s.answer("Flags", "ALLOW_URO")
    s.rejected("FWP_CALLOUT_FLAG_ALLOW_URO needs min_os win10-2004 or later")
    s.answer("Flags", "")
    s.answer("GUID", "")
    s.answer("Behavior [decide/reinject]", "")
    s.answer("Filter action", "unknown")
    s.answer("Add another callout?", "n")
    s.answer("Control channel to user mode", "")
    s.child.expect_exact("Summary")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    log = s.log
    assert "Driver name" not in log
    assert "Minimum Windows (" not in log
    spec = tomllib.loads((workdir / "Given" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["driver"]["min_os"] == "win10-1709"
    assert [(c["name"], c["layer"], c["action"]) for c in spec["callouts"]] == [
        ("Transport", "INBOUND_TRANSPORT_V4", "unknown")
    ]
    assert (workdir / "Given" / "README.md").read_text(encoding="utf-8") == "# Given\n"


def test_an_older_windows_answer_drops_arm64_from_the_defaults(
    workdir: Path, tiny_template: Path
) -> None:
    s = Session(workdir, "--template", str(tiny_template), "--callout", "A:STREAM_V4")
    s.answer("Driver name", "Old")
    s.answer("Minimum Windows", "win7")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    spec = tomllib.loads((workdir / "Old" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["driver"]["architectures"] == ["x64"]


def test_the_template_s_own_variables_are_asked_with_label_and_default(
    workdir: Path, tiny_template: Path
) -> None:
    config = tiny_template / "cookiecutter.json"
    config.write_text(
        '{"project_slug": "x", "owner": "platform", "signing": ["test", "release"],'
        ' "ticket": "NET", "__prompts__": {"owner": "Team that owns the driver"}}'
    )
    (tiny_template / "{{cookiecutter.project_slug}}" / "OWNERS").write_text(
        "{{ cookiecutter.owner }} {{ cookiecutter.signing }} {{ cookiecutter.ticket }}\n"
    )
    s = Session(
        workdir,
        "--template",
        str(tiny_template),
        "--name",
        "Team",
        "--min-os",
        "win10-1709",
        "--callout",
        "A:STREAM_V4",
        "--set",
        "ticket=SEC",
    )
    s.answer("Team that owns the driver (platform)", "netsec")
    s.answer("signing [test/release] (test)", "prod")
    s.rejected("expected one of test, release")
    s.answer("signing [test/release] (test)", "release")
    s.child.expect_exact("Summary")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    assert "ticket" not in s.log.split("Template", 1)[1].split("Summary", 1)[0]
    assert (workdir / "Team" / "OWNERS").read_text() == "netsec release SEC\n"
    summary = s.log.split("Summary", 1)[1]
    assert "Template" in summary and "owner" in summary and "netsec" in summary
    spec = tomllib.loads((workdir / "Team" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["template"]["variables"] == {
        "owner": "netsec",
        "signing": "release",
        "ticket": "SEC",
    }


def test_min_os_option_is_checked_before_any_question(workdir: Path) -> None:
    s = Session(workdir, "--min-os", "win99")
    assert s.finish() == 2
    assert "error: E201 driver.min_os: unknown Windows version 'win99'" in s.log
    assert "Driver name" not in s.log


def test_callouts_from_a_config_file_are_not_asked(workdir: Path, tiny_template: Path) -> None:
    config = workdir / "spec.toml"
    config.write_text(
        '[[callouts]]\nname = "Mac"\nlayer = "INBOUND_MAC_FRAME_ETHERNET"\n', encoding="utf-8"
    )
    s = Session(workdir, "--config", str(config), "--template", str(tiny_template))
    s.answer("Driver name", "FromFile")
    # The file's callout needs Windows 8, so Windows 7 does not fit.
    s.answer("Minimum Windows", "win7")
    s.rejected(
        "win7 does not fit the spec: E214 callouts[0].layer: INBOUND_MAC_FRAME_ETHERNET needs min_os win8"
    )
    s.answer("Minimum Windows", "win8")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    assert "Callout name" not in s.log
    spec = tomllib.loads((workdir / "FromFile" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["driver"]["min_os"] == "win8"
    assert [c["name"] for c in spec["callouts"]] == ["Mac"]


def test_occupied_folder_is_refused_at_the_name_question(
    workdir: Path, tiny_template: Path
) -> None:
    (workdir / "Taken").mkdir()
    (workdir / "Taken" / "mine.txt").write_text("keep", encoding="utf-8")
    s = Session(workdir, "--template", str(tiny_template), "--callout", "A:STREAM_V4")
    s.answer("Driver name", "Taken")
    s.rejected("exists and is not empty; choose another name")
    s.answer("Driver name", "Free")
    s.answer("Minimum Windows", "")
    s.answer("Write the project?", "")
    assert s.finish() == 0, s.log
    assert files_under(workdir / "Taken") == ["mine.txt"]
    assert files_under(workdir / "Free") == ["README.md", "wfpgen.toml"]


def test_bad_config_is_reported_before_any_question(workdir: Path) -> None:
    config = workdir / "spec.toml"
    config.write_text('[driver]\nnmae = "X"\n', encoding="utf-8")
    s = Session(workdir, "--config", str(config))
    assert s.finish() == 2
    assert "error: E110 driver.nmae: unknown key; did you mean 'name'?" in s.log
    assert "Driver name" not in s.log
    assert files_under(workdir) == ["spec.toml"]


# --- leaving early --------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "interrupt_at"),
    [
        ([], "Driver name"),
        ([("Driver name", "Quit"), ("Minimum Windows", "")], "Callout name"),
        (
            [
                ("Driver name", "Quit"),
                ("Minimum Windows", ""),
                ("Callout name", "A"),
                ("Layer", "stream_v4"),
            ],
            "Flags",
        ),
        (
            [
                ("Driver name", "Quit"),
                ("Minimum Windows", ""),
                ("Callout name", "A"),
                ("Layer", "stream_v4"),
                ("Flags", ""),
                ("GUID", ""),
                ("Filter action", ""),
                ("Add another callout?", ""),
                ("Control channel to user mode", ""),
            ],
            "Write the project?",
        ),
    ],
    ids=["driver-name", "callout-name", "flags", "confirmation"],
)
def test_ctrl_c_writes_nothing_and_exits_130(
    workdir: Path, tiny_template: Path, answers: list[tuple[str, str]], interrupt_at: str
) -> None:
    s = Session(workdir, "--template", str(tiny_template))
    for question, text in answers:
        s.answer(question, text)
    s.interrupt_at(interrupt_at)
    assert s.finish() == 130
    assert "error: interrupted; nothing was written" in s.log
    assert "Traceback" not in s.log
    assert files_under(workdir) == []
    assert list(workdir.iterdir()) == []


def test_declining_the_summary_writes_nothing(workdir: Path, tiny_template: Path) -> None:
    s = Session(workdir, "--template", str(tiny_template), "--callout", "A:STREAM_V4")
    s.answer("Driver name", "")
    s.answer("Minimum Windows", "")
    s.answer("Write the project?", "n")
    assert s.finish() == 130
    assert "error: cancelled; nothing was written" in s.log
    assert list(workdir.iterdir()) == []


def test_end_of_input_ends_the_session_like_ctrl_c(workdir: Path) -> None:
    s = Session(workdir)
    s.child.expect_exact("Driver name")
    s.child.sendeof()
    assert s.finish() == 130
    assert "error: interrupted; nothing was written" in s.log
    assert list(workdir.iterdir()) == []


# --- never prompting --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [(["--no-input"], {}), ([], {"CI": "true"})],
    ids=["no-input", "ci"],
)
def test_terminal_without_prompts(
    workdir: Path, tiny_template: Path, args: list[str], env: dict[str, str]
) -> None:
    s = Session(workdir, *args, "--template", str(tiny_template), env=env)
    assert s.finish() == 0, s.log
    assert "Driver name" not in s.log
    spec = tomllib.loads((workdir / "WfpCallout" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert [c["name"] for c in spec["callouts"]] == ["ConnectV4", "ConnectV6"]


def test_piped_stdin_never_prompts(workdir: Path, tiny_template: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wfpgen", "new", "--template", str(tiny_template), "--json"],
        cwd=workdir,
        input="Typed\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k != "CI"},
    )
    assert done.returncode == 0, done.stderr
    assert "Driver name" not in done.stderr + done.stdout
    assert (workdir / "WfpCallout" / "README.md").is_file()


# --- the judges behind the questions -------------------------------------


@pytest.fixture(scope="module")
def catalog() -> Iterator[Catalog]:
    yield load_catalog()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("win10-1709", "win10-1709"),
        ("WIN10-1709", "win10-1709"),
        ("1709", "win10-1709"),
        ("Windows 11", "win11"),
        ("22h2", "win11-22h2"),
        ("win8.1", "win8.1"),
    ],
)
def test_min_os_answers(catalog: Catalog, typed: str, expected: str) -> None:
    assert interview.judge_min_os({}, typed, catalog).value == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("10", "'10' matches win10, win10-1511"),
        ("win12", "unknown Windows version 'win12'; did you mean win11"),
    ],
)
def test_min_os_refusals(catalog: Catalog, typed: str, reason: str) -> None:
    with pytest.raises(AnswerError) as caught:
        interview.judge_min_os({}, typed, catalog)
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ALE_AUTH_CONNECT_V4", "ALE_AUTH_CONNECT_V4"),
        ("fwpm_layer_ale_auth_connect_v4", "ALE_AUTH_CONNECT_V4"),
        ("auth connect v4", "ALE_AUTH_CONNECT_V4"),
        ("stream v6", "STREAM_V6"),
        ("stream discard v4", "STREAM_V4_DISCARD"),
        ("flow est v6", "ALE_FLOW_ESTABLISHED_V6"),
    ],
)
def test_layer_answers(catalog: Catalog, typed: str, expected: str) -> None:
    judged = interview.judge_layer({}, {"name": "A"}, typed, catalog)
    assert judged.value.name == expected


@pytest.mark.parametrize(
    ("raw", "typed", "reason"),
    [
        ({}, "STREM_V4", "unknown layer 'STREM_V4'; did you mean STREAM_V4"),
        ({}, "zzz", "unknown layer 'zzz'; type ? to list the layers"),
        ({}, "IKEEXT_V4", "IKEEXT_V4 is a user-mode layer"),
        ({}, "INBOUND_TRANSPORT_FAST", "reserved for Windows' own use"),
        (
            {"driver": {"min_os": "win10-1709"}},
            "outbound network connection policy v4",
            "OUTBOUND_NETWORK_CONNECTION_POLICY_V4 needs min_os win11-22h2 or later",
        ),
    ],
)
def test_layer_refusals(catalog: Catalog, raw: dict[str, object], typed: str, reason: str) -> None:
    with pytest.raises(AnswerError) as caught:
        interview.judge_layer(raw, {"name": "A"}, typed, catalog)
    assert reason in caught.value.reason


def test_flag_choices_follow_layer_and_windows(catalog: Catalog) -> None:
    stream = load_catalog().find_layer("STREAM_V4")
    assert stream is not None
    on_win7 = interview.flag_choices({"driver": {"min_os": "win7"}}, stream, catalog)
    assert [f.name for f in on_win7] == [
        "CONDITIONAL_ON_FLOW",
        "ALLOW_OFFLOAD",
        "ENABLE_COMMIT_ADD_NOTIFY",
        "ALLOW_MID_STREAM_INSPECTION",
    ]
    connect = load_catalog().find_layer("ALE_AUTH_CONNECT_V4")
    assert connect is not None
    names = [f.name for f in interview.flag_choices({}, connect, catalog)]
    assert "CONDITIONAL_ON_FLOW" not in names
    assert "ALLOW_RECLASSIFY" in names


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", ()),
        ("none", ()),
        ("conditional", ("CONDITIONAL_ON_FLOW",)),
        (
            "FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW, allow_offload",
            ("CONDITIONAL_ON_FLOW", "ALLOW_OFFLOAD"),
        ),
        ("1,4", ("CONDITIONAL_ON_FLOW", "ALLOW_MID_STREAM_INSPECTION")),
        ("CONDITIONAL_ON_FLOW ALLOW_OFFLOAD", ("CONDITIONAL_ON_FLOW", "ALLOW_OFFLOAD")),
    ],
)
def test_flag_answers(catalog: Catalog, typed: str, expected: tuple[str, ...]) -> None:
    draft = {"name": "A", "layer": "STREAM_V4"}
    assert interview.judge_flags({}, draft, typed, catalog).value == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("allow", "'allow' matches ALLOW_OFFLOAD, ALLOW_MID_STREAM_INSPECTION, ALLOW_RSC"),
        ("reclassify", "ALLOW_RECLASSIFY only matters at ALE layers, not STREAM_V4"),
        ("1,1", "CONDITIONAL_ON_FLOW is listed twice"),
        ("RESERVED1", "FWP_CALLOUT_FLAG_RESERVED1 is reserved for the system"),
        ("ALLOW_RECLASIFY", "did you mean ALLOW_RECLASSIFY?"),
    ],
)
def test_flag_refusals(catalog: Catalog, typed: str, reason: str) -> None:
    draft = {"name": "A", "layer": "STREAM_V4"}
    with pytest.raises(AnswerError) as caught:
        interview.judge_flags({}, draft, typed, catalog)
    assert reason in caught.value.reason


def test_guid_answers(catalog: Catalog) -> None:
    judged = interview.judge_guid(
        {}, {"name": "A"}, " {0D9C4B2E-1A2B-4C3D-8E9F-0A1B2C3D4E5F} ", catalog
    )
    assert judged.value == "0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    taken = interview.with_callout({}, {"name": "A", "layer": "STREAM_V4", "guid": judged.value})
    with pytest.raises(AnswerError, match=re.escape("already used by callouts[0].guid")):
        interview.judge_guid(taken, {"name": "B"}, judged.value.upper(), catalog)
    with pytest.raises(AnswerError, match="nil GUID"):
        interview.judge_guid({}, {"name": "A"}, "00000000-0000-0000-0000-000000000000", catalog)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", None),
        ("t", "terminating"),
        ("INSP", "inspection"),
        ("FWP_ACTION_CALLOUT_UNKNOWN", "unknown"),
    ],
)
def test_action_answers(typed: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(AnswerError, match="use one of terminating, inspection, unknown"):
            interview.judge_action(typed)
    else:
        assert interview.judge_action(typed).value == expected


def test_interview_result_goes_through_the_spec_pipeline(catalog: Catalog) -> None:
    from wfpgen.core.project import plan_project

    raw = interview.with_driver({}, name="Contoso", min_os="win8")
    raw = interview.with_callout(
        raw, {"name": "A", "layer": "STREAM_V4", "flags": ["CONDITIONAL_ON_FLOW"]}
    )
    plan = plan_project(raw, catalog)
    assert plan.resolution.spec.driver.architectures == ("x64",)
    assert [c.layer for c in plan.resolution.spec.callouts] == [
        "STREAM_V4",
        "ALE_FLOW_ESTABLISHED_V4",
    ]


def test_dry_run_shows_the_summary_and_asks_no_confirmation(
    workdir: Path, tiny_template: Path
) -> None:
    s = Session(workdir, "--dry-run", "--template", str(tiny_template), "--callout", "A:STREAM_V4")
    s.answer("Driver name", "Dry")
    s.answer("Minimum Windows", "")
    assert s.finish() == 0, s.log
    assert "Summary" in s.log
    assert "Write the project?" not in s.log
    assert "Would write 2 files (dry run, nothing written):" in s.log
    assert list(workdir.iterdir()) == []
