"""Rebuild a trainable Hugging Face checkpoint from the shipped ONNX judge, to continue training it.

Why: the shipped cross-encoder is the product of an earlier CPU run of this project's own training
code; its torch checkpoint lived outside the repository and is gone. ONNX keeps every weight, so a
new run can start from where the last one ended instead of from the sentence-embedding base (about
an hour of CPU saved). The exporter renames each Linear weight to ``onnx::MatMul_N`` and stores it
transposed; its bias keeps the module's name, so the weight is named after the bias that the
MatMul's result is added to.

    .venv-train/bin/python -m training.warm_start --out ~/.cache/sourcecheck/train/warm
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = Path(__file__).resolve().parent
SHIPPED = HERE.parent / "src/sourcecheck/models/judge/model.onnx"


def onnx_state_dict(path: Path) -> dict[str, np.ndarray]:
    """Module-named weights from an exported BERT classifier (MatMul weights un-transposed)."""
    graph = onnx.load(str(path)).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state = {k: v for k, v in inits.items() if not k.startswith("onnx::")}
    for node in graph.node:
        if node.op_type == "Gemm":  # classifier head exported as one op: names kept, weight as in torch
            continue
        if node.op_type != "MatMul" or node.input[1] not in inits or not node.input[1].startswith("onnx::"):
            continue
        adds = [n for n in consumers.get(node.output[0], []) if n.op_type == "Add"]
        bias = next((i for a in adds for i in a.input if i.endswith(".bias") and i in inits), None)
        if bias is None:
            raise SystemExit(f"{path}: MatMul {node.name} has no named bias; cannot name its weight")
        state[bias[: -len(".bias")] + ".weight"] = inits[node.input[1]].T.copy()
    return state


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--onnx", type=Path, default=SHIPPED)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from training.train import base_model_dir

    base = base_model_dir()
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
        label2id={"entailment": 0, "neutral": 1, "contradiction": 2})
    state = onnx_state_dict(args.onnx)
    want = model.state_dict()
    loaded = {k: torch.from_numpy(v) for k, v in state.items() if k in want}
    missing = [k for k in want if k not in loaded and not k.endswith("position_ids")]
    if missing:
        raise SystemExit(f"{args.onnx}: weights not found in the export: {missing[:8]}")
    for k, v in loaded.items():
        if tuple(v.shape) != tuple(want[k].shape):
            raise SystemExit(f"{args.onnx}: {k} has shape {tuple(v.shape)}, the model wants {tuple(want[k].shape)}")
    model.load_state_dict(loaded, strict=False)
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    AutoTokenizer.from_pretrained(base).save_pretrained(args.out)
    # Check: the rebuilt model gives the export's logits on a pair.
    import onnxruntime as ort

    tok = AutoTokenizer.from_pretrained(base)
    enc = tok(["The palace was taken at night."], ["The palace was captured."], return_tensors="pt")
    with torch.no_grad():
        mine = model.eval()(**enc).logits.numpy()
    sess = ort.InferenceSession(str(args.onnx), providers=["CPUExecutionProvider"])
    ref = sess.run(None, {k: enc[k].numpy() for k in ("input_ids", "attention_mask", "token_type_ids")})[0]
    err = float(np.abs(mine - ref).max())
    print(f"rebuilt {len(loaded)} tensors; max |logit difference| to the ONNX export {err:.2e}")
    if err > 1e-3:
        raise SystemExit("the rebuilt model does not reproduce the export")


if __name__ == "__main__":
    main()
