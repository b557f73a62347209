"""Index lifecycle: build (atomic, cached embeddings), validate, load, status.

Layout under `data_dir`:
    index/manifest.json   what was built: corpus hash, embedder, unit-builder version, vocabulary, counts
    index/units.jsonl     the units with their BM25 tokens (checksummed in the manifest)
    index/body_vectors.npy   the vectors of the units' own words, without headings (checksummed)
    index/chroma/         the embedded Chroma store (absent when a Chroma server is used)
    cache/embeddings.sqlite   vectors by (embedder, sha256 of text): unchanged units are never re-embedded
    cache/jieba*.cache        jieba's prefix dictionary
A build writes `index.building-*` and renames it into place, so readers never see half an index.

Opening checks everything against the manifest before a single question is answered: the manifest's own
checksum, the units and body vectors by sha256, Chroma's SQLite file by `PRAGMA quick_check`, the store's ids
and count, and a checksum over the store's (id, vector) pairs (vectors swapped between ids change it). A
problem is `missing | stale | corrupt` and is healed by a rebuild (`index build` without `--force` rebuilds
too); a Chroma server that cannot be reached is `StoreUnavailableError`, which no rebuild can heal.
Answering writes nothing: a read-only data dir with a sound index serves (Chroma is read from a private copy).
"""

from __future__ import annotations

import contextlib
import errno
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
from indexing.errors import DataDirNotWritableError, StoreUnavailableError
from indexing.lexical import LexicalIndex
from indexing.retriever import DenseSearch, HybridRetriever, Reranker, UnitSet
from indexing.store import (
    SQLITE_FILE,
    ChromaStore,
    ReadOnlyCopy,
    close_client,
    embedded_client,
    http_client,
    native_panics_to_log,
    release_embedded_clients,
    sqlite_problem,
    writable,
)
from indexing.types import Embedder
from indexing.units import UNIT_BUILDER_VERSION, RetrievalUnit, build_units, naive_chunks

INDEX_FORMAT = 4  # 4: the manifest checksums itself and the store's (id, vector) pairs
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


def _manifest_checksum(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return hashlib.sha256(json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def vectors_checksum(ids: list[str], vectors: np.ndarray) -> str:
    """sha256 over the (id, float32 vector) pairs in id order: changes when a vector moves to another id."""
    if len(ids) != len(vectors):
        raise ValueError(f"ids and vectors differ in length: {len(ids)} != {len(vectors)}")
    rows = np.ascontiguousarray(np.asarray(vectors, dtype="<f4").reshape(len(ids), -1))
    digest = hashlib.sha256()
    for i in sorted(range(len(ids)), key=ids.__getitem__):
        digest.update(ids[i].encode("utf-8") + b"\0")
        digest.update(rows[i].tobytes())
    return digest.hexdigest()


def read_manifest(settings: IndexSettings) -> dict:
    path = settings.index_dir / MANIFEST_FILE
    if not path.exists():
        raise IndexProblem("missing", "没有索引清单")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise _corrupt("索引清单无法解析", err) from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("identity"), dict):
        raise IndexProblem("corrupt", "索引清单格式不对")
    # an index of an older format has no checksums; its identity says stale and it is rebuilt
    if manifest["identity"].get("index_format") == INDEX_FORMAT:
        if manifest.get("manifest_sha256") != _manifest_checksum(manifest):
            raise IndexProblem("corrupt", "索引清单校验和不符")
        if not isinstance(manifest.get("n_units"), int) or not isinstance(manifest.get("collection"), str):
            raise IndexProblem("corrupt", "索引清单格式不对")
    return manifest


_STALE_REASONS = {
    "corpus_sha256": "政策原文已更新", "units": "条款解析结果已变化", "embedder": "嵌入模型已更换", "dim": "嵌入维度已变化",
    "unit_builder_version": "条款切分方式已更新", "vocabulary": "分词词典或同义词表已更新",
    "index_format": "索引格式已升级", "store": "向量库位置已更换",
}


def _client(settings: IndexSettings, index_dir: Path):
    if settings.chroma_url:
        return http_client(settings.chroma_url, settings.chroma_timeout_s)
    return embedded_client(index_dir / CHROMA_DIR)


def _corrupt(what: str, err: BaseException) -> IndexProblem:
    """A corrupt-index problem saying what failed in Chinese; the library's own words go to the log (-v)."""
    logger.info("%s：%s: %s", what, type(err).__name__, err)
    return IndexProblem("corrupt", f"{what}（{type(err).__name__}）")


def _is_panic(err: BaseException) -> bool:
    # chroma's Rust core raises pyo3's PanicException (a BaseException) on damaged files
    return not isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit)


