"""W4xx: legal choices that probably do not do what the user wants.

Warnings are printed and generation goes on. Each joins the group of the subject
it looks at, after that group's errors.
"""

from wfpgen.core.known_guids import known_origin
from wfpgen.core.reserved import windows_names
from wfpgen.core.validation.behaviors import CHANNEL, Channel
from wfpgen.core.validation.facts import PURPOSE_NOTE, is_flow_target
from wfpgen.core.validation.names import GUID_ORIGIN, GuidOrigin
from wfpgen.core.validation.platform import CALLOUT_AT, FLAG_USE, CalloutAt, FlagUse

CALLOUT_SOURCE = "Microsoft Learn: FWPS_CALLOUT0-3 structures (fwpsk.h), flags member"


@CALLOUT_AT.rule(
    "W401",
    "a filter that permits or blocks at a layer that decides nothing",
    at=".action",
    explanation="""Discard layers see traffic that was already dropped, and informational
    layers report events that cannot be permitted or blocked. A terminating (or unknown)
    filter there makes classify look like it decides something it cannot.""",
    fix='Use action = "inspection" (the default at these layers), or choose a filtering layer.',
    source="Microsoft Learn: Filtering Layer Identifiers (discard layers); FWPM_ACTION0 structure",
)
def deciding_action_at_passive_layer(subject: CalloutAt) -> str | None:
    """A terminating or unknown action at a discard or informational layer."""
    layer, action = subject.layer, subject.action
    if action in (None, "inspection") or layer.purpose == "filter":
        return None
    return f'{layer.name} {PURPOSE_NOTE[layer.purpose]}, so a {action} filter decides nothing there; use action = "inspection" (the default at this layer)'


@CALLOUT_AT.rule(
    "W402",
    "CONDITIONAL_ON_FLOW makes ALLOW_MID_STREAM_INSPECTION useless",
    at=".flags",
    explanation="""With CONDITIONAL_ON_FLOW the callout is called only for flows carrying its
    flow context, which the driver attaches at ALE_FLOW_ESTABLISHED. A connection open
    before the driver loaded has passed that layer, has no context, and so never reaches
    the callout: the mid-stream inspection it allows never happens.""",
    fix="Drop one of the two flags.",
    source=f"{CALLOUT_SOURCE}; Microsoft Learn: Associating Context with a Data Flow",
)
def conditional_mid_stream(subject: CalloutAt) -> str | None:
    """Both CONDITIONAL_ON_FLOW and ALLOW_MID_STREAM_INSPECTION are set."""
    if not {"CONDITIONAL_ON_FLOW", "ALLOW_MID_STREAM_INSPECTION"} <= subject.flags:
        return None
    name = subject.callout.name
    return f"with CONDITIONAL_ON_FLOW, {name} never sees connections that were open before the driver loaded: they got no flow context when they were established, so ALLOW_MID_STREAM_INSPECTION has no effect; drop one of the two"


@CALLOUT_AT.rule(
    "W403",
    "flow contexts, but no filter that associates them",
    at=".flags",
    explanation="""Flow contexts are associated from a classify at ALE_FLOW_ESTABLISHED,
    which runs only if a filter calls the callout there. With driver.filters = "none" the
    driver adds no filters, so until someone adds one, no flow gets a context (and a
    CONDITIONAL_ON_FLOW callout is never called).""",
    fix='Use driver.filters = "dynamic", or add a filter at ALE_FLOW_ESTABLISHED yourself.',
    source="Microsoft Learn: Associating Context with a Data Flow; FwpsFlowAssociateContext0 function",
)
def flow_without_filters(subject: CalloutAt) -> str | None:
    """The callout wants flow contexts and the driver adds no filters."""
    callout, layer = subject.callout, subject.layer
    if callout.flow_context and not is_flow_target(layer):
        return None  # E230 says what is wrong
    wants_flow = callout.flow_context or "CONDITIONAL_ON_FLOW" in subject.flags
    if not wants_flow or subject.filters != "none":
        return None
    return f'the driver adds no filters (driver.filters = "none"), so nothing associates flow contexts with {callout.name} until you add a filter at ALE_FLOW_ESTABLISHED_{layer.family.upper()}'


