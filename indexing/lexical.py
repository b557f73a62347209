"""BM25 over pre-tokenised units: rank-bm25's Okapi BM25, with its per-term weights precomputed.

rank-bm25 scores a query by looping in Python over every unit for every query token (about 3 ms
for a 40-token question over 500 units). The weight of a (term, unit) pair does not depend on the
query, so it is computed once here, from rank-bm25's own statistics and with the same arithmetic;
a query then only adds the posting lists of its tokens (about 0.1 ms), and the scores are
bit-for-bit those of `BM25Okapi.get_scores` (a test checks this).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

BM25_K1 = 1.2
BM25_B = 0.75


class LexicalIndex:
    def __init__(self, unit_tokens: Sequence[Sequence[str]], k1: float = BM25_K1, b: float = BM25_B):
        from rank_bm25 import BM25Okapi

        if not unit_tokens:
            raise ValueError("unit_tokens must not be empty")
        # rank-bm25 divides by zero on an all-empty corpus; a placeholder token keeps empty units unmatched
        bm25 = BM25Okapi([list(t) or ["\u0000"] for t in unit_tokens], k1=k1, b=b)
        self.size = len(unit_tokens)
        self._postings = _postings(bm25)
        self.idf: dict[str, float] = dict(bm25.idf)  # how rare a term is (dense_text keeps the rarest words of a long story)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every unit; a token repeated in the query counts each time, as in rank-bm25."""
        out = np.zeros(self.size)
        for token in query_tokens:
            posting = self._postings.get(token)
            if posting is not None:
                units, weights = posting
                out[units] += weights
        return out

    def search(self, query_tokens: Sequence[str], n: int) -> list[tuple[int, float]]:
        """Indices and scores of the `n` best units with a positive score, best first."""
        scores = self.scores(query_tokens)
        n = min(n, self.size)
        top = np.argpartition(-scores, n - 1)[:n] if n < self.size else np.arange(self.size)
        top = sorted(top, key=lambda i: (-scores[i], i))
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _postings(bm25) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """term -> (units containing it, their BM25 weight for one query occurrence), as rank-bm25 computes it."""
    by_term: dict[str, tuple[list[int], list[int]]] = {}
    for unit, freqs in enumerate(bm25.doc_freqs):
        for term, tf in freqs.items():
            units, tfs = by_term.setdefault(term, ([], []))
            units.append(unit)
            tfs.append(tf)
    doc_len = np.array(bm25.doc_len)
    out = {}
    for term, (units, tfs) in by_term.items():
        idx = np.array(units, dtype=np.intp)
        tf = np.array(tfs)
        # the expression of BM25Okapi.get_scores, evaluated only where the term occurs
        norm = bm25.k1 * (1 - bm25.b + bm25.b * doc_len[idx] / bm25.avgdl)
        out[term] = (idx, (bm25.idf.get(term) or 0) * (tf * (bm25.k1 + 1) / (tf + norm)))
    return out
