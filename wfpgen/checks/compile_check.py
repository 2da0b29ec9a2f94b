"""Compile generated driver sources with libclang, the way ``wdk-check`` does.

The tests use this module to prove that a rendered project is valid C for the
Windows kernel: every kernel-mode ``.c`` file is parsed by clang in MSVC mode
against either the declaration-only stand-ins in ``templates/wfp-callout/templates/wdk``
(CI, where there is no WDK) or a real WDK header tree made by the
``wdk-headers`` tool. The flags are those of ``shared/tools/wdk-check``: the
same target, MSVC compatibility switches, predefined macros, warning set and
list of warnings that count as errors (``FATAL``).

Clang comes from the PyPI ``libclang`` wheel (``import clang.cindex``), so a
test machine needs pip and nothing else.

Builtin headers: libclang looks for its resource directory relative to the
shared library's install dir; the wheel ships no such directory and reports an
empty install dir, so the lookup ends in the *current working directory*
(``lib/clang/<major>/include``). The check therefore keeps wdk-check's
``-nostdinc``, which also drops the builtin directory, and needs no builtin
header: the real tree brings ``stddef.h``, ``stdarg.h``, ``intrin.h`` and
friends in ``ddk/km/crt`` and the stubs are self-contained. When a clang
resource dir is wanted anyway (a header outside both), set
``WFPGEN_CLANG_RESOURCE_DIR`` to it; its ``include`` folder is searched last,
as wdk-check does with ``clang -print-resource-dir``.

Run by hand::

    python wfpgen/checks/compile_check.py PROJECT_DIR [--headers stub|/tmp/wdk]
        [--ntddi 0x0A00000B] [--kmdf 1.33]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from wfpgen.errors import WfpgenError

CHECK_EXTRA_HINT = "install the check extra: python -m pip install 'wfpgen[check]'"


class CheckUnavailableError(WfpgenError):
    """libclang (the ``check`` extra) is not installed."""


def _cindex() -> Any:
    """The libclang Python binding, imported on first use (an optional dependency)."""
    try:
        import clang.cindex as ci  # type: ignore[import-untyped]
    except ImportError as err:
        raise CheckUnavailableError(
            "the compile check needs libclang, which is not installed", CHECK_EXTRA_HINT
        ) from err
    return ci


def _stub_include() -> Path:
    """The built-in template's WDK stand-ins: the packaged copy first, then the checkout's.

    The generated simulation includes the same files (tests/sim/include), so the
    compile check and the simulation share one set of declarations.
    """
    package = Path(__file__).resolve().parents[1]
    inside = Path("wfp-callout") / "templates" / "wdk"
    packaged = package / "templates" / inside
    return packaged if packaged.is_dir() else package.parent / "templates" / inside


#: Declaration-only WDK stand-ins used when ``headers="stub"``.
STUB_INCLUDE = _stub_include()

#: Warnings that are bugs in driver code (wdk-check's FATAL list, same order).
FATAL: tuple[str, ...] = (
    "-Werror=incompatible-function-pointer-types",
    "-Werror=incompatible-pointer-types",
    "-Werror=incompatible-pointer-types-discards-qualifiers",
    "-Werror=int-conversion",
    "-Werror=implicit-function-declaration",
    "-Werror=return-type",
    "-Werror=uninitialized",
    "-Werror=sometimes-uninitialized",
    "-Werror=unused-variable",
    "-Werror=unused-but-set-variable",
    "-Werror=missing-braces",
    "-Werror=format",
    "-Werror=shadow",
    "-Werror=sizeof-pointer-memaccess",
    "-Werror=pointer-sign",
)

#: Warning switches of wdk-check, before FATAL.
WARNINGS: tuple[str, ...] = (
    "-Wall",
    "-Wextra",
    "-Wno-unused-parameter",
    "-Wno-microsoft",
    "-Wno-pragma-pack",
    "-Wno-unknown-pragmas",
    "-Wno-ignored-attributes",
    "-Wno-ignored-pragma-intrinsic",
    "-Wno-nonportable-include-path",
    "-Wno-missing-field-initializers",
    "-Wno-language-extension-token",
    "-Wno-unused-value",
    "-Wno-sign-compare",
    "-Wno-unused-function",
    "-Wno-comment",
    "-Wno-pragma-once-outside-header",
)

#: Folders holding user-mode code, skipped like wdk-check does (lower case).
USER_MODE_DIRS = frozenset(
    {"tool", "tools", "ctl", "app", "um", "usermode", "user", "test", "tests"}
)

#: Sub-folders of a ``wdk-headers`` tree, in wdk-check's search order; the KMDF
#: folder ``wdf/src/publicinc/wdf/kmdf/<major>.<minor>`` follows them.
REAL_TREE_DIRS: tuple[str, ...] = (
    "ddk/km/crt",
    "ddk/km",
    "ddk/shared",
    "sdk/shared",
    "sdk-old/Include/10.0.16299.0/shared",
)

RESOURCE_DIR_ENV = "WFPGEN_CLANG_RESOURCE_DIR"

Severity = Literal["warning", "error", "fatal"]
Headers = Literal["stub"] | Path

# clang's CXDiagnosticSeverity values (ignored and note diagnostics are skipped).
_SEVERITY: dict[int, Severity] = {2: "warning", 3: "error", 4: "fatal"}
_PREPROCESSOR_DEFINITIONS = re.compile(
    r"<PreprocessorDefinitions>([^<]*)</PreprocessorDefinitions>"
)


@dataclass(frozen=True)
class Diagnostic:
    """One warning or error clang reported."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    option: str

    @property
    def is_error(self) -> bool:
        """Whether the diagnostic fails the build (errors, promoted warnings)."""
        return self.severity != "warning"

    def format(self, root: Path | None = None) -> str:
        """``file:line:col: severity: message [option]``, file relative to root."""
        name = self.file
        if root is not None and name:
            with contextlib.suppress(ValueError):
                name = Path(name).relative_to(root).as_posix()
        option = f" [{self.option}]" if self.option else ""
        return f"{name}:{self.line}:{self.column}: {self.severity}: {self.message}{option}"


