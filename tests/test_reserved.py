"""Names and keys wfpgen keeps for Windows and for the C code, and the data behind them."""

import subprocess
import sys
from pathlib import Path

import pytest

from wfpgen.core.catalog import load_catalog
from wfpgen.core.reserved import c_names, file_name_problem, is_device_name, windows_names
from wfpgen.core.spec import parse_spec
from wfpgen.core.validation import validate_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("tool", ["build_c_names.py", "build_windows_names.py"])
def test_the_data_files_are_current(tool: str) -> None:
    """The reserved C names follow the templates and stub headers; rerun the tool after changes."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / tool), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_the_c_spellings_are_derived_from_the_template() -> None:
    names = c_names()
    assert "CALLOUT_INDEX" in names.spelled("callout", "Index")
    assert "FWPS_INCOMING_VALUES" in names.spelled("callout", "FwpsIncoming")
    assert "ConnectClassify" in names.spelled("callout", "Connect")
    assert names.taken["CALLOUT_INDEX"] == "the generated code"
    assert names.taken["FWPS_INCOMING_VALUES"].startswith("the WDK")


def test_windows_data_names_its_sources() -> None:
    data = windows_names()
    for name in ("tcpip", "afd", "netio", "ndis", "http", "wfplwfs", "mpsdrv", "bfe", "fwpkclnt"):
        assert name in data.services, name
    assert data.guids["eebecc03-ced4-4380-819a-2734397b2b74"] == "FWPM_SUBLAYER_UNIVERSAL"


@pytest.mark.parametrize(
    "name", ["CON", "con", "Prn", "AUX", "nul", "COM1", "com9", "LPT1", "COM\u00b9", "LPT\u00b3"]
)
def test_device_names_in_any_case(name: str) -> None:
    assert is_device_name(name)
    assert is_device_name(name + ".txt")
    assert "reserved device name" in file_name_problem(name)


@pytest.mark.parametrize("name", ["CONSOLE", "Connect", "COM10", "LPT", "nulls", "Contoso"])
def test_ordinary_names_are_not_devices(name: str) -> None:
    assert not is_device_name(name)
    assert file_name_problem(name) == ""


def problems_of(raw: dict[str, object]) -> list[str]:
    findings = validate_spec(parse_spec(raw), load_catalog())
    return [str(p) for p in findings.problems]


CALLOUT = {"name": "Connect", "layer": "ALE_AUTH_CONNECT_V4"}


def test_every_refusal_says_what_to_do_instead() -> None:
    cases = {
        "tcpip": "choose a name of your own",
        "CON": "choose another name",
    }
    for name, advice in cases.items():
        (message,) = problems_of({"driver": {"name": name}, "callouts": [CALLOUT]})
        assert advice in message, message
    (message,) = problems_of({"callouts": [{**CALLOUT, "name": "Index"}]})
    assert message == (
        "E310 callouts[0].name: 'Index' becomes CALLOUT_INDEX in C, a name the generated code "
        "defines; choose another name"
    )
    (message,) = problems_of({"callouts": [{**CALLOUT, "name": "FwpsIncoming"}]})
    assert "FWPS_INCOMING_VALUES in C, a name the WDK (fwpsk.h) defines" in message
    (message,) = problems_of({"driver": {"version": "\u0661.\u0662"}, "callouts": [CALLOUT]})
    assert message.startswith("E120 driver.version: expected 1 to 4 numbers")
    (message,) = problems_of({"driver": {"description": "on $ARCH$"}, "callouts": [CALLOUT]})
    assert "contains $ARCH$, which the INF tools replace" in message
    guid = "{0d9c4b2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    (message,) = problems_of({"provider": {"guid": guid}, "callouts": [CALLOUT]})
    assert "unbalanced braces; write the GUID with both { and } or with neither" in message
    (message,) = problems_of({"callouts": [{**CALLOUT, "layer": ""}]})
    assert message.startswith("E210 callouts[0].layer: empty; name a filtering layer")


def test_windows_own_keys_are_warned_about_when_the_driver_adds_no_objects() -> None:
    raw = {
        "driver": {"filters": "none"},
        "sublayer": {"guid": "EEBECC03-CED4-4380-819A-2734397B2B74"},
        "callouts": [CALLOUT],
    }
    findings = validate_spec(parse_spec(raw), load_catalog())
    assert findings.problems == ()
    (warning,) = findings.warnings
    assert "FWPM_SUBLAYER_UNIVERSAL, a key Windows registers itself" in str(warning)


@pytest.mark.parametrize(
    ("where", "guid", "name"),
    [
        ("sublayer", "EEBECC03-CED4-4380-819A-2734397B2B74", "FWPM_SUBLAYER_UNIVERSAL"),
        ("provider", "{4B153735-1049-4480-AAB4-D1B9BDC03710}", "FWPM_PROVIDER_MPSSVC_WSH"),
    ],
)
def test_windows_own_provider_or_sublayer_is_refused_when_the_driver_adds_it(
    where: str, guid: str, name: str
) -> None:
    """With filters = "dynamic" the driver adds them, and the add fails on every load."""
    (message,) = problems_of({where: {"guid": guid}, "callouts": [CALLOUT]})
    assert message.startswith(f"E324 {where}.guid: {guid.strip('{}').lower()} is {name}, ")
    assert "cannot add it" in message and f"leave {where}.guid out" in message
