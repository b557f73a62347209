"""Index lifecycle: build (atomic, cached embeddings), validate, load, status.

Layout under `data_dir`:
    index/manifest.json   what was built: corpus hash, embedder, unit-builder version, vocabulary, counts
    index/units.jsonl     the units with their BM25 tokens (checksummed in the manifest)
    index/body_vectors.npy   the vectors of the units' own words, without headings (checksummed)
    index/chroma/         the embedded Chroma store (absent when a Chroma server is used)
    cache/embeddings.sqlite   vectors by (embedder, sha256 of text): unchanged units are never re-embedded
    cache/jieba*.cache        jieba's prefix dictionary
A build writes `index.building-*` and renames it into place, so readers never see half an index.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpus.errors import IndexNotBuiltError
from indexing.config import IndexSettings
from indexing.embedders import EmbeddingCache, embed_units, make_embedder, unit_dense_texts
from indexing.lexical import LexicalIndex
from indexing.retriever import DenseSearch, HybridRetriever, Reranker, UnitSet
from indexing.store import ChromaStore, close_client, embedded_client, http_client, release_embedded_clients
from indexing.types import Embedder
from indexing.units import UNIT_BUILDER_VERSION, RetrievalUnit, build_units, naive_chunks

INDEX_FORMAT = 3
MANIFEST_FILE = "manifest.json"
UNITS_FILE = "units.jsonl"
BODY_VECTORS_FILE = "body_vectors.npy"  # the units' own words, for abstention (see embed_units)
CHROMA_DIR = "chroma"
EMBEDDED_COLLECTION = "policy-qa-clauses"
LOCK_FILE = ".index.lock"

logger = logging.getLogger("policy_qa.indexing")

Progress = Callable[[str, int, int], None]  # (stage, done, total)


class IndexProblem(Exception):
    """Why an index cannot be used as is: state is missing | stale | corrupt."""

    def __init__(self, state: str, reason: str):
        self.state = state
        self.reason = reason
        super().__init__(f"{state}: {reason}")


_embedders: dict[str, Embedder] = {}
_rerankers: dict[str, Reranker] = {}


def get_embedder(spec: str) -> Embedder:
    """One embedder per spec per process (models load once)."""
    if spec not in _embedders:
        try:
            _embedders[spec] = make_embedder(spec)
        except (OSError, ValueError, ImportError, RuntimeError) as err:
            raise IndexNotBuiltError(f"无法加载嵌入模型 {spec}：{err}") from err
    return _embedders[spec]


def get_reranker(spec: str | None) -> Reranker | None:
    if not spec:
        return None
    if spec not in _rerankers:
        try:
            _rerankers[spec] = Reranker(spec.removeprefix("st-ce:"))
        except (OSError, ValueError, ImportError, RuntimeError) as err:
            raise IndexNotBuiltError(f"无法加载重排模型 {spec}：{err}") from err
    return _rerankers[spec]


def _units_fingerprint(units: list[RetrievalUnit]) -> str:
    digest = hashlib.sha256()
    for unit in units:
        digest.update(json.dumps(unit.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:16]


def _identity(settings: IndexSettings, embedder: Embedder) -> dict:
    """The fields that make an index stale when they change."""
    from corpus.loader import load_corpus
    from indexing.tokenizer import vocabulary_fingerprint

    corpus = load_corpus()
    return {
        "index_format": INDEX_FORMAT,
        "corpus_sha256": corpus.source_sha256,
        # the clause tree as parsed: a parser fix changes the units even when the raw text does not change
        "units": _units_fingerprint(build_units(corpus)),
        "embedder": embedder.name,
        "dim": embedder.dim,
        "unit_builder_version": UNIT_BUILDER_VERSION,
        "vocabulary": vocabulary_fingerprint(),
        "store": settings.chroma_url or "embedded",
    }


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _build_lock(settings: IndexSettings) -> Iterator[None]:
    """Serialises builds across processes (two `ask` processes may both find the index missing)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with (settings.data_dir / LOCK_FILE).open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_manifest(settings: IndexSettings) -> dict:
    path = settings.index_dir / MANIFEST_FILE
    if not path.exists():
        raise IndexProblem("missing", "没有索引清单")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise IndexProblem("corrupt", f"索引清单无法读取：{err}") from err
    if not isinstance(manifest, dict) or "identity" not in manifest:
        raise IndexProblem("corrupt", "索引清单格式不对")
    return manifest


