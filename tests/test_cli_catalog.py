"""`wfpgen layers`, `wfpgen flags`, help texts, shell completion and import cost."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen.core.catalog import load_catalog

WFPGEN = Path(sys.executable).with_name("wfpgen")


# --- layers ---------------------------------------------------------------


def test_layers_lists_every_kernel_layer_with_its_facts(run_cli: RunCli) -> None:
    result = run_cli("layers")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("layer"))
    for column in ("family", "flow contexts", "layerData", "since"):
        assert column in header
    rows = {line.split()[0]: line.split() for line in lines if line.startswith(" ") and "_" in line}
    kernel = [layer.name for layer in load_catalog().kernel_layers()]
    assert sorted(rows) == sorted(kernel)
    assert rows["STREAM_V4"][1:4] == ["v4", "yes", "FWPS_STREAM_CALLOUT_IO_PACKET0"]
    assert rows["ALE_FLOW_ESTABLISHED_V6"][1:3] == ["v6", "associates"]
    assert rows["ALE_FLOW_ESTABLISHED_V6_DISCARD"][1:3] == ["v6", "no"]
    assert rows["INBOUND_MAC_FRAME_ETHERNET"][1:3] == ["l2", "no"]
    assert "IKEEXT_V4" not in rows  # user mode
    assert "INBOUND_TRANSPORT_FAST" not in rows  # reserved


def test_layers_filters_by_text_and_windows(run_cli: RunCli) -> None:
    result = run_cli("layers", "--json", "auth connect")
    assert result.exit_code == 0, result.stderr
    names = [row["name"] for row in json.loads(result.stdout)["layers"]]
    assert names == [
        "ALE_AUTH_CONNECT_V4",
        "ALE_AUTH_CONNECT_V4_DISCARD",
        "ALE_AUTH_CONNECT_V6",
        "ALE_AUTH_CONNECT_V6_DISCARD",
    ]
    on_win8 = json.loads(run_cli("layers", "--json", "--min-os", "win8", "mac frame").stdout)
    assert [row["name"] for row in on_win8["layers"]] == [
        "INBOUND_MAC_FRAME_ETHERNET",
        "OUTBOUND_MAC_FRAME_ETHERNET",
        "INBOUND_MAC_FRAME_NATIVE",
        "OUTBOUND_MAC_FRAME_NATIVE",
    ]


def test_layers_without_a_match_is_an_error(run_cli: RunCli) -> None:
    result = run_cli("layers", "--min-os", "win7", "mac frame")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: layers: no kernel layer matches 'mac frame'; try fewer words\n"
    typo = run_cli("layers", "STREM_V4")
    assert typo.exit_code == 2
    assert "did you mean STREAM_V4 or STREAM_V6?" in typo.stderr


def test_layers_name_shows_the_fields(run_cli: RunCli) -> None:
    result = run_cli("layers", "fwpm_layer_stream_v4")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("STREAM_V4\n")
    assert "FWPS_LAYER_STREAM_V4" in out
    assert "FWPM_LAYER_STREAM_V4" in out
    assert "FWPS_STREAM_CALLOUT_IO_PACKET0" in out
    layer = load_catalog().find_layer("STREAM_V4")
    assert layer is not None
    for number, field in enumerate(layer.fields):
        assert re.search(rf"^ +{number} +FWPS_FIELD_STREAM_V4_{field.name} +win", out, re.M)
    assert re.search(r"FWPS_FIELD_STREAM_V4_COMPARTMENT_ID +win10-1703\n", out)


def test_layers_name_json(run_cli: RunCli) -> None:
    detail = json.loads(run_cli("layers", "--json", "ALE_AUTH_CONNECT_V4").stdout)["layer"]
    assert detail["name"] == "ALE_AUTH_CONNECT_V4"
    assert detail["flow_contexts"] is False and detail["associates_flow_contexts"] is False
    assert detail["fwps_constant"] == "FWPS_LAYER_ALE_AUTH_CONNECT_V4"
    assert detail["fields"][0] == {
        "name": "ALE_APP_ID",
        "constant": "FWPS_FIELD_ALE_AUTH_CONNECT_V4_ALE_APP_ID",
        "since": "win7",
    }
    assert "ALLOW_RECLASSIFY" in detail["flags"]
    assert "CONDITIONAL_ON_FLOW" not in detail["flags"]
    assert detail["purpose"] == "filter"


@pytest.mark.parametrize(
    ("layer", "purpose"),
    [("IPFORWARD_V6_DISCARD", "discard"), ("ALE_RESOURCE_RELEASE_V4", "informational")],
)
def test_layers_name_says_what_the_layer_is_for(run_cli: RunCli, layer: str, purpose: str) -> None:
    assert json.loads(run_cli("layers", "--json", layer).stdout)["layer"]["purpose"] == purpose
    assert f"purpose           {purpose}:" in run_cli("layers", layer).stdout


def test_user_mode_layer_is_described_with_a_warning(run_cli: RunCli) -> None:
    result = run_cli("layers", "IKEEXT_V4")
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: IKEEXT_V4: kernel callouts cannot be registered at this layer\n"
    )


def test_bad_min_os_option(run_cli: RunCli) -> None:
    result = run_cli("layers", "--min-os", "win12")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --min-os: unknown Windows version 'win12'; did you mean"
    )


# --- flags ----------------------------------------------------------------


def test_flags_lists_settable_flags_with_meaning_windows_and_scope(run_cli: RunCli) -> None:
    result = run_cli("flags")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert (
        "CONDITIONAL_ON_FLOW  0x0001  since win7  applies to flow-context layers\n"
        "    Only invoke classifyFn for flows that carry a context from this callout.\n"
    ) in out
    assert "ALLOW_URO  0x0200  since win10-2004  applies to inbound UDP" in out
    assert "RESERVED1" not in out
    assert "RESERVED1 (reserved)" in run_cli("flags", "--all").stdout


def test_flags_for_a_layer_and_windows(run_cli: RunCli) -> None:
    rows = json.loads(
        run_cli("flags", "--json", "--layer", "stream_v4", "--min-os", "win7").stdout
    )["flags"]
    assert [row["name"] for row in rows] == [
        "CONDITIONAL_ON_FLOW",
        "ALLOW_OFFLOAD",
        "ENABLE_COMMIT_ADD_NOTIFY",
        "ALLOW_MID_STREAM_INSPECTION",
    ]
    assert rows[0] == {
        "name": "CONDITIONAL_ON_FLOW",
        "constant": "FWP_CALLOUT_FLAG_CONDITIONAL_ON_FLOW",
        "value": "0x0001",
        "since": "win7",
        "applies_to": "flow-context layers",
        "settable": True,
        "summary": "Only invoke classifyFn for flows that carry a context from this callout.",
    }
    bad = run_cli("flags", "--layer", "IKEEXT_V4")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: --layer: no kernel layer 'IKEEXT_V4'")


# --- help -----------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["new"], ["layers"], ["flags"], ["validate"], ["schema"]])
def test_every_command_has_help_with_examples(run_cli: RunCli, command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"wfpgen {command[0] if command else 'new'}" in result.stdout


# --- completion -----------------------------------------------------------


def _complete(shell: str, words: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["_WFPGEN_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env |= {"COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": words, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    done = subprocess.run([WFPGEN], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_completes_layer_names() -> None:
    assert _complete("bash", "wfpgen layers STREAM_").split() == [
        "STREAM_V4",
        "STREAM_V4_DISCARD",
        "STREAM_V6",
        "STREAM_V6_DISCARD",
        "STREAM_PACKET_V4",
        "STREAM_PACKET_V6",
    ]
    fish = _complete("fish", "wfpgen flags --layer stream_v")
    assert fish.splitlines()[0] == (
        "stream_v4\tThe reassembled TCP byte stream of each connection, both di…"
    )


def test_completes_min_os() -> None:
    assert _complete("bash", "wfpgen new --min-os win11").split() == ["win11", "win11-22h2"]


def test_completes_callout_layers_then_flags_that_fit() -> None:
    layers = _complete("fish", "wfpgen new --callout Conn:ALE_AUTH_CONNECT_V")
    assert [line.split("\t")[0] for line in layers.splitlines()] == [
        "Conn:ALE_AUTH_CONNECT_V4",
        "Conn:ALE_AUTH_CONNECT_V4_DISCARD",
        "Conn:ALE_AUTH_CONNECT_V6",
        "Conn:ALE_AUTH_CONNECT_V6_DISCARD",
    ]
    flags = _complete(
        "fish", "wfpgen new --min-os win7 --callout S:STREAM_V4:CONDITIONAL_ON_FLOW,ALLOW_"
    )
    # ALLOW_RSC needs Windows 8; ALLOW_RECLASSIFY is for ALE layers.
    assert [line.split("\t")[0] for line in flags.splitlines()] == [
        "S:STREAM_V4:CONDITIONAL_ON_FLOW,ALLOW_OFFLOAD",
        "S:STREAM_V4:CONDITIONAL_ON_FLOW,ALLOW_MID_STREAM_INSPECTION",
    ]


# --- import cost ----------------------------------------------------------

_HEAVY = [
    "cookiecutter",
    "jinja2",
    "wfpgen.interview",
    "wfpgen.templating.render",
    "wfpgen.lifecycle.generate",
    "importlib.metadata",
    "pydantic",
]
_PROBE = """
import json, os, runpy, sys
sys.argv = ["wfpgen", *json.loads(sys.argv[1])]
try:
    runpy.run_module("wfpgen", run_name="__main__")
