"""BM25 over pre-tokenised units (rank-bm25's Okapi BM25)."""

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
        self._bm25 = BM25Okapi([list(t) or ["\u0000"] for t in unit_tokens], k1=k1, b=b)
        self.size = len(unit_tokens)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        if not query_tokens:
            return np.zeros(self.size)
        return np.asarray(self._bm25.get_scores(list(query_tokens)), dtype=np.float64)

    def search(self, query_tokens: Sequence[str], n: int) -> list[tuple[int, float]]:
        """Indices and scores of the `n` best units with a positive score, best first."""
        scores = self.scores(query_tokens)
        n = min(n, self.size)
        top = np.argpartition(-scores, n - 1)[:n] if n < self.size else np.arange(self.size)
        top = sorted(top, key=lambda i: (-scores[i], i))
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