_STALE_REASONS = {
    "corpus_sha256": "政策原文已更新", "units": "条款解析结果已变化", "embedder": "嵌入模型已更换", "dim": "嵌入维度已变化",
    "unit_builder_version": "条款切分方式已更新", "vocabulary": "分词词典或同义词表已更新",
    "index_format": "索引格式已升级", "store": "向量库位置已更换",
}


def _client(settings: IndexSettings, index_dir: Path):
    return http_client(settings.chroma_url) if settings.chroma_url else embedded_client(index_dir / CHROMA_DIR)


def _open_store(settings: IndexSettings, manifest: dict) -> ChromaStore:
    try:
        store = ChromaStore(_client(settings, settings.index_dir), manifest["collection"])
        count = store.count()
    except BaseException as err:  # chroma's Rust core may raise a PanicException (a BaseException) on damaged files
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        if settings.chroma_url and "connect" in str(err).lower():
            raise IndexNotBuiltError(f"无法连接 Chroma 服务 {settings.chroma_url}：{err}") from err
        raise IndexProblem("corrupt", f"向量库无法打开：{type(err).__name__}: {err}") from err
    if count != manifest["n_units"]:
        store.close()
        raise IndexProblem("corrupt", f"向量库有 {count} 条向量，清单记录 {manifest['n_units']} 条")
    return store


def _read_units(settings: IndexSettings, manifest: dict) -> tuple[list[RetrievalUnit], list[list[str]]]:
    path = settings.index_dir / UNITS_FILE
    if not path.exists():
        raise IndexProblem("corrupt", "缺少 units.jsonl")
    if _sha256_file(path) != manifest.get("units_sha256"):
        raise IndexProblem("corrupt", "units.jsonl 校验和不符")
    units, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        tokens.append(row.pop("tokens"))
        units.append(RetrievalUnit(**row))
    if len(units) != manifest["n_units"]:
        raise IndexProblem("corrupt", "条款单元数量与清单不符")
    return units, tokens


def _read_body_vectors(settings: IndexSettings, manifest: dict) -> np.ndarray:
    path = settings.index_dir / BODY_VECTORS_FILE
    if not path.exists():
        raise IndexProblem("corrupt", f"缺少 {BODY_VECTORS_FILE}")
    if _sha256_file(path) != manifest.get("body_vectors_sha256"):
        raise IndexProblem("corrupt", f"{BODY_VECTORS_FILE} 校验和不符")
    vectors = np.load(path, allow_pickle=False)
    if vectors.shape != (manifest["n_units"], manifest["identity"]["dim"]) or not np.isfinite(vectors).all():
        raise IndexProblem("corrupt", f"{BODY_VECTORS_FILE} 的形状或数值不对")
    return vectors


def _check_files(settings: IndexSettings, manifest: dict) -> None:
    """IndexProblem unless the units, the body vectors and the vector store all match the manifest."""
    _read_units(settings, manifest)
    _read_body_vectors(settings, manifest)
    _open_store(settings, manifest).close()


def validate_index(settings: IndexSettings, embedder: Embedder | None = None) -> dict:
    """The manifest of a usable index, or IndexProblem saying why it is missing, stale or corrupt."""
    manifest = read_manifest(settings)
    identity = _identity(settings, embedder or get_embedder(settings.embedder))
    for key, value in identity.items():
        if manifest["identity"].get(key) != value:
            raise IndexProblem("stale", _STALE_REASONS.get(key, key))
    return manifest


