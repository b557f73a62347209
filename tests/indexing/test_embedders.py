"""FakeEmbedder and the content-hash embedding cache."""

from __future__ import annotations

import numpy as np
import pytest

from indexing.embedders import EmbeddingCache, FakeEmbedder, embed_with_cache, make_embedder
from indexing.types import Embedder


class CountingEmbedder(FakeEmbedder):
    def __init__(self):
        super().__init__(dim=8)
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded.extend(texts)
        return super().embed_documents(texts)


class TestFakeEmbedder:
    def test_run_is_deterministic_normalised_and_meaningful(self):
        emb = FakeEmbedder(dim=64)
        assert isinstance(emb, Embedder)
        a, b, c = (np.array(v) for v in emb.embed_documents(["职称评审申报", "职称评审申报条件", "创业孵化基地"]))
        assert np.allclose(a, emb.embed_query("职称评审申报"))
        assert np.linalg.norm(a) == pytest.approx(1.0)
        assert a @ b > a @ c
        assert np.linalg.norm(emb.embed_query("")) == pytest.approx(1.0)

    def test_init_rejects_bad_dim(self):
        with pytest.raises(ValueError, match="dim must be > 0"):
            FakeEmbedder(dim=0)

    def test_run_factory_knows_the_specs(self):
        assert make_embedder("fake").name == "fake-64"
        with pytest.raises(ValueError, match="unknown embedder"):
            make_embedder("word2vec")


class TestEmbeddingCache:
    def test_run_second_pass_is_all_hits(self, tmp_path):
        emb = CountingEmbedder()
        cache = EmbeddingCache(tmp_path / "e.sqlite")
        first = embed_with_cache(emb, ["甲条款", "乙条款", "甲条款"], cache)
        assert emb.embedded == ["甲条款", "乙条款", "甲条款"] or sorted(emb.embedded) == sorted(["甲条款", "乙条款", "甲条款"])
        assert (cache.hits, cache.misses) == (0, 3)
        emb.embedded.clear()
        second = embed_with_cache(emb, ["乙条款", "甲条款", "丙条款"], cache)
        assert emb.embedded == ["丙条款"]
        assert (cache.hits, cache.misses) == (2, 4)
        assert np.allclose(second[1], first[0]) and np.allclose(second[0], first[1])
        cache.close()

    def test_run_keys_include_the_embedder_name(self, tmp_path):
        cache = EmbeddingCache(tmp_path / "e.sqlite")
        embed_with_cache(FakeEmbedder(dim=8), ["甲"], cache)
        other = CountingEmbedder()
        other.name = "other"
        embed_with_cache(other, ["甲"], cache)
        assert other.embedded == ["甲"]
        cache.close()

    def test_run_progress_counts_every_text(self, tmp_path):
        seen = []
        embed_with_cache(FakeEmbedder(dim=8), [f"条款{i}" for i in range(70)], EmbeddingCache(tmp_path / "e.sqlite"), seen.append)
        assert sum(seen) == 70

    def test_run_corrupt_cache_file_is_replaced(self, tmp_path):
        path = tmp_path / "e.sqlite"
        path.write_bytes(b"this is not a database" * 100)
        cache = EmbeddingCache(path)
        vecs = embed_with_cache(FakeEmbedder(dim=8), ["甲"], cache)
        assert vecs.shape == (1, 8) and cache.misses == 1
        cache.close()
