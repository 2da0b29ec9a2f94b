r"""Write ``wfpgen/data/windows_names.json``: names and keys that belong to Windows.

The validator refuses a driver named like a driver or service that ships with
Windows (the generated ``uninstall.ps1`` would stop and delete it), and warns
about provider and sublayer keys Windows registers itself. This script keeps
both lists as data, with their sources:

* ``services``: service key names under
  ``HKLM\SYSTEM\CurrentControlSet\Services`` of a default Windows 7 SP1,
  10 (22H2) and 11 (23H2) installation, for kernel drivers and for Win32
  services. The curated lists below follow Microsoft Learn: "System services
  for Windows Server 2016/2019 and Windows 10" (windows-server/security/
  windows-services/security-guidelines-for-disabling-system-services-in-
  windows-server) for the Win32 services, and the driver pages of the Windows
  driver documentation (network/, storage/, ifs/, hid/, usbcon/, ...) plus the
  file names in ``%SystemRoot%\System32\drivers`` for the kernel drivers.
  ``--services FILE`` adds the names in FILE, one per line or the output of
  ``Get-CimInstance Win32_SystemDriver, Win32_Service | Select -Expand Name``
  run on a Windows machine, so the list can be refreshed from a real system.
* ``guids``: every ``FWPM_PROVIDER_*``, ``FWPM_SUBLAYER_*``, ``FWPM_CALLOUT_*``
  and ``FWPM_LAYER_*`` key defined with ``DEFINE_GUID`` in the WDK's
  ``km/fwpmk.h`` (``--wdk DIR``, the folder that holds ``ddk/km``). Without
  ``--wdk`` the keys already in the data file are kept.

Run from the repository root::

    python tools/build_windows_names.py --wdk /tmp/wdk
    python tools/build_windows_names.py --check   # exit 1 if the file is stale
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "wfpgen" / "data" / "windows_names.json"

# Kernel-mode drivers (service key names; the .sys file usually has the same stem).
NETWORK_DRIVERS = """
afd afunix ahcache bowser bridge dfsc fwpkclnt http ipnat ipfltdrv kdnic lltdio mpsdrv
mrxdav mrxsmb mrxsmb10 mrxsmb20 mslldp msquic mup ndis ndiscap ndisimplatform ndisuio
ndiswan ndiswanlegacy ndistapi ndproxy ndu netadaptercx netbios netbt netio netvsc
nsiproxy nwifi pacer psched rasacd rasagilevpn rasgre rasl2tp raspppoe raspptp rassstp
rdbss rspndr smbdirect srv srv2 srvnet tcpip tcpip6 tcpipreg tdi tdx tunnel vfpext
vmsproxy vmswitch vms3cap vwifibus vwififlt vwifimp wanarp wanarpv6 wfpcapture wfplwfs
winnat ws2ifsl agilevpn 6to4 ndisvirtualbus mlx4_bus
"""
STORAGE_AND_FILE_SYSTEM_DRIVERS = """
acpi acpidev acpiex acpipagr acpipmi acpitime amdsata amdsbs amdxata atapi ataport
bindflt cdfs cdrom cimfs cldflt clfs csc disk ehstorclass ehstortcgdrv exfat fastfat
fdc filecrypt fileinfo filetrace flpydisk fltmgr fs_rec fvevol iastorav iastorv intelide
iorate luafv megasas megasr mountmgr msfs npfs ntfs null nvdimm nvraid partmgr pciide
pciidex percsas2i percsas3i pmem rdyboost refs refsv1 scmbus scmdisk0101 sdbus sdstor
sfloppy spaceport stexstor storahci storflt stornvme storport storqosflt storufs storvsc
udfs uaspstor vhdmp volmgr volmgrx volsnap volume wcifs wcnfs wimmount wof classpnp
scsiport msahci lsi_sas lsi_sas2i lsi_sas3i lsi_sss mvumis vmstorfl
"""
SYSTEM_DRIVERS = """
amdk8 amdppm appid applockerfltr bam basicdisplay basicrender beep bthenum bthleenum
bthmini bthmodem bthpan bthport bthusb cea cht4iscsi circlass cmbatt cng compbatt
compositebus condrv dam dxgkrnl dxgmms1 dxgmms2 ebdrv gencounter gpuenergydrv hdaudbus
hidbth hidclass hidi2c hidinterrupt hidparse hidusb hvcrash hvservice hvsocketcontrol
hwpolicy hyperkbd hypervideo i8042prt intelpep intelpmax intelppm kbdclass kbdhid ks
ksecdd ksecpkg ksthunk mouclass mouhid msgpiowin32 msisadrv mskssrv mspclock mspqm
msrpc mssecflt mssmbios mstee parport pci pcmcia pcw pdc peauth portcls processor
rdpbus rdpdr rdpvideominiport rfcomm rhproxy secdrv serenum sercx sercx2 serial sermouse
sgrmagent spbcx swenum termdd terminpt tpm tsusbflt tsusbgd tsusbhub ucx01000 udecx
uefi ufx01000 umbus umpass urschipidea urscx01000 urssynopsys usbaudio usbaudio2
usbccgp usbehci usbhub usbhub3 usbohci usbport usbprint usbser usbstor usbuhci usbxhci
vdrvroot verifierext vhf vid vmbus vmbusr vmgid vpci wacompen watchdog wdboot wdf01000
wdfilter wdfldr wdmcompanionfilter wdnisdrv wdiwifi winhv winhvr winmad winverbs
wmiacpi wpdupfltr wudfpf wudfrd xboxgip xinputhid werkernel clipsp cimfs lxss lxcore
monitor videoprt vgapnp hal ntoskrnl ci tm wmilib pshed kd bootvid drmk
"""
# Win32 services (user mode), Windows 7 to 11.
SERVICES = """
ajrouter alg appidsvc appinfo applockerfltr appmgmt appreadiness appvclient appxsvc
assignedaccessmanagersvc audioendpointbuilder audiosrv autotimesvc axinstsv bdesvc bfe
bits brokerinfrastructure browser btagservice bthavctpsvc bthhfsrv bthserv camsvc
captureservice cbdhsvc cdpsvc cdpusersvc certpropsvc clipsvc comsysapp
coremessagingregistrar cryptsvc cscservice dcomlaunch dcsvc defragsvc
deviceassociationbrokersvc deviceassociationservice deviceinstall devicepickerusersvc
devicesflowusersvc devquerybroker dhcp diagsvc diagtrack dialogblockingservice
dispbrokerdesktopsvc displayenhancementservice dmenrollmentsvc dmwappushservice dnscache
dosvc dot3svc dps dsmsvc dssvc dusmsvc eaphost efs embeddedmode entappsvc eventlog
eventsystem fax fdphost fdrespub fhsvc fontcache fontcache3.0.0.0 frameserver
frameservermonitor gpsvc graphicsperfsvc hidserv hns hvhost icssvc ikeext installservice
inventorysvc iphlpsvc ipxlatcfgsvc keyiso ktmrm lanmanserver lanmanworkstation lfsvc
licensemanager lltdsvc lmhosts lsm lxssmanager mapsbroker mcpmanagementservice
messagingservice mixedrealityopenxrsvc mpssvc msdtc msiscsi msiserver mskeyboardfilter
naturalauthentication ncasvc ncbservice ncdautosetup netlogon netman netprofm netsetupsvc
nettcpportsharing ngcctnrsvc ngcsvc nlasvc nsi p2pimsvc p2psvc pcasvc peerdistsvc
perceptionsimulation perfhost phonesvc pimindexmaintenancesvc pla plugplay pnrpautoreg
pnrpsvc policyagent power printnotify printworkflowusersvc profsvc pushtoinstall qwave
rasauto rasman remoteaccess remoteregistry retaildemo rmsvc rpceptmapper rpclocator
rpcss samss scardsvr scdeviceenum schedule scpolicysvc sdrsvc seclogon secursvc
securityhealthservice semgrsvc sens sense sensordataservice sensorservice sensrsvc
sessionenv sgrmbroker sharedaccess sharedrealitysvc shellhwdetection shpamsvc smphost
smsrouter snmptrap spectrum spooler sppsvc ssdpsrv ssh-agent sstpsvc staterepository
stisvc storsvc svsvc swprv sysmain systemeventsbroker tabletinputservice tapisrv
termservice textinputmanagementservice themes tieringengineservice timebroker
timebrokersvc tokenbroker trkwks troubleshootingsvc trustedinstaller tzautoupdate
uevagentservice uhssvc umrdpservice unistoresvc upnphost userdatasvc usermanager
usosvc vacsvc vaultsvc vds vmcompute vmicguestinterface vmicheartbeat vmickvpexchange
vmicrdv vmicshutdown vmictimesync vmicvmsession vmicvss vmms vss w32time waasmedicsvc
walletservice warpjitsvc wbengine wbiosrvc wcmsvc wcncsvc wdiservicehost wdisystemhost
wdnissvc webclient webthreatdefsvc wecsvc wephostsvc wercplsupport wersvc wfdsconmgrsvc
wiarpc windefend winhttpautoproxysvc winmgmt winrm wisvc wlansvc wlidsvc wlpasvc
wmansvc wmiapsrv wmpnetworksvc workfolderssvc wpcmonsvc wpdbusenum wpnservice
wpnuserservice wscsvc wsearch wuauserv wudfsvc wwansvc xblauthmanager xblgamesave
xboxgipsvc xboxnetapisvc mcx2svc uxsms ehrecvr ehsched idsvc ipbusenum netmsmqactivator
netpipeactivator nettcpactivator nfsclnt sharedpcaccountmanager wmpnetworksvc
"""

GUID_KINDS = ("FWPM_PROVIDER_", "FWPM_SUBLAYER_", "FWPM_CALLOUT_", "FWPM_LAYER_")
_DEFINE_GUID = re.compile(
    r"DEFINE_GUID\(\s*(\w+)\s*,\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)"
    r"((?:\s*,\s*0x[0-9a-fA-F]+){8})\s*\)"
)


def curated_services() -> dict[str, str]:
    """Every curated name (lower case) with the kind of component it names."""
    names: dict[str, str] = {}
    for kind, text in (
        ("a network driver", NETWORK_DRIVERS),
        ("a storage or file-system driver", STORAGE_AND_FILE_SYSTEM_DRIVERS),
        ("a system driver", SYSTEM_DRIVERS),
        ("a service", SERVICES),
    ):
        for name in text.split():
            names.setdefault(name.lower(), kind)
    return names


def extra_services(path: Path) -> dict[str, str]:
    """Names listed in ``path`` (one per line; blank lines and # comments skipped)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    names = (line.split("#")[0].strip().lower() for line in lines)
    return {name: "a Windows component" for name in names if name}


def wdk_guids(wdk: Path) -> dict[str, str]:
    """``FWPM_*`` keys of providers, sublayers, callouts and layers in the WDK's fwpmk.h."""
    header = next(wdk.glob("**/km/fwpmk.h"))
    text = header.read_text(encoding="utf-8", errors="replace")
    guids: dict[str, str] = {}
    for match in _DEFINE_GUID.finditer(text):
        name = match.group(1)
        if not name.startswith(GUID_KINDS):
            continue
        node = [int(b, 16) for b in re.findall(r"0x[0-9a-fA-F]+", match.group(5))]
        value = uuid.UUID(
            fields=(
                int(match.group(2), 16),
                int(match.group(3), 16),
                int(match.group(4), 16),
                node[0],
                node[1],
                int.from_bytes(bytes(node[2:]), "big"),
            )
        )
        guids.setdefault(str(value), name)
    return guids


def build(wdk: Path | None, services_file: Path | None) -> str:
    """The JSON text of the data file."""
    previous = json.loads(OUTPUT.read_text(encoding="utf-8")) if OUTPUT.exists() else {}
    services = curated_services()
    if services_file is not None:
        services = extra_services(services_file) | services
    elif "services" in previous:
        # Names added from a real system earlier stay until the next refresh.
        services = previous["services"] | services
    guids = wdk_guids(wdk) if wdk is not None else previous.get("guids", {})
    data = {
        "source": {
            "services": "service key names of default Windows 7 SP1, 10 22H2 and 11 23H2 "
            "installations (HKLM\\SYSTEM\\CurrentControlSet\\Services); curated in "
            "tools/build_windows_names.py after Microsoft Learn's system services guide and "
            "driver pages",
            "guids": "DEFINE_GUID keys in km/fwpmk.h of the Windows Driver Kit (10.0.22000)",
        },
        "services": dict(sorted(services.items())),
        "guids": dict(sorted(guids.items())),
    }
    return json.dumps(data, indent=1, sort_keys=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the data file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wdk", type=Path, help="WDK headers folder (holds ddk/km/fwpmk.h)")
    parser.add_argument("--services", type=Path, help="extra service names, one per line")
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    args = parser.parse_args(argv)
    text = build(args.wdk, args.services)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
