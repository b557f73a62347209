"""RRF and the dense/lexical pieces with hand-made 4-d vectors and tiny corpora."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexing.fusion import convex_fusion, reciprocal_rank_fusion
from indexing.lexical import BM25_B, BM25_K1, LexicalIndex
from indexing.retriever import DenseSearch, HybridRetriever, UnitSet
from indexing.units import RetrievalUnit

WORDS = ["职称", "评审", "技能", "竞赛", "专科", "乡镇", "补贴"]
VECTORS = {  # 4-d, unit length
    "a": [1.0, 0.0, 0.0, 0.0],
    "b": [0.0, 1.0, 0.0, 0.0],
    "c": [0.0, 0.0, 1.0, 0.0],
    "d": [0.6, 0.8, 0.0, 0.0],
}


class TestReciprocalRankFusion:
    def test_run_sums_weighted_reciprocal_ranks(self):
        fused = reciprocal_rank_fusion({"bm25": ["a", "b"], "dense": ["b", "c"]}, k=10)
        assert [f.id for f in fused] == ["b", "a", "c"]
        assert fused[0].score == pytest.approx(1 / 12 + 1 / 11)
        assert fused[0].ranks == {"bm25": 2, "dense": 1}
        assert fused[2].ranks == {"dense": 2}

    def test_run_weight_tips_the_balance(self):
        fused = reciprocal_rank_fusion({"bm25": ["a", "b"], "dense": ["b", "a"]}, weights={"bm25": 2.0}, k=0)
        assert [f.id for f in fused] == ["a", "b"]
        assert fused[0].score == pytest.approx(2.0 + 0.5)

    def test_run_duplicate_ids_in_one_source_count_once(self):
        fused = reciprocal_rank_fusion({"bm25": ["a", "a", "b"]}, k=0)
        assert fused[0].score == pytest.approx(1.0)
        assert fused[1].ranks == {"bm25": 3}

    def test_init_rejects_negative_k_and_weight(self):
        with pytest.raises(ValueError, match="k must be >= 0"):
            reciprocal_rank_fusion({"x": ["a"]}, k=-1)
        with pytest.raises(ValueError, match="weight"):
            reciprocal_rank_fusion({"x": ["a"]}, weights={"x": -1.0})


class TestConvexFusion:
    def test_run_scales_bm25_by_max_and_cosine_by_min_max(self):
        fused = convex_fusion([("a", 10.0), ("b", 5.0)], [("b", 0.9), ("c", 0.8), ("a", 0.5)], bm25_weight=0.4)
        scores = {f.id: f.score for f in fused}
        assert scores["a"] == pytest.approx(0.4 * 1.0 + 0.6 * 0.0)
        assert scores["b"] == pytest.approx(0.4 * 0.5 + 0.6 * 1.0)
        assert scores["c"] == pytest.approx(0.6 * 0.75)
        assert [f.id for f in fused] == ["b", "c", "a"]
        assert fused[0].ranks == {"bm25": 2, "dense": 1}

    def test_run_one_sided_weights(self):
        assert [f.id for f in convex_fusion([("a", 1.0)], [("b", 0.9), ("a", 0.1)], bm25_weight=1.0)][0] == "a"
        assert [f.id for f in convex_fusion([("a", 1.0)], [("b", 0.9), ("a", 0.1)], bm25_weight=0.0)][0] == "b"
        assert convex_fusion([], []) == []

    def test_init_rejects_weight_outside_unit_interval(self):
        with pytest.raises(ValueError, match="bm25_weight"):
            convex_fusion([], [], bm25_weight=1.5)


class TestDenseSearch:
    def test_run_orders_by_cosine(self):
        search = DenseSearch(list(VECTORS), np.array(list(VECTORS.values())))
        hits = search.search([0.8, 0.6, 0.0, 0.0], 3)
        assert [i for i, _ in hits] == ["d", "a", "b"]
        assert hits[0][1] == pytest.approx(0.96) and hits[1][1] == pytest.approx(0.8)
        assert [i for i, _ in search.search([0.0, 0.0, 1.0, 0.0], 1)] == ["c"]

    def test_init_rejects_length_mismatch(self):
        with pytest.raises(ValueError, match="differ in length"):
            DenseSearch(["a"], np.zeros((2, 4)))


class TestLexicalIndex:
    def test_run_ranks_matching_units_and_drops_zero_scores(self):
        lex = LexicalIndex([["职称", "评审"], ["技能", "竞赛"], ["职称", "认定", "专科"]])
        hits = lex.search(["专科", "职称"], 5)
        assert [i for i, _ in hits] == [2, 0]
        assert all(score > 0 for _, score in hits)

    def test_init_rejects_empty(self):
        with pytest.raises(ValueError):
            LexicalIndex([])

    @settings(max_examples=60, deadline=None)
    @given(docs=st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=15),
           query=st.lists(st.sampled_from([*WORDS, "未收录"]), max_size=10))
    def test_scores_are_rank_bm25s_bit_for_bit(self, docs, query):
        from rank_bm25 import BM25Okapi

        lex = LexicalIndex(docs)
        reference = BM25Okapi([d or ["\u0000"] for d in docs], k1=BM25_K1, b=BM25_B).get_scores(query)
        assert lex.scores(query).tolist() == np.asarray(reference).tolist()


class _VecEmbedder:
    name, dim = "vec4", 4

    def __init__(self, query_vec):
        self.query_vec = query_vec

    def embed_documents(self, texts):
        return [VECTORS[t] for t in texts]

    def embed_query(self, text):
        return self.query_vec


def _unit(uid: str, text: str) -> RetrievalUnit:
    return RetrievalUnit(unit_id=uid, clause_id=f"doc/{uid}", kind="clause", label=f"第{uid}条", document="测试文件",
                         doc_slug="doc", text=text, match_body=text)


class TestHybridRetriever:
    def _retriever(self, query_vec, **kwargs):
        units = [_unit("a", "职称 评审"), _unit("b", "技能 竞赛"), _unit("c", "职称 认定 专科"), _unit("d", "创业 补贴")]
        search = DenseSearch(["a", "b", "c", "d"], np.array([VECTORS[k] for k in "abcd"]))
        unit_set = UnitSet(units, LexicalIndex([u.text.split() for u in units]), search.search)
        return HybridRetriever(unit_set, _VecEmbedder(query_vec), tokenize=str.split, **kwargs)

    def test_run_query_similarity_is_to_the_nearest_body(self):
        units = [_unit("a", "职称 评审"), _unit("b", "技能 竞赛")]
        search = DenseSearch(["a", "b"], np.array([VECTORS["a"], VECTORS["b"]]))
        bodies = np.array([VECTORS["d"], VECTORS["c"]], dtype=np.float32)
        unit_set = UnitSet(units, LexicalIndex([u.text.split() for u in units]), search.search, body_vectors=bodies)
        found = HybridRetriever(unit_set, _VecEmbedder([1.0, 0.0, 0.0, 0.0]), tokenize=str.split).retrieve("职称", mode="dense")
        assert found[0].clause_id == "doc/a" and found[0].score == pytest.approx(1.0)
        assert found[0].query_similarity == pytest.approx(0.6)  # cosine to body "d", not to unit vector "a"
        without = self._retriever([1.0, 0.0, 0.0, 0.0]).retrieve("职称", mode="dense")
        assert without[0].query_similarity == pytest.approx(1.0)  # no body vectors: the best dense score
        with pytest.raises(ValueError, match="rows"):
            UnitSet(units, unit_set.lexical, search.search, body_vectors=bodies[:1])

    def test_run_modes_differ_as_their_sources(self):
        r = self._retriever([0.0, 0.0, 1.0, 0.0])
        assert [c.clause_id for c in r.retrieve("技能 竞赛", top_k=1, mode="bm25")] == ["doc/b"]
        assert [c.clause_id for c in r.retrieve("技能 竞赛", top_k=1, mode="dense")] == ["doc/c"]
        hybrid = r.retrieve("职称 专科", top_k=2, mode="hybrid")
        assert hybrid[0].clause_id == "doc/c"  # first in both lists
        assert hybrid[0].rank_sources == {"bm25": 1, "dense": 1}
        assert hybrid[0].score == pytest.approx(1.0)
        assert hybrid[0].label == "第c条" and hybrid[0].document == "测试文件" and hybrid[0].text == "职称 认定 专科"

    def test_run_rrf_fusion_is_selectable(self):
        r = self._retriever([0.0, 0.0, 1.0, 0.0], fusion="rrf", rrf_k=0)
        top = r.retrieve("职称 专科", top_k=1)[0]
        assert top.clause_id == "doc/c" and top.score == pytest.approx(2.0)
        with pytest.raises(ValueError, match="fusion must be one of"):
            self._retriever([1.0, 0, 0, 0], fusion="borda")

    def test_run_empty_query_returns_nothing(self):
        assert self._retriever([1.0, 0, 0, 0]).retrieve("   ") == []

    def test_init_rejects_bad_arguments(self):
        r = self._retriever([1.0, 0, 0, 0])
        with pytest.raises(ValueError, match="top_k must be > 0"):
            r.retrieve("职称", top_k=0)
        with pytest.raises(ValueError, match="mode must be one of"):
            r.retrieve("职称", mode="magic")
        with pytest.raises(ValueError, match="no naive baseline"):
            r.retrieve("职称", mode="naive")
        with pytest.raises(ValueError, match="candidates must be > 0"):
            self._retriever([1.0, 0, 0, 0], candidates=0)

    def test_run_reranker_reorders_the_fused_head(self):
        class ReverseAlphabet:
            def scores(self, query, texts):
                return [-ord(t[0]) for t in texts]  # prefers texts starting with a smaller code point

        r = self._retriever([0.0, 0.0, 1.0, 0.0], reranker=ReverseAlphabet())
        top = r.retrieve("职称 专科", top_k=3)
        assert [c.text[0] for c in top] == sorted(c.text[0] for c in top)
        plain = r.retrieve("职称 专科", top_k=3, rerank=False)
        assert plain[0].clause_id == "doc/c"

    def test_run_langchain_adapter_returns_documents_with_metadata(self):
        from langchain_core.documents import Document

        from indexing.lc_retriever import PolicyClauseRetriever

        lc = PolicyClauseRetriever(retriever=self._retriever([0.0, 0.0, 1.0, 0.0]), top_k=2)
        docs = lc.invoke("职称 专科")
        assert len(docs) == 2 and isinstance(docs[0], Document)
        assert docs[0].page_content == "职称 认定 专科"
        assert docs[0].metadata["clause_id"] == "doc/c"
        assert docs[0].metadata["label"] == "第c条" and docs[0].metadata["document"] == "测试文件"
        with pytest.raises(ValueError, match="top_k"):
            PolicyClauseRetriever(retriever=None, top_k=0)


class TestDenseText:
    """Long questions are cut to what asks before embedding (the embedding's cost grows with the length)."""

    class _Units:
        class lexical:  # noqa: N801 - stands in for LexicalIndex
            idf = {"乡镇卫生院": 5.0, "本科": 3.0, "毕业": 1.0, "那边": 0.1}

    def test_run_short_question_is_embedded_whole(self):
        from indexing.retriever import dense_text

        q = "技能大赛金奖奖金多少？"
        assert dense_text(q, list, self._Units) == q

    def test_run_long_story_keeps_the_asking_sentence_and_rare_words(self):
        from indexing.retriever import DENSE_MAX_CHARS, dense_text

        q = "我是本科毕业的，毕业以后一直在那边的乡镇卫生院干检验，干了很多年。我这种情况现在能不能直接参加中级职称评审呢，需要什么手续？"
        out = dense_text(q, lambda text: ["本科", "毕业", "乡镇卫生院", "那边"], self._Units)
        assert len(out) <= DENSE_MAX_CHARS
        assert out.endswith("需要什么手续？")  # the sentence that asks is kept whole
        assert "乡镇卫生院" in out and "那边" not in out  # room for the rarest words only
