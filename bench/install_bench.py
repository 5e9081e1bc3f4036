"""What a pip user gets: the wheel's size, the install's size, and the CLI's cold start (issue 13).

Builds the wheel (of the working tree, or of a git revision with --ref, for before/after), installs
it in a fresh venv, and times new processes of `sourcecheck --help` and of `sourcecheck judge` on
one line: the median of 5 each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from bench.common import median, save, table

ROOT = Path(__file__).resolve().parents[1]
LINE = json.dumps({"id": 1, "claim": "The garrison stayed in its barracks.",
                   "evidence": "Most of the garrison stayed in their barracks and waited."}) + "\n"
DOWNLOADERS = {"huggingface-hub", "huggingface_hub", "hf-xet", "httpx", "httpx2", "requests", "fsspec"}


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def source_tree(ref: str | None, tmp: Path) -> Path:
    if ref is None:
        return ROOT
    out = tmp / "src-tree"
    out.mkdir()
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def timed(cmd: list[str], stdin: str | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=None, help="unused (every bench takes it)")
    ap.add_argument("--quick", action="store_true", help="unused: the whole measure takes about 2 minutes")
    ap.add_argument("--ref", default=None, help="a git revision to measure instead of the working tree")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sourcecheck-install-") as t:
        tmp = Path(t)
        tree = source_tree(args.ref, tmp)
        subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp / "dist"), str(tree)],
                       capture_output=True, check=True)
        (wheel,) = (tmp / "dist").glob("*.whl")
        base = tmp / "empty"
        venv.create(base, with_pip=True)
        env = tmp / "venv"
        venv.create(env, with_pip=True)
        subprocess.run([str(env / "bin" / "pip"), "install", "-q", str(wheel)], check=True)
        site = next((env / "lib").glob("python*/site-packages"))
        empty = next((base / "lib").glob("python*/site-packages"))
        pkgs = {p["name"].lower() for p in json.loads(subprocess.run(
            [str(env / "bin" / "pip"), "list", "--format", "json"], capture_output=True, text=True, check=True).stdout)}
        pkgs -= {"pip", "setuptools"}
        cli = str(env / "bin" / "sourcecheck")
        timed([cli, "--help"])  # the first run pays for writing .pyc files; a user's second run does not
        timed([cli, "judge"], LINE)
        helps = [timed([cli, "--help"]) for _ in range(args.repeat)]
        judges = [timed([cli, "judge"], LINE) for _ in range(args.repeat)]
        res = {
            "ref": args.ref or "working tree", "wheel_mib": wheel.stat().st_size / 2**20,
            "install_mb": (du(site) - du(empty)) / 1e6, "packages": len(pkgs),
            "download_clients": sorted(pkgs & DOWNLOADERS),
            "help_s": median(helps), "judge_one_line_s": median(judges), "repeat": args.repeat,
        }
    save("install" + (f"-{args.ref}" if args.ref else ""), res)
    print(f"## Install ({res['ref']})\n")
    print(table([
        ("wheel", f"{res['wheel_mib']:.1f} MiB"),
        ("install (site-packages beyond an empty venv)", f"{res['install_mb']:.0f} MB, {res['packages']} packages"),
        ("download clients installed", ", ".join(res["download_clients"]) or "none"),
        (f"`sourcecheck --help`, median of {args.repeat}", f"{res['help_s']:.2f} s"),
        (f"`sourcecheck judge` on one line, median of {args.repeat}", f"{res['judge_one_line_s']:.2f} s"),
    ]))


if __name__ == "__main__":
    main()
