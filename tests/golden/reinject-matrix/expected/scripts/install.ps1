#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Installs and starts ContosoReinject from a built driver package.

.DESCRIPTION
    Runs the package's DefaultInstall section through setupapi's
    InstallHinfSection, which copies the driver to System32\drivers (the INF's
    DIRID 12) and creates the service. This works on every Windows the project
    supports; pnputil would only do the same from Windows 10, version 1903 on.
    The driver must be signed: test-signed builds need "bcdedit /set
    testsigning on" and a reboot first.

.EXAMPLE
    .\scripts\install.ps1 -Configuration Debug -Platform x64
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string]$Configuration = 'Debug',

    [ValidateSet('x64')]
    [string]$Platform = 'x64'
)

$ErrorActionPreference = 'Stop'

$service = 'ContosoReinject'
$inf = Join-Path $PSScriptRoot "..\$Platform\$Configuration\ContosoReinject\ContosoReinject.inf"
$inf = (Resolve-Path -LiteralPath $inf).Path

# rundll32 is a GUI program, so PowerShell would not wait for it on its own.
# 132 = the INF's folder is the source path (128) + reboot only if needed (4).
$setup = Start-Process -FilePath rundll32.exe -Wait -PassThru -ArgumentList @(
    'setupapi.dll,InstallHinfSection', 'DefaultInstall', '132', "`"$inf`""
)
if ($setup.ExitCode -ne 0) {
    throw "InstallHinfSection failed with exit code $($setup.ExitCode); see %WINDIR%\INF\setupapi.app.log"
}

# The installer reports few failures through its exit code: check the result.
if (-not (Get-Service -Name $service -ErrorAction SilentlyContinue)) {
    throw "Service $service was not created; see %WINDIR%\INF\setupapi.app.log"
}

& sc.exe start $service
# 1056: the service is already running.
if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1056) {
    throw "sc.exe start $service failed with exit code $LASTEXITCODE"
}
