#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs and starts {{ cookiecutter.driver.name }} from a built driver package.

.DESCRIPTION
{%- if cookiecutter.driver.install_method == "pnputil" %}
    Imports the package into the driver store with pnputil and runs its
    DefaultInstall section, which creates the service. The INF runs the driver
    from the driver store (DIRID 13), which needs Windows 10, version 1903 or
    later: the project's minimum.
{%- else %}
    Runs the package's DefaultInstall section through setupapi's
    InstallHinfSection, which copies the driver to System32\drivers (the INF's
    DIRID 12) and creates the service. This works on every Windows the project
    supports; pnputil would only do the same from Windows 10, version 1903 on.
{%- endif %}
    The driver must be signed: test-signed builds need "bcdedit /set
    testsigning on" and a reboot first.

.EXAMPLE
    .\scripts\install.ps1 -Configuration Debug -Platform {{ cookiecutter.driver.architectures[0].platform }}
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Debug',

    [ValidateSet({% for arch in cookiecutter.driver.architectures %}'{{ arch.platform }}'{{ ", " if not loop.last }}{% endfor %})]
    [string]$Platform = '{{ cookiecutter.driver.architectures[0].platform }}'
)

$ErrorActionPreference = 'Stop'

$service = '{{ cookiecutter.driver.service_name }}'
$inf = Join-Path $PSScriptRoot "..\$Platform\$Configuration\{{ cookiecutter.driver.name }}\{{ cookiecutter.driver.name }}.inf"
$inf = (Resolve-Path -LiteralPath $inf).Path
{%- if cookiecutter.driver.install_method == "pnputil" %}

if ([Environment]::OSVersion.Version.Build -lt 18362) {
    throw "{{ cookiecutter.driver.name }} needs Windows 10, version 1903 or later"
}

& pnputil.exe /add-driver $inf /install
# 3010: installed, a reboot is needed to finish.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) {
    throw "pnputil /add-driver failed with exit code $LASTEXITCODE"
}
{%- else %}

# rundll32 is a GUI program, so PowerShell would not wait for it on its own.
# 132 = the INF's folder is the source path (128) + reboot only if needed (4).
$setup = Start-Process -FilePath rundll32.exe -Wait -PassThru -ArgumentList @(
    'setupapi.dll,InstallHinfSection', 'DefaultInstall', '132', "`"$inf`""
)
if ($setup.ExitCode -ne 0) {
    throw "InstallHinfSection failed with exit code $($setup.ExitCode); see %WINDIR%\INF\setupapi.app.log"
}
{%- endif %}

# The installer reports few failures through its exit code: check the result.
if (-not (Get-Service -Name $service -ErrorAction SilentlyContinue)) {
    throw "Service $service was not created; see %WINDIR%\INF\setupapi.{{ 'dev' if cookiecutter.driver.install_method == 'pnputil' else 'app' }}.log"
}

& sc.exe start $service
# 1056: the service is already running.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1056) {
    throw "sc.exe start $service failed with exit code $LASTEXITCODE"
}
