"""Rules for the control channel and for callout behaviors (ask, reinject).

The [channel] numbers and a behavior's spelling are structure (E15x); where a
behavior may be used depends on the layer (E23x), so those rules join the
platform group of a callout at its layer.
"""

import difflib
from dataclasses import dataclass

from wfpgen.core.spec import BEHAVIORS, ChannelSpec
from wfpgen.core.validation.facts import behaviors_at, canonical_behavior, unknown
from wfpgen.core.validation.platform import CALLOUT_AT, CalloutAt
from wfpgen.core.validation.registry import Group

CHANNEL_DOC = "docs/channel.md"
BEHAVIOR_DOC = "docs/behaviors.md"


# The bounds of the [channel] numbers (the JSON Schema says the same, core/schema.py).
RING_EVENTS = (16, 65536)
ASK_TIMEOUT_SECONDS = (1, 300)


@dataclass(frozen=True)
class Channel:
    """The [channel] table."""

    where: str
    channel: ChannelSpec


CHANNEL = Group[Channel]("channel values", first_only=False)


@CHANNEL.rule(
    "E150",
    "channel.ring is not between 16 and 65536 events",
    at=".ring",
    explanation=f"""The driver keeps the events classify records while no reader waits in a
    ring of channel.ring entries in nonpaged memory (80 bytes each, never paged out), since
    classify runs at DISPATCH_LEVEL. Fewer than {RING_EVENTS[0]} entries drop events under
    any burst; more than {RING_EVENTS[1]} hold megabytes of nonpaged memory for a queue a
    reader should be emptying.""",
    fix=f"Use a ring of {RING_EVENTS[0]} to {RING_EVENTS[1]} events (default 256).",
    source=f"{CHANNEL_DOC}; Microsoft Learn: Pool memory (NonPagedPoolNx)",
)
def ring_out_of_range(subject: Channel) -> str | None:
    """The ring holds too few or too many events."""
    low, high = RING_EVENTS
    if low <= subject.channel.ring <= high:
        return None
    return f"{subject.channel.ring} events; use {low} to {high}"


@CHANNEL.rule(
    "E151",
    "channel.ask_timeout is not between 1 and 300 seconds",
    at=".ask_timeout",
    explanation=f"""An ask callout holds a pended connection until user mode answers or
    channel.ask_timeout seconds pass; then the default verdict applies. The application
    that opened the connection waits all that time, so the timeout is kept between
    {ASK_TIMEOUT_SECONDS[0]} second and {ASK_TIMEOUT_SECONDS[1] // 60} minutes.""",
    fix=f"Use {ASK_TIMEOUT_SECONDS[0]} to {ASK_TIMEOUT_SECONDS[1]} seconds (default 5).",
    source=f"{BEHAVIOR_DOC}; Microsoft Learn: Processing Classify Callouts Asynchronously",
)
def ask_timeout_out_of_range(subject: Channel) -> str | None:
    """The timeout is under a second or over five minutes."""
    low, high = ASK_TIMEOUT_SECONDS
    if low <= subject.channel.ask_timeout <= high:
        return None
    return f"{subject.channel.ask_timeout} seconds; use {low} to {high}"


@dataclass(frozen=True)
class Behavior:
    """A callout's behavior as written, with whether the control channel is on."""

    where: str
    text: str
    channel: bool


BEHAVIOR = Group[Behavior]("callout behavior", first_only=True)


@BEHAVIOR.rule(
    "E152",
    "unknown callout behavior",
    explanation="""A callout's behavior says how its classify reaches a verdict: decide
    (inline, the default), ask (pend the connection and ask user mode) or reinject (clone
    the packet, absorb it, inspect the clone and inject it back).""",
    fix="Use decide, ask or reinject.",
    source=BEHAVIOR_DOC,
)
def unknown_behavior(subject: Behavior) -> str | None:
    """The behavior is none of BEHAVIORS."""
    if canonical_behavior(subject.text) is not None:
        return None
    close = difflib.get_close_matches(subject.text.strip().lower(), BEHAVIORS, n=1, cutoff=0.5)
    return unknown("behavior", subject.text, close, BEHAVIORS)


@BEHAVIOR.rule(
    "E153",
    "an ask callout needs the control channel",
    explanation="""An ask callout sends its question to user mode as an event through the
    control channel and takes the answer back through it (IOCTL_<DRIVER>_LISTEN and
    _ANSWER); without [channel] enabled = true nothing could ever answer.""",
    fix="Add `[channel] enabled = true` to the spec (or run `wfpgen add channel`), or use another behavior.",
    source=f"{CHANNEL_DOC}; {BEHAVIOR_DOC}",
)
def ask_without_channel(subject: Behavior) -> str | None:
    """An ask callout while the channel is off."""
    if canonical_behavior(subject.text) != "ask" or subject.channel:
        return None
    return "ask needs the control channel to reach user mode; add `[channel] enabled = true` to the spec (or run `wfpgen add channel`)"


ASYNC_SOURCE = "Microsoft Learn: Processing Classify Callouts Asynchronously"


def _behavior(subject: CalloutAt) -> str | None:
    """The callout's behavior, canonical; None when E152 already refused it."""
    return canonical_behavior(subject.callout.behavior)


