"""The [channel] table and callout behaviors outside validation: the interview, the
commands that turn the channel on and off or add a callout with a behavior, and
`wfpgen layers`. (The rules themselves are triggered in tests/test_rules.py.)"""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import RunCli
from tests.test_interactive import Session
from wfpgen import interview
from wfpgen.core.catalog import load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import spec_to_raw
from wfpgen.core.validation import behaviors_at
from wfpgen.errors import SpecError
from wfpgen.interview import AnswerError

CATALOG = load_catalog()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def tiny_template(tmp_path: Path) -> Path:
    """A minimal cookiecutter template: the interview is what is tested here."""
    root = tmp_path / "tiny"
    project = root / "{{cookiecutter.project_slug}}"
    project.mkdir(parents=True)
    (root / "cookiecutter.json").write_text('{"project_slug": "x"}\n', encoding="utf-8")
    (project / "README.md").write_text("# {{cookiecutter.project_slug}}\n", encoding="utf-8")
    return root


def _raw(**channel: object) -> dict[str, object]:
    raw: dict[str, object] = {"driver": {"name": "Contoso", "min_os": "win10-2004"}, "callouts": []}
    if channel:
        raw["channel"] = dict(channel)
    return raw


# --- which layer allows what ------------------------------------------------


def test_behaviors_per_layer() -> None:
    allowed = {layer.name: behaviors_at(layer) for layer in CATALOG.kernel_layers()}
    asks = sorted(name for name, b in allowed.items() if "ask" in b)
    reinjects = sorted(name for name, b in allowed.items() if "reinject" in b)
    assert asks == [
        "ALE_AUTH_CONNECT_V4",
        "ALE_AUTH_CONNECT_V6",
        "ALE_AUTH_RECV_ACCEPT_V4",
        "ALE_AUTH_RECV_ACCEPT_V6",
    ]
    assert reinjects == sorted(
        f"{kind}_{family}"
        for kind in (
            "INBOUND_TRANSPORT",
            "OUTBOUND_TRANSPORT",
            "DATAGRAM_DATA",
            "INBOUND_IPPACKET",
            "OUTBOUND_IPPACKET",
        )
        for family in ("V4", "V6")
    )
    assert all(b[0] == "decide" for b in allowed.values())


def test_behavior_is_canonical_once_resolved() -> None:
    raw = _raw(enabled=True)
    raw["callouts"] = [{"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4", "behavior": " Ask"}]
    spec = plan_project(raw, CATALOG, lambda: "0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f")
    assert spec.resolution.spec.callouts[0].behavior == "ask"


@pytest.mark.parametrize(
    ("callout", "channel", "message"),
    [
        ({"behavior": "asks"}, {}, "unknown behavior 'asks'; did you mean ask?"),
        ({"behavior": "ask"}, {}, "add `[channel] enabled = true` to the spec"),
        (
            {"layer": "ALE_RESOURCE_ASSIGNMENT_V4", "behavior": "ask"},
            {"enabled": True},
            "ALE_RESOURCE_ASSIGNMENT_V4 cannot ask user mode",
        ),
        (
            {"layer": "ALE_AUTH_CONNECT_V4_DISCARD", "behavior": "ask", "action": "terminating"},
            {"enabled": True},
            "ALE_AUTH_CONNECT_V4_DISCARD cannot ask user mode",
        ),
        (
            {"layer": "INBOUND_MAC_FRAME_ETHERNET", "behavior": "reinject"},
            {},
            "INBOUND_MAC_FRAME_ETHERNET cannot reinject",
        ),
        ({"behavior": "reinject"}, {}, "ALE_AUTH_CONNECT_V4 cannot reinject"),
    ],
)
def test_refusals_say_why(
    callout: dict[str, object], channel: dict[str, object], message: str
) -> None:
    raw = _raw(**channel)
    raw["callouts"] = [{"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4", **callout}]
    with pytest.raises(SpecError) as err:
        plan_project(raw, CATALOG)
    assert message in "\n".join(str(p) for p in err.value.problems)