def _open_store(settings: IndexSettings, manifest: dict) -> tuple[ChromaStore, Callable[[], None]]:
    """The manifest's collection and a function that releases it (and the private copy of a read-only store)."""
    if settings.chroma_url:
        client = None
        try:
            client = _client(settings, settings.index_dir)
            store = ChromaStore(client, manifest["collection"], server_url=settings.chroma_url,
                                timeout_s=settings.chroma_timeout_s)
        except StoreUnavailableError:
            if client is not None:
                close_client(client)
            raise
        except Exception as err:  # the collection is gone (a reset server) or the server answers with an error
            if client is not None:
                close_client(client)
            raise _corrupt(f"向量库服务上的集合 {manifest['collection']} 无法打开", err) from err
        return store, store.close
    chroma_dir = settings.index_dir / CHROMA_DIR
    problem = sqlite_problem(chroma_dir / SQLITE_FILE)
    if problem:
        raise IndexProblem("corrupt", f"向量库 {problem}")
    copy = None
    client = None
    try:
        if not writable(chroma_dir):  # Chroma writes even to read: serve a read-only data dir from a private copy
            copy = ReadOnlyCopy(chroma_dir)
        client = embedded_client(copy.path if copy else chroma_dir)
        store = ChromaStore(client, manifest["collection"])
    except BaseException as err:
        if client is not None:
            close_client(client)
        if copy is not None:
            copy.close()
        if not _is_panic(err):
            raise
        raise _corrupt("向量库无法打开", err) from err

    def release() -> None:
        store.close()
        if copy is not None:
            release_embedded_clients()
            copy.close()

    return store, release


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


def _store_vectors(store: ChromaStore, manifest: dict, units: list[RetrievalUnit]) -> DenseSearch:
    """The store's vectors, checked against the manifest (count, ids, checksum of the (id, vector) pairs)."""
    try:
        count = store.count()
        ids, vectors = store.vectors()
    except StoreUnavailableError:
        raise
    except BaseException as err:
        if not _is_panic(err):
            raise
        raise _corrupt("向量库无法读取", err) from err
    n_units = manifest["n_units"]
    if count != n_units or len(ids) != n_units:
        raise IndexProblem("corrupt", f"向量库有 {count} 条向量（读出 {len(ids)} 条），清单记录 {n_units} 条")
    if sorted(ids) != sorted(u.unit_id for u in units):
        raise IndexProblem("corrupt", "向量库中的条款编号与 units.jsonl 不一致")
    if vectors.shape != (n_units, manifest["identity"]["dim"]) or not np.isfinite(vectors).all():
        raise IndexProblem("corrupt", "向量库中的向量已损坏")
    if vectors_checksum(ids, vectors) != manifest.get("vectors_sha256"):
        raise IndexProblem("corrupt", "向量库中的向量与建立时不一致（校验和不符，可能被改动或错位）")
    return DenseSearch(ids, vectors)


def _check_store_search(store: ChromaStore, search: DenseSearch) -> None:
    """For `dense_search=store`: Chroma's own search must find each vector at its own id.

    Its search index (HNSW) is separate from the vectors `get` returns. A vector found at distance ~0 under an id
    whose stored vector is different means the search index has vectors under the wrong ids; an approximate miss
    (another id at a real distance) is normal for HNSW and is not counted.
    """
    try:
        hits = store.nearest(search.vectors)
    except StoreUnavailableError:
        raise
    except BaseException as err:
        if not _is_panic(err):
            raise
        raise _corrupt("向量库检索失败", err) from err
    row = {unit_id: i for i, unit_id in enumerate(search.ids)}
    for i, (found, distance) in enumerate(hits):
        if found == search.ids[i] or distance > 1e-4:
            continue
        j = row.get(found)
        if j is None or float(search.vectors[i] @ search.vectors[j]) < 0.9999:
            raise IndexProblem("corrupt", f"向量库的检索索引与向量不一致（{search.ids[i]} 的向量出现在 {found} 下）")


class _OpenedIndex:
    """Everything of an index that passed every check; `release()` frees the store unless it was kept open."""

    def __init__(self, units, tokens, bodies, search: DenseSearch, store: ChromaStore | None, release: Callable[[], None]):
        self.units, self.tokens, self.bodies, self.search, self.store = units, tokens, bodies, search, store
        self.release = release


def _open_index(settings: IndexSettings, manifest: dict, *, keep_store: bool = False) -> _OpenedIndex:
    """Read and verify every file of the index (IndexProblem saying what is wrong; StoreUnavailableError)."""
    units, tokens = _read_units(settings, manifest)
    bodies = _read_body_vectors(settings, manifest)
    with native_panics_to_log():
        store, release = _open_store(settings, manifest)
        try:
            search = _store_vectors(store, manifest, units)
            if keep_store:
                _check_store_search(store, search)
        except BaseException:
            release()
            raise
    if not keep_store:
        release()
        return _OpenedIndex(units, tokens, bodies, search, None, lambda: None)
    return _OpenedIndex(units, tokens, bodies, search, store, release)


