"""Export the fine-tuned cross-encoder to ONNX (fp32 and int8), measure both, ship the better trade.

Writes src/sourcecheck/models/judge/{model.onnx, tokenizer.json, export.json}. int8 is shipped
only if it loses no more than --max-int8-loss of accuracy on the held-out pairs (DESIGN.md:
int8 moves the logits; measure its cost and ship fp32 where it costs).
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
WORK = HERE / "work"
OUT = HERE.parent / "src/sourcecheck/models/judge"


def load_from_checkpoint(final: Path):
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    if (final / "config.json").exists():
        return AutoModelForSequenceClassification.from_pretrained(final), AutoTokenizer.from_pretrained(final)
    from train import base_model_dir  # a mid-run checkpoint, for development exports

    base = base_model_dir()
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
    ap.add_argument("--max-int8-loss", type=float, default=0.005)
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
    fp32 = tmp / "model-fp32.onnx"
    torch.onnx.export(model, (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes={k: {0: "batch", 1: "seq"} for k in ["input_ids", "attention_mask", "token_type_ids"]}
                      | {"logits": {0: "batch"}}, opset_version=17, dynamo=False)
    int8 = tmp / "model-int8.onnx"
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    tok.save_pretrained(tmp / "tok")
    tok_json = tmp / "tok/tokenizer.json"
    # As in training: a claim that alone fills the window is not an evaluation of the window.
    tk_len = tok
    dev = [r for r in (json.loads(l) for l in (WORK / "dev.jsonl").open())
           if len(tk_len(r["hypothesis"])["input_ids"]) < args.max_len // 2][: args.eval_n]
    snli = [json.loads(l) for l in (WORK / "snli_test.jsonl").open()]
    snli = snli[: args.snli_n] if args.snli_n else snli
    res = {}
    for name, p in (("fp32", fp32), ("int8", int8)):
        acc, rate = onnx_accuracy(p, tok_json, dev, args.max_len)
        sacc, _ = onnx_accuracy(p, tok_json, snli, args.max_len)
        res[name] = {"dev_acc": acc, "snli_test_acc": sacc, "pairs_per_s_dev": rate, "mb": p.stat().st_size / 1e6}
        print(name, res[name], flush=True)
    pick = "int8" if res["fp32"]["dev_acc"] - res["int8"]["dev_acc"] <= args.max_int8_loss else "fp32"
    OUT.mkdir(parents=True, exist_ok=True)
    shutil.copy(int8 if pick == "int8" else fp32, OUT / "model.onnx")
    shutil.copy(tok_json, OUT / "tokenizer.json")
    meta = {"shipped": pick, "max_len": args.max_len, "labels": ["entailment", "neutral", "contradiction"],
            "measured": res, "held_out_dev_pairs": len(dev), "snli_test_pairs": len(snli)}
    meta_path = args.final / "train_meta.json"
    if meta_path.exists():
        meta["training"] = json.loads(meta_path.read_text())
    (OUT / "export.json").write_text(json.dumps(meta, indent=2))
    print("shipped", pick)


if __name__ == "__main__":
    main()