def _load(settings: IndexSettings) -> HybridRetriever:
    embedder = get_embedder(settings.embedder)
    manifest = validate_index(settings, embedder)
    units, tokens = _read_units(settings, manifest)
    bodies = _read_body_vectors(settings, manifest)
    store = _open_store(settings, manifest)
    if settings.dense_search == "store":
        def dense(vec, n: int) -> list[tuple[str, float]]:
            return [(hit.id, 1.0 - hit.distance) for hit in store.query(vec, n)]

        close = store.close
    else:
        try:
            dense, close = _in_memory_search(store, units).search, None
        finally:
            store.close()  # the vectors are in memory now
    unit_set = UnitSet(units, LexicalIndex(tokens), dense, close=close, body_vectors=bodies)
    from indexing.tokenizer import warm_up

    warm_up()  # load jieba now, so the first question is as fast as the rest
    return HybridRetriever(unit_set, embedder, reranker=get_reranker(settings.reranker),
                           naive_loader=lambda: build_naive_units(settings, embedder))


def _in_memory_search(store: ChromaStore, units: list[RetrievalUnit]) -> DenseSearch:
    """The store's vectors, checked against the units, for exact search in memory (IndexProblem if they differ)."""
    try:
        ids, vectors = store.vectors()
    except BaseException as err:  # chroma's Rust core may raise a PanicException (a BaseException) on damaged files
        if isinstance(err, KeyboardInterrupt | SystemExit):
            raise
        raise IndexProblem("corrupt", f"向量库无法读取：{type(err).__name__}: {err}") from err
    if sorted(ids) != sorted(u.unit_id for u in units):
        raise IndexProblem("corrupt", "向量库中的条款编号与 units.jsonl 不一致")
    if vectors.ndim != 2 or not np.isfinite(vectors).all():
        raise IndexProblem("corrupt", "向量库中的向量已损坏")
    return DenseSearch(ids, vectors)


def build_naive_units(settings: IndexSettings, embedder: Embedder, notify: Callable[[str], None] | None = None) -> UnitSet:
    """The naive baseline (fixed-size chunks), embedded through the same cache; built on first use."""
    from corpus.loader import load_corpus
    from indexing.tokenizer import lexical_tokens

    chunks = naive_chunks(load_corpus())
    cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
    try:
        texts = unit_dense_texts(chunks)
        missing = len(texts) - len(cache.get_many(embedder.name, [EmbeddingCache.key(t) for t in texts]))
        if missing > 20:
            (notify or logger.warning)(f"正在为基线检索（固定长度切块）计算 {missing} 个片段的向量，仅首次需要…")
        vectors, bodies = embed_units(embedder, chunks, cache, use_seed=settings.use_seed)
    finally:
        cache.close()
    tokens = [lexical_tokens(c.match_text) for c in chunks]
    search = DenseSearch([c.unit_id for c in chunks], vectors)
    return UnitSet(chunks, LexicalIndex(tokens), search.search, body_vectors=bodies)


