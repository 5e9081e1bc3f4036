"""Every output the README shows is what its command makes now (issue 22): the marked `text` blocks and
the Python block's printed lines, run in a scratch checkout by scripts/readme_outputs.py, which also
rewrites the stale ones (`python scripts/readme_outputs.py --write`). Paths and timings are allowed for;
nothing else is: a retrained judge that moves a verdict makes this test fail until the README is rewritten.
"""

from __future__ import annotations

import sys

from scripts import readme_outputs as ro

from conftest import ROOT, needs_model

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_marks_its_outputs() -> None:
    blocks = ro.shown_blocks(README)
    commands = [b.command for b in blocks]
    assert any("october-revolution.md" in c for c in commands)  # the real example
    assert any(c.startswith("sourcecheck sources") for c in commands)
    assert all(c.startswith("sourcecheck ") and b.lines for c, b in zip(commands, blocks))
    _, printed, _, _ = ro.python_block(README)
    assert len(printed) >= 2


def test_a_changed_line_is_stale_and_a_cut_line_is_not() -> None:
    actual = ["Summary: 1 error · 2 claims fine", "", "Claim 1 (line 1): CONTRADICTED  support 0.10"]
    assert ro.differences(list(actual), actual) == []
    assert ro.differences(["Summary: 1 error · 2 claims fine", "", "Claim 1 (line 1): CONTRA\u2026"], actual) == []
    assert ro.differences(["Summary: 1 error · 3 claims fine", "", actual[2]], actual)  # a count moved
    assert ro.differences(actual[:2], actual)  # a line the README lacks
    assert ro.differences(["Summary: 1 error · 2 claims fine", "", "Claim 1 (line 1): SUPPORTED\u2026"], actual)
    header = ["sourcecheck: a.md against lib.db", "judge: x", ""] + actual
    assert ro.from_first(["Summary: 4 errors"], header) == actual  # a stale summary still starts the block
    assert ro.normalise("sourcecheck: /tmp/w/a.md in 1.25 s\n\n", ro.Path("/tmp/w")) == ["sourcecheck: a.md in N s"]


def test_rewriting_makes_every_block_true() -> None:
    text = ("A.\n\n<!-- output of: sourcecheck sources -->\n```text\nold\n```\n\n"
            "```python\nprint(1)\n# 2\nprint(3)\n# 4\n```\n")
    made = [ro.Made("sourcecheck sources", ["old"], ["id  title", "x" * 200], *_span(text, "old\n"), "\u2026")]
    _, printed, start, end = ro.python_block(text)
    made.append(ro.Made("the Python block", printed, ["1", "3"], start, end, "..."))
    new = ro.rewritten(text, made)
    block = ro.shown_blocks(new)[0]
    assert block.lines[0] == "id  title" and len(block.lines[1]) == ro.WIDTH and block.lines[1].endswith("\u2026")
    assert ro.differences(block.lines, ["id  title", "x" * 200]) == []
    assert ro.python_block(new)[0] == "print(1)\n# 1\nprint(3)\n# 3\n"


def _span(text: str, body: str) -> tuple[int, int]:
    start = text.index(body)
    return start, start + len(body)


@needs_model
def test_every_output_the_readme_shows_is_what_its_command_makes(tmp_path, shared) -> None:
    work = ro.prepare(tmp_path, sys.executable)
    made = ro.make_all(README, work, sys.executable)
    assert len(made) == len(ro.shown_blocks(README)) + 1
    stale = {m.name: m.stale for m in made if m.stale}
    assert not stale, ("README outputs are stale; run `python scripts/readme_outputs.py --write`:\n"
                       + "\n".join(f"{name}:\n  " + "\n  ".join(d[:4]) for name, d in stale.items()))
