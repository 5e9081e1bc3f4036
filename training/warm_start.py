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
    inits = dequantized({i.name: numpy_helper.to_array(i) for i in graph.initializer})
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    state = {k: v for k, v in inits.items() if not k.startswith("onnx::") and not k.endswith("_Transposed")}
    # The quantizer turns a Gemm (the pooler, the classifier) into a MatMul over the transposed weight.
    state.update({k.removesuffix("_Transposed"): v.T.copy() for k, v in inits.items() if k.endswith("_Transposed")})
    for node in graph.node:
        if node.op_type == "Gemm":  # classifier head exported as one op: names kept, weight as in torch
            continue
        weight = node.input[1].removesuffix("_quantized") if len(node.input) > 1 else ""
        if node.op_type not in ("MatMul", "MatMulInteger") or weight not in inits or not weight.startswith("onnx::"):
            continue
        bias = bias_after(node, consumers, inits)
        if bias is None:
            raise SystemExit(f"{path}: MatMul {node.name} has no named bias; cannot name its weight")
        state[bias[: -len(".bias")] + ".weight"] = inits[weight].T.copy()
    return state


def quantized(path: Path) -> bool:
    return any(n.op_type == "MatMulInteger" for n in onnx.load(str(path)).graph.node)


def dequantized(inits: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """int8 weights of a dynamically quantized export back to float, (q - zero point) * scale.

    Why: the shipped file is the int8 form; on a fresh machine it is the only copy of the weights.
    """
    out = {k: v for k, v in inits.items() if not k.endswith(("_quantized", "_scale", "_zero_point"))}
    for name, q in inits.items():
        if name.endswith("_quantized") and name[: -len("_quantized")] + "_scale" in inits:
            base = name[: -len("_quantized")]
            zp = inits.get(base + "_zero_point", np.zeros((), dtype=q.dtype)).astype(np.float32)
            out[base] = ((q.astype(np.float32) - zp) * inits[base + "_scale"].astype(np.float32)).astype(np.float32)
    return out


def bias_after(node: onnx.NodeProto, consumers: dict[str, list[onnx.NodeProto]],
               inits: dict[str, np.ndarray]) -> str | None:
    """The named bias added to a MatMul's result, a few ops down (a quantized MatMul is followed by Cast, Mul)."""
    out = node.output[0]
    for _ in range(4):
        nxt = consumers.get(out, [])
        if not nxt:
            return None
        bias = next((i for n in nxt if n.op_type == "Add" for i in n.input if i.endswith(".bias") and i in inits), None)
        if bias is not None:
            return bias
        out = nxt[0].output[0]
    return None


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
    # An int8 export differs from its float weights by the quantization's rounding, not by a misplaced tensor.
    # (int8 activations are quantized per batch too: measured 1.04 on the shipped file, a pair near a boundary)
    if err > (1.5 if quantized(args.onnx) else 1e-3):
        raise SystemExit("the rebuilt model does not reproduce the export")


if __name__ == "__main__":
    main()
