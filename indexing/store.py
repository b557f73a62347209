"""The vector store: Chroma, embedded (PersistentClient under the data dir) or a server (HttpClient).

Only vectors and ids live in Chroma; unit texts and metadata live in the index's units.jsonl,
so the same code serves both stores and a server holds nothing it cannot lose.

A server is reached with bounded waits (`timeout_s` for connecting and for each reply): chromadb 1.5 builds its
httpx session with `timeout=None` and sends its first request inside `HttpClient()`, with no setting to change
either (chroma-core/chroma#5805), so `http_client` hands chromadb an httpx whose `Client` gets our timeout
while the client is built, and sets it on the sessions afterwards. Every failure to reach the server becomes
a `StoreUnavailableError` naming the URL.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from indexing.errors import StoreUnavailableError

ADD_BATCH = 500
logger = logging.getLogger("policy_qa.indexing")
DEFAULT_HTTP_TIMEOUT_S = 5.0
SQLITE_FILE = "chroma.sqlite3"


def _chroma_settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def embedded_client(path: Path):
    """A PersistentClient whose files live in `path` (telemetry off)."""
    import chromadb

    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())


def writable(path: Path) -> bool:
    """Whether files under `path` can be created and changed (false on a read-only mount even for root)."""
    path = Path(path)
    probe = path if path.is_dir() else path.parent
    if not os.access(probe, os.W_OK):
        return False
    return all(os.access(f, os.W_OK) for f in probe.iterdir() if f.is_file()) if probe.is_dir() else True


class ReadOnlyCopy:
    """A private temporary copy of an embedded Chroma directory that cannot be written in place.

    Chroma's PersistentClient writes to its SQLite file even to read (it takes a write lock on open), so a
    read-only data dir is served from a copy (a few MB); `close()` removes it.
    """

    def __init__(self, source: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="policy-qa-chroma-"))
        try:
            shutil.copytree(source, self.dir / "chroma", symlinks=False)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise
        self.path = self.dir / "chroma"
        atexit.register(self.close)  # also when the store is never released (a retriever kept to the end)

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        atexit.unregister(self.close)


def sqlite_problem(path: Path) -> str | None:
    """None when `PRAGMA quick_check` finds the SQLite file sound, else what is wrong (opened read-only)."""
    path = Path(path)
    if not path.exists():
        return f"缺少 {path.name}"
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as err:
        logger.info("%s 无法读取：%s", path, err)
        return f"{path.name} 已损坏，无法读取（{type(err).__name__}）"
    if rows != ["ok"]:
        return f"{path.name} {quick_check_summary(rows, path)}"
    return None


def quick_check_summary(rows: list, path: Path | str = "") -> str:
    """`PRAGMA quick_check`'s findings in one Chinese line; SQLite's own words (one line per damaged page) go to
    the log (-v)."""
    lines = [line.strip() for row in rows for line in str(row).splitlines()]
    lines = [line for line in lines if line and not line.startswith("***")]
    logger.info("%s PRAGMA quick_check：%s", path, "；".join(lines[:20]))
    return f"完整性检查未通过（{len(lines) or 1} 处问题）"


@contextlib.contextmanager
def native_panics_to_log() -> Iterator[None]:
    """Keep the panic reports of Chroma's Rust core ("thread 'tokio-rt-worker' panicked at …", with a backtrace
    note) off the user's stderr: a damaged store is reported in Chinese by the caller, and the panic text goes to
    the log (shown with -v). Anything else written to stderr meanwhile is passed on unchanged."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real stderr (embedded interpreters): nothing to protect
        yield
        return
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            text = captured.read()
            if b"panicked at" in text:
                logger.info("Chroma 内部错误输出：%s", text.decode("utf-8", "replace").strip())
            elif text:
                os.write(2, text)


_construct_lock = threading.Lock()


class _BoundedHttpx:
    """Stands in for the `httpx` module inside `chromadb.api.fastapi` while a client is built: the same module,
    except that `httpx.Client(timeout=None, ...)` gets our timeout."""

    def __init__(self, httpx_module, timeout_s: float):
        self._httpx = httpx_module
        self._timeout = httpx_module.Timeout(timeout_s)
        self.made: list = []  # the sessions built, closed by us if the client never comes into being

    def __getattr__(self, name: str):
        return getattr(self._httpx, name)

    def Client(self, *args, **kwargs):  # noqa: N802 - mirrors httpx.Client
        kwargs["timeout"] = self._timeout
        session = self._httpx.Client(*args, **kwargs)
        self.made.append(session)
        return session


@contextlib.contextmanager
def _bounded_sessions(timeout_s: float) -> Iterator[None]:
    import httpx
    from chromadb.api import fastapi

    with _construct_lock:
        original = fastapi.httpx
        shim = _BoundedHttpx(httpx, timeout_s)
        fastapi.httpx = shim
        try:
            yield
        except BaseException:
            for session in shim.made:  # chromadb does not close them when its constructor fails
                session.close()
            raise
        finally:
            fastapi.httpx = original