def resource_include_dir() -> Path | None:
    """The clang builtin-header folder to search last, if one is configured."""
    configured = os.environ.get(RESOURCE_DIR_ENV)
    if configured:
        include = Path(configured) / "include"
        return include if include.is_dir() else None
    # A libclang that ships its resource dir keeps it in <prefix>/lib/clang/<N>.
    native = Path(_cindex().__file__).resolve().parent / "native"
    found = sorted(native.parent.glob("lib/clang/*/include")) + sorted(
        native.glob("lib/clang/*/include")
    )
    return found[-1] if found else None


def clang_args(
    *,
    include_dirs: Sequence[Path],
    defines: Sequence[str],
    ntddi: str,
    kmdf: tuple[int, int],
    win32_winnt: str = "0x0A00",
) -> list[str]:
    """The command-line arguments wdk-check passes to clang (minus the file).

    ``win32_winnt`` is wdk-check's fixed ``_WIN32_WINNT``/``WINVER`` (0x0A00);
    only a Windows Vista NTDDI_VERSION needs another (0x0600), because the
    kit rejects a Vista NTDDI_VERSION with any other _WIN32_WINNT.
    """
    major, minor = kmdf
    args = [
        "--target=x86_64-pc-windows-msvc",
        "-fms-compatibility",
        "-fms-extensions",
        "-fms-compatibility-version=19.29",
        "-nostdinc",
        "-D_AMD64_",
        "-D_WIN64",
        "-DAMD64",
        "-D_KERNEL_MODE",
        "-DUNICODE",
        "-D_UNICODE",
        f"-DNTDDI_VERSION={ntddi}",
        f"-D_WIN32_WINNT={win32_winnt}",
        f"-DWINVER={win32_winnt}",
        f"-DKMDF_VERSION_MAJOR={major}",
        f"-DKMDF_VERSION_MINOR={minor}",
    ]
    for folder in include_dirs:
        args += ["-isystem", str(folder)]
    resource = resource_include_dir()
    if resource is not None:
        args += ["-isystem", str(resource)]
    args += [*WARNINGS, *FATAL]
    args += [f"-D{d}" for d in defines]
    return args


