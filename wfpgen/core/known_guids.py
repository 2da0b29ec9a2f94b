"""GUIDs published in Microsoft's WFP samples and popular starter kits.

Every copy of a sample that keeps these keys registers the same callouts and
sublayers as every other copy: two such products collide in the filter engine.
Only the values are recorded here, with the project they come from.
"""

KNOWN_GUIDS: dict[str, str] = {
    "b16b0a6e-2b2a-41a3-8b39-bd3ffc855ff8": "ddproxy",
    "2cebde39-1f59-48d1-a5d9-3e2458351476": "ddproxy",
    "ee93719d-ad5d-48c9-ae46-7270367d205d": "ddproxy",
    "1e3d3d13-0588-4167-82a3-14f68c98de86": "ddproxy",
    "0104fd7e-c825-414e-94c9-f0d525bbc169": "ddproxy",
    "3aaccbc0-2c29-455f-bb91-0e801c8994a4": "msnmntr",
    "cea0131a-6ed3-4ed6-b40c-8a8fe8434b0a": "msnmntr",
    "b3241f1d-7cd2-4e7a-8721-2e97d07702e5": "msnmntr",
    "76b743d4-1249-4614-a632-6f9c4d08d25a": "inspect",
    "ac80683a-5b84-43c3-8ae9-eddb5c0d23c2": "inspect",
    "7ec7f7f5-0c55-4121-adc5-5d07d2ac0cef": "inspect",
    "b74ac2ed-4e71-4564-9975-787d5168a151": "inspect",
    "07248379-248b-4e49-bf07-24d99d52f8d0": "inspect",
    "6d126434-ed67-4285-925c-cb29282e0e06": "inspect",
    "bb6e405b-19f4-4ff3-b501-1a3dc01aae01": "inspect",
    "cabf7559-7c60-46c8-9d3b-2155ad5cf83f": "inspect",
    "2e207682-d95f-4525-b966-969f26587f03": "inspect",
    "0bf56435-71e4-4de7-bd0b-1af0b4cbb8f4": "WFPStarterKit",
    "e1d364e9-cd84-4a48-aba4-608ce83e31ee": "WFPStarterKit",
    "db9827d2-ea74-4aa5-8bed-0925427478d7": "WFPStarterKit",
    # The example context of wfpgen's own template (cookiecutter.json).
    "5f1c8b02-3d4e-4a6f-9b7c-1e2d3f4a5b6c": "wfpgen's template example",
    "8a2d4c6e-1b3f-4d5a-8e7c-9f0a1b2c3d4e": "wfpgen's template example",
    "c4a1e9f0-6b2d-4e3a-8c5f-7d9e0a1b2c3d": "wfpgen's template example",
    "d7b3f2a1-8c4e-4f5b-9d6a-0e1f2a3b4c5d": "wfpgen's template example",
}

# Prefixes of whole families of keys: WFPSampler spells "WFPS"/"WFPP" in the first
# field of all its keys, stmedit spells "RHIT RAIN" across the first four.
KNOWN_GUID_PREFIXES: dict[str, str] = {
    "53504657-": "WFPSampler",
    "50504657-": "WFPSampler",
    "524f4849-5420-5241-494e-41205a9eef": "stmedit",
}


def known_origin(guid: str) -> str | None:
    """The public project a (lower-case) GUID was copied from, if it is a known one."""
    if guid in KNOWN_GUIDS:
        return KNOWN_GUIDS[guid]
    return next((o for p, o in KNOWN_GUID_PREFIXES.items() if guid.startswith(p)), None)
