"""LangChain adapter: the hybrid retriever as a `BaseRetriever` (for agents and LCEL chains)."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from indexing.types import MODES


class PolicyClauseRetriever(BaseRetriever):
    """Returns clause citations as `Document`s: page_content = clause text; metadata = clause_id, label, document, score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any = Field(description="a HybridRetriever (indexing.retriever.get_retriever())")
    top_k: int = 5
    mode: str = "hybrid"

    def model_post_init(self, __context: Any) -> None:
        if self.top_k <= 0:
            raise ValueError(f"top_k must be > 0, got {self.top_k}")
        if self.mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {self.mode!r}")

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        found = self.retriever.retrieve(query, top_k=self.top_k, mode=self.mode)
        return [Document(page_content=c.text, metadata={"clause_id": c.clause_id, "label": c.label, "document": c.document,
                                                         "score": c.score, "rank_sources": dict(c.rank_sources)})
                for c in found]


def get_langchain_retriever(top_k: int = 5, mode: str = "hybrid", settings=None) -> PolicyClauseRetriever:
    from indexing.retriever import get_retriever

    return PolicyClauseRetriever(retriever=get_retriever(settings), top_k=top_k, mode=mode)