def compile_c(
    source: Path,
    *,
    include_dirs: Sequence[Path],
    defines: Sequence[str],
    ntddi: str,
    kmdf: tuple[int, int],
    win32_winnt: str = "0x0A00",
) -> list[Diagnostic]:
    """Parse one C file and return its warnings and errors.

    ``include_dirs`` are system include folders in search order (the stub
    folder or the real tree's folders); the source's own folder is added as a
    quoted-include folder, as wdk-check does. ``ntddi`` is the NTDDI_VERSION
    value (``0x0A000008`` or an ``NTDDI_*`` name) and ``kmdf`` the KMDF
    (major, minor) version.
    """
    args = clang_args(
        include_dirs=include_dirs,
        defines=defines,
        ntddi=ntddi,
        kmdf=kmdf,
        win32_winnt=win32_winnt,
    )
    args += ["-I", str(source.parent)]
    index = _cindex().Index.create()
    tu = index.parse(str(source), args=args)
    result: list[Diagnostic] = []
    for diag in tu.diagnostics:
        severity = _SEVERITY.get(diag.severity)
        if severity is None:
            continue
        location = diag.location
        result.append(
            Diagnostic(
                file=str(location.file.name) if location.file else "",
                line=int(location.line),
                column=int(location.column),
                severity=severity,
                message=str(diag.spelling),
                option=str(diag.option or ""),
            )
        )
    return result


def vcxproj_defines(project_dir: Path) -> list[str]:
    """Preprocessor definitions of the first .vcxproj in ``project_dir``.

    Every ``<PreprocessorDefinitions>`` group is read (all configurations and
    platforms), split on ``;``, and MSBuild references such as
    ``%(PreprocessorDefinitions)`` or ``$(Foo)`` are dropped; duplicates are
    kept once, in order of appearance. No .vcxproj means no definitions.
    """
    projects = sorted(p for p in project_dir.iterdir() if p.suffix == ".vcxproj")
    if not projects:
        return []
    text = projects[0].read_text(encoding="utf-8-sig", errors="replace")
    defines: list[str] = []
    for group in _PREPROCESSOR_DEFINITIONS.findall(text):
        for item in group.split(";"):
            name = item.strip()
            if name and not name.startswith(("%(", "$(")) and name not in defines:
                defines.append(name)
    return defines


def kmdf_include_dir(tree: Path, kmdf: tuple[int, int]) -> Path:
    """The KMDF header folder of a wdk-headers tree for ``kmdf``.

    A tree built from the open-source WDF repository starts at KMDF 1.15, while
    Windows 7 and 8 drivers bind to 1.9 and 1.11. A version older than every
    folder in the tree is checked with the oldest folder: KMDF_VERSION_MINOR
    still carries the requested version, and those headers accept it. A
    version missing inside the tree's range (1.29 never shipped) is an error.
    """
    base = tree / "wdf/src/publicinc/wdf/kmdf"
    exact = base / f"{kmdf[0]}.{kmdf[1]}"
    if exact.is_dir():
        return exact
    available = sorted(
        (version, folder)
        for folder in (base.iterdir() if base.is_dir() else ())
        if (version := _parse_version(folder.name)) is not None
    )
    if available and kmdf < available[0][0]:
        return available[0][1]
    msg = f"no KMDF {kmdf[0]}.{kmdf[1]} headers under {base}"
    raise FileNotFoundError(msg)


def _parse_version(text: str) -> tuple[int, int] | None:
    major, dot, minor = text.partition(".")
    if not (dot and major.isdigit() and minor.isdigit()):
        return None
    return int(major), int(minor)


def include_dirs_for(headers: Headers, kmdf: tuple[int, int]) -> list[Path]:
    """System include folders for the stubs or for a real wdk-headers tree."""
    if headers == "stub":
        return [STUB_INCLUDE]
    tree = Path(headers).resolve()
    return [*(tree / d for d in REAL_TREE_DIRS), kmdf_include_dir(tree, kmdf)]


