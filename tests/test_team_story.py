"""The team story of issue 18, end to end, with a local bare git repository.

A platform team keeps its template in git and tags releases; three driver
projects are generated from v1.0 and edited; v1.1 changes a line one project
also changed. check reports the release, update --latest takes it, the
conflict is resolved the git way (checkout --theirs, add, commit), and check
is clean. A conflict marker committed by mistake is refused.
"""

import json
import shutil
import subprocess
from pathlib import Path

from tests.conftest import RunCli
from wfpgen.templating.render import template_dir

BANNER = "// use spin locks only, never wait, and call no Fwpm* function."


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Dev", "-c", "user.email=dev@example.com", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def release(work: Path, tag: str) -> None:
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", tag)
    git(work, "tag", tag)
    git(work, "push", "-q", "origin", "HEAD:main", tag)


def test_releases_conflicts_and_resolution_the_git_way(run_cli: RunCli, tmp_path: Path) -> None:
    bare = tmp_path / "templates.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    work = tmp_path / "template-work"
    shutil.copytree(template_dir(), work)
    git(work, "init", "-q")
    git(work, "remote", "add", "origin", str(bare))
    release(work, "v1.0")
    source = f"file://{bare}"

    repo = tmp_path / "drivers"
    repo.mkdir()
    git(repo, "init", "-q")
    projects = []
    for name in ("Alpha", "Beta", "Gamma"):
        result = run_cli(
            "new",
            "--no-input",
            "--name",
            name,
            "--template",
            source,
            "--checkout",
            "v1.0",
            repo / name,
        )
        assert result.exit_code == 0, result.output
        projects.append(repo / name)
    classify = projects[0] / "driver" / "classify.c"
    classify.write_bytes(
        classify.read_bytes().replace(BANNER.encode(), b"// Alpha: no locks at all here.")
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "three drivers")

    (path,) = work.glob("*/driver/classify.c")
    path.write_bytes(path.read_bytes().replace(BANNER.encode(), b"// use spin locks only."))
    release(work, "v1.1")

    for project in projects:
        check = run_cli("check", "-p", project, "--json")
        assert check.exit_code == 6, check.output
        assert json.loads(check.stdout)["release"] == "v1.1"
    assert run_cli("update", "-p", projects[1], "--latest").exit_code == 0
    assert run_cli("update", "-p", projects[2], "--latest").exit_code == 0
    conflicted = run_cli("update", "-p", projects[0], "--latest", "--json")
    assert conflicted.exit_code == 5, conflicted.output
    assert json.loads(conflicted.stdout)["conflicts"] == ["driver/classify.c"]

    status = git(repo, "status", "--porcelain")
    assert "UU Alpha/driver/classify.c" in status  # git sees an unmerged file
    git(repo, "checkout", "--theirs", "--", "Alpha/driver/classify.c")
    assert b"// use spin locks only." in classify.read_bytes()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "templates v1.1")
    for project in projects:
        assert run_cli("check", "-p", project).exit_code == 0

    # A conflict marker committed by mistake is refused, not called up to date.
    driver_h = projects[1] / "driver" / "driver.h"
    driver_h.write_bytes(
        driver_h.read_bytes() + b"<<<<<<< yours\r\nA\r\n=======\r\nB\r\n>>>>>>> generated now\r\n"
    )
    git(repo, "commit", "-q", "-am", "oops")
    refused = run_cli("check", "-p", projects[1])
    assert refused.exit_code == 5
    assert "driver/driver.h still holds conflict markers" in refused.stderr
