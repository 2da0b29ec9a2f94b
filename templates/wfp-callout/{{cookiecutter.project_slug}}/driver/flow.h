{% if cookiecutter.driver.has_flow_contexts -%}
//
// flow.h - contexts that follow a flow.
//
// At ALE_FLOW_ESTABLISHED a FLOW_CONTEXT is attached to a flow for one
// callout; WFP then hands it to that callout's classifyFn as flowContext,
// and to its flowDeleteFn, exactly once, when the flow ends or the context
// is removed.
//

#pragma once

#include "driver.h"

typedef struct _FLOW_CONTEXT {
    LIST_ENTRY Link; // in the list of attached contexts; linked to itself once FlowRemoveAll took it off
    UINT64 FlowId;
    UINT16 LayerId;
    UINT32 CalloutId;
} FLOW_CONTEXT;

_IRQL_requires_(PASSIVE_LEVEL)
void
FlowInitialize(
    void
    );

//
// Contexts are attached only between FlowStart and FlowStop: while every
// callout is registered.
//
_IRQL_requires_(PASSIVE_LEVEL)
void
FlowStart(
    void
    );

_IRQL_requires_(PASSIVE_LEVEL)
void
FlowStop(
    void
    );

_IRQL_requires_(PASSIVE_LEVEL)
void
FlowRemoveAll(
    void
    );

_IRQL_requires_max_(DISPATCH_LEVEL)
void
FlowAttach(
    _In_ const FWPS_INCOMING_METADATA_VALUES0* inMetaValues,
    _In_ CALLOUT_INDEX target,
    _In_ UINT16 layerId
    );
{%- for name, c in cookiecutter.callouts.items() if c.flow_context %}

_IRQL_requires_max_(DISPATCH_LEVEL)
void
NTAPI
{{ c.flow_delete_fn }}(
    _In_ UINT16 layerId,
    _In_ UINT32 calloutId,
    _In_ UINT64 flowContext
    );
{%- endfor %}
{% endif -%}