except SystemExit as exit:
    code = exit.code
heavy = set(json.loads(os.environ["PROBE_HEAVY"]))
loaded = sorted(m for m in sys.modules if m in heavy or m.split(".")[0] in heavy)
print("PROBE " + json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def _probe(args: list[str], cwd: Path | None = None, **env: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**os.environ, "PROBE_HEAVY": json.dumps(_HEAVY), **env},
    )
    result: dict[str, object] = json.loads(done.stderr.rsplit("PROBE ", 1)[1])
    return result


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["layers"],
        ["layers", "STREAM_V4"],
        ["flags"],
        ["schema"],
        ["new", "--help"],
        ["validate", "--help"],
        ["explain", "E211"],
    ],
)
def test_light_commands_import_only_what_they_need(args: list[str]) -> None:
    """No renderer, Jinja, cookiecutter, interview, or importlib.metadata scan."""
    assert _probe(args) == {"code": 0, "loaded": []}


def test_validate_imports_no_renderer(tmp_path: Path) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text('[[callouts]]\nname = "A"\nlayer = "ALE_AUTH_CONNECT_V4"\n')
    assert _probe(["validate", str(spec)]) == {"code": 0, "loaded": []}


@pytest.mark.parametrize(
    "words", ["wfpgen layers STREAM_", "wfpgen new --callout S:STREAM_V4:CONDITIONAL_ON_FLOW,A"]
)
def test_completion_imports_only_the_catalog(words: str) -> None:
    """TAB completion answers from the catalog: no renderer, no UI, no interview."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from wfpgen.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('LOADED', sorted(m for m in sys.modules if m.startswith(('wfpgen', 'rich.'))),"
            " file=sys.stderr)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "_WFPGEN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        },
    )
    assert done.stdout.strip(), done.stderr
    loaded = done.stderr.rsplit("LOADED ", 1)[1]
    # Typer loads Rich for its own use; wfpgen adds none of its heavy modules.
    for module in [
        "wfpgen.ui",
        "wfpgen.interview",
        "wfpgen.templating.render",
        "wfpgen.core.reference",
    ]:
        assert f"'{module}'" not in loaded, loaded
    # A TAB press skips the guard and the signal handling it never needs.
    for module in ["wfpgen.cli.guard", "wfpgen.lifecycle.interrupts"]:
        assert f"'{module}'" not in loaded, loaded
    # Only the module of the command being completed is imported.
    completed = {"layers": "wfpgen.cli.lookup", "new": "wfpgen.cli.new"}[words.split()[1]]
    for module in [
        "wfpgen.cli.lookup",
        "wfpgen.cli.new",
        "wfpgen.cli.update",
        "wfpgen.cli.template",
    ]:
        assert (f"'{module}'" in loaded) == (module == completed), loaded


def test_the_probe_sees_the_renderer_when_new_renders(tmp_path: Path) -> None:
    probe = _probe(["new", "--no-input", "--dry-run"], cwd=tmp_path)
    loaded = probe["loaded"]
    assert isinstance(loaded, list)
    assert {"jinja2", "wfpgen.lifecycle.generate", "wfpgen.templating.render"} <= set(loaded)
    # Local templates render with Jinja alone: cookiecutter is not imported.
    assert not [m for m in loaded if m.startswith("cookiecutter")]
    # Nobody is asked anything: the interview stays unloaded.
    assert "wfpgen.interview" not in loaded
