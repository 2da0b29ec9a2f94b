"""The generated project files hang together: solution, project, filters, INF, sources, GUIDs."""

import configparser
import re
import tomllib
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
PROJECTS = sorted(p / "expected" for p in GOLDEN.iterdir() if (p / "expected").is_dir())
MSBUILD = "{http://schemas.microsoft.com/developer/msbuild/2003}"
VS_CPP_PROJECT_TYPE = "8BC9CEB8-8B4A-11D0-8D11-00A0C91BC942"
WFP_CALLOUTS_CLASS = "{57465043-616C-6C6F-7574-5F636C617373}"


def answers(project: Path) -> dict:
    return tomllib.loads((project / "wfpgen.toml").read_text())


def vcxproj(project: Path) -> ET.Element:
    (path,) = (project / "driver").glob("*.vcxproj")
    return ET.parse(path).getroot()


def items(root: ET.Element, kind: str) -> set[str]:
    return {e.attrib["Include"] for e in root.iter(f"{MSBUILD}{kind}") if "Include" in e.attrib}


def inf(project: Path) -> configparser.ConfigParser:
    (path,) = (project / "driver").glob("*.inx")
    parser = configparser.ConfigParser(
        allow_no_value=True,
        strict=False,
        interpolation=None,
        inline_comment_prefixes=(";",),
        comment_prefixes=(";",),
        delimiters=("=",),
    )
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(path.read_text(encoding="ascii"))
    return parser


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_project_lists_exactly_the_driver_sources(project: Path) -> None:
    root = vcxproj(project)
    driver = project / "driver"
    listed = items(root, "ClCompile") | items(root, "ClInclude")
    # The channel's shared header lives in include/, next to driver/.
    shared = {name for name in listed if name.startswith("..\\")}
    on_disk = {p.name for p in driver.iterdir() if p.suffix in (".c", ".h")}
    assert listed - shared == on_disk
    for name in shared:
        assert (driver / name.replace("\\", "/")).is_file(), name
    for kind in ("ResourceCompile", "Inf"):
        for name in items(root, kind):
            assert (driver / name).is_file(), name
    filters = ET.parse(next(driver.glob("*.vcxproj.filters"))).getroot()
    for kind in ("ClCompile", "ClInclude", "ResourceCompile", "Inf"):
        assert items(filters, kind) == items(root, kind), kind


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_solution_and_project_agree(project: Path) -> None:
    spec = answers(project)
    name = spec["driver"]["name"]
    root = vcxproj(project)
    project_guid = next(root.iter(f"{MSBUILD}ProjectGuid")).text
    solution = (project / f"{name}.sln").read_text()
    match = re.search(
        rf'Project\("\{{{VS_CPP_PROJECT_TYPE}\}}"\) = "{name}", "([^"]+)", "([^"]+)"', solution
    )
    assert match, solution
    assert (project / match.group(1).replace("\\", "/")).is_file()
    assert match.group(2) == project_guid
    configurations = {e.attrib["Include"] for e in root.iter(f"{MSBUILD}ProjectConfiguration")}
    # A solution's "x86" is a C++ project's "Win32".
    platforms = {a: {"x86": "Win32"}.get(a, a) for a in spec["driver"]["architectures"]}
    expected = {(c, sln, proj) for c in ("Debug", "Release") for sln, proj in platforms.items()}
    assert configurations == {f"{c}|{proj}" for c, _, proj in expected}
    for c, sln, proj in expected:
        assert f"\t\t{c}|{sln} = {c}|{sln}" in solution
        assert f"{project_guid}.{c}|{sln}.Build.0 = {c}|{proj}" in solution
    minor = next(root.iter(f"{MSBUILD}KMDF_VERSION_MINOR")).text
    assert f"1.{minor}" == spec["driver"]["kmdf_version"]
    assert next(root.iter(f"{MSBUILD}PlatformToolset")).text == "WindowsKernelModeDriver10.0"
    assert next(root.iter(f"{MSBUILD}DriverType")).text == "KMDF"
    assert next(root.iter(f"{MSBUILD}TreatWarningAsError")).text == "true"
    assert next(root.iter(f"{MSBUILD}WarningLevel")).text == "Level4"
    libraries = next(root.iter(f"{MSBUILD}AdditionalDependencies")).text or ""
    for library in ("fwpkclnt.lib", "ndis.lib", "wdmsec.lib", "uuid.lib"):
        assert library in libraries


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_inf_installs_the_driver_as_a_primitive_package(project: Path) -> None:
    name = answers(project)["driver"]["name"]
    parser = inf(project)
    version = parser["Version"]
    assert version["Class"] == "WFPCALLOUTS"
    assert version["ClassGuid"] == WFP_CALLOUTS_CLASS
    assert version["PnpLockdown"] == "1"
    assert version["CatalogFile"] == f"{name}.cat"
    assert "Manufacturer" not in parser
    assert "DefaultInstall" not in parser  # only architecture-decorated sections
    service_line = parser["DefaultInstall.NT$ARCH$.Services"]["AddService"]
    service_name, _, service_section = (part.strip() for part in service_line.split(","))
    assert service_name == name
    service = parser[service_section]
    assert service["ServiceType"] == "1"
    assert service["ServiceBinary"].endswith(f"\\{name}.sys")
    assert f"{name}.sys" in parser["SourceDisksFiles"]
    strings = parser["Strings"]
    text = (next((project / "driver").glob("*.inx"))).read_text()
    code = "\n".join(line.split(";", 1)[0] for line in text.splitlines())
    for token in set(re.findall(r"%([A-Za-z]\w*)%", code)):
        assert token in strings, f"%{token}% has no [Strings] entry"


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_guids_in_code_match_the_answers_file(project: Path) -> None:
    spec = answers(project)
    defined = {}
    guids_h = (project / "driver" / "guids.h").read_text()
    for symbol, fields in re.findall(r"DEFINE_GUID\((\w+),\s*([^)]*)\)", guids_h):
        numbers = [int(n, 16) for n in fields.split(",")]
        node = bytes(numbers[3:])
        value = uuid.UUID(
            fields=(
                numbers[0],
                numbers[1],
                numbers[2],
                node[0],
                node[1],
                int.from_bytes(node[2:], "big"),
            )
        )
        defined[symbol] = str(value)
    name = spec["driver"]["name"]
    expected = {
        f"{name}ProviderKey": spec["provider"]["guid"],
        f"{name}SublayerKey": spec["sublayer"]["guid"],
    } | {f"{c['name']}CalloutKey": c["guid"] for c in spec["callouts"]}
    assert defined == expected
    classify = (project / "driver" / "classify.c").read_text()
    callouts = (project / "driver" / "callouts.c").read_text()
    for callout in spec["callouts"]:
        assert f"\n{callout['name']}Classify(" in classify
        assert f"&{callout['name']}CalloutKey," in callouts


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_the_only_placeholders_are_the_user_logic_spots(project: Path) -> None:
    spec = answers(project)
    todos = []
    for path in sorted(project.rglob("*")):
        if path.is_file() and path.suffix != ".md":
            todos += [line.strip() for line in path.read_text().splitlines() if "TODO" in line]
    expected = [
        f"// TODO: Your inspection of {c['name']}'s packets ({c['layer']}) goes here."
        if c.get("behavior") == "reinject"
        else f"// TODO: What {c['name']} ({c['layer']}) decides without asking goes here."
        if c.get("behavior") == "ask"
        else f"// TODO: Your filtering logic for {c['name']} ({c['layer']}) goes here."
        for c in spec["callouts"]
    ]
    # A redirect callout also rewrites the request in its own function.
    expected += [
        f"// TODO: Rewrite the request for {c['name']} here."
        for c in spec["callouts"]
        if "_REDIRECT_" in c["layer"]
    ]
    assert sorted(todos) == sorted(expected)


