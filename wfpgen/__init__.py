"""wfpgen: scaffold Windows Filtering Platform callout drivers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wfpgen")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
