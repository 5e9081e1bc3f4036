"""Evidence search: the library's passages that best *support* a claim, as exact quotations.

Hybrid retrieval, then re-scoring:
1. BM25 (SQLite FTS5) over the claim plus its day dates in the other calendar (a claim dated
   7 November 1917 must find a Julian source's "25 October");
2. dense cosine over the passage vectors that ``sourcecheck index`` stored (MiniLM int8), when
   there are any — a library without vectors is searched lexically only;
3. the two rankings fused by reciprocal rank fusion;
4. the first RERANK_POOL re-ordered by the relevance re-ranker (relevance.py: a model fitted on
   WiCE dev over the signals above; measured out of fold, it puts the gold passage first more often);
5. the top candidates judged (one batched run), each labelled by its ``verdict``; their order stays
   rerank.py's (the re-ranked order, since ordering by the judge's support put the right passage first
   less often, BENCHMARKS.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..judge import Judge
from ..library import Store as Library
from ..library.hygiene import passage_fault
from ..records import Judgement, Source, Suggestion
from ..tuning import MIN_PASSAGE_CHARS as MIN_CHARS
from ..tuning import PER_SOURCE_CAP, RERANK_POOL, RESCORE_CANDIDATES, RRF_K
from ..tuning import RETRIEVAL_POOL as POOL
from .calendar import calendar_query, date_ranking
from .fuse import rrf
from .relevance import features, relevance_order
from .relevance import load as load_relevance
from .rerank import DEFAULT_ORDER, order_scores

__all__ = ["Candidate", "PER_SOURCE_CAP", "calendar_query", "find_evidence", "retrieve", "rrf"]

MODES = ("hybrid", "bm25", "dense")
RETRIEVERS = ("bm25", "dense", "date")
WEIGHTS = (1.0, 0.5, 1.0)  # BM25, dense (static vectors: weaker, so half weight), date-match rankings


@dataclass
class Candidate:
    """One passage found by retrieval: ``text == source.text[start:end]``."""

    source_id: str
    start: int
    end: int
    text: str
    score: float  # fused (RRF) score, or the single retriever's normalised score
    # What each retriever said of it: "<name>_rank" (1-based) and "<name>_score" for the retrievers that found
    # it (bm25, dense, date); absent where one did not. The relevance re-ranker's inputs (relevance.py).
    signals: dict[str, float] = field(default_factory=dict)


def _dense(library: Library, claim: str, n: int, source_ids: Sequence[str] | None,
           encoder: Any) -> list[Candidate]:
    if not library.vector_count():
        return []
    if encoder is None:
        from ..library import embed

        if not embed.TOKENIZER.exists() or not embed.STATIC.exists():  # no encoder for the claim: lexical only
            return []
        encoder = embed.get_static_encoder()
    hits = library.vector_search(encoder.embed([claim])[0], n * 2, source_ids)
    by_id = library.passages_by_id([pid for pid, _ in hits])
    out = [Candidate(p.source_id, p.start, p.end, p.text, score=sim)
           for pid, sim in hits if (p := by_id.get(pid)) is not None]
    return [c for c in out if _evidence_like(c.text)][:n]


def _evidence_like(text: str) -> bool:
    """Long enough to be evidence, and no table, date list, link list or heading (library/hygiene.py):
    a library whose passages were cut before those rules still never suggests one."""
    return len(text) >= MIN_CHARS and passage_fault(text) is None


def _bm25(library: Library, claim: str, n: int, source_ids: Sequence[str] | None) -> list[Candidate]:
    hits = library.search(calendar_query(claim), k=n * 2,
                          source_ids=list(source_ids) if source_ids is not None else None)
    out = [Candidate(p.source_id, p.start, p.end, p.text, s) for p, s in hits]
    return [c for c in out if _evidence_like(c.text)][:n]


def retrieve(library: Library, claim: str, n: int = 20, mode: str = "hybrid",
             source_ids: Sequence[str] | None = None, encoder: Any = None,
             pool: int = POOL) -> list[Candidate]:
    """The ``n`` best candidate passages by BM25, dense cosine, or both fused (RRF)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    lexical = _bm25(library, claim, max(pool, n), source_ids) if mode != "dense" else []
    dense = _dense(library, claim, max(pool, n), source_ids, encoder) if mode != "bm25" else []
    dated = [Candidate(p.source_id, p.start, p.end, p.text, s)
             for p, s in date_ranking(library, claim, max(pool, n), source_ids)
             if _evidence_like(p.text)] if mode != "dense" else []
    signals: dict[tuple[str, int, int], dict[str, float]] = {}
    for name, ranking in zip(RETRIEVERS, (lexical, dense, dated)):
        for rank, c in enumerate(ranking, 1):
            got = signals.setdefault((c.source_id, c.start, c.end), {})
            got[f"{name}_rank"], got[f"{name}_score"] = float(rank), float(c.score)
    present = [(r, w) for r, w in zip((lexical, dense, dated), WEIGHTS) if r]
    if not present:
        return []
    if len(present) == 1:
        return [Candidate(c.source_id, c.start, c.end, c.text, c.score, signals[(c.source_id, c.start, c.end)])
                for c in present[0][0][:n]]
    cands = {(c.source_id, c.start, c.end): c for r, _ in present for c in r}
    fused = rrf([[(c.source_id, c.start, c.end) for c in r] for r, _ in present], k=RRF_K,
                weights=[w for _, w in present])
    out = []
    for key, score in fused[:n]:
        c = cands[key]
        out.append(Candidate(c.source_id, c.start, c.end, c.text, score, signals[key]))
    return out


