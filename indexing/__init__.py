"""Hybrid retrieval over the clause tree: jieba BM25 + bundled e5 embeddings in Chroma, fused, offline.

Entry points: `indexing.retriever.get_retriever()` (HybridRetriever.retrieve), `indexing.tokenizer.tokenize`,
`indexing.index.build_index / index_status`, `indexing.lc_retriever.PolicyClauseRetriever` (LangChain),
`indexing.measure.retrieval_table / bench`. Heavy libraries load inside functions only.
"""