def _check_files(settings: IndexSettings, manifest: dict) -> None:
    """IndexProblem unless the units, the body vectors and the vector store all match the manifest."""
    _open_index(settings, manifest, keep_store=settings.dense_search == "store").release()


def validate_index(settings: IndexSettings, embedder: Embedder | None = None) -> dict:
    """The manifest of an index built for these settings, or IndexProblem saying why it is missing or stale
    (the files themselves are checked by `_check_files`)."""
    manifest = read_manifest(settings)
    identity = _identity(settings, embedder or get_embedder(settings.embedder))
    for key, value in identity.items():
        if manifest["identity"].get(key) != value:
            raise IndexProblem("stale", _STALE_REASONS.get(key, key))
    return manifest


def _load(settings: IndexSettings) -> HybridRetriever:
    embedder = get_embedder(settings.embedder)
    manifest = validate_index(settings, embedder)
    opened = _open_index(settings, manifest, keep_store=settings.dense_search == "store")
    if opened.store is not None:
        store = opened.store

        def dense(vec, n: int) -> list[tuple[str, float]]:
            return [(hit.id, 1.0 - hit.distance) for hit in store.query(vec, n)]

        close = opened.release
    else:
        dense, close = opened.search.search, None  # the vectors are in memory; the store is closed
    unit_set = UnitSet(opened.units, LexicalIndex(opened.tokens), dense, close=close, body_vectors=opened.bodies)
    from indexing.tokenizer import warm_up

    warm_up()  # load jieba now, so the first question is as fast as the rest
    return HybridRetriever(unit_set, embedder, reranker=get_reranker(settings.reranker),
                           naive_loader=lambda: build_naive_units(settings, embedder))


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


def _valid_manifest(settings: IndexSettings, embedder: Embedder) -> dict | None:
    """The manifest when the index is sound and current, None when it must be rebuilt."""
    try:
        manifest = validate_index(settings, embedder)
        _check_files(settings, manifest)
        return manifest
    except IndexProblem:
        return None


def build_index(settings: IndexSettings, *, force: bool = False, on_progress: Progress | None = None) -> dict:
    """Build the index aside and swap it in. Without `force`, a sound, current index is kept (returns its manifest,
    skipped=True); any problem `index_status` would report (missing, stale, corrupt) makes it rebuild.

    Raises DataDirNotWritableError when the data dir cannot be written, StoreUnavailableError when the Chroma
    server cannot be reached.
    """
    started = time.perf_counter()
    embedder = get_embedder(settings.embedder)
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(_build_lock(settings))
        except OSError as err:
            if not force and (manifest := _valid_manifest(settings, embedder)) is not None:
                return {**manifest, "skipped": True}  # a read-only data dir with a sound index: nothing to do
            raise DataDirNotWritableError(settings.data_dir, _os_reason(err)) from err
        if not force and (manifest := _valid_manifest(settings, embedder)) is not None:
            return {**manifest, "skipped": True}
        try:
            return _build(settings, embedder, started, on_progress)
        except OSError as err:
            if not _about_writing(err, settings.data_dir):
                raise
            raise DataDirNotWritableError(settings.data_dir, _os_reason(err)) from err


_WRITE_ERRNOS = {errno.EROFS: "只读文件系统", errno.EACCES: "没有写权限", errno.EPERM: "没有写权限", errno.ENOSPC: "磁盘空间不足",
                 errno.EDQUOT: "超出磁盘配额", errno.EEXIST: "该路径已被一个文件占用，不是目录", errno.ENOTDIR: "该路径不是目录"}


def _about_writing(err: OSError, data_dir: Path) -> bool:
    """Whether `err` means the data dir cannot be written (not, say, a package file that cannot be read)."""
    if err.errno in _WRITE_ERRNOS:
        return True
    return any(str(name).startswith(str(data_dir)) for name in (err.filename, err.filename2) if name)


def _os_reason(err: OSError) -> str:
    return _WRITE_ERRNOS.get(err.errno, f"{type(err).__name__}，错误码 {err.errno}")


