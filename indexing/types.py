"""Contracts of the indexing package: the `Embedder` protocol and the `RetrievedClause` result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

MODES = ("hybrid", "bm25", "dense", "naive", "naive_hybrid")


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; queries and passages may be embedded differently (e5)."""

    name: str  # stable identifier, part of the embedding-cache key and the index manifest
    dim: int

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


@dataclass
class RetrievedClause:
    """One ranked citation. `text` is verbatim clause text (or a verbatim part / short subtree of it)."""

    clause_id: str
    label: str
    document: str  # full document title
    text: str
    score: float
    rank_sources: dict[str, int] = field(default_factory=dict)  # e.g. {"bm25": 1, "dense": 3}
    # cosine similarity of the query to its nearest unit (same for every result of one query; None without
    # dense search): how close the question is to anything the compilation says, for abstention.
    query_similarity: float | None = None

    def citation(self) -> dict[str, str]:
        """The citation object of the answer contract (DESIGN.md)."""
        return {"clause_id": self.clause_id, "document": self.document, "label": self.label, "text": self.text}

    def to_dict(self) -> dict:
        return asdict(self)
