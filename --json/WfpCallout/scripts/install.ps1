#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs and starts WfpCallout from a built driver package.

.DESCRIPTION
    Uses pnputil on Windows 10, version 1903 and later, where a non-PnP
    ("primitive") driver package is installed through its DefaultInstall
    section; on older Windows it runs that section through setupapi.
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

$service = 'WfpCallout'
$inf = Join-Path $PSScriptRoot "..\$Platform\$Configuration\WfpCallout\WfpCallout.inf"
$inf = (Resolve-Path -LiteralPath $inf).Path

if ([Environment]::OSVersion.Version.Build -ge 18362) {
    & pnputil.exe /add-driver $inf /install
    # 3010: installed, a reboot is needed to finish.
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) {
        throw "pnputil /add-driver failed with exit code $LASTEXITCODE"
    }
}
else {
    # 132 = the INF path is the default source path (128) + reboot only if needed (4).
    & rundll32.exe setupapi.dll,InstallHinfSection DefaultInstall 132 $inf
}

if (-not (Get-Service -Name $service -ErrorAction SilentlyContinue)) {
    throw "Service $service was not created; see %WINDIR%\INF\setupapi.dev.log"
}

& sc.exe start $service
# 1056: the service is already running.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1056) {
    throw "sc.exe start $service failed with exit code $LASTEXITCODE"
}
