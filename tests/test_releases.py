"""Which tags are releases, and how releases are ordered."""

from wfpgen.templating.releases import later_release, newest_release, release_key


def test_versions_compare_by_number_not_text() -> None:
    assert newest_release(["v1.9", "v1.10", "v1.2"]) == "v1.10"
    assert newest_release(["1.2", "1.2.1", "v0.9"]) == "1.2.1"


def test_only_version_tags_are_releases() -> None:
    assert release_key("latest") is None and release_key("v2-rc1") is None
    assert newest_release(["latest", "nightly"]) is None


def test_a_later_release_only_for_a_project_pinned_to_a_release_tag() -> None:
    tags = ["v1.0", "v1.1", "main-snapshot"]
    assert later_release("v1.0", tags) == "v1.1"
    assert later_release("v1.1", tags) is None
    assert later_release("main", tags) is None  # a branch: newest commit, as before
    assert later_release(None, tags) is None
