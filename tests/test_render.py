"""The rendering engine: cookiecutter's semantics, safety rules, error messages.

Outside templates come from tmp folders and run through the real CLI (exit
status, messages, nothing written, also under --dry-run) or through the
render API (``trusted``).
"""

import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import RunCli, tree_files
from wfpgen.errors import ExitCode, TemplateError, UntrustedTemplateError
from wfpgen.templating.output_paths import check_output_path
from wfpgen.templating.render import render_files, render_project, template_dir

SLUG = "{{cookiecutter.project_slug}}"


def make_template(root: Path, files: dict[str, str | bytes], **settings: object) -> Path:
    """A cookiecutter template in ``root`` with ``files`` below its project folder."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "cookiecutter.json").write_text(json.dumps({"project_slug": "demo", **settings}))
    for name, content in files.items():
        path = root / SLUG / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root


def new_with(run_cli: RunCli, template: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("new", "--no-input", "--template", template, "-o", out, *extra)
    return result.exit_code, result.stderr


def nothing_written(tmp_path: Path, out: Path) -> bool:
    return not out.exists() and not (tmp_path / "escaped.txt").exists()


# --- cookiecutter semantics ------------------------------------------------


def test_names_binary_copy_only_modes_and_includes(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t",
        {
            "{{cookiecutter.name}}.txt": "hello {{ cookiecutter.name }}\n",
            "logo.bin": b"\x89PNG\r\n\x00\x01{{ not rendered }}",
            "raw/{{cookiecutter.name}}.txt": "{{ kept as is }}\n",
            "inc.txt": "{% include 'part.txt' %}",
            "{% if cookiecutter.flag %}maybe.txt{% endif %}": "conditional\n",
            "script.sh": "#!/bin/sh\necho {{ cookiecutter.name }}\n",
        },
        _copy_without_render=["raw"],
    )
    (template / "templates").mkdir()
    (template / "templates" / "part.txt").write_text("from templates/ {{ cookiecutter.name }}\n")
    (template / SLUG / "script.sh").chmod(0o755)
    project = render_project(
        template, {"project_slug": "p", "name": "x", "flag": False}, tmp_path / "out"
    )
    assert project == tmp_path / "out" / "p"
    assert [p.as_posix() for p in tree_files(project)] == [
        "inc.txt",
        "logo.bin",
        "raw/{{cookiecutter.name}}.txt",
        "script.sh",
        "x.txt",
    ]
    assert (project / "x.txt").read_text() == "hello x\n"
    assert (project / "logo.bin").read_bytes() == b"\x89PNG\r\n\x00\x01{{ not rendered }}"
    assert (project / "raw" / "{{cookiecutter.name}}.txt").read_text() == "{{ kept as is }}\n"
    assert (project / "inc.txt").read_text() == "from templates/ x\n"
    assert stat.S_IMODE((project / "script.sh").stat().st_mode) & 0o111


def test_a_header_comment_does_not_keep_a_file_that_renders_to_nothing(tmp_path: Path) -> None:
    body = "{% if cookiecutter.on -%}\nint x;\n{% endif -%}\n"
    template = make_template(
        tmp_path / "t",
        {
            "a.c": "// Copyright Contoso\n/* licence\n   text */\n" + body,
            "b.ps1": "# Copyright Contoso\n<# more #>\n" + body,
            "c.vcxproj": '<?xml version="1.0"?>\n<!-- Copyright -->\n' + body,
            "d.inx": "; Copyright Contoso\n" + body,
            "e.txt": "Copyright Contoso\n" + body,  # no comment syntax: kept
        },
    )
    off = render_files(template, {"project_slug": "p", "on": False})
    assert [f.path.as_posix() for f in off.files] == ["e.txt"]
    on = render_files(template, {"project_slug": "p", "on": True})
    assert len(on.files) == 5
    assert next(f for f in on.files if f.path.name == "a.c").data.startswith(
        b"// Copyright Contoso\r\n/* licence"
    )


def test_a_header_line_keeps_its_newline_in_the_builtin_template(tmp_path: Path) -> None:
    """The built-in templates' first-line tags must not strip a team's header newline."""
    import shutil

    template = tmp_path / "t"
    shutil.copytree(template_dir(), template)
    context = json.loads((template / "cookiecutter.json").read_text())
    before = {f.path: f.data for f in render_files(template, context).files}
    for path in (template / SLUG).rglob("*"):
        # Conditional files carry their condition in the name: engine.c{% endif %}.
        if path.name.removesuffix("{% endif %}").endswith((".c", ".h")):
            path.write_bytes(b"// Copyright Contoso\r\n" + path.read_bytes())
    after = {f.path: f.data for f in render_files(template, context).files}
    assert after.keys() == before.keys()  # flow.c and flow.h stay left out
    for path, data in after.items():
        if path.suffix in (".c", ".h"):
            assert data == b"// Copyright Contoso\r\n" + before[path], path


# --- safety ----------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("{{ '..' }}/escaped.txt", "'..'"),
        ("{{ '%ctmp' % 47 }}/escaped.txt", "absolute path"),  # the value brings the slash
        ("{{ '' }}/escaped.txt", "renders to nothing"),
        ("{{ 'C:' }}escaped.txt", "drive letter"),
        ("{{ 'CON' }}.txt", "reserves for a device"),
        ("{{ 'a' }}\\..\\escaped.txt", "'\\\\'"),
    ],
)
def test_file_names_that_leave_the_project_are_refused(
    run_cli: RunCli, tmp_path: Path, name: str, reason: str, dry_run: bool
) -> None:
    template = make_template(tmp_path / "t", {"ok.txt": "fine\n", name: "bad\n"})
    out = tmp_path / "out"
    code, stderr = new_with(run_cli, template, out, *(["--dry-run"] if dry_run else []))
    assert code == ExitCode.FAILURE, stderr
    assert reason in stderr and "nothing was written" in stderr
    assert nothing_written(tmp_path, out)
    assert not list(tmp_path.parent.glob("escaped.txt"))


@pytest.mark.parametrize(
    ("name", "refused"),
    [
        ("a/b.txt", False),
        ("../x", True),
        ("a/../../x", True),
        ("/etc/passwd", True),
        ("\\\\server\\share", True),
        ("c:/x", True),
        ("nul", True),
        ("Com1.txt", True),
        ("lpt9.log", True),
        ("console.txt", False),
        ("a:b", True),
        ("x.", True),
        ("x ", True),
        ("a//b", True),
        ("tab\there", True),
        ("ok name.c", False),
    ],
)
def test_output_path_rules(name: str, refused: bool) -> None:
    assert (check_output_path(name) is not None) == refused


@pytest.mark.parametrize("dry_run", [False, True])
def test_symlinks_in_a_template_are_refused(run_cli: RunCli, tmp_path: Path, dry_run: bool) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private key\n")
    template = make_template(tmp_path / "t", {"ok.txt": "fine\n"})
    (template / SLUG / "link.txt").symlink_to(secret)
    out = tmp_path / "out"
    code, stderr = new_with(run_cli, template, out, *(["--dry-run"] if dry_run else []))
    assert code == ExitCode.FAILURE
    assert "link.txt is a symbolic link" in stderr
    assert not out.exists()


def test_a_linked_folder_is_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"ok.txt": "fine\n"})
    (tmp_path / "elsewhere").mkdir()
    (template / SLUG / "dir").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(TemplateError, match="symbolic link"):
        render_files(template, {"project_slug": "p"})


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
        "{{ lipsum.__globals__['os'].popen('touch MARKER').read() }}",
        "{{ cookiecutter.__class__.__init__.__globals__ }}",
    ],
)
def test_the_sandbox_blocks_python_internals(
    run_cli: RunCli, tmp_path: Path, expression: str, dry_run: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    template = make_template(tmp_path / "t", {"evil.txt": f"line 1\n{expression}\n"})
    out = tmp_path / "out"
    code, stderr = new_with(run_cli, template, out, *(["--dry-run"] if dry_run else []))
    assert code == ExitCode.UNTRUSTED_TEMPLATE, stderr
    assert "evil.txt, line 2" in stderr and "sandbox" in stderr and "--trust" in stderr
    assert not out.exists()
    assert not (tmp_path / "MARKER").exists()


def test_a_trusted_render_does_not_reuse_code_compiled_for_the_sandbox(tmp_path: Path) -> None:
    """Sandboxed and plain environments compile differently: the cache keeps them apart."""
    template = make_template(tmp_path / "t", {"a.txt": "{{ ''.__class__.__name__ }}\n"})
    context = {"project_slug": "p"}
    trusted = render_files(template, context, trusted=True)
    assert trusted.files[0].data == b"str\n"
    with pytest.raises(UntrustedTemplateError):
        render_files(template, context)
    assert render_files(template, context, trusted=True).files[0].data == b"str\n"


@pytest.mark.parametrize("dry_run", [False, True])
@pytest.mark.parametrize(
    "settings",
    [
        {"_extensions": ["jinja2.ext.do"]},
        {"_extensions": ["local_extension.Evil"]},
        {"_jinja2_env_vars": {"autoescape": True}},
    ],
)
def test_template_code_needs_trust(
    run_cli: RunCli, tmp_path: Path, settings: dict[str, object], dry_run: bool
) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "{% do [].append(1) %}x\n"}, **settings)
    (template / "local_extension.py").write_text(
        "from pathlib import Path\nPath('MARKER').touch()\n"
    )
    out = tmp_path / "out"
    code, stderr = new_with(run_cli, template, out, *(["--dry-run"] if dry_run else []))
    assert code == ExitCode.UNTRUSTED_TEMPLATE, stderr
    assert "asks to run code" in stderr and "--trust" in stderr
    assert not out.exists() and not Path("MARKER").exists()


def test_trusted_templates_load_their_extensions(tmp_path: Path) -> None:
    template = make_template(
        tmp_path / "t",
        {"a.txt": "{% set xs = [] %}{% do xs.append(cookiecutter.name) %}{{ xs|shout }}\n"},
        _extensions=["jinja2.ext.do", "local_extension.Shout"],
    )
    (template / "local_extension.py").write_text(
        "from jinja2.ext import Extension\n"
        "class Shout(Extension):\n"
        "    def __init__(self, environment):\n"
        "        super().__init__(environment)\n"
        "        environment.filters['shout'] = lambda xs: ' '.join(xs).upper()\n"
    )
    project = render_files(template, {"project_slug": "p", "name": "x"}, trusted=True)
    assert project.files[0].data == b"X\n"


def test_cookiecutter_default_extensions_still_work(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "{{ cookiecutter.name | jsonify }}\n"})
    assert render_files(template, {"project_slug": "p", "name": "x"}).files[0].data == b'"x"\n'


# --- error messages --------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a\nb\n{% if %}\n", ["bad.txt, line 3", "Expected an expression"]),
        ("a\n{{ cookiecutter.nope }}\n", ["bad.txt, line 2", "nope"]),
        ("a\nb\n{{ nothing_here }}\n", ["bad.txt, line 3", "'nothing_here' is undefined"]),
        ("{{ 1/0 }}\n", ["bad.txt, line 1", "ZeroDivisionError: division by zero"]),
        ("{% include 'missing.txt' %}\n", ["bad.txt, line 1", "missing.txt"]),
    ],
)
def test_template_errors_name_the_file_and_line(
    run_cli: RunCli, tmp_path: Path, content: str, expected: list[str]
) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "fine\n", "sub/bad.txt": content})
    out = tmp_path / "out"
    code, stderr = new_with(run_cli, template, out)
    assert code == ExitCode.FAILURE, stderr
    assert f"{SLUG}/sub/bad.txt" in stderr, stderr
    for text in expected:
        assert text in stderr, stderr
    assert "Traceback" not in stderr
    assert len([line for line in stderr.splitlines() if line.startswith("error:")]) == 1
    assert not out.exists()


def test_an_error_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "x\n{% include 'part.txt' %}\n"})
    (template / "templates").mkdir()
    (template / "templates" / "part.txt").write_text("one\ntwo {{ 1/0 }}\n")
    with pytest.raises(TemplateError, match=r"templates/part\.txt, line 2: ZeroDivisionError"):
        render_files(template, {"project_slug": "p"})


def test_an_error_in_a_file_name_names_the_file(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"{{ cookiecutter.nope }}.txt": "x\n"})
    with pytest.raises(TemplateError, match=r"the name of \{\{ cookiecutter.nope \}\}\.txt.*nope"):
        render_files(template, {"project_slug": "p"})


def test_a_folder_name_that_renders_to_nothing_is_refused(tmp_path: Path) -> None:
    # Cookiecutter would write the folder's files into its parent: say so instead.
    for folder in ["{% if cookiecutter.off %}tests{% endif %}", "a/{{ '' }}"]:
        template = make_template(tmp_path / str(len(folder)), {f"{folder}/x.txt": "x\n"})
        with pytest.raises(TemplateError, match=r"a folder name in .* renders to nothing"):
            render_files(template, {"project_slug": "p", "off": False})


def test_not_a_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"no cookiecutter\.json"):
        render_files(tmp_path, {})
    (tmp_path / "cookiecutter.json").write_text("{}")
    with pytest.raises(TemplateError, match="no project folder"):
        render_files(tmp_path, {})


def test_duplicate_names_on_windows_are_refused(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "1\n", "{{ 'A' }}.txt": "2\n"})
    with pytest.raises(TemplateError, match="one file on Windows"):
        render_files(template, {"project_slug": "p"})


# --- the compiled-template cache -------------------------------------------


def test_an_edited_template_is_recompiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("WFPGEN_CACHE_DIR", str(cache))
    template = make_template(tmp_path / "t", {"a.txt": "one {{ cookiecutter.project_slug }}\n"})
    assert render_files(template, {"project_slug": "p"}).files[0].data == b"one p\n"
    entries = sorted((cache / "templates").iterdir())
    assert len(entries) == 2 and {e.suffix for e in entries} == {".jbc"}  # a.txt, folder name
    (template / SLUG / "a.txt").write_text("two {{ cookiecutter.project_slug }}\n")
    assert render_files(template, {"project_slug": "p"}).files[0].data == b"two p\n"
    assert len(list((cache / "templates").iterdir())) == 3
    # A damaged entry is compiled again, not trusted.
    for entry in (cache / "templates").iterdir():
        entry.write_bytes(entry.read_bytes()[:20])
    assert render_files(template, {"project_slug": "p"}).files[0].data == b"two p\n"


def test_the_cache_is_used_warm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run loads the code instead of compiling: compiling is made to fail."""
    monkeypatch.setenv("WFPGEN_CACHE_DIR", str(tmp_path / "cache"))
    template = make_template(tmp_path / "t", {"a.txt": "{{ cookiecutter.project_slug }}\n"})
    render_files(template, {"project_slug": "p"})

    def no_compiling(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr("jinja2.Environment.compile", no_compiling)
    assert render_files(template, {"project_slug": "q"}).files[0].data == b"q\n"


@pytest.mark.home_writes(".cache")
def test_the_cache_goes_to_the_platform_cache_folder(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = Path(os.environ["HOME"])
    monkeypatch.delenv("WFPGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert run_cli("new", "--no-input", "-o", tmp_path / "one").exit_code == 0
    assert list((tmp_path / "xdg" / "wfpgen" / "templates").glob("*.jbc"))
    assert list(home.iterdir()) == []
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert run_cli("new", "--no-input", "-o", tmp_path / "two").exit_code == 0
    # Without XDG_CACHE_HOME: ~/.cache/wfpgen, and nothing else in the home folder.
    assert [p.name for p in home.iterdir()] == [".cache"]
    assert [p.name for p in (home / ".cache").iterdir()] == ["wfpgen"]
    assert list((home / ".cache" / "wfpgen" / "templates").glob("*.jbc"))


@pytest.mark.parametrize("kind", ["file", "empty", "shared"])
def test_an_unusable_cache_folder_means_no_cache(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    blocker = tmp_path / "cache"
    if kind == "file":
        blocker.write_text("not a folder")
        monkeypatch.setenv("WFPGEN_CACHE_DIR", str(blocker / "below"))
    elif kind == "empty":
        monkeypatch.setenv("WFPGEN_CACHE_DIR", "")
    else:  # writable by others: code planted there would run
        (blocker / "templates").mkdir(parents=True)
        (blocker / "templates").chmod(0o777)
        monkeypatch.setenv("WFPGEN_CACHE_DIR", str(blocker))
    result = run_cli("new", "--no-input", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "error" not in result.stderr and "warning" not in result.stderr
    assert (tmp_path / "out" / "WfpCallout" / "WfpCallout.sln").is_file()
    if kind == "shared":
        assert list((blocker / "templates").iterdir()) == []


def test_the_cache_is_safe_for_concurrent_runs(tmp_path: Path) -> None:
    """Several processes fill one cold cache at once; all render the same bytes."""
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from wfpgen.templating.render import render_files, template_dir\n"
        "context = json.loads((template_dir() / 'cookiecutter.json').read_text())\n"
        "for _ in range(3):\n"
        "    project = render_files(template_dir(), context)\n"
        "sys.stdout.write(json.dumps({str(f.path): f.data.hex() for f in project.files}))\n"
    )
    env = {**os.environ, "WFPGEN_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert len(set(outputs)) == 1 and outputs[0]
    entries = list((tmp_path / "cache" / "templates").iterdir())
    assert entries and all(e.suffix == ".jbc" for e in entries)  # no temporary files left


def test_syntax_settings_need_no_trust(tmp_path: Path) -> None:
    """_jinja2_env_vars that only change delimiters and whitespace are plain settings."""
    template = tmp_path / "t"
    (template / "[[cookiecutter.project_slug]]").mkdir(parents=True)
    (template / "cookiecutter.json").write_text(
        json.dumps(
            {
                "project_slug": "demo",
                "_jinja2_env_vars": {
                    "variable_start_string": "[[",
                    "variable_end_string": "]]",
                    "trim_blocks": True,
                },
                "_new_lines": "\r\n",
            }
        )
    )
    (template / "[[cookiecutter.project_slug]]" / "[[cookiecutter.name]].txt").write_text(
        "{{ kept }} [[ cookiecutter.name ]]\n{% if true %}\nyes\n{% endif %}\n"
    )
    project = render_files(template, {"project_slug": "p", "name": "x"})
    assert project.name == "p"
    # _new_lines applies, then the file-type rules (LF for .txt), as before.
    assert [(f.path.as_posix(), f.data) for f in project.files] == [
        ("x.txt", b"{{ kept }} x\nyes\n")
    ]


def test_a_bad_new_lines_setting_is_a_template_error(tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"a.txt": "x\n"}, _new_lines=5)
    with pytest.raises(TemplateError, match="_new_lines"):
        render_files(template, {"project_slug": "p"})


def test_the_cache_forgets_entries_unused_for_a_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    cache = tmp_path / "cache" / "templates"
    monkeypatch.setenv("WFPGEN_CACHE_DIR", str(cache.parent))
    template = make_template(tmp_path / "t", {"a.txt": "one\n", "b.txt": "{{ 1 }}\n"})
    render_files(template, {"project_slug": "p"})
    before = {p.name for p in cache.iterdir()}  # a.txt, b.txt and the folder name
    old = time.time() - 40 * 86400
    stale = cache / ".left-by-a-killed-run.tmp"
    stale.write_bytes(b"x")
    for path in cache.iterdir():
        os.utime(path, (old, old))
    # a.txt changes: its old entry is no longer used; the others are, which
    # renews them; writing the new entry prunes the cache.
    (template / SLUG / "a.txt").write_text("two\n")
    render_files(template, {"project_slug": "p"})
    after = {p.name for p in cache.iterdir()}
    assert len(before - after) == 1  # the old a.txt entry
    assert len(after - before) == 1  # the new one
    assert not stale.exists()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_written_files_follow_the_umask_and_scripts_stay_executable(
    tmp_path: Path, umask: int
) -> None:
    """Rendered files get the modes wfpgen.toml and .wfpgen/ get: 0666 (0777 for scripts) & ~umask."""
    import subprocess
    import sys

    template = make_template(tmp_path / "tpl", {"x.txt": "x\n", "run.sh": "#!/bin/sh\necho hi\n"})
    (template / SLUG / "run.sh").chmod(0o755)
    (template / SLUG / "x.txt").chmod(0o600)  # the template's own mode does not leak through
    script = (
        "import os, sys; from pathlib import Path\n"
        f"os.umask({umask})\n"
        "from wfpgen.templating.render import render_project\n"
        "render_project(Path(sys.argv[1]), {'project_slug': 'p'}, Path(sys.argv[2]))\n"
    )
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-c", script, template, out], check=True)
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (out / "p").iterdir()}
    assert modes == {"x.txt": 0o666 & ~umask, "run.sh": 0o777 & ~umask}
