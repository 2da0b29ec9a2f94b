"""Read a spec file and write the answers file (``wfpgen.toml``) of a project."""

import codecs
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from wfpgen.core.spec import ProjectSpec, spec_to_raw
from wfpgen.errors import Problem, SpecError
from wfpgen.limits import SPEC_BYTES, TooLargeError, read_file_at_most

ANSWERS_FILE = "wfpgen.toml"
_HEADER = (
    "# The spec this project was generated from, with every generated GUID.\n"
    "# `wfpgen new --config wfpgen.toml` reproduces the project byte for byte.\n"
)


def read_spec_file(path: Path, *, option: str = "") -> dict[str, Any]:
    """The raw mapping in a TOML spec file (problems E101-E104, wfpgen.core.validation).

    Problems name the file as the caller got it: ``option`` and the path
    (``--config spec.toml``), or the path alone for a command's argument or a
    project's own ``wfpgen.toml``.

    Reading stops at ``WFPGEN_MAX_SPEC_BYTES`` (1 MiB): ``--config /dev/zero``
    is refused after one mebibyte, and a signal stops a read that waits.

    Raises:
        SpecError: the file cannot be read, is too large or is not valid TOML.
    """
    where = f"{option} {path}" if option else str(path)
    try:
        data = read_file_at_most(path, SPEC_BYTES)
    except TooLargeError as err:
        raise SpecError(
            [
                Problem(
                    where, f"{err}; a spec is a few kilobytes: is it the right file?", code="E104"
                )
            ]
        ) from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise SpecError([Problem(where, f"cannot read the file: {reason}", code="E101")]) from err
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpecError(
            [
                Problem(
                    where,
                    "contains NUL bytes: UTF-16 without a byte-order mark? "
                    "save it as UTF-8, e.g. with Out-File -Encoding utf8 in PowerShell",
                    code="E102",
                )
            ]
        )
    try:
        text = decode_spec(data)
    except UnicodeDecodeError as err:
        raise SpecError(
            [
                Problem(
                    where,
                    f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); "
                    "save it as UTF-8, e.g. with Out-File -Encoding utf8 in PowerShell",
                    code="E102",
                )
            ]
        ) from err
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SpecError([Problem(where, f"not valid TOML: {err}", code="E103")]) from err
    except RecursionError as err:
        raise SpecError(
            [
                Problem(
                    where,
                    "arrays or tables nested too deeply; a spec needs two levels",
                    code="E103",
                )
            ]
        ) from err


def decode_spec(data: bytes) -> str:
    """The text of a spec file: UTF-8, with or without a byte-order mark, or UTF-16 with one.

    Windows PowerShell 5.1 writes UTF-16 (``>``, ``Out-File``) or UTF-8 with a
    byte-order mark (``Set-Content -Encoding utf8``); both carry a mark, so
    reading them is unambiguous.

    Raises:
        UnicodeDecodeError: the bytes are none of these.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def answers_text(spec: ProjectSpec, *, version: str) -> str:
    """The content of ``wfpgen.toml`` for a resolved spec."""
    return _HEADER + "\n" + tomli_w.dumps(spec_to_raw(spec, version=version))
