"""Per-file decisions of an update, and merges that keep line ends and encodings (real git)."""

from pathlib import Path

import pytest

from wfpgen.lifecycle.base import archive_bytes, read_base, write_record
from wfpgen.lifecycle.file_plan import Action, plan_files
from wfpgen.lifecycle.merge import MergeToolError, TextForm, decode, merge_file

LINES = [f"line {n}" for n in range(1, 13)]


def text(lines: list[str], *, crlf: bool = True) -> str:
    return ("\r\n" if crlf else "\n").join(lines) + ("\r\n" if crlf else "\n")


def utf16(value: str) -> bytes:
    return b"\xff\xfe" + value.encode("utf-16-le")


def changed(index: int, value: str) -> list[str]:
    return [value if n == index else line for n, line in enumerate(LINES)]


def test_utf16_inf_with_crlf_merges_and_stays_utf16_with_crlf() -> None:
    base = utf16(text(LINES))
    mine = utf16(text(changed(1, "mine")))
    new = utf16(text(changed(10, "new")))
    result = merge_file("driver/Drv.inx", mine, base, new, labels=("yours", "base", "new"))
    assert result is not None and result.conflicts == 0
    assert result.data == utf16(text([*changed(1, "mine")[:10], "new", LINES[11]]))


def test_an_inf_that_stops_being_ascii_becomes_utf16() -> None:
    base = text(LINES).encode()
    new = text(changed(5, "Société")).encode()
    result = merge_file(
        "a.inf", text(changed(0, "mine")).encode(), base, new, labels=("a", "b", "c")
    )
    assert result is not None and result.data.startswith(b"\xff\xfe")
    assert "Société" in result.data.decode("utf-16")


def test_conflict_markers_use_the_files_line_ends() -> None:
    base = text(LINES).encode()
    result = merge_file(
        "x.c",
        text(changed(3, "mine")).encode(),
        base,
        text(changed(3, "new")).encode(),
        labels=("yours", "generated before", "generated now"),
    )
    assert result is not None and result.conflicts == 1
    assert (
        b"<<<<<<< yours\r\nmine\r\n||||||| generated before\r\nline 4\r\n"
        b"=======\r\nnew\r\n>>>>>>> generated now\r\n"
    ) in result.data
    assert b"\n" not in result.data.replace(b"\r\n", b"")


def test_plan_decides_each_file_as_the_table_says() -> None:
    gen = text(LINES, crlf=False).encode()
    gen2 = text(changed(11, "new"), crlf=False).encode()
    edit = text(changed(0, "mine"), crlf=False).encode()
    clash = text(changed(11, "mine"), crlf=False).encode()
    windows = text(LINES).encode()  # the generated file, checked out with CRLF
    mine = {
        "created": None,
        "updated": windows,
        "deleted": gen,
        "kept": edit,
        "merged": edit,
        "clash": clash,
        "gone-edited": edit,
        "user-deleted": None,
        "in-the-way": clash,
        "same": windows,
    }
    base = {
        "updated": gen,
        "deleted": gen,
        "kept": gen,
        "merged": gen,
        "clash": gen,
        "gone-edited": gen,
        "user-deleted": gen,
        "same": gen,
    }
    new = {
        "created": gen,
        "updated": gen2,
        "kept": gen,
        "merged": gen2,
        "clash": gen2,
        "user-deleted": gen2,
        "in-the-way": gen,
        "same": gen,
    }
    plan = {c.path: c for c in plan_files(mine, base, new)}
    assert {p: c.action for p, c in plan.items()} == {
        "created": Action.CREATED,
        "updated": Action.UPDATED,
        "deleted": Action.DELETED,
        "kept": Action.KEPT,
        "merged": Action.MERGED,
        "clash": Action.CONFLICTED,
        "gone-edited": Action.CONFLICTED,
        "user-deleted": Action.CONFLICTED,
        "in-the-way": Action.CONFLICTED,
        "same": Action.UNCHANGED,
    }
    assert plan["updated"].after == text(changed(11, "new")).encode()  # the user's CRLF kept
    assert plan["merged"].after == text([*changed(0, "mine")[:11], "new"], crlf=False).encode()
    assert plan["gone-edited"].after == edit  # left as it is
    assert plan["user-deleted"].after == gen2
    assert not plan["same"].writes and not plan["kept"].writes


def test_binary_files_are_never_merged() -> None:
    plan = plan_files({"a.bin": b"\x00mine"}, {"a.bin": b"\x00base"}, {"a.bin": b"\x00new"})
    assert [(c.action, c.after) for c in plan] == [(Action.CONFLICTED, b"\x00mine")]


def test_the_spec_file_is_kept_when_it_says_the_same_and_replaced_otherwise() -> None:
    mine = b'# my notes\n[driver]\nname = "A"\n'
    same = plan_files({"wfpgen.toml": mine}, {}, {"wfpgen.toml": b'[driver]\nname = "A"\n'})
    assert same[0].action is Action.UNCHANGED
    other = plan_files({"wfpgen.toml": mine}, {}, {"wfpgen.toml": b'[driver]\nname = "B"\n'})
    assert other[0].action is Action.UPDATED and other[0].after == b'[driver]\nname = "B"\n'


def test_without_git_the_merge_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(MergeToolError, match="git is needed"):
        merge_file("a.c", b"a\n", b"b\n", b"c\n", labels=("a", "b", "c"))


def test_the_record_is_deterministic_and_reads_back(tmp_path: Path) -> None:
    files = {"b.c": b"int b;\r\n", "a/README.md": b"# A\n", "x.inx": utf16("Ä\r\n")}
    assert archive_bytes(files) == archive_bytes(dict(reversed(files.items())))
    (tmp_path / "wfpgen.toml").write_text("")
    write_record(tmp_path, files, version="1.2.3", template="builtin:wfp-callout")
    base = read_base(tmp_path)
    assert dict(base.files) == files
    assert (base.wfpgen_version, base.template) == ("1.2.3", "builtin:wfp-callout")


def test_decode_reports_form() -> None:
    assert decode(b"a\r\nb\r\n") == ("a\nb\n", TextForm("utf-8", crlf=True))
    assert decode(utf16("a\n")) == ("a\n", TextForm("utf-16-le", crlf=False))
    assert decode(b"\x00\x01") is None