@CALLOUT_AT.rule(
    "E231",
    "ask at a layer where wfpgen cannot pend the classify",
    at=".behavior",
    explanation="""An ask callout pends the classify with FwpsPendOperation0 and completes it
    with FwpsCompleteOperation0 when the answer comes. wfpgen follows Microsoft Learn's
    "Processing Classify Callouts Asynchronously", which says how the verdict reaches the
    operation after completion at ALE_AUTH_CONNECT (a reauthorization classify returns
    it) and ALE_AUTH_RECV_ACCEPT (the cloned packet is reinjected or dropped). The FwpsPendOperation0 page also names ALE_RESOURCE_ASSIGNMENT and
    ALE_AUTH_LISTEN, without saying how a verdict is returned there, so wfpgen does not
    generate it. Discard layers see traffic already dropped and ALE_FLOW_ESTABLISHED does
    not support asynchronous processing.""",
    fix='Move the callout to ALE_AUTH_CONNECT_V4/V6 or ALE_AUTH_RECV_ACCEPT_V4/V6, or use behavior = "decide".',
    source=f"{ASYNC_SOURCE}; FwpsPendOperation0 function (fwpsk.h); Windows-driver-samples: inspect",
)
def ask_misplaced(subject: CalloutAt) -> str | None:
    """An ask callout at a layer other than ALE_AUTH_CONNECT/RECV_ACCEPT."""
    if _behavior(subject) != "ask" or "ask" in behaviors_at(subject.layer):
        return None
    return f"{subject.layer.name} cannot ask user mode; ask works at ALE_AUTH_CONNECT_V4/V6 and ALE_AUTH_RECV_ACCEPT_V4/V6 (`wfpgen layers LAYER` shows a layer's behaviors)"


@CALLOUT_AT.rule(
    "E232",
    "reinject at a layer wfpgen cannot inject into",
    at=".behavior",
    explanation="""A reinject callout clones the packet, absorbs the original and injects the
    clone with the injection function of its layer: FwpsInjectTransportSendAsync0 or
    FwpsInjectTransportReceiveAsync0 at the transport and DATAGRAM_DATA layers,
    FwpsInjectNetworkSendAsync0 or FwpsInjectNetworkReceiveAsync0 at the IP packet layers.
    wfpgen generates those, and no reinject callout elsewhere: the stream layers inject
    with FwpsStreamInjectAsync0, forwarding with FwpsInjectForwardAsync0 and the MAC and
    vSwitch layers with functions of their own; the ICMP error and ALE layers are not
    generated (at ALE_AUTH_RECV_ACCEPT an ask callout reinjects the pended packet
    itself); discard layers see traffic already dropped.""",
    fix='Move the callout to an INBOUND/OUTBOUND_TRANSPORT, DATAGRAM_DATA or INBOUND/OUTBOUND_IPPACKET layer, or use behavior = "decide".',
    source=f"{ASYNC_SOURCE}; Packet Injection Functions; Windows-driver-samples: inspect",
)
def reinject_misplaced(subject: CalloutAt) -> str | None:
    """A reinject callout outside the transport, datagram-data and IP packet layers."""
    if _behavior(subject) != "reinject" or "reinject" in behaviors_at(subject.layer):
        return None
    return f"{subject.layer.name} cannot reinject; reinject works at INBOUND/OUTBOUND_TRANSPORT, DATAGRAM_DATA and INBOUND/OUTBOUND_IPPACKET (V4/V6, not _DISCARD)"


@CALLOUT_AT.rule(
    "E233",
    "ask and reinject need a filter that may block",
    at=".action",
    explanation="""Pending a classify and absorbing a packet both mean returning FWP_ACTION_BLOCK
    with FWPS_CLASSIFY_OUT_FLAG_ABSORB set. A filter whose action is
    FWP_ACTION_CALLOUT_INSPECTION tells the engine the callout never blocks, so the callout
    cannot pend or absorb there.""",
    fix='Use action = "terminating" (the default at these layers) or "unknown".',
    source=f"{ASYNC_SOURCE}; FwpsPendOperation0 function (fwpsk.h); FWPM_ACTION0 structure",
)
def asynchronous_inspection(subject: CalloutAt) -> str | None:
    """An ask or reinject callout with an inspection filter."""
    behavior = _behavior(subject)
    if behavior not in ("ask", "reinject") or subject.action != "inspection":
        return None
    if behavior not in behaviors_at(subject.layer):
        return None  # E231 or E232 says what is wrong
    return f'{behavior} returns FWP_ACTION_BLOCK with FWPS_CLASSIFY_OUT_FLAG_ABSORB, which an inspection filter cannot; use action = "terminating"'


@CALLOUT_AT.rule(
    "E234",
    "reinject with ALLOW_URO",
    at=".flags",
    explanation="""With FWP_CALLOUT_FLAG_ALLOW_URO the callout receives UDP receive-offload
    packets of up to 64K, and Microsoft documents that such a callout must not clone and
    reinject inbound URO packets, which is all a reinject callout does.""",
    fix='Drop ALLOW_URO (Windows then disables URO for the callout\'s traffic), or use behavior = "decide".',
    source="Microsoft Learn: FWPS_CALLOUT3 structure (fwpsk.h), FWP_CALLOUT_FLAG_ALLOW_URO",
)
def reinject_uro(subject: CalloutAt) -> str | None:
    """A reinject callout with ALLOW_URO set."""
    if _behavior(subject) != "reinject" or "ALLOW_URO" not in subject.flags:
        return None
    if subject.layer.name.startswith("OUTBOUND_") or "reinject" not in behaviors_at(subject.layer):
        return None  # E224 or E232 says what is wrong
    return (
        "a callout with ALLOW_URO must not clone and reinject inbound URO packets; drop ALLOW_URO"
    )
