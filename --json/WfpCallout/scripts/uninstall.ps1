#Requires -RunAsAdministrator
<#
.SYNOPSIS
    Stops WfpCallout and removes its driver package and service.

.DESCRIPTION
    Stopping the service unloads the driver: its callouts and filters are
    removed from the filter engine. Then every copy of the package in the
    driver store is deleted, and the service with it.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'

$service = 'WfpCallout'

if (Get-Service -Name $service -ErrorAction SilentlyContinue) {
    & sc.exe stop $service | Out-Null
    # 1062 = the service was not running.
    if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1062) {
        throw "sc.exe stop $service failed with exit code $LASTEXITCODE"
    }
}

# Published names (oemNN.inf) of every installed copy of this package.
$published = Get-WindowsDriver -Online -All |
    Where-Object { [IO.Path]::GetFileName($_.OriginalFileName) -ieq 'WfpCallout.inf' } |
    ForEach-Object { $_.Driver }

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

# Before Windows 10, version 1903, removing the package leaves the service.
if (Get-Service -Name $service -ErrorAction SilentlyContinue) {
    & sc.exe delete $service
    if ($LASTEXITCODE -ne 0) {
        throw "sc.exe delete $service failed with exit code $LASTEXITCODE"
    }
}
