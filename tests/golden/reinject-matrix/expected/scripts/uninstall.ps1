#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Stops ContosoReinject and removes its driver package and service.

.DESCRIPTION
    Stopping the service unloads the driver: its callouts and filters are
    removed from the filter engine. Once the service reports Stopped, every
    copy of the package in the driver store is deleted, and the service with it.

.PARAMETER StopTimeoutSeconds
    How long to wait for the driver to unload. Unloading waits until no
    classify is running and no flow still holds one of the driver's contexts.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 3600)]
    [int]$StopTimeoutSeconds = 60
)

$ErrorActionPreference = 'Stop'

$service = 'ContosoReinject'

if (Get-Service -Name $service -ErrorAction SilentlyContinue) {
    & sc.exe stop $service | Out-Null
    # 1062: the service was not running. 1061: it cannot take the request
    # now, typically because it is already stopping.
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1062 -and $LASTEXITCODE -ne 1061) {
        throw "sc.exe stop $service failed with exit code $LASTEXITCODE"
    }
    # sc.exe returns as soon as the stop is requested (STOP_PENDING); the
    # driver file and package stay in use until the unload has finished.
    $deadline = (Get-Date).AddSeconds($StopTimeoutSeconds)
    while (($status = (Get-Service -Name $service).Status) -ne 'Stopped') {
        if ((Get-Date) -ge $deadline) {
            throw ("Service $service is still $status after $StopTimeoutSeconds s: the " +
                "driver has not finished unloading, probably because connections it " +
                "classifies are still open. Close them and run this script again, " +
                "pass a larger -StopTimeoutSeconds, or reboot and run it again.")
        }
        Start-Sleep -Milliseconds 500
    }
}

# Published names (oemNN.inf) of every installed copy of this package.
$published = Get-WindowsDriver -Online -All |
    Where-Object { [IO.Path]::GetFileName($_.OriginalFileName) -ieq 'ContosoReinject.inf' } |
    ForEach-Object { $_.Driver }

# InstallHinfSection imports the package into the driver store only on
# Windows 10, version 1903 and later, where it hands primitive packages to
# DiInstallDriver; older Windows keep no copy to delete.
$modern = [Environment]::OSVersion.Version.Build -ge 18362
foreach ($oem in $published) {
    if ($modern) {
        & pnputil.exe /delete-driver $oem /uninstall
    }
    else {
        & pnputil.exe -f -d $oem
    }
    # 3010: removed, a reboot is needed to finish.
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 3010) {
        throw "pnputil could not delete $oem (exit code $LASTEXITCODE)"
    }
}

# Before Windows 10, version 1903, nothing above removes the service.
if (Get-Service -Name $service -ErrorAction SilentlyContinue) {
    & sc.exe delete $service
    if ($LASTEXITCODE -ne 0) {
        throw "sc.exe delete $service failed with exit code $LASTEXITCODE"
    }
}

# The package copied the driver to System32\drivers; nothing else removes it.
$binary = Join-Path $env:SystemRoot 'System32\drivers\ContosoReinject.sys'
if (Test-Path -LiteralPath $binary) {
    Remove-Item -LiteralPath $binary
}
