"""wfpgen: scaffold Windows Filtering Platform callout drivers."""

# The single source of the version: the build (hatch) reads it from here, so the
# CLI needs no importlib.metadata scan (tens of milliseconds) to print it.
__version__ = "0.2.0"

__all__ = ["__version__"]
