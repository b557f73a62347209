"""Integrity of the index and its caches (fake embedder): every fault is detected on open and healed by a
rebuild (`index build` needs no `--force`), a damaged embedding cache never blocks a build, a read-only data
dir serves, and a Chroma server that is down or silent fails fast with a message naming POLICY_QA_CHROMA_URL."""

from __future__ import annotations

import errno
import json
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from indexing import index as index_mod
from indexing.embedders import EmbeddingCache
from indexing.errors import DataDirNotWritableError, StoreUnavailableError
from indexing.index import build_index, index_status, load_or_build, vectors_checksum
from indexing.store import http_client, sqlite_problem
from tests.indexing import faults
from tests.indexing.faults import SilentServer, rewrite_manifest, snapshot, swap_vectors

QUESTION = "技能大赛金奖奖金多少"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """One sound index (fake embedder) per module; each test works on its own copy."""
    from indexing.config import IndexSettings
    from indexing.store import release_embedded_clients

    with pytest.MonkeyPatch.context() as mp:
        for var in ("POLICY_QA_DATA_DIR", "POLICY_QA_EMBEDDER", "POLICY_QA_CHROMA_URL", "POLICY_QA_DENSE_SEARCH"):
            mp.delenv(var, raising=False)
        settings = IndexSettings(data_dir=tmp_path_factory.mktemp("template") / "data", embedder="fake")
        build_index(settings)
    release_embedded_clients()
    return settings.data_dir


@pytest.fixture()
def built(template, fake_settings, fresh_retrievers):
    shutil.copytree(template, fake_settings.data_dir)
    return fake_settings


def _top_dense(settings) -> list[str]:
    retriever = load_or_build(settings, notify=lambda m: None)
    try:
        return [c.clause_id for c in retriever.retrieve(QUESTION, top_k=3, mode="dense")]
    finally:
        retriever.close()


class TestVectorsChecksum:
    def test_run_changes_when_two_vectors_swap_ids(self):
        ids = ["a", "b", "c"]
        vectors = np.eye(3, dtype=np.float32)
        swapped = vectors[[1, 0, 2]]
        assert vectors_checksum(ids, vectors) != vectors_checksum(ids, swapped)

    def test_run_ignores_the_order_the_store_returns(self):
        ids, vectors = ["a", "b", "c"], np.eye(3, dtype=np.float32)
        assert vectors_checksum(ids, vectors) == vectors_checksum(["c", "a", "b"], vectors[[2, 0, 1]])

    def test_init_rejects_mismatched_lengths(self):
        with pytest.raises(ValueError, match="differ in length"):
            vectors_checksum(["a"], np.zeros((2, 3), dtype=np.float32))


