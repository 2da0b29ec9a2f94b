"""One vocabulary for layers and flags: the interview, --callout, spec files and add callout.

Canonical names (any case, C prefix optional) are accepted everywhere; the
interview also takes words and numbers and says what it took. Whatever is not
accepted gets the same did-you-mean wherever it was typed, from
``Catalog.suggest_layers`` and ``Catalog.suggest_flags``.
"""

from pathlib import Path

import pytest

from tests.conftest import RunCli
from wfpgen import interview
from wfpgen.core.catalog import load_catalog
from wfpgen.interview import AnswerError

SPEC = """
[driver]
name = "Vocab"

[[callouts]]
name = "Connect"
layer = "{layer}"
flags = ["{flag}"]
"""


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("auth conect v4", "ALE_AUTH_CONNECT_V4"),
        ("STREM_V4", "STREAM_V4 or STREAM_V6"),
        ("flow establshed v6", "ALE_FLOW_ESTABLISHED_V6"),
    ],
)
def test_an_unknown_layer_gets_the_same_suggestion_everywhere(
    run_cli: RunCli, tmp_path: Path, typed: str, suggested: str
) -> None:
    hint = f"did you mean {suggested}?"
    with pytest.raises(AnswerError, match=hint):
        interview.judge_layer({}, {"name": "A"}, typed, load_catalog())
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.format(layer=typed, flag="ALLOW_RECLASSIFY"), encoding="utf-8")
    checked = run_cli("validate", spec)
    assert checked.exit_code == 2 and hint in checked.stderr
    option = run_cli("new", "--dry-run", "--no-input", "-o", tmp_path, "--callout", f"A:{typed}")
    assert option.exit_code == 2 and hint in option.stderr
    lookup = run_cli("layers", typed)
    assert lookup.exit_code == 2 and hint in lookup.stderr


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("ALLOW_RECLASIFY", "ALLOW_RECLASSIFY"), ("conditional on flw", "CONDITIONAL_ON_FLOW")],
)
def test_an_unknown_flag_gets_the_same_suggestion_everywhere(
    run_cli: RunCli, tmp_path: Path, typed: str, suggested: str
) -> None:
    hint = f"did you mean {suggested}?"
    layer = "STREAM_V4"
    with pytest.raises(AnswerError, match=hint):
        interview.judge_flags({}, {"name": "A", "layer": layer}, typed, load_catalog())
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.format(layer=layer, flag=typed), encoding="utf-8")
    checked = run_cli("validate", spec)
    assert checked.exit_code == 2 and hint in checked.stderr
    option = run_cli(
        "new", "--dry-run", "--no-input", "-o", tmp_path, "--callout", f"A:{layer}:{typed}"
    )
    assert option.exit_code == 2 and hint in option.stderr


def test_a_word_the_interview_takes_is_suggested_by_the_others(
    run_cli: RunCli, tmp_path: Path
) -> None:
    """`reclassify` is ALLOW_RECLASSIFY in the interview; elsewhere it is named for you."""
    taken = interview.judge_flags(
        {}, {"name": "A", "layer": "ALE_AUTH_CONNECT_V4"}, "reclassify", load_catalog()
    )
    assert taken.value == ("ALLOW_RECLASSIFY",)
    option = run_cli(
        "new",
        "--dry-run",
        "--no-input",
        "-o",
        tmp_path,
        "--callout",
        "A:ALE_AUTH_CONNECT_V4:reclassify",
    )
    assert option.exit_code == 2
    assert "unknown callout flag 'reclassify'; did you mean ALLOW_RECLASSIFY?" in option.stderr