def _build(settings: IndexSettings, embedder: Embedder, started: float, on_progress: Progress | None) -> dict:
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
    sources = {"cached": 0, "seeded": 0, "computed": 0}  # this build's texts by where their vector came from
    done = 0

    def planned(cached: int, seeded: int, to_compute: int) -> None:
        sources.update(cached=cached, seeded=seeded, computed=to_compute)
        if on_progress:  # "reused" first (done = total: nothing to wait for), then "embed" over what is computed
            on_progress("reused", cached + seeded, cached + seeded)
            if to_compute:
                on_progress("embed", 0, to_compute)

    def embedded(n: int) -> None:
        nonlocal done
        done += n
        if on_progress:
            on_progress("embed", done, sources["computed"])

    try:
        vectors, bodies = embed_units(embedder, units, cache, embedded, settings.use_seed, planned)
    finally:
        cache.close()

    building = settings.data_dir / f"index.building-{os.getpid()}-{secrets.token_hex(4)}"
    building.mkdir(parents=True)
    try:
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
        ids = [u.unit_id for u in units]
        store = None
        try:
            store = ChromaStore(_client(settings, building), collection, dim=embedder.dim, create=True,
                                server_url=settings.chroma_url, timeout_s=settings.chroma_timeout_s)
            store.add(ids, vectors, [{"clause_id": u.clause_id} for u in units])
            # the checksum is over what the store holds: Chroma renormalises cosine vectors (last-bit changes)
            stored_ids, stored = store.vectors()
            row = {unit_id: i for i, unit_id in enumerate(ids)}
            if sorted(stored_ids) != sorted(ids) or stored.shape != vectors.shape or \
                    float(np.max(np.abs(stored - vectors[[row[i] for i in stored_ids]]), initial=0.0)) > 1e-4:
                raise ValueError("向量库读回的向量与写入的不一致")
        except BaseException as err:
            if store is not None:
                store.close()
            if isinstance(err, KeyboardInterrupt | SystemExit | StoreUnavailableError | OSError):
                raise
            raise IndexNotBuiltError(f"写入向量库失败：{type(err).__name__}: {err}") from err
        manifest = {
            "identity": identity,
            "collection": collection,
            "n_units": len(units),
            "units_sha256": _sha256_file(units_path),
            "body_vectors_sha256": _sha256_file(building / BODY_VECTORS_FILE),
            "vectors_sha256": vectors_checksum(stored_ids, stored),
            "unit_kinds": {k: sum(1 for u in units if u.kind == k) for k in sorted({u.kind for u in units})},
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 2),
            "dense_texts": n_texts,  # unit bodies and heading contexts, each embedded once
            # where this build's dense_texts vectors came from (they add up to dense_texts)
            "embeddings_cached": sources["cached"],
            "embeddings_seeded": sources["seeded"],
            "embeddings_computed": sources["computed"],
            "chroma_url": settings.chroma_url,
        }
        manifest["manifest_sha256"] = _manifest_checksum(manifest)
        (building / MANIFEST_FILE).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        store.close()
        release_embedded_clients()
        _swap_in(settings, building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    if old_collection and old_collection != collection:
        with contextlib.suppress(Exception):  # a leftover collection on the server is harmless
            client = http_client(settings.chroma_url, settings.chroma_timeout_s)
            try:
                client.delete_collection(old_collection)
            finally:
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
    """Load the index; when it is missing, stale or corrupt, say so (notify, else a logging warning) and rebuild.

    Raises IndexNotBuiltError when it cannot be rebuilt (saying why and what to run), StoreUnavailableError when
    the Chroma server cannot be reached (a rebuild would not help).
    """
    try:
        return _load(settings)
    except IndexProblem as problem:
        first = problem
        (notify or logger.warning)(_MESSAGES[problem.state].format(reason=problem.reason))
    release_embedded_clients()
    try:
        build_index(settings, force=False)
        return _load(settings)
    except IndexProblem as problem:
        raise IndexNotBuiltError(problem.reason) from problem
    except DataDirNotWritableError as err:
        raise IndexNotBuiltError(f"{first.reason}；数据目录 {settings.data_dir} 不可写，无法自动重建："
                                 "请以可写方式挂载，或把 POLICY_QA_DATA_DIR 指向可写目录") from err
    except OSError as err:
        raise IndexNotBuiltError(f"无法写入 {settings.data_dir}：{err}") from err


STATES = ("ok", "missing", "stale", "corrupt", "unavailable")


def index_status(settings: IndexSettings) -> dict:
    """What is built where, and whether it is usable: state ok | missing | stale | corrupt | unavailable (the Chroma
    server cannot be reached), `reason` in Chinese, and whether the data dir can be written (a rebuild needs it)."""
    existing = next(p for p in (settings.data_dir, *settings.data_dir.parents) if p.exists())  # a build creates the rest
    status: dict = {"data_dir": str(settings.data_dir), "index_dir": str(settings.index_dir), "writable": writable(existing)}
    try:
        manifest = read_manifest(settings)
        status["manifest"] = manifest
        validate_index(settings)
        _check_files(settings, manifest)
        status["state"], status["reason"] = "ok", ""
    except IndexProblem as problem:
        status["state"], status["reason"] = problem.state, problem.reason
    except StoreUnavailableError as err:
        status["state"], status["reason"] = "unavailable", str(err)
    return status
