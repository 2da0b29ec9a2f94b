"""How spec names become C names: shared by validation and the template context."""

import re


def upper_snake(name: str) -> str:
    """``ConnectV4`` -> ``CONNECT_V4``; ``WfpCallout`` -> ``WFP_CALLOUT``."""
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[A-Z]", name.replace("_", " "))
    snake = "_".join(words).upper()
    return re.sub(r"_(\d+)", r"\1", snake) if snake else name.upper()