class TestStoreFaults:
    def test_run_swapped_vectors_are_detected_and_rebuilt_without_force(self, built):
        healthy = _top_dense(built)
        swap_vectors(built.index_dir / "chroma" / "chroma.sqlite3", "skills-contest/a18", "post-title/preamble")
        status = index_status(built)
        assert status["state"] == "corrupt" and "校验和" in status["reason"], status
        rebuilt = build_index(built)
        assert rebuilt["skipped"] is False
        assert index_status(built)["state"] == "ok"
        assert _top_dense(built) == healthy

    def test_run_garbled_store_is_not_reported_as_current(self, built):
        """Issue 14 #5: `index build` used to answer "已是最新，未重建" for a garbled chroma.sqlite3."""
        path = built.index_dir / "chroma" / "chroma.sqlite3"
        data = bytearray(path.read_bytes())
        for offset in range(len(data) // 4, 3 * len(data) // 4, 4096):
            data[offset + 100:offset + 400] = bytes(b ^ 0x5A for b in data[offset + 100:offset + 400])
        path.write_bytes(bytes(data))
        env = {"POLICY_QA_DATA_DIR": str(built.data_dir), "POLICY_QA_EMBEDDER": "fake"}
        from indexing.cli import index

        status = CliRunner().invoke(index, ["status"], env=env)
        assert "状态：已损坏" in status.output and "无需 --force" in status.output, status.output
        again = CliRunner().invoke(index, ["build"], env=env)
        assert again.exit_code == 0 and "索引已建立" in again.output and "已是最新" not in again.output, again.output
        assert "状态：可用" in CliRunner().invoke(index, ["status"], env=env).output

    def test_run_edited_manifest_is_detected(self, built):
        path = built.index_dir / "manifest.json"
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["n_units"] -= 1
        path.write_text(json.dumps(manifest), encoding="utf-8")
        assert index_status(built)["reason"] == "索引清单校验和不符"

    def test_run_missing_vector_in_the_store_is_detected(self, built):
        conn = sqlite3.connect(built.index_dir / "chroma" / "chroma.sqlite3")
        conn.execute("DELETE FROM embeddings_queue WHERE id = (SELECT id FROM embeddings_queue LIMIT 1)")
        conn.commit()
        conn.close()
        status = index_status(built)
        assert status["state"] == "corrupt", status

    def test_run_index_of_the_previous_format_is_stale(self, built):
        rewrite_manifest(built, identity={"index_format": index_mod.INDEX_FORMAT - 1})
        status = index_status(built)
        assert status["state"] == "stale" and status["reason"] == "索引格式已升级"

    def test_run_store_mode_checks_chroma_search_too(self, built):
        settings = built.model_copy(update={"dense_search": "store"})
        assert index_status(settings)["state"] == "ok"
        retriever = load_or_build(settings, notify=lambda m: None)
        try:
            assert retriever.retrieve(QUESTION, top_k=3, mode="dense")
        finally:
            retriever.close()

    def test_run_sqlite_problem_reports_a_damaged_file(self, tmp_path):
        path = tmp_path / "x.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (a TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,) for _ in range(200)])
        conn.commit()
        conn.close()
        assert sqlite_problem(path) is None
        data = bytearray(path.read_bytes())
        data[4096 * 2:4096 * 2 + 12] = b"\xff" * 12  # the header of a b-tree page
        path.write_bytes(bytes(data))
        problem = sqlite_problem(path)
        assert problem and problem.startswith("x.sqlite3 ") and "\n" not in problem  # quick_check's finding, or the read error
        assert "缺少" in sqlite_problem(tmp_path / "none.sqlite3")


def _fill_cache(path: Path, n: int = 300) -> dict[str, np.ndarray]:
    cache = EmbeddingCache(path)
    vectors = {EmbeddingCache.key(f"条款{i}"): np.full(64, i / n, dtype=np.float32) for i in range(n)}
    cache.put_many("fake-64", vectors)
    cache.close()
    return vectors


def _damage_table_pages(path: Path) -> None:
    """Overwrite the page headers of a third of the vector table's leaves: quick_check fails, and reading them would
    raise sqlite3.DatabaseError("database disk image is malformed"). The file change counter is bumped, so that a
    connection already open drops its page cache and reads the damage (as after a crash of another writer)."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (EmbeddingCache.TABLE,))]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    assert len(pages) > 3
    data = bytearray(path.read_bytes())
    for page in pages[::3]:
        data[(page - 1) * size:(page - 1) * size + 12] = b"\xff" * 12
    data[24:28] = (int.from_bytes(data[24:28], "big") + 1).to_bytes(4, "big")
    path.write_bytes(bytes(data))


class TestEmbeddingCache:
    def test_run_garbage_file_is_discarded(self, tmp_path):
        path = tmp_path / "embeddings.sqlite"
        path.write_bytes(b"not a database" * 1000)
        cache = EmbeddingCache(path)
        assert cache.discarded
        key = EmbeddingCache.key("x")
        cache.put_many("fake-64", {key: np.ones(64, dtype=np.float32)})
        assert list(cache.get_many("fake-64", [key])) == [key]
        cache.close()

    def test_run_damaged_pages_are_caught_on_open(self, tmp_path):
        path = tmp_path / "embeddings.sqlite"
        vectors = _fill_cache(path)
        _damage_table_pages(path)
        cache = EmbeddingCache(path)
        assert cache.discarded  # quick_check's finding, or the error it raised
        assert cache.get_many("fake-64", list(vectors)) == {}
        cache.close()

    def test_run_error_after_open_recovers_instead_of_raising(self, tmp_path):
        path = tmp_path / "embeddings.sqlite"
        vectors = _fill_cache(path)
        cache = EmbeddingCache(path)
        assert cache.discarded is None
        _damage_table_pages(path)  # damaged under an open connection
        found = cache.get_many("fake-64", list(vectors))
        assert len(found) < len(vectors)  # what could not be read is simply missing: it will be recomputed
        assert all(np.array_equal(found[k], vectors[k]) for k in found)
        cache.put_many("fake-64", {"k": np.ones(64, dtype=np.float32)})
        assert "k" in cache.get_many("fake-64", ["k"])
        cache.close()

    def test_run_row_whose_vector_changed_is_ignored(self, tmp_path):
        path = tmp_path / "embeddings.sqlite"
        vectors = _fill_cache(path, n=5)
        victim = next(iter(vectors))
        conn = sqlite3.connect(path)
        conn.execute(f"UPDATE {EmbeddingCache.TABLE} SET vec = ? WHERE key = ?", (np.full(64, 7.0, dtype=np.float32).tobytes(), victim))
        conn.commit()
        conn.close()
        cache = EmbeddingCache(path)
        found = cache.get_many("fake-64", list(vectors))
        cache.close()
        assert victim not in found and len(found) == 4 and cache.rejected == 1

    def test_run_force_build_with_a_corrupt_cache_recomputes(self, built):
        """Issue 14 #4: `index build --force` died with a raw sqlite3.DatabaseError."""
        _damage_table_pages(built.cache_dir / "embeddings.sqlite")
        manifest = build_index(built, force=True)
        assert manifest["skipped"] is False and manifest["embeddings_computed"] == manifest["dense_texts"]
        assert index_status(built)["state"] == "ok"
        assert build_index(built, force=True)["embeddings_computed"] == 0  # the fresh cache is used again


class TestReadOnlyDataDir:
    """Simulated: `os.access` reports the data dir read-only (as a read-only mount does) and building cannot take
    its lock. As root nothing would stop a write, so the test also proves that serving wrote no byte. The real
    read-only mount is in test_store_faults.py (integration)."""

    @pytest.fixture()
    def read_only(self, built, monkeypatch):
        import contextlib
        import os

        real_access = os.access
        data_dir = str(built.data_dir)

        def access(path, mode, *args, **kwargs):
            if mode & os.W_OK and str(path).startswith(data_dir):
                return False
            return real_access(path, mode, *args, **kwargs)

        @contextlib.contextmanager
        def no_lock(settings):
            raise OSError(errno.EROFS, "Read-only file system")
            yield  # pragma: no cover

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(index_mod, "_build_lock", no_lock)
        return built

    def test_run_serves_without_writing(self, read_only):
        before = snapshot(read_only.data_dir)
        assert index_status(read_only)["state"] == "ok" and index_status(read_only)["writable"] is False
        found = _top_dense(read_only)
        assert found
        assert snapshot(read_only.data_dir) == before

    def test_run_build_keeps_a_sound_index_and_force_says_why_not(self, read_only):
        assert build_index(read_only)["skipped"] is True
        with pytest.raises(DataDirNotWritableError, match="不可写（只读文件系统）.*POLICY_QA_DATA_DIR"):
            build_index(read_only, force=True)

    def test_run_broken_index_on_a_read_only_dir_says_what_to_do(self, read_only):
        from corpus.errors import IndexNotBuiltError

        swap_vectors(read_only.index_dir / "chroma" / "chroma.sqlite3", "post-title/preamble", "post-title/s1")
        with pytest.raises(IndexNotBuiltError, match="校验和不符.*不可写.*policy-qa index build"):
            load_or_build(read_only, notify=lambda m: None)


@pytest.fixture()
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture()
def dead_url():
    return faults.dead_url()


class TestChromaServerFaults:
    def test_run_silent_server_times_out(self, silent_server):
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="1 秒内没有响应.*POLICY_QA_CHROMA_URL") as caught:
            http_client(silent_server.url, timeout_s=1.0)
        assert time.monotonic() - started < 5
        assert silent_server.url in str(caught.value)

    def test_run_dead_port_is_named_not_called_a_missing_index(self, dead_url):
        with pytest.raises(StoreUnavailableError, match="连接被拒绝") as caught:
            http_client(dead_url, timeout_s=2.0)
        assert "索引尚未建立" not in str(caught.value) and "POLICY_QA_CHROMA_URL" in str(caught.value)

    @pytest.mark.parametrize("server", ["silent", "dead"])
    def test_run_loading_an_index_on_an_unreachable_server_fails_fast(self, built, server, request):
        url = request.getfixturevalue("silent_server").url if server == "silent" else request.getfixturevalue("dead_url")
        settings = built.model_copy(update={"chroma_url": url, "chroma_timeout_s": 1.0})
        rewrite_manifest(settings, identity={"store": url}, chroma_url=url, collection="policy-qa-abc")
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="POLICY_QA_CHROMA_URL"):
            load_or_build(settings, notify=lambda m: pytest.fail(f"no rebuild while the server is away: {m}"))
        assert time.monotonic() - started < 10
        status = index_status(settings)
        assert status["state"] == "unavailable" and url in status["reason"]
        with pytest.raises(StoreUnavailableError):
            build_index(settings)

    def test_run_rebuild_towards_a_silent_server_fails_fast(self, built, silent_server):
        settings = built.model_copy(update={"chroma_url": silent_server.url, "chroma_timeout_s": 1.0})
        started = time.monotonic()
        with pytest.raises(StoreUnavailableError, match="没有响应"):
            load_or_build(settings, notify=lambda m: None)  # stale (store changed): the rebuild cannot reach it
        assert time.monotonic() - started < 10
        assert not list(settings.data_dir.glob("index.building-*"))
