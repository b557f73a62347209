"""FakeEmbedder and the content-hash embedding cache."""

from __future__ import annotations

import numpy as np
import pytest

from indexing.embedders import EmbeddingCache, FakeEmbedder, embed_units, embed_with_cache, make_embedder, unit_dense_texts
from indexing.types import Embedder
from indexing.units import RetrievalUnit


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


def _unit(uid: str, body: str, context: str) -> RetrievalUnit:
    return RetrievalUnit(unit_id=uid, clause_id=uid, kind="clause", label=uid, document="测试", doc_slug="t",
                         text=body, match_body=body, context=context)


class TestEmbedUnits:
    UNITS = [_unit("a", "申报人员须具备本科学历", "职称评审 > 申报条件"),
             _unit("b", "按每人每年5000元给予补贴", "新型学徒制 > 补贴标准"),
             _unit("c", "具有中级职称满五年", "职称评审 > 申报条件"),
             _unit("naive/1", "固定长度切出的片段", "")]

    def test_run_unit_vector_is_body_plus_context_normalised(self):
        embedder = FakeEmbedder(dim=16)
        vectors, bodies = embed_units(embedder, self.UNITS, cache=None)
        for unit, vec, body in zip(self.UNITS, vectors, bodies, strict=True):
            expected = np.asarray(embedder.embed_query(unit.match_body))
            assert body == pytest.approx(expected, abs=1e-6)
            if unit.context:
                expected = expected + np.asarray(embedder.embed_query(unit.context))
            assert vec == pytest.approx(expected / np.linalg.norm(expected), abs=1e-6)
            assert float(np.linalg.norm(vec)) == pytest.approx(1.0, abs=1e-6)

    def test_run_each_context_is_embedded_once(self):
        embedder = CountingEmbedder()
        embed_units(embedder, self.UNITS, cache=None)
        assert sorted(embedder.embedded) == sorted(unit_dense_texts(self.UNITS))
        assert embedder.embedded.count("职称评审 > 申报条件") == 1
        assert "" not in embedder.embedded
