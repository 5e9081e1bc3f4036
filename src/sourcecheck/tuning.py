"""Every threshold and size outside the judge, named once, each with the reason for its value.

Why one module: a number typed in two places drifts apart (the per-source cap was 3 in the
CLI and 3 again in the checker; 384 was typed eight times). The judge's own thresholds
(contradiction, support) live with the judge, which owns its calibration.
Nothing here imports anything, so every floor of the package may read it.
"""

from __future__ import annotations

# --- vectors ----------------------------------------------------------------------
EMBED_DIM = 384  # MiniLM-L6's (and its distilled static table's) vector width; stored rows must match

# --- quotations: matching (quotes/match.py) ---------------------------------------
DRIFT_THRESHOLD = 0.75  # word-level similarity below which a near match is "absent", not a reworded quotation
DRIFT_MIN_WORDS = 4  # fewer words cannot tell a reworded quotation from a coincidence
DRIFT_ANCHORS = 8  # rarest quotation words that vote for where a near match starts
DRIFT_ANCHOR_MAX_HITS = 2000  # a word found more often than this ("the") votes everywhere: no anchor
DRIFT_WINDOWS = 5  # best-voted windows aligned character by character (the rest lose anyway)
DRIFT_MIN_ALIGNMENT = 50  # rapidfuzz partial-ratio below which a window holds nothing alike
DRIFT_MIN_BUCKET = 20  # folded chars per vote bucket for very short quotations
ELISION_GAP = 1500  # most folded chars one ellipsis may stand for (about a page)
INSERTION_GAP = 80  # most folded chars a [bracketed insertion] may replace (a few words)
ELIDED_MAX_STARTS = 500  # occurrences of an elided quotation's first part tried (a common phrase stops here)
TRIVIAL_PART_CHARS = 6  # a lone word shorter than this ("the", "and") between ellipses proves nothing
CONTEXT_CHARS = 400  # sentence context shown around a match, at most (two or three sentences)
PREPARED_CACHE = 64  # folded texts kept per process; a whole library would not fit in memory

# --- quotations: the library-wide index (quotes/index.py) ---------------------------
QUOTE_CHUNK_STEP = 1000  # folded chars between chunk starts: the longest stretch one index query covers
QUERY_WORDS = 8  # longest distinct words AND-ed per index query: long words are the rare ones
QUERY_PARTS = 4  # parts of an elided quotation tried as queries, longest first
MAX_CANDIDATES = 200  # chunks verified per quotation at most (a common phrase stops here)
WINDOW_MARGIN = 200  # original chars added around a candidate chunk beyond the quotation's own length
INDEX_BATCH = 100  # sources per transaction while indexing: a kill loses at most this many
RECENT_SOURCES = 16  # sources kept by a quotation index between quotations (one document cites few)

# --- search (search/) -----------------------------------------------------------------
PER_SOURCE_CAP = 3  # passages of one source before others get their turn: one article must not fill the page
MIN_PASSAGE_CHARS = 60  # headings and scraps rank high in BM25 (short documents) but are no evidence
RETRIEVAL_POOL = 50  # candidates per retriever before fusion: enough that fusion can reorder
CITE_CANDIDATES = 3  # passages judged per weak claim by `cite` even when one is wanted: the best-ranked may not support it
RESCORE_CANDIDATES = 10  # passages of the fused ranking the judge re-reads per claim: ~1 s of CPU, and the
#   supporting passage is in the top 10 for 95% of the search benchmark's claims
RERANK_POOL = 30  # candidates of the fused ranking the relevance re-ranker orders (search/relevance.py) before the
#   judge reads the first RESCORE_CANDIDATES: its fit's pool; 97% of WiCE dev's claims have a gold passage in it
RRF_K = 60  # reciprocal rank fusion's damping, the value of its paper: no retriever's top rank dominates

# --- checking (pipeline/check.py) -------------------------------------------------------
MAX_EVIDENCE = 100  # quotations one claim may have (config `max-evidence`, `check --max-evidence`): each is
#   located and judged (~25 ms), so 10,000 refs on one sentence would run for minutes; a real sentence has a few

# --- batch on Ray (engine/ray.py) -------------------------------------------------------
RAY_BATCH = 8  # claims per Ray task: Ray's per-task cost spread over several claims, yet small enough to balance
RAY_IN_FLIGHT = 2  # tasks queued per worker: the next batch is waiting when one finishes
RAY_RETRIES = 3  # restarts of a dead worker and resends of its batch before the run fails
RAY_THREADS_PER_WORKER = 1  # one model thread per actor: actors, not threads, use the CPUs
RAY_OBJECT_STORE_BYTES = 128 * 1024 * 1024  # a local cluster's object store: claims and lines are small
RAY_WORKER_NICENESS = 0  # a local cluster's workers at the command's own priority: Ray's default (+15) starves them on a busy machine