def rerank(library: Library, claim: str, cands: Sequence[Candidate], model: Any) -> list[Candidate]:
    """``cands`` (in retrieval order) re-ordered by the relevance model; the same candidates, none dropped."""
    titles = {sid: (r.title if (r := library.get(sid)) else "") for sid in {c.source_id for c in cands}}
    x = features(claim, [c.text for c in cands], [c.signals for c in cands], [c.score for c in cands],
                 [titles[c.source_id] for c in cands], [c.source_id for c in cands])
    return [cands[i] for i in relevance_order(model, x)]


T = TypeVar("T")


def diversify(items: Sequence[T], key: Callable[[T], Hashable], cap: int | None) -> list[T]:
    """The same items, with at most ``cap`` per source first (in order) and the rest after them.

    Nothing is dropped: a library of one source still returns k results; a library where one
    article repeats the claim's words cannot push every other source below the first page.
    """
    if not cap:
        return list(items)
    first: list[T] = []
    rest: list[T] = []
    count: dict[Hashable, int] = {}
    for it in items:
        k = key(it)
        (first if count.get(k, 0) < cap else rest).append(it)
        count[k] = count.get(k, 0) + 1
    return first + rest


def find_evidence(library: Library, judge: Judge | None, claim: str, k: int = 5, candidates: int = RESCORE_CANDIDATES,
                  rescore: bool = True, *, mode: str = "hybrid", source_ids: Sequence[str] | None = None,
                  encoder: Any = None, per_source: int | None = None, relevance: bool = True) -> list[Suggestion]:
    """Up to k passages as :class:`Suggestion` records, best support first (JSON is the report writer's job).

    With ``rescore`` (and a judge) the top ``candidates`` of the fused ranking are judged and
    ranked mostly by support; without, the fused ranking is returned as it is. ``per_source``
    caps the passages of one source, among the candidates (twice the cap) and the results, so that
    one article that repeats the claim's words cannot hide every other source. With ``relevance`` (and the
    shipped model) the first RERANK_POOL of the fused ranking are re-ordered by the relevance re-ranker first.
    """
    rescore = rescore and judge is not None
    want = max(candidates, k) if rescore else k
    model = load_relevance() if relevance else None
    n = want * 3 if per_source else want
    pool = retrieve(library, claim, max(n, RERANK_POOL) if model is not None else n, mode, source_ids, encoder)
    if model is not None and pool:
        pool = rerank(library, claim, pool, model)
    cands = diversify(pool, lambda c: c.source_id, 2 * per_source if per_source else None)[:want]
    if not cands:
        return []
    sources: dict[str, Source] = {}
    results = []
    scorer = judge if rescore else None  # rescore is already False without a judge
    # One batched model run for every candidate (<= 1 s a claim).
    judged: list[Judgement | None] = (list(scorer.judge_many(claim, [c.text for c in cands])) if scorer
                                      else [None] * len(cands))
    # The order (rerank.py): measured, the retrieval order put the right passage first more often than
    # the judge's support did, so the judge gives each suggestion its verdict and does not reorder them.
    scores = order_scores(claim, [c.text for c in cands], judged, DEFAULT_ORDER)
    for c, j, score in zip(cands, judged, scores):
        source = sources.get(c.source_id) or library.get(c.source_id)
        if source is None:  # removed from the library since it was searched: nothing to point at
            continue
        sources[c.source_id] = source
        results.append(Suggestion(
            source.ref(), library.location(source, c.start, c.end), c.text, j, score,
            # The sentence(s) of the passage that decided it, when they are a slice of it: what `cite` quotes.
            j.best_span if j and j.best_span and j.best_span in c.text else None))
    results.sort(key=lambda r: -r.score)
    return diversify(results, lambda r: r.source.id, per_source)[:k]
