"""Shell completion of layer names, flags and Windows ids, answered from the catalog."""

import typer

from wfpgen.core.catalog_data import kernel_layer_summaries, windows_titles

# Layer names and Windows ids come from the small completion index; the
# catalog's objects are built only to complete flags (which need the rules).


def _same_case(value: str, typed: str) -> str:
    """``value`` in lower case when the user types in lower case (wfpgen accepts any case)."""
    return value.lower() if typed and typed == typed.lower() and typed != typed.upper() else value


def _short(text: str, limit: int = 60) -> str:
    """Completion help fits one line: shells show it beside the value."""
    first = text.split(";")[0].rstrip(".")
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _layer_items(typed: str) -> list[tuple[str, str]]:
    upper = typed.upper()
    prefix = next((p for p in ("FWPS_LAYER_", "FWPM_LAYER_") if upper.startswith(p)), "")
    rest = upper.removeprefix(prefix)
    return [
        (typed[: len(prefix)] + _same_case(name, typed[len(prefix) :]), _short(summary))
        for name, summary in kernel_layer_summaries()
        if name.startswith(rest)
    ]


def complete_layer(incomplete: str) -> list[tuple[str, str]]:
    """Layer names for ``layers NAME`` and ``flags --layer``."""
    return _layer_items(incomplete)


def complete_min_os(incomplete: str) -> list[tuple[str, str]]:
    """Windows ids for ``--min-os``."""
    wanted = incomplete.lower()
    return [(id_, title) for id_, title in windows_titles() if id_.startswith(wanted)]


def complete_callout(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """``NAME:LAYER[:FLAG,FLAG]`` for ``--callout``: the layer, then the flags that fit it."""
    from wfpgen.core.catalog import load_catalog, normalize_flag_name
    from wfpgen.core.validation import usable_flags

    parts = incomplete.split(":")
    if len(parts) == 2:
        return [(f"{parts[0]}:{value}", help_) for value, help_ in _layer_items(parts[1])]
    if len(parts) != 3:
        return []
    catalog = load_catalog()
    layer = catalog.find_layer(parts[1])
    windows = catalog.find_windows(str(ctx.params.get("min_os") or "")) or catalog.windows[-1]
    if layer is None:
        return []
    *done, typed = parts[2].split(",")
    head = ":".join(parts[:2]) + ":" + "".join(f"{flag}," for flag in done)
    chosen = {normalize_flag_name(flag) for flag in done}
    return [
        (head + _same_case(flag.name, typed), _short(flag.summary))
        for flag in usable_flags(catalog, layer, windows)
        if flag.name.startswith(normalize_flag_name(typed)) and flag.name not in chosen
    ]


def complete_behavior(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Behaviors for ``add callout --behavior``: those the callout's layer allows, if typed."""
    from wfpgen.core.catalog import load_catalog
    from wfpgen.core.reference import BEHAVIORS_TEXT
    from wfpgen.core.validation import behaviors_at

    allowed: tuple[str, ...] = tuple(BEHAVIORS_TEXT)
    # While completing, Click may leave the positional NAME:LAYER in ctx.args.
    typed = [str(ctx.params.get("callout") or ""), *map(str, ctx.args)]
    layers = [p.split(":")[1] for p in typed if p.count(":") >= 1]
    layer = load_catalog().find_layer(layers[0]) if layers else None
    if layer is not None:
        allowed = behaviors_at(layer)
    wanted = incomplete.lower()
    return [(b, BEHAVIORS_TEXT[b]) for b in allowed if b.startswith(wanted)]
