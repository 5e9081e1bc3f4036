"""Export the fine-tuned cross-encoder to ONNX, quantize it, measure every form, ship the best that fits.

Writes src/sourcecheck/models/judge/{model.onnx, tokenizer.json, export.json}. Forms measured:
fp32, int8 per tensor, int8 per channel (each output channel of a weight gets its own scale, which
keeps small-valued channels from being rounded to zero). Everything under models/ must stay within
60 MB (a wheel must stay well under PyPI's 100 MiB), so fp32 (91 MB) is measured as the reference
and shipped only if it fits; among the forms that fit, the most accurate on the held-out pairs ships.
export.json carries what the run-time code needs to use the export without knowing it: the model's
name, its labels in output order, its input names and its pair lengths.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src/sourcecheck/models/judge"
MODELS_BUDGET_MB = 60.0  # everything under models/ together (issue 9 §6)

from training.prepare import WORK  # noqa: E402


def load_from_checkpoint(final: Path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if (final / "config.json").exists():
        return AutoModelForSequenceClassification.from_pretrained(final), AutoTokenizer.from_pretrained(final)
    # a mid-run checkpoint, for development exports: the warm start's layout, the checkpoint's weights
    base = WORK / "warm"
    model = AutoModelForSequenceClassification.from_pretrained(base, num_labels=3)
    model.load_state_dict(torch.load(WORK / "ckpt/state.pt", weights_only=False)["model"])
    return model, AutoTokenizer.from_pretrained(base)


def onnx_accuracy(path: Path, tok_path: Path, rows: list[dict], max_len: int) -> tuple[float, float]:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    tk = Tokenizer.from_file(str(tok_path))
    tk.enable_truncation(max_len, strategy="only_first")
    tk.enable_padding()
    correct = 0
    t0 = time.time()
    for i in range(0, len(rows), 32):
        chunk = rows[i: i + 32]
        enc = tk.encode_batch([(r["premise"], r["hypothesis"]) for r in chunk])
        feed = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)}
        pred = sess.run(None, feed)[0].argmax(-1)
        for p, r in zip(pred, chunk):
            correct += int((p == 0) == (r["label"] == 0)) if r["label"] < 0 else int(p == r["label"])
    return correct / len(rows), len(rows) / (time.time() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--max-len", type=int, default=160)
    ap.add_argument("--eval-n", type=int, default=1500)
    ap.add_argument("--snli-n", type=int, default=0, help="SNLI test pairs to score (0: all)")
    ap.add_argument("--final", type=Path, default=WORK / "final", help="the trained model to export")
    args = ap.parse_args()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model, tok = load_from_checkpoint(args.final)
    model.eval()
    tmp = WORK / "onnx"
    tmp.mkdir(parents=True, exist_ok=True)
    enc = tok(["a premise"], ["a claim"], return_tensors="pt")
    inputs = ["input_ids", "attention_mask", "token_type_ids"]
    forms = {"fp32": tmp / "model-fp32.onnx", "int8": tmp / "model-int8.onnx", "int8-per-channel": tmp / "model-int8pc.onnx"}
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), str(forms["fp32"]),
                      input_names=inputs, output_names=["logits"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in inputs} | {"logits": {0: "batch"}},
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(forms["fp32"]), str(forms["int8"]), weight_type=QuantType.QInt8)
    quantize_dynamic(str(forms["fp32"]), str(forms["int8-per-channel"]), weight_type=QuantType.QInt8, per_channel=True)
    tok.save_pretrained(tmp / "tok")
    tok_json = tmp / "tok/tokenizer.json"
    # As in training: a claim that alone fills the window is not an evaluation of the window.
    dev = [r for r in (json.loads(line) for line in (WORK / "dev.jsonl").open())
           if len(tok(r["hypothesis"])["input_ids"]) < args.max_len // 2][: args.eval_n]
    snli = [json.loads(line) for line in (WORK / "snli_test.jsonl").open()]
    snli = snli[: args.snli_n] if args.snli_n else snli
    res = {}
    for name, p in forms.items():
        acc, rate = onnx_accuracy(p, tok_json, dev, args.max_len)
        sacc, _ = onnx_accuracy(p, tok_json, snli, args.max_len)
        res[name] = {"dev_acc": acc, "snli_test_acc": sacc, "pairs_per_s_dev": rate, "mb": p.stat().st_size / 1e6}
        print(name, res[name], flush=True)
    others_mb = sum(f.stat().st_size for f in (OUT.parent).rglob("*") if f.is_file() and OUT not in f.parents) / 1e6
    fits = [n for n in forms if res[n]["mb"] + others_mb + 1 <= MODELS_BUDGET_MB]
    if not fits:
        raise SystemExit(f"no form fits {MODELS_BUDGET_MB} MB beside {others_mb:.0f} MB of other models")
    pick = max(fits, key=lambda n: (res[n]["dev_acc"] + res[n]["snli_test_acc"], -res[n]["mb"]))
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(forms[pick], OUT / "model.onnx")
    # The vocabulary never changes (the base model's); the shipped tokenizer.json is kept as it is, since
    # the run-time tokenizers version (pinned for having no download client) reads that file's format.
    if not (OUT / "tokenizer.json").exists():
        shutil.copy(tok_json, OUT / "tokenizer.json")
    meta = {"name": "minilm-l6-nli", "shipped": pick, "max_len": args.max_len,
            "labels": ["entailment", "neutral", "contradiction"], "inputs": inputs,
            "cost_of_shipped_form_vs_fp32": {"dev_acc": round(res[pick]["dev_acc"] - res["fp32"]["dev_acc"], 4),
                                             "snli_test_acc": round(res[pick]["snli_test_acc"] - res["fp32"]["snli_test_acc"], 4)},
            "measured": res, "held_out_dev_pairs": len(dev), "snli_test_pairs": len(snli)}
    meta_path = args.final / "train_meta.json"
    if meta_path.exists():
        meta["training"] = json.loads(meta_path.read_text())
        meta["training"]["steps_before"] = _steps_before(meta["training"])
    (OUT / "export.json").write_text(json.dumps(meta, indent=2) + "\n")
    print("shipped", pick)


def _steps_before(training: dict) -> int:
    """Steps the warm-started weights had taken before this checkpoint's first cycle. A machine without
    the checkpoint cache starts at cycle 0 from the shipped judge, whose steps are in the shipped export."""
    if training.get("cycle", 0) != 0 or not (OUT / "export.json").exists():
        return int(training.get("steps_before", 0))
    before = json.loads((OUT / "export.json").read_text()).get("training", {})
    return int(before.get("steps", 0)) + int(before.get("steps_before", 0))


if __name__ == "__main__":
    main()