def _cleanup_leftovers(settings: IndexSettings) -> None:
    for stale in settings.data_dir.glob("index.building-*"):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in settings.data_dir.glob("index.old-*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_index(settings: IndexSettings, *, force: bool = False, on_progress: Progress | None = None) -> dict:
    """Build the index aside and swap it in. Without `force`, a valid index is kept (returns its manifest, skipped=True)."""
    started = time.perf_counter()
    with _build_lock(settings):
        embedder = get_embedder(settings.embedder)
        if not force:
            try:
                manifest = validate_index(settings, embedder)
                _check_files(settings, manifest)
                return {**manifest, "skipped": True}
            except IndexProblem:
                pass
        _cleanup_leftovers(settings)
        from corpus.loader import load_corpus
        from indexing.tokenizer import lexical_tokens

        identity = _identity(settings, embedder)
        units = build_units(load_corpus())
        if on_progress:
            on_progress("tokenize", 0, len(units))
        tokens = [lexical_tokens(u.match_text) for u in units]
        if on_progress:
            on_progress("tokenize", len(units), len(units))
        n_texts = len(unit_dense_texts(units))
        cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
        done = 0

        def embedded(n: int) -> None:
            nonlocal done
            done += n
            if on_progress:
                on_progress("embed", done, n_texts)

        try:
            vectors, bodies = embed_units(embedder, units, cache, embedded, settings.use_seed)
            hits, misses = cache.hits, cache.misses
        finally:
            cache.close()

        building = settings.data_dir / f"index.building-{os.getpid()}-{secrets.token_hex(4)}"
        building.mkdir(parents=True)
        units_path = building / UNITS_FILE
        with units_path.open("w", encoding="utf-8") as fh:
            for unit, toks in zip(units, tokens, strict=True):
                fh.write(json.dumps({**unit.to_dict(), "tokens": toks}, ensure_ascii=False) + "\n")
        np.save(building / BODY_VECTORS_FILE, bodies)
        build_id = hashlib.sha256(json.dumps(identity, sort_keys=True).encode() + secrets.token_bytes(8)).hexdigest()[:12]
        collection = f"policy-qa-{build_id}" if settings.chroma_url else EMBEDDED_COLLECTION
        old_collection = None
        if settings.chroma_url:
            with contextlib.suppress(IndexProblem):
                old_collection = read_manifest(settings).get("collection")
        store = None
        try:
            store = ChromaStore(_client(settings, building), collection, dim=embedder.dim, create=True)
            store.add([u.unit_id for u in units], vectors, [{"clause_id": u.clause_id} for u in units])
        except BaseException as err:
            if store is not None:
                store.close()
            shutil.rmtree(building, ignore_errors=True)
            if isinstance(err, KeyboardInterrupt | SystemExit):
                raise
            raise IndexNotBuiltError(f"写入向量库失败：{type(err).__name__}: {err}") from err
        manifest = {
            "identity": identity,
            "collection": collection,
            "n_units": len(units),
            "units_sha256": _sha256_file(units_path),
            "body_vectors_sha256": _sha256_file(building / BODY_VECTORS_FILE),
            "unit_kinds": {k: sum(1 for u in units if u.kind == k) for k in sorted({u.kind for u in units})},
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "dense_texts": n_texts,  # unit bodies and heading contexts, each embedded once
            "embeddings_cached": hits,
            "embeddings_computed": misses,
            "chroma_url": settings.chroma_url,
        }
        (building / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        store.close()
        release_embedded_clients()
        _swap_in(settings, building)
        if old_collection and old_collection != collection:
            client = http_client(settings.chroma_url)
            with contextlib.suppress(Exception):
                client.delete_collection(old_collection)
            close_client(client)
        return {**manifest, "skipped": False}


def _swap_in(settings: IndexSettings, building: Path) -> None:
    index = settings.index_dir
    old = None
    if index.exists() or index.is_symlink():
        old = settings.data_dir / f"index.old-{os.getpid()}-{secrets.token_hex(4)}"
        index.rename(old)
    building.rename(index)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


_MESSAGES = {
    "missing": "检索索引尚未建立，正在自动建立（首次约需半分钟至一分钟）……",
    "stale": "检索索引已过期（{reason}），正在重新建立……",
    "corrupt": "检索索引已损坏（{reason}），正在重新建立……",
}


def load_or_build(settings: IndexSettings, notify: Callable[[str], None] | None = None) -> HybridRetriever:
    """Load the index; when it is missing, stale or corrupt, say so (notify, else a logging warning) and rebuild."""
    try:
        return _load(settings)
    except IndexProblem as problem:
        (notify or logger.warning)(_MESSAGES[problem.state].format(reason=problem.reason))
    release_embedded_clients()
    try:
        build_index(settings, force=False)
        return _load(settings)
    except IndexProblem as problem:
        raise IndexNotBuiltError(problem.reason) from problem
    except OSError as err:
        raise IndexNotBuiltError(f"无法写入 {settings.data_dir}：{err}") from err


def index_status(settings: IndexSettings) -> dict:
    """What is built where, and whether it is usable (state ok | missing | stale | corrupt)."""
    status: dict = {"data_dir": str(settings.data_dir), "index_dir": str(settings.index_dir)}
    try:
        manifest = read_manifest(settings)
        status["manifest"] = manifest
        validate_index(settings)
        _check_files(settings, manifest)
        status["state"], status["reason"] = "ok", ""
    except IndexProblem as problem:
        status["state"], status["reason"] = problem.state, problem.reason
    return status
