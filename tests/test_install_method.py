"""Every minimum Windows gets an INF destination, install method and toolchain that agree.

DIRID 13 (run from the driver store) works only when pnputil/DiInstallDriver
imports the package, which the scripts use from Windows 10, version 1903 on;
older minimums copy the driver to DIRID 12 and install through setupapi's
InstallHinfSection. A GitHub workflow exists only where the hosted runners'
current WDK can build the project.
"""

from collections.abc import Callable
from pathlib import Path

import pytest

from wfpgen.core.catalog import WindowsVersion, load_catalog
from wfpgen.core.project import plan_project
from wfpgen.core.spec import apply_options
from wfpgen.lifecycle.generate import generate_project
from wfpgen.templating.render import template_dir

CATALOG = load_catalog()
PRIMITIVE_SINCE = CATALOG.ntddi["WIN10_19H1"]
DOWN_LEVEL = {"win7", "win8", "win8.1"}


def render(tmp_path: Path, guids: Callable[[], str], **driver: object) -> Path:
    raw = {
        "driver": {"name": "Probe", **driver},
        "callouts": [{"name": "ConnectV4", "layer": "ALE_AUTH_CONNECT_V4"}],
    }
    plan = plan_project(apply_options(raw, from_file=True), CATALOG, guids)
    project = tmp_path / "Probe"
    generate_project(plan.resolution.spec, CATALOG, project, template=template_dir(), version="0")
    return project


@pytest.mark.parametrize("windows", CATALOG.windows, ids=lambda w: w.id)
def test_inf_destination_and_install_method_agree(
    windows: WindowsVersion, tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    os_id = windows.id
    project = render(tmp_path, fixed_guids, min_os=os_id)
    inx = (project / "driver" / "Probe.inx").read_text()
    install = (project / "scripts" / "install.ps1").read_text()
    uninstall = (project / "scripts" / "uninstall.ps1").read_text()
    readme = (project / "README.md").read_text()

    if windows.ntddi_value >= PRIMITIVE_SINCE:
        assert "Probe.DriverFiles = 13" in inx
        assert "ServiceBinary = %13%\\Probe.sys" in inx
        assert "pnputil.exe /add-driver $inf /install" in install
        assert "rundll32" not in install + readme
        assert "System32\\drivers" not in uninstall
    else:
        assert "Probe.DriverFiles = 12" in inx
        assert "ServiceBinary = %12%\\Probe.sys" in inx
        assert "pnputil.exe" not in install
        # rundll32 is a GUI program: the script must wait for it and read its exit code.
        assert "Start-Process -FilePath rundll32.exe -Wait -PassThru" in install
        assert "$setup.ExitCode -ne 0" in install
        assert "InstallHinfSection DefaultInstall 132" in readme
        assert "sc.exe delete $service" in uninstall

    workflow = project / ".github" / "workflows" / "build.yml"
    if os_id in DOWN_LEVEL:
        # No Windows build job; the workflow only runs tests/ on Linux.
        assert "windows-2022" not in workflow.read_text()
        assert "simulation:" in workflow.read_text()
        assert "WDK 10.0.19041" in readme and "Visual Studio 2019" in readme
    else:
        assert workflow.is_file()
        assert "runs-on: windows-2022" in workflow.read_text()


def test_x86_needs_the_22621_kit_and_gets_no_workflow(
    tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    project = render(tmp_path, fixed_guids, min_os="win10-1809", architectures=["x64", "x86"])
    readme = (project / "README.md").read_text()
    assert "windows-2022" not in (project / ".github" / "workflows" / "build.yml").read_text()
    assert "WDK 10.0.22621" in readme
    assert "no GitHub Actions build job" in readme


@pytest.mark.parametrize(
    ("start_type", "value", "group"),
    [("demand", "3", False), ("auto", "2", False), ("system", "1", True), ("boot", "0", True)],
)
def test_start_type_reaches_the_inf(
    start_type: str, value: str, group: bool, tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    project = render(tmp_path, fixed_guids, start_type=start_type)
    inx = (project / "driver" / "Probe.inx").read_text()
    assert f"StartType     = {value} ;" in inx
    assert ("LoadOrderGroup = NDIS" in inx) is group
    assert f'start_type = "{start_type}"' in (project / "wfpgen.toml").read_text()


@pytest.mark.parametrize("os_id", ["win8", "win10-2004"])
def test_uninstall_waits_until_the_driver_has_unloaded(
    os_id: str, tmp_path: Path, fixed_guids: Callable[[], str]
) -> None:
    """sc.exe stop returns at STOP_PENDING: nothing is removed before Stopped, or a timeout."""
    uninstall = (
        render(tmp_path, fixed_guids, min_os=os_id) / "scripts" / "uninstall.ps1"
    ).read_text()
    stop = uninstall.index("& sc.exe stop $service")
    wait = uninstall.index("-ne 'Stopped'")
    removals = [
        uninstall.find(step)
        for step in ("pnputil.exe", "sc.exe delete", "Remove-Item")
        if step in uninstall
    ]
    assert removals and stop < wait < min(removals)
    assert "$LASTEXITCODE -ne 1061" in uninstall  # already stopping: wait as well
    assert "(Get-Date) -ge $deadline" in uninstall and "-StopTimeoutSeconds" in uninstall
