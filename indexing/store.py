"""The vector store: Chroma, embedded (PersistentClient under the data dir) or a server (HttpClient).

Only vectors and ids live in Chroma; unit texts and metadata live in the index's units.jsonl,
so the same code serves both stores and a server holds nothing it cannot lose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

ADD_BATCH = 500


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def embedded_client(path: Path):
    """A PersistentClient whose files live in `path` (telemetry off)."""
    import chromadb

    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def http_client(url: str):
    """An HttpClient for a `chroma run` server, e.g. http://127.0.0.1:8000."""
    import chromadb

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"chroma_url must look like http://host:port, got {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    return chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=_chroma_settings())


def release_embedded_clients() -> None:
    """Chroma caches one system per path; drop them so a swapped-in index directory is opened afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@dataclass
class Hit:
    id: str
    distance: float  # cosine distance, 0 = same direction


class ChromaStore:
    """One collection of unit vectors; cosine space; no embedding function (vectors come from our Embedder)."""

    def __init__(self, client, collection: str, dim: int | None = None, create: bool = False):
        if not collection:
            raise ValueError("collection must not be empty")
        self.client = client
        self.name = collection
        if create:
            self._col = client.create_collection(name=collection, metadata={"hnsw:space": "cosine", "dim": dim or 0},
                                                 embedding_function=None)
        else:
            self._col = client.get_collection(name=collection, embedding_function=None)

    def add(self, ids: Sequence[str], embeddings: Sequence[Sequence[float]], metadatas: Sequence[dict] | None = None) -> None:
        if len(ids) != len(embeddings):
            raise ValueError(f"ids and embeddings differ in length: {len(ids)} != {len(embeddings)}")
        for start in range(0, len(ids), ADD_BATCH):
            end = start + ADD_BATCH
            self._col.add(ids=list(ids[start:end]), embeddings=[list(map(float, e)) for e in embeddings[start:end]],
                          metadatas=list(metadatas[start:end]) if metadatas else None)

    def query(self, embedding: Sequence[float], n: int) -> list[Hit]:
        if n <= 0:
            raise ValueError(f"n must be > 0, got {n}")
        n = min(n, self.count())
        if n == 0:
            return []
        res = self._col.query(query_embeddings=[list(map(float, embedding))], n_results=n, include=["distances"])
        return [Hit(i, float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id with its vector (float32, one row per id), in the store's order."""
        res = self._col.get(include=["embeddings"])
        ids = list(res["ids"])
        embeddings = res.get("embeddings")
        if embeddings is None or len(embeddings) == 0:
            return ids, np.zeros((len(ids), 0), dtype=np.float32)
        return ids, np.asarray(embeddings, dtype=np.float32).reshape(len(ids), -1)

    def count(self) -> int:
        return int(self._col.count())

    def ids(self) -> list[str]:
        return list(self._col.get(include=[])["ids"])

    def delete(self) -> None:
        self.client.delete_collection(self.name)

    def close(self) -> None:
        """Release the client (HTTP connections, SQLite handles); idempotent."""
        close_client(self.client)

    @staticmethod
    def exists(client, collection: str) -> bool:
        return any((c if isinstance(c, str) else c.name) == collection for c in client.list_collections())


def close_client(client) -> None:
    """`client.close()`, plus the HTTP sessions chroma 1.5 forgets to close.

    chromadb's FastAPI component has no `stop()` that closes its httpx.Client (neither for the
    client nor for its internal admin client), so the sockets linger until garbage collection and
    raise ResourceWarning. HTTP clients never share a system (each gets a fresh uuid identifier),
    so closing their sessions here cannot affect another client.
    """
    servers = [getattr(client, "_server", None), getattr(getattr(client, "_admin_client", None), "_server", None)]
    close = getattr(client, "close", None)
    if close is not None:
        close()
    for server in servers:
        session = getattr(server, "_session", None)
        if session is not None:
            session.close()
