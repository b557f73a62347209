"""A small lexical retriever over the real corpus, injected into the Assistant in unit tests.

It honours the `indexing.retriever` interface (`retrieve(query, top_k, mode) -> list[RetrievedClause]`) with
BM25 over each clause's own text (+ its heading path), so unit tests need no embedder, no Chroma and no index.
"""

from __future__ import annotations

from functools import lru_cache

from indexing.types import RetrievedClause


class FakeRetriever:
    def __init__(self, corpus=None):
        from rank_bm25 import BM25Okapi

        from corpus.loader import load_corpus
        from indexing.tokenizer import tokenize

        self.corpus = corpus or load_corpus()
        self.units = [c for c in self.corpus.clauses.values() if c.text.strip() and c.kind not in ("root", "attachment_list")]
        docs = [tokenize(" ".join(c.path) + " " + c.text, synonyms=False) or ["_"] for c in self.units]
        self.bm25 = BM25Okapi(docs)
        self.calls: list[tuple[str, int, str]] = []

    def retrieve(self, query: str, top_k: int = 5, mode: str = "hybrid") -> list[RetrievedClause]:
        from indexing.tokenizer import tokenize

        if top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {top_k}")
        self.calls.append((query, top_k, mode))
        scores = self.bm25.get_scores(tokenize(query))
        order = sorted(range(len(self.units)), key=lambda i: -scores[i])[:top_k]
        out = []
        for rank, i in enumerate(order, 1):
            c = self.units[i]
            doc = self.corpus.document(c.doc_slug)
            out.append(RetrievedClause(clause_id=c.id, label=c.label, document=doc.title, text=c.text,
                                       score=float(scores[i]), rank_sources={"bm25": rank}))
        return out


@lru_cache(maxsize=1)
def shared_fake_retriever() -> FakeRetriever:
    return FakeRetriever()