def default_verdict(classify: str, action: str) -> str:
    """What the generated ClassifyDefaultVerdict returns for a filter of ``action``."""
    body = classify.split("\nClassifyDefaultVerdict(", 1)[1].split("\n}", 1)[0]
    match = re.search(r"filter->action\.type == (\w+)\) \? (\w+)\s*: (\w+);", body)
    assert match, body
    compared, if_equal, otherwise = match.groups()
    return if_equal if action == compared else otherwise


@pytest.mark.parametrize("project", PROJECTS, ids=lambda p: p.parent.name)
def test_a_callout_that_decides_nothing_is_neutral_where_it_may_be(project: Path) -> None:
    """FWPS_ACTION0: terminating filters must permit or block; inspection and
    unknown ones may continue, which leaves the decision to the next filter."""
    classify = (project / "driver" / "classify.c").read_text()
    verdicts = {
        action: default_verdict(classify, f"FWP_ACTION_CALLOUT_{action}")
        for action in ("TERMINATING", "INSPECTION", "UNKNOWN")
    }
    assert verdicts == {
        "TERMINATING": "FWP_ACTION_PERMIT",
        "INSPECTION": "FWP_ACTION_CONTINUE",
        "UNKNOWN": "FWP_ACTION_CONTINUE",
    }


def test_every_connect_redirect_carries_the_redirect_handle() -> None:
    """REDIRECTED_BY_SELF needs redirect records made with the driver's handle, so the
    loop guard works only if every redirect sets localRedirectHandle, not just local ones."""
    classify = (GOLDEN / "win11-redirect" / "expected" / "driver" / "classify.c").read_text()
    redirect = classify.split("\nConnectRedirectV4Redirect(", 1)[1].split("\n}", 1)[0]
    code = [line.strip() for line in redirect.splitlines() if not line.strip().startswith("//")]
    assert "request->localRedirectHandle = RedirectHandleGet();" in code
    assert code.index("request->localRedirectHandle = RedirectHandleGet();") < code.index(
        "FwpsApplyModifiedLayerData0(classifyHandle, writable, 0);"
    )
    assert "if (RedirectConnectionIsOwn(inMetaValues)) {" in classify
