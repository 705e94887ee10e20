"""Broken content files: nothing escapes the reader but a problem naming the file and line."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.content import load

FIELDS = [
    "title",
    "date",
    "category",
    "tags",
    "summary",
    "cover",
    "status",
    "publish_at",
    "name",
    "type",
    "street",
    "location",
    "hours",
    "amenities",
    "registration",
    "lat",
]
YAML_BITS = [
    "---",
    "...",
    ": ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "!!python/object:os.system",
    "&a",
    "*a",
    "'",
    '"',
    "#",
    "|",
    ">",
    "\t",
    "\\",
    "%YAML 1.1",
    "!!binary",
    "<<: *a",
    "2021-02-30",
    "0x1F",
    "1e999",
    ".nan",
    "~",
    "null",
    "yes",
    "？",
    "：",
    "\ufeff",
    "\x00",
    "\u2028",
]
PROBLEM = re.compile(r"^content/(news|stations)/x\.md(:\d+)?: .+")


def lines() -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.sampled_from(FIELDS + YAML_BITS), st.text(string.printable + "中文驿站", max_size=12)
    )
    return st.lists(piece, max_size=8).map("".join)


documents = st.one_of(
    st.lists(lines(), max_size=14).map("\n".join),
    st.lists(lines(), max_size=10).map(lambda ls: "---\n" + "\n".join(ls) + "\n---\n正文"),
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
)


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=documents, kind=st.sampled_from(["news", "stations"]))
def test_any_file_is_read_or_named_as_a_problem(content_copy: Path, text: str, kind: str):
    path = content_copy / kind / "x.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    content = load(content_copy)  # must not raise
    entry = content.get(kind, "x")
    mine = [p for p in content.problems if p.path == f"content/{kind}/x.md"]
    assert (entry is None) == bool(mine), (entry, mine)
    for problem in mine:
        assert PROBLEM.match(str(problem)), str(problem)
        lines_in_file = text.count("\n") + 1
        assert 0 <= problem.line <= lines_in_file + 1, (problem, lines_in_file)
    path.unlink()