@CALLOUT_AT.rule(
    "W404",
    "Microsoft does not document what classify receives at the layer",
    at=".layer",
    explanation="""For some layers the documentation does not say what the layerData
    argument of classify points to, so the generated code can only guess how to read it.""",
    fix="Test the generated classify carefully at this layer, or choose a documented one.",
    source="Microsoft Learn: classifyFn callback (layerData); Data Offset Positions",
)
def undocumented_layer_data(subject: CalloutAt) -> str | None:
    """The layer's layerData is undocumented."""
    if subject.layer.layer_data != "undocumented":
        return None
    return f"Microsoft does not document what classify receives at {subject.layer.name}; test the generated code carefully"


@GUID_ORIGIN.rule(
    "W405",
    "the GUID is a key Windows registers itself",
    explanation="""The key belongs to a provider, sublayer or other object Windows adds to the
    filter engine itself; an object of yours with the same key collides with it (E324 when
    the driver adds it).""",
    fix="Remove the key to let wfpgen generate one of your own.",
    source="Microsoft Learn: Built-in Provider Identifiers; Built-in Sublayer Identifiers; tools/build_windows_names.py",
)
def windows_key(subject: GuidOrigin) -> str | None:
    """The GUID is one of Windows' keys."""
    name = windows_names().guids.get(subject.guid)
    if not name:
        return None
    return f"{subject.guid} is {name}, a key Windows registers itself; leave it out to generate a key of your own"


@GUID_ORIGIN.rule(
    "W406",
    "the GUID is published in a sample",
    explanation="""The key comes from a Microsoft sample or a starter kit. Every product that
    kept it registers the same object, so two of them installed together collide in the
    filter engine.""",
    fix="Remove the key to let wfpgen generate a fresh one.",
    source="wfpgen.core.known_guids (Windows-driver-samples and starter kits)",
)
def published_key(subject: GuidOrigin) -> str | None:
    """The GUID appears in a public sample."""
    origin = known_origin(subject.guid)
    if not origin:
        return None
    return f"{subject.guid} is published in {origin}; another product using it collides in the filter engine; leave it out to generate a fresh one"


@FLAG_USE.rule(
    "W407",
    "ALLOW_USO is documented only from Windows build 25876",
    explanation="""The headers declare FWP_CALLOUT_FLAG_ALLOW_USO from Windows 10, version
    1903 on, but Microsoft documents it as supported only from Windows build 25876; on
    builds between, it may not have the documented effect.""",
    fix="Test on every Windows build you support, or drop the flag.",
    source="Microsoft Learn: FWPS_CALLOUT2 structure (fwpsk.h); fwptypes.h",
)
def uso_documented_late(subject: FlagUse) -> str | None:
    """The flag is ALLOW_USO."""
    if subject.flag.name != "ALLOW_USO":
        return None
    return "Microsoft documents ALLOW_USO as supported only from Windows build 25876, although the headers declare it earlier"


@CHANNEL.rule(
    "W408",
    "[channel] keys without enabled = true have no effect",
    explanation="""The control channel is off unless [channel] sets enabled = true; events,
    app, ring and ask_timeout only say what the channel carries, so while it is off they
    change nothing (events = true alone does not turn it on).""",
    fix="Add enabled = true to [channel], or remove the other keys.",
    source="docs/channel.md",
)
def channel_keys_while_off(subject: Channel) -> str | None:
    """Keys other than enabled are given while the channel is off."""
    channel = subject.channel
    ignored = sorted(channel.given - {"enabled"})
    if channel.enabled or not ignored:
        return None
    keys = ", ".join(f"channel.{key}" for key in ignored)
    return f"{keys} {'has' if len(ignored) == 1 else 'have'} no effect while the channel is off; add enabled = true to [channel] to turn it on"
