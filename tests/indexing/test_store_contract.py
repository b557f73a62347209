"""One contract suite for the vector store, run against embedded Chroma and a real `chroma run` server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from indexing.store import ChromaStore, close_client, embedded_client, http_client

pytestmark = pytest.mark.integration

VECTORS = {
    "a": [1.0, 0.0, 0.0, 0.0],
    "b": [0.0, 1.0, 0.0, 0.0],
    "c": [0.0, 0.0, 1.0, 0.0],
    "d": [0.6, 0.8, 0.0, 0.0],
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _chroma_executable() -> str:
    candidate = Path(sys.executable).parent / "chroma"
    found = str(candidate) if candidate.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` executable is not installed next to the Python interpreter")
    return found


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server on loopback, on a free port, killed after the module."""
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([_chroma_executable(), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start: {(path / 'server.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(params=["embedded", "http"])
def client(request, tmp_path):
    if request.param == "embedded":
        client = embedded_client(tmp_path / "chroma")
    else:
        client = http_client(request.getfixturevalue("chroma_server"))
    yield client
    close_client(client)


@pytest.fixture()
def store(client, request):
    name = f"contract-{request.node.name}".replace("[", "-").replace("]", "")[:60].strip("-_.")
    if ChromaStore.exists(client, name):
        client.delete_collection(name)
    store = ChromaStore(client, name, dim=4, create=True)
    store.add(list(VECTORS), list(VECTORS.values()), [{"clause_id": f"doc/{k}"} for k in VECTORS])
    yield store
    if ChromaStore.exists(client, name):
        store.delete()


class TestChromaStoreContract:
    def test_run_query_orders_by_cosine_distance(self, store):
        hits = store.query([0.8, 0.6, 0.0, 0.0], 3)
        assert [h.id for h in hits] == ["d", "a", "b"]
        assert hits[0].distance == pytest.approx(1 - 0.96, abs=1e-4)
        assert hits[0].distance <= hits[1].distance <= hits[2].distance

    def test_run_count_ids_and_n_larger_than_collection(self, store):
        assert store.count() == 4
        assert sorted(store.ids()) == ["a", "b", "c", "d"]
        assert len(store.query([0.0, 0.0, 1.0, 0.0], 50)) == 4

    def test_run_vectors_returns_every_id_with_its_vector(self, store):
        ids, vectors = store.vectors()
        assert sorted(ids) == sorted(VECTORS)
        assert vectors.dtype == np.float32 and vectors.shape == (len(VECTORS), 4)
        for unit_id, row in zip(ids, vectors, strict=True):
            assert row.tolist() == pytest.approx(VECTORS[unit_id], abs=1e-6)

    def test_run_reopen_by_name_sees_the_same_vectors(self, store, client):
        again = ChromaStore(client, store.name)
        assert again.count() == 4
        assert again.query([0.0, 0.0, 1.0, 0.0], 1)[0].id == "c"

    def test_run_delete_removes_the_collection(self, store, client):
        store.delete()
        assert not ChromaStore.exists(client, store.name)

    def test_init_rejects_bad_input(self, store, client):
        with pytest.raises(ValueError, match="differ in length"):
            store.add(["x"], [])
        with pytest.raises(ValueError, match="n must be > 0"):
            store.query([1.0, 0, 0, 0], 0)
        with pytest.raises(ValueError, match="collection must not be empty"):
            ChromaStore(client, "")


class TestIndexOnServer:
    def test_run_build_and_retrieve_through_http_client(self, chroma_server, tmp_path):
        """The full index lifecycle with vectors on the server; a rebuild replaces the server collection."""
        from indexing.config import IndexSettings
        from indexing.index import build_index, index_status, load_or_build
        from indexing.store import release_embedded_clients

        settings = IndexSettings(data_dir=tmp_path / "data", embedder="fake", chroma_url=chroma_server)
        first = build_index(settings)
        assert first["collection"].startswith("policy-qa-")
        assert not (settings.index_dir / "chroma").exists()
        assert index_status(settings)["state"] == "ok"
        second = build_index(settings, force=True)
        client = http_client(chroma_server)
        names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
        close_client(client)
        assert second["collection"] in names and first["collection"] not in names
        retriever = load_or_build(settings)
        found = retriever.retrieve("企业新型学徒制培训补贴标准", top_k=5, mode="dense")
        retriever.close()
        assert len(found) == 5 and all(not c.clause_id.startswith("naive/") for c in found)
        release_embedded_clients()

    def test_run_vectors_swapped_on_the_server_are_detected_and_rebuilt(self, chroma_server, tmp_path):
        """The (id, vector) checksum holds over HTTP too (JSON floats), and `dense_search=store` checks Chroma's
        own search; a swap made on the server is found and healed by `index build` without --force."""
        from indexing.config import IndexSettings
        from indexing.index import build_index, index_status, load_or_build, read_manifest

        settings = IndexSettings(data_dir=tmp_path / "data", embedder="fake", chroma_url=chroma_server, dense_search="store")
        build_index(settings)
        assert index_status(settings)["state"] == "ok"
        client = http_client(chroma_server)
        collection = client.get_collection(read_manifest(settings)["collection"])
        got = collection.get(ids=["skills-contest/a18", "post-title/preamble"], include=["embeddings"])
        vectors = dict(zip(got["ids"], got["embeddings"], strict=True))
        collection.update(ids=["skills-contest/a18", "post-title/preamble"],
                          embeddings=[list(vectors["post-title/preamble"]), list(vectors["skills-contest/a18"])])
        close_client(client)
        status = index_status(settings)
        assert status["state"] == "corrupt" and "校验和不符" in status["reason"], status
        assert build_index(settings)["skipped"] is False
        assert index_status(settings)["state"] == "ok"
        retriever = load_or_build(settings)
        try:
            assert len(retriever.retrieve("技能大赛金奖奖金", top_k=3, mode="dense")) == 3
        finally:
            retriever.close()