def kernel_sources(project_dir: Path) -> list[Path]:
    """The kernel-mode .c files of a project (user-mode folders skipped)."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(project_dir):
        dirs[:] = sorted(
            d for d in dirs if d.lower() not in USER_MODE_DIRS and not d.startswith(".")
        )
        found += (Path(folder) / f for f in sorted(files) if f.endswith(".c"))
    return sorted(found)


def check_project(
    project_dir: Path,
    *,
    headers: Headers,
    ntddi: str,
    kmdf: tuple[int, int],
    defines: Sequence[str] = (),
    win32_winnt: str = "0x0A00",
) -> list[Diagnostic]:
    """Compile every kernel .c file of a project; return all diagnostics.

    Each file gets the definitions of the .vcxproj in its folder, then
    ``defines``. Raises ``FileNotFoundError`` when there is no kernel source,
    so an empty render cannot pass silently.
    """
    sources = kernel_sources(project_dir)
    if not sources:
        msg = f"no kernel .c files under {project_dir}"
        raise FileNotFoundError(msg)
    include_dirs = include_dirs_for(headers, kmdf)
    result: list[Diagnostic] = []
    for source in sources:
        result += compile_c(
            source,
            include_dirs=include_dirs,
            defines=[*vcxproj_defines(source.parent), *defines],
            ntddi=ntddi,
            kmdf=kmdf,
            win32_winnt=win32_winnt,
        )
    return result


#: Known-bad C files that every header set must reject (see their README).
CANARY_DIR = Path(__file__).resolve().parents[1] / "wdk_stubs" / "canaries"
_CANARY_SETTING = re.compile(r"^//\s*(expect|ntddi|defines):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Canary:
    """A C file that must fail to compile, and how to compile it."""

    source: Path
    expect: str
    ntddi: str = "0x0A00000B"
    defines: tuple[str, ...] = ("NDIS630",)

    def check(self, headers: Headers, kmdf: tuple[int, int] = (1, 33)) -> list[Diagnostic]:
        """Compile the canary; return its diagnostics."""
        return compile_c(
            self.source,
            include_dirs=include_dirs_for(headers, kmdf),
            defines=self.defines,
            ntddi=self.ntddi,
            kmdf=kmdf,
        )

    def caught(self, diags: Sequence[Diagnostic]) -> bool:
        """Whether an error mentions what the canary expects."""
        return any(
            d.is_error and (self.expect in d.option or self.expect in d.message) for d in diags
        )


def canaries(folder: Path = CANARY_DIR) -> list[Canary]:
    """The canaries in ``folder``, with the settings their comments give."""
    found = []
    for source in sorted(folder.glob("*.c")):
        settings = dict(_CANARY_SETTING.findall(source.read_text(encoding="utf-8")))
        defines = settings.get("defines", "NDIS630")
        found.append(
            Canary(
                source=source,
                expect=settings["expect"],
                ntddi=settings.get("ntddi", "0x0A00000B"),
                defines=tuple(d.strip() for d in defines.split(",") if d.strip()),
            )
        )
    return found


def format_diagnostics(diags: Sequence[Diagnostic], root: Path | None = None) -> str:
    """One diagnostic per line (empty string when there are none)."""
    return "\n".join(d.format(root) for d in diags)


def _parse_kmdf(text: str) -> tuple[int, int]:
    version = _parse_version(text)
    if version is None:
        msg = f"not a KMDF version: {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return version


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: print diagnostics, exit 1 on any error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--headers", default="stub", help="'stub' or a wdk-headers tree")
    parser.add_argument("--ntddi", default="0x0A00000B")
    parser.add_argument("--kmdf", default="1.33", type=_parse_kmdf)
    parser.add_argument("--win32-winnt", default="0x0A00", help="0x0600 for a Vista NTDDI")
    parser.add_argument("--defines", default="", help="extra comma-separated macros")
    ns = parser.parse_args(argv)
    headers: Headers = "stub" if ns.headers == "stub" else Path(ns.headers)
    diags = check_project(
        ns.project,
        headers=headers,
        ntddi=ns.ntddi,
        kmdf=ns.kmdf,
        defines=[d for d in ns.defines.split(",") if d],
        win32_winnt=ns.win32_winnt,
    )
    if diags:
        print(format_diagnostics(diags, ns.project.resolve()))
    errors = sum(d.is_error for d in diags)
    print(f"{len(diags)} diagnostics, {errors} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
