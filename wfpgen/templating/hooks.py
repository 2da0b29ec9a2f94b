"""A template's hooks: refused unless trusted, and run only inside the staging folder.

Hooks are programs; wfpgen never runs one from a template the user has not
trusted with ``--trust`` (the built-in template has none). ``require_trust``
is the gate: it lists the hooks and raises ``UntrustedTemplateError`` (exit
status 4), the error the renderer raises for Jinja extensions, before
anything is written. ``render_with_hooks`` renders a trusted template the
way cookiecutter does, inside the staging folder the destination
transaction gives it: ``pre_gen_project`` runs in the empty project folder,
then the files are rendered into it, then ``post_gen_project`` runs there.
A failing hook raises ``TemplateError``, so the transaction leaves the
destination as it was. Dry runs never call this. Hook scripts are rendered
with Jinja first, as cookiecutter does, and run the way its ``run_script``
runs them (Python hooks with this Python), except that what a hook prints
goes to wfpgen's stderr: stdout is wfpgen's own (``--json``).

``pre_prompt`` hooks are refused: wfpgen asks its own questions and reads
``cookiecutter.json`` as the template ships it.
"""

import errno
import stat
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wfpgen.errors import TemplateError, UntrustedTemplateError
from wfpgen.templating.environment import TRUST_HINT
from wfpgen.templating.info import TemplateInfo
from wfpgen.templating.render import render_project


def require_trust(info: TemplateInfo, *, trusted: bool, label: str = "") -> None:
    """Refuse a template with hooks unless it is trusted.

    ``label`` names the template in the refusal (its source and ref); the
    folder it was fetched into is temporary and means nothing to the user.

    Raises:
        UntrustedTemplateError: the template has hooks and ``trusted`` is false.
        TemplateError: the template has a ``pre_prompt`` hook, which wfpgen does not run.
    """
    if not info.hooks:
        return
    if not trusted:
        raise UntrustedTemplateError(
            f"the template {label or info.path} has hooks, programs that run on this machine: "
            + ", ".join(f"hooks/{name}" for name in info.hooks),
            TRUST_HINT,
        )
    prompt_hooks = [name for name in info.hooks if Path(name).stem == "pre_prompt"]
    if prompt_hooks:
        raise TemplateError(
            f"the template {info.path} has a pre_prompt hook (hooks/{prompt_hooks[0]}), "
            "which wfpgen does not run: it asks its own questions",
            "remove the hook; declare variables in cookiecutter.json instead",
        )


def render_with_hooks(info: TemplateInfo, context: Mapping[str, Any], output_dir: Path) -> Path:
    """Render the trusted template ``info`` into ``output_dir``, running its hooks; return the project.

    Raises:
        TemplateError: rendering or a hook failed.
        UntrustedTemplateError: never for a trusted template; re-raised from the renderer.
    """
    if not info.hooks:
        return render_project(info.path, context, output_dir, trusted=True)
    rendered = render_project(info.path, context, output_dir / ".render", trusted=True)
    project = output_dir / rendered.name
    project.mkdir()
    scripts = output_dir / ".hooks"
    scripts.mkdir()
    values = {"cookiecutter": dict(context)}
    _run(info, "pre_gen_project", project, scripts, values)
    for source in sorted(p for p in rendered.rglob("*") if p.is_file()):
        destination = project / source.relative_to(rendered)
        destination.parent.mkdir(parents=True, exist_ok=True)
        source.replace(destination)
    _run(info, "post_gen_project", project, scripts, values)
    return project


def _run(
    info: TemplateInfo, hook: str, project: Path, scripts: Path, values: dict[str, Any]
) -> None:
    # Rendered with cookiecutter's environment (its extensions), as cookiecutter does.
    from cookiecutter.utils import create_env_with_context
    from jinja2 import TemplateError as JinjaError

    for name in info.hooks:
        if Path(name).stem != hook:
            continue
        source = info.path / "hooks" / name
        try:
            text = source.read_text(encoding="utf-8")
            script = create_env_with_context(values).from_string(text).render(**values)
        except (OSError, UnicodeDecodeError, JinjaError) as err:
            raise TemplateError(f"the hook hooks/{name} cannot be rendered: {err}") from err
        path = scripts / name
        path.write_text(script, encoding="utf-8")
        reason = _execute(path, project)
        if reason:
            raise TemplateError(
                f"the template's hook hooks/{name} {reason}; nothing was written",
                "its output is above; fix the hook in the template, or ask the template's owners",
            )


def _execute(script: Path, project: Path) -> str:
    """Run ``script`` in ``project``, its output on our stderr; why it failed, or ``""``.

    Runs the script as cookiecutter's ``run_script`` does (Python hooks with
    this Python, others as programs, through the shell on Windows), but never
    lets it write to standard output, which belongs to wfpgen (``--json``).
    """
    command = [sys.executable, str(script)] if script.suffix == ".py" else [str(script)]
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    try:
        process = subprocess.Popen(
            command,
            cwd=project,
            shell=sys.platform == "win32",
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except OSError as err:
        if err.errno == errno.ENOEXEC:
            return "cannot be run: is it empty, or missing its #! line?"
        return f"cannot be run: {err.strerror or err}"
    try:
        for line in process.stdout or ():
            sys.stderr.write(line.decode("utf-8", "replace"))
            sys.stderr.flush()
    except BaseException:
        # Interrupted or terminated: the hook must not outlive the rollback.
        process.kill()
        raise
    finally:
        status = process.wait()
        if process.stdout is not None:
            process.stdout.close()
    return f"failed with exit status {status}" if status else ""