def test_channel_keys_while_off_warn_once_each() -> None:
    raw = _raw(events=False, app=True)
    raw["callouts"] = [{"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}]
    plan = plan_project(raw, CATALOG)
    assert [str(w) for w in plan.warnings] == [
        "W408 channel: channel.app, channel.events have no effect while the channel is off; "
        "add enabled = true to [channel] to turn it on"
    ]
    raw["channel"] = {"enabled": False}
    assert not plan_project(raw, CATALOG).warnings


# --- the interview's judges -------------------------------------------------


def test_judge_behavior() -> None:
    raw = _raw(enabled=True)
    connect = {"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}
    assert interview.judge_behavior(raw, connect, "ASK", CATALOG).value == "ask"
    assert interview.judge_behavior(raw, connect, "d", CATALOG).value == "decide"
    with pytest.raises(AnswerError, match="ALE_AUTH_CONNECT_V4 cannot reinject"):
        interview.judge_behavior(raw, connect, "re", CATALOG)
    with pytest.raises(AnswerError, match="unknown behavior 'maybe'"):
        interview.judge_behavior(raw, connect, "maybe", CATALOG)
    with pytest.raises(AnswerError, match=r"\[channel\] enabled = true"):
        interview.judge_behavior(_raw(), connect, "ask", CATALOG)
    transport = {"name": "Out", "layer": "OUTBOUND_TRANSPORT_V4", "behavior": "reinject"}
    with pytest.raises(AnswerError, match="inspection filter cannot"):
        interview.judge_callout_action(raw, transport, "inspection", CATALOG)
    assert interview.judge_callout_action(raw, transport, "term", CATALOG).value == "terminating"


def test_needs_channel() -> None:
    raw = _raw()
    assert not interview.needs_channel(raw)
    raw["callouts"] = [{"name": "C", "layer": "ALE_AUTH_CONNECT_V4", "behavior": "Ask"}]
    assert interview.needs_channel(raw)


# --- the interview in a terminal ----------------------------------------------


def test_session_asks_behaviors_and_the_channel(workdir: Path, tiny_template: Path) -> None:
    s = Session(
        workdir, "--name", "Asker", "--min-os", "win10-2004", "--template", str(tiny_template)
    )
    s.answer("Callout name (Callout1)", "Connect")
    s.answer("Layer (? lists them)", "ALE_AUTH_CONNECT_V4")
    s.answer("Flags", "")
    s.answer("GUID", "")
    s.child.expect_exact("pend the connection and ask user mode")
    s.answer("Behavior [decide/ask] (decide)", "reinject")
    s.rejected("ALE_AUTH_CONNECT_V4 cannot reinject")
    s.answer("Behavior [decide/ask] (decide)", "ask")
    s.answer("Filter action", "inspection")
    s.rejected("ask returns FWP_ACTION_BLOCK")
    s.answer("Filter action", "")
    s.answer("Add another callout?", "y")
    s.answer("Callout name (Callout2)", "Out")
    s.answer("Layer (? lists them)", "OUTBOUND_TRANSPORT_V4")
    s.answer("Flags", "")
    s.answer("GUID", "")
    s.answer("Behavior [decide/reinject] (decide)", "re")
    s.child.expect_exact("taken as reinject")
    s.answer("Filter action", "")
    s.answer("Add another callout?", "y")
    s.answer("Callout name (Callout3)", "Flow")
    s.answer("Layer (? lists them)", "ALE_FLOW_ESTABLISHED_V4")
    s.answer("Flags", "")
    s.answer("GUID", "")
    s.answer("Filter action", "")  # no behavior question: the layer only decides
    s.answer("Add another callout?", "n")
    s.child.expect_exact("the control channel is on: ask callouts reach user mode through it")
    s.answer("Report connection events to user mode? [y/n] (y)", "n")
    s.answer("Generate the companion program (app/)? [y/n] (y)", "")
    s.child.expect_exact("Summary")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    assert "Behavior [decide" not in s.log.split("Callout 3", 1)[1]
    assert "behavior: ask" in s.log.split("Summary", 1)[1]
    spec = tomllib.loads((workdir / "Asker" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert spec["channel"] == {
        "enabled": True,
        "events": False,
        "app": True,
        "ring": 256,
        "ask_timeout": 5,
    }
    behaviors = {c["name"]: c.get("behavior", "decide") for c in spec["callouts"]}
    assert behaviors == {"Connect": "ask", "Out": "reinject", "Flow": "decide"}


def test_session_offers_the_channel(workdir: Path, tiny_template: Path) -> None:
    s = Session(
        workdir, "--name", "Plain", "--min-os", "win10-2004", "--template", str(tiny_template)
    )
    s.answer("Callout name (Callout1)", "Flow")
    s.answer("Layer (? lists them)", "ALE_FLOW_ESTABLISHED_V6")
    s.answer("Flags", "")
    s.answer("GUID", "")
    s.answer("Filter action", "")
    s.answer("Add another callout?", "n")
    s.answer("Control channel to user mode (admin-only device, statistics, events)? [y/n] (n)", "")
    s.child.expect_exact("Summary")
    s.answer("Write the project?", "y")
    assert s.finish() == 0, s.log
    spec = tomllib.loads((workdir / "Plain" / "wfpgen.toml").read_text(encoding="utf-8"))
    assert "channel" not in spec


# --- add channel / remove channel / add callout --behavior -------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(run_cli: RunCli, tmp_path: Path) -> Path:
    """A generated project in a git repository, with a user's edit in classify.c committed."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    result = run_cli("new", "--no-input", "--name", "Drv", repo / "Drv")
    assert result.exit_code == 0, result.output
    classify = repo / "Drv" / "driver" / "classify.c"
    classify.write_bytes(b"// the user's own line\r\n" + classify.read_bytes())
    _commit(repo)
    return repo / "Drv"


def _commit(repo: Path) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "work")


def _spec(project: Path) -> dict[str, Any]:
    return tomllib.loads((project / "wfpgen.toml").read_text(encoding="utf-8"))


def _user_line_kept(project: Path) -> bool:
    return (project / "driver" / "classify.c").read_bytes().startswith(b"// the user's own line")


def test_add_and_remove_the_channel_keep_user_code(run_cli: RunCli, project: Path) -> None:
    header = project / "include" / "Drv_ioctl.h"
    result = run_cli("add", "channel", "--ring", "128", "--no-app", "--project", project)
    assert result.exit_code == 0, result.output
    assert _spec(project)["channel"] == {
        "enabled": True,
        "events": True,
        "app": False,
        "ring": 128,
        "ask_timeout": 5,
    }
    assert header.is_file() and _user_line_kept(project)
    _commit(project.parent)

    # A second add changes only what it names.
    result = run_cli("add", "channel", "--ask-timeout", "30", "--project", project)
    assert result.exit_code == 0, result.output
    assert _spec(project)["channel"]["ring"] == 128
    assert _spec(project)["channel"]["ask_timeout"] == 30
    _commit(project.parent)

    result = run_cli("remove", "channel", "--project", project)
    assert result.exit_code == 0, result.output
    assert "channel" not in _spec(project)
    assert not header.exists() and _user_line_kept(project)


def test_add_channel_values_are_validated(run_cli: RunCli, project: Path) -> None:
    before = (project / "wfpgen.toml").read_bytes()
    result = run_cli("add", "channel", "--ring", "8", "--project", project)
    assert result.exit_code == 2
    assert "E150 channel.ring: 8 events; use 16 to 65536" in result.stderr
    assert (project / "wfpgen.toml").read_bytes() == before


def test_add_callout_with_a_behavior(run_cli: RunCli, project: Path) -> None:
    ask = ("add", "callout", "Ask:ALE_AUTH_CONNECT_V4", "--behavior", "ask", "--no-input")
    result = run_cli(*ask, "--project", project)
    assert result.exit_code == 2
    assert "E153 callouts[2].behavior:" in result.stderr
    assert "[channel] enabled = true" in result.stderr

    assert run_cli("add", "channel", "--project", project).exit_code == 0
    _commit(project.parent)
    result = run_cli(*ask, "--project", project, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["command"] == "add callout"
    _commit(project.parent)
    callouts = {c["name"]: c for c in _spec(project)["callouts"]}
    assert callouts["Ask"]["behavior"] == "ask"
    assert "behavior" not in callouts["ConnectV4"]  # decide is the default, not written

    result = run_cli(
        "add", "callout", "Out:STREAM_V4", "--behavior", "reinject", "--no-input", "-p", project
    )
    assert result.exit_code == 2
    assert "E232 callouts[3].behavior: STREAM_V4 cannot reinject" in result.stderr

    # The channel stays while a callout asks through it.
    result = run_cli("remove", "channel", "--project", project, "--json")
    assert result.exit_code == 2
    document = json.loads(result.stdout)
    assert document["command"] == "remove channel"
    assert [p["code"] for p in document["problems"]] == ["E153"]
    assert run_cli("remove", "callout", "Ask", "--project", project).exit_code == 0
    _commit(project.parent)
    assert run_cli("remove", "channel", "--project", project).exit_code == 0
    assert _user_line_kept(project)


# --- wfpgen layers LAYER -----------------------------------------------------


@pytest.mark.parametrize(
    ("layer", "behaviors"),
    [
        ("ALE_AUTH_RECV_ACCEPT_V6", ["decide", "ask"]),
        ("INBOUND_IPPACKET_V4", ["decide", "reinject"]),
        ("INBOUND_IPPACKET_V4_DISCARD", ["decide"]),
        ("STREAM_V4", ["decide"]),
    ],
)
def test_layers_shows_the_behaviors(run_cli: RunCli, layer: str, behaviors: list[str]) -> None:
    result = run_cli("layers", layer, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["layer"]["behaviors"] == behaviors
    shown = run_cli("layers", layer).stdout
    assert "behaviors" in shown
    assert all(f"{b}: " in shown for b in behaviors)
    assert "reinject: " not in shown or "reinject" in behaviors


def test_validate_and_schema_know_the_keys(run_cli: RunCli, tmp_path: Path) -> None:
    schema = json.loads(run_cli("schema").stdout)
    channel = schema["properties"]["channel"]["properties"]
    assert set(channel) == {"enabled", "events", "app", "ring", "ask_timeout"}
    assert channel["enabled"]["default"] is False
    behavior = schema["properties"]["callouts"]["items"]["properties"]["behavior"]
    assert behavior["enum"] == ["decide", "ask", "reinject"]
    spec = tmp_path / "spec.toml"
    spec.write_text(
        '[[callouts]]\nname = "C"\nlayer = "ALE_AUTH_CONNECT_V4"\nbehavior = "ask"\n'
        "[channel]\nenabled = true\nask_timeout = 301\n",
        encoding="utf-8",
    )
    result = run_cli("validate", spec, "--json")
    assert result.exit_code == 2
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["E151"]


def test_a_channel_that_is_off_keeps_only_the_keys_it_changed() -> None:
    raw = _raw(ring=128)
    raw["callouts"] = [{"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}]
    plan = plan_project(raw, CATALOG)
    written = spec_to_raw(plan.resolution.spec, version="0")
    assert written["channel"] == {"enabled": False, "ring": 128}
    again = plan_project(written, CATALOG)
    assert [w.message for w in again.warnings] == [
        "channel.ring has no effect while the channel is off; "
        "add enabled = true to [channel] to turn it on"
    ]


def test_behavior_completion_offers_what_the_layer_allows() -> None:
    def complete(words: str) -> list[str]:
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        env |= {
            "_WFPGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1 + words.endswith(" ")),
        }
        done = subprocess.run(
            [sys.executable, "-m", "wfpgen"], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("wfpgen add callout C:OUTBOUND_TRANSPORT_V4 --behavior ") == [
        "decide",
        "reinject",
    ]
    assert complete("wfpgen add callout --behavior a") == ["ask"]
