#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs and starts LitwareMonitor from a built driver package.

.DESCRIPTION
    Imports the package into the driver store with pnputil and runs its
    DefaultInstall section, which creates the service. The INF runs the driver
    from the driver store (DIRID 13), which needs Windows 10, version 1903 or
    later: the project's minimum.
    The driver must be signed: test-signed builds need "bcdedit /set
    testsigning on" and a reboot first.

.EXAMPLE
    .\scripts\install.ps1 -Configuration Debug -Platform x64
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Debug',

    [ValidateSet('x64', 'ARM64')]
    [string]$Platform = 'x64'
)

$ErrorActionPreference = 'Stop'

$service = 'LitwareMonitor'
$inf = Join-Path $PSScriptRoot "..\$Platform\$Configuration\LitwareMonitor\LitwareMonitor.inf"
$inf = (Resolve-Path -LiteralPath $inf).Path

if ([Environment]::OSVersion.Version.Build -lt 18362) {
    throw "LitwareMonitor needs Windows 10, version 1903 or later"
}

& pnputil.exe /add-driver $inf /install
# 3010: installed, a reboot is needed to finish.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) {
    throw "pnputil /add-driver failed with exit code $LASTEXITCODE"
}

# The installer reports few failures through its exit code: check the result.
if (-not (Get-Service -Name $service -ErrorAction SilentlyContinue)) {
    throw "Service $service was not created; see %WINDIR%\INF\setupapi.dev.log"
}

& sc.exe start $service
# 1056: the service is already running.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1056) {
    throw "sc.exe start $service failed with exit code $LASTEXITCODE"
}
