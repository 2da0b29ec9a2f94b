"""Run shared/tools/wdk-check on every golden and matrix project.

    python tools/wdk_check_all.py --headers /tmp/wdk [--wdk-check ../shared/tools/wdk-check]

Renders the specs of tests/golden/*/spec.toml and wfpgen/checks/matrix.py into a
temporary folder, then checks each project's kernel sources (not the
user-mode tests/) against the real WDK headers with
the NTDDI_VERSION and KMDF version its .vcxproj asks for (KMDF below 1.15 is
checked with the 1.15 headers, the oldest public set). Prints one line per
project and exits 1 if any project has an error or a warning.
"""

import argparse
import itertools
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_compile import build_settings  # noqa: E402
from wfpgen.checks.matrix import MATRIX  # noqa: E402
from wfpgen.core.catalog import load_catalog  # noqa: E402
from wfpgen.core.project import plan_project  # noqa: E402
from wfpgen.core.spec import apply_options  # noqa: E402
from wfpgen.lifecycle.answers import read_spec_file  # noqa: E402
from wfpgen.lifecycle.generate import generate_project  # noqa: E402
from wfpgen.templating.render import template_dir  # noqa: E402

OLDEST_KMDF_HEADERS = (1, 15)  # the public KMDF header set starts at 1.15


def specs() -> dict[str, dict[str, object]]:
    """Every golden and matrix spec, by a name that says where it comes from."""
    found: dict[str, dict[str, object]] = {}
    for spec in sorted((ROOT / "tests" / "golden").glob("*/spec.toml")):
        found[f"golden/{spec.parent.name}"] = read_spec_file(spec)
    found |= {f"matrix/{name}": raw for name, raw in MATRIX.items()}
    return found


def main() -> int:
    """Render and check every spec; the exit status says whether all passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--headers", required=True, type=Path)
    parser.add_argument("--wdk-check", type=Path, default=ROOT.parent / "shared/tools/wdk-check")
    args = parser.parse_args()
    catalog = load_catalog()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, raw in specs().items():
            counter = itertools.count(1)
            plan = plan_project(
                apply_options(raw, from_file=True),
                catalog,
                lambda: str(uuid.UUID(int=next(counter))),  # noqa: B023 - used at once
            )
            project = Path(tmp) / name
            generate_project(
                plan.resolution.spec, catalog, project, template=template_dir(), version="0"
            )
            # tests/ is user-mode code (the simulation): wdk-check means to skip it,
            # but its sorted(os.walk()) defeats the pruning, so it goes here.
            shutil.rmtree(project / "tests", ignore_errors=True)
            ntddi, kmdf = build_settings(project)
            major, minor = max(kmdf, OLDEST_KMDF_HEADERS)
            run = subprocess.run(
                [
                    sys.executable,
                    str(args.wdk_check),
                    "--headers",
                    str(args.headers),
                    "--kmdf",
                    f"{major}.{minor}",
                    "--ntddi",
                    ntddi,
                    str(project),
                ],
                capture_output=True,
                text=True,
            )
            warnings = [line for line in run.stdout.splitlines() if "warning:" in line]
            ok = run.returncode == 0 and not warnings
            failed += not ok
            summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr
            print(
                f"{'ok  ' if ok else 'FAIL'} {name:40} ntddi {ntddi} kmdf {major}.{minor}: {summary}"
            )
            if not ok:
                print(run.stdout)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