def _unavailable_detail(err: BaseException, timeout_s: float) -> str | None:
    """A Chinese reason when `err` means the server cannot be reached or does not reply; None for other errors."""
    import httpx

    for cause in (err, err.__cause__, err.__context__):
        if isinstance(cause, httpx.TimeoutException):
            return f"{timeout_s:g} 秒内没有响应"
        if isinstance(cause, httpx.ConnectError | ConnectionError):
            return "连接被拒绝或地址不可达"
        if isinstance(cause, httpx.TransportError):
            return f"网络错误：{type(cause).__name__}"
    if isinstance(err, ValueError) and "could not connect" in str(err).lower():
        return "连接失败"
    return None


@contextlib.contextmanager
def _server_errors(url: str, timeout_s: float) -> Iterator[None]:
    """Turn "cannot reach the server" errors into StoreUnavailableError; let every other error through."""
    try:
        yield
    except StoreUnavailableError:
        raise
    except Exception as err:
        detail = _unavailable_detail(err, timeout_s)
        if detail is None:
            raise
        raise StoreUnavailableError(url, detail) from err


def http_client(url: str, timeout_s: float = DEFAULT_HTTP_TIMEOUT_S):
    """An HttpClient for a `chroma run` server, e.g. http://127.0.0.1:8000, with every wait bounded by `timeout_s`.

    Raises StoreUnavailableError when the server refuses, is unreachable or does not reply within `timeout_s`.
    """
    import chromadb

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"chroma_url must look like http://host:port, got {url!r}")
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be > 0, got {timeout_s}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    with _server_errors(url, timeout_s), _bounded_sessions(timeout_s):
        client = chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", settings=_chroma_settings())
    for session in _sessions(client):  # in case a later chromadb builds its session some other way
        session.timeout = type(session.timeout)(timeout_s)
    return client


def _sessions(client) -> list:
    servers = [getattr(client, "_server", None), getattr(getattr(client, "_admin_client", None), "_server", None)]
    return [s for s in (getattr(server, "_session", None) for server in servers) if s is not None]


def release_embedded_clients() -> None:
    """Chroma caches one system per path; drop them so a swapped-in index directory is opened afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


@dataclass
class Hit:
    id: str
    distance: float  # cosine distance, 0 = same direction


class ChromaStore:
    """One collection of unit vectors; cosine space; no embedding function (vectors come from our Embedder).

    With `server_url` (an HttpClient), failing to reach the server raises StoreUnavailableError naming it.
    """

    def __init__(self, client, collection: str, dim: int | None = None, create: bool = False, *,
                 server_url: str | None = None, timeout_s: float = DEFAULT_HTTP_TIMEOUT_S):
        if not collection:
            raise ValueError("collection must not be empty")
        self.client = client
        self.name = collection
        self.server_url = server_url
        self.timeout_s = timeout_s
        with self._guard():
            if create:
                self._col = client.create_collection(name=collection, metadata={"hnsw:space": "cosine", "dim": dim or 0},
                                                     embedding_function=None)
            else:
                self._col = client.get_collection(name=collection, embedding_function=None)

    def _guard(self):
        return _server_errors(self.server_url, self.timeout_s) if self.server_url else contextlib.nullcontext()

    def add(self, ids: Sequence[str], embeddings: Sequence[Sequence[float]], metadatas: Sequence[dict] | None = None) -> None:
        if len(ids) != len(embeddings):
            raise ValueError(f"ids and embeddings differ in length: {len(ids)} != {len(embeddings)}")
        for start in range(0, len(ids), ADD_BATCH):
            end = start + ADD_BATCH
            with self._guard():
                self._col.add(ids=list(ids[start:end]), embeddings=[list(map(float, e)) for e in embeddings[start:end]],
                              metadatas=list(metadatas[start:end]) if metadatas else None)

    def query(self, embedding: Sequence[float], n: int) -> list[Hit]:
        if n <= 0:
            raise ValueError(f"n must be > 0, got {n}")
        n = min(n, self.count())
        if n == 0:
            return []
        with self._guard():
            res = self._col.query(query_embeddings=[list(map(float, embedding))], n_results=n, include=["distances"])
        return [Hit(i, float(d)) for i, d in zip(res["ids"][0], res["distances"][0], strict=True)]

    def nearest(self, embeddings: np.ndarray) -> list[tuple[str, float]]:
        """(id, cosine distance) of the nearest stored vector to each of `embeddings`, in one query call."""
        if len(embeddings) == 0:
            return []
        with self._guard():
            res = self._col.query(query_embeddings=np.asarray(embeddings, dtype=np.float32).tolist(), n_results=1,
                                  include=["distances"])
        return [(ids[0], float(dists[0])) if ids else ("", 2.0) for ids, dists in zip(res["ids"], res["distances"], strict=True)]

    def vectors(self) -> tuple[list[str], np.ndarray]:
        """Every id with its vector (float32, one row per id), in the store's order."""
        with self._guard():
            res = self._col.get(include=["embeddings"])
        ids = list(res["ids"])
        embeddings = res.get("embeddings")
        if embeddings is None or len(embeddings) == 0:
            return ids, np.zeros((len(ids), 0), dtype=np.float32)
        return ids, np.asarray(embeddings, dtype=np.float32).reshape(len(ids), -1)

    def count(self) -> int:
        with self._guard():
            return int(self._col.count())

    def ids(self) -> list[str]:
        with self._guard():
            return list(self._col.get(include=[])["ids"])

    def delete(self) -> None:
        with self._guard():
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
    sessions = _sessions(client)
    close = getattr(client, "close", None)
    if close is not None:
        close()
    for session in sessions:
        session.close()
