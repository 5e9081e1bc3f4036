"""docs/architecture.md is drawn from the code: these tests fail when the two part.

- every import of src/ goes down the floors of its table (or stays on its floor);
- every module of src/ is named in "Each module's job", and every module named there exists;
- no file of the project cites a document that is not in the repository.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "sourcecheck"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = DOC.index(f"## {title}")
    nxt = DOC.find("\n## ", start + 1)
    return DOC[start: nxt if nxt > 0 else None]


def floors() -> dict[str, int]:
    """`cli/` -> 8, `records.py` -> 1, from the floor table."""
    out: dict[str, int] = {}
    for line in section("Floors, and the rule that keeps them").splitlines():
        m = re.match(r"\| (\d+) \| (.+?) \|", line)
        if m:
            for name in re.findall(r"`([^`]+)`", m.group(2)):
                out[name.rstrip("/").removesuffix(".py")] = int(m.group(1))
    return out


def module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imports_of(path: Path) -> list[tuple[int, list[str]]]:
    """(line, imported module as parts under sourcecheck) of every relative import outside TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    here = list(path.relative_to(SRC).parts[:-1])
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level and id(node) not in typing_only:
            base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            if node.module:
                out.append((node.lineno, base + node.module.split(".")))
            else:  # `from .. import plugins` names a module; `from .. import __version__` the package itself
                out += [(node.lineno, base + [a.name] if is_module(base + [a.name]) else base) for a in node.names]
    return out


def is_module(parts: list[str]) -> bool:
    path = SRC.joinpath(*parts)
    return path.is_dir() or path.with_suffix(".py").exists()


def floor_of(parts: list[str], table: dict[str, int]) -> int:
    if not parts:
        return 1  # the package itself (`from .. import plugins` resolves to its modules)
    return table.get(parts[0], table.get(parts[0].removesuffix(".py"), -1))


def test_every_import_goes_down_the_floors() -> None:
    table = floors()
    upward = []
    for path in SRC.rglob("*.py"):
        me = module_name(path)
        if me == ["__main__"]:
            continue  # the one documented exception: it hands `python -m sourcecheck` to cli/
        mine = floor_of(me, table)
        assert mine > 0, f"{path.relative_to(ROOT)} is on no floor of docs/architecture.md"
        for line, target in imports_of(path):
            theirs = floor_of(target, table)
            assert theirs > 0, f"{path.relative_to(ROOT)}:{line} imports {'.'.join(target)}, on no floor"
            if theirs > mine:
                upward.append(f"{path.relative_to(ROOT)}:{line} (floor {mine}) imports {'.'.join(target)} (floor {theirs})")
    assert not upward, "\n".join(upward)


def test_every_module_is_on_the_map_and_every_named_module_exists() -> None:
    jobs = section("Each module's job, in a line")
    bullets = {m.group(1): m.group(2) for m in re.finditer(r"^- (`?[\w/]+`?|root):(.*?)(?=^- |\Z)", jobs, re.M | re.S)}
    named: set[str] = set()
    for head, body in bullets.items():
        package = head.strip("`").rstrip("/")
        if package in ("root", "training", "bench"):
            package = "" if package == "root" else package
        for name in re.findall(r"`([\w.]+\.py)`", body):
            named.add(f"{package}/{name}" if package else name)
    # A package's __init__.py is described by its bullet; every other module is named in it.
    missing = [str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
               if p.name != "__init__.py" and str(p.relative_to(SRC)) not in named]
    assert not missing, f"modules of src/ not in docs/architecture.md: {missing}"
    gone = [n for n in named if not (SRC / n).exists()]
    assert not gone, f"docs/architecture.md names modules that are gone: {gone}"


def test_no_file_cites_a_document_outside_the_repository() -> None:
    """`DESIGN.md` and the like: a reader of the code must be able to open what it cites."""
    present = {p.name for p in ROOT.rglob("*.md") if ".venv" not in p.parts and "node_modules" not in p.parts}
    cited = []
    files = [*SRC.rglob("*.py"), *ROOT.joinpath("docs").rglob("*.md"), ROOT / "README.md"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        # A document is cited by its capitalised name (DESIGN.md) or its docs/ path; a.md in an example is no citation.
        for m in re.finditer(r"(?<![\w/.-])((?:\.\./)?(?:[\w/-]*/)?(?:[A-Z][A-Z_-]+|docs/[\w/-]+)\.md)\b", text):
            name = m.group(1)
            if name.startswith("../shared/") or name.startswith("shared/"):
                continue  # data beside the repository, read in place (not a document the code cites)
            if Path(name).name not in present:
                cited.append(f"{path.relative_to(ROOT)}: {name}")
    assert not cited, "\n".join(cited)
