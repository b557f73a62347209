"""Index lifecycle with the fake embedder: build, skip when unchanged, rebuild when stale or corrupt."""

from __future__ import annotations

import json

import pytest

from corpus.errors import IndexNotBuiltError
from indexing import index as index_mod
from indexing.config import IndexSettings
from indexing.index import build_index, index_status, load_or_build
from indexing.retriever import get_retriever


@pytest.fixture()
def built(fake_settings, fresh_retrievers):
    manifest = build_index(fake_settings)
    return fake_settings, manifest


class TestBuild:
    def test_run_builds_then_skips_when_unchanged(self, built):
        settings, manifest = built
        assert manifest["skipped"] is False
        assert manifest["n_units"] > 400
        assert manifest["embeddings_computed"] == manifest["n_units"] or manifest["embeddings_computed"] > 0
        again = build_index(settings)
        assert again["skipped"] is True and again["built_at"] == manifest["built_at"]
        assert index_status(settings)["state"] == "ok"

    def test_run_forced_rebuild_takes_every_vector_from_the_cache(self, built):
        settings, manifest = built
        forced = build_index(settings, force=True)
        assert forced["skipped"] is False
        assert forced["embeddings_computed"] == 0
        assert forced["embeddings_cached"] == manifest["dense_texts"] > manifest["n_units"]
        assert not list(settings.data_dir.glob("index.building-*")) and not list(settings.data_dir.glob("index.old-*"))

    def test_run_progress_reports_embedding(self, fake_settings, fresh_retrievers):
        seen = []
        manifest = build_index(fake_settings, on_progress=lambda stage, done, total: seen.append((stage, done, total)))
        embed = [s for s in seen if s[0] == "embed"]
        assert embed[-1] == ("embed", manifest["embeddings_computed"], manifest["embeddings_computed"])
        assert manifest["embeddings_computed"] == manifest["dense_texts"]  # the fake embedder has no seed

    def test_run_progress_of_a_cached_rebuild_computes_nothing(self, fake_settings, fresh_retrievers):
        """Issue 12: the bar said 计算条款向量 when every vector came from the cache."""
        first = build_index(fake_settings)
        seen = []
        forced = build_index(fake_settings, force=True, on_progress=lambda stage, done, total: seen.append((stage, done, total)))
        assert not [s for s in seen if s[0] == "embed"]
        assert ("reused", first["dense_texts"], first["dense_texts"]) in seen
        counts = [forced[k] for k in ("embeddings_cached", "embeddings_seeded", "embeddings_computed")]
        assert counts == [forced["dense_texts"], 0, 0]


class TestAutoRebuild:
    def _retrieve_ok(self, settings, messages):
        retriever = load_or_build(settings, notify=messages.append)
        found = retriever.retrieve("技能竞赛总成绩中操作技能成绩权重", top_k=5, mode="bm25")
        assert any(c.clause_id == "skills-contest/a13" for c in found)
        return retriever

    def test_run_missing_index_is_built_with_a_message(self, fake_settings, fresh_retrievers):
        messages: list[str] = []
        self._retrieve_ok(fake_settings, messages)
        assert len(messages) == 1 and "尚未建立" in messages[0]
        assert index_status(fake_settings)["state"] == "ok"

    @pytest.mark.parametrize("victim", ["units.jsonl", "manifest.json", "body_vectors.npy", "chroma/chroma.sqlite3"])
    def test_run_truncated_file_is_detected_and_rebuilt(self, built, victim):
        settings, _ = built
        path = settings.index_dir / victim
        assert path.exists()
        size = path.stat().st_size
        with path.open("r+b") as fh:
            fh.truncate(size // 3)
        state = index_status(settings)
        assert state["state"] == "corrupt", state
        messages: list[str] = []
        self._retrieve_ok(settings, messages)
        assert messages and "损坏" in messages[0]
        assert index_status(settings)["state"] == "ok"

    def test_run_stale_index_is_rebuilt(self, built, monkeypatch):
        settings, _ = built
        monkeypatch.setattr(index_mod, "UNIT_BUILDER_VERSION", "test-changed")
        status = index_status(settings)
        assert status["state"] == "stale" and "切分" in status["reason"]
        messages: list[str] = []
        self._retrieve_ok(settings, messages)
        assert messages and "过期" in messages[0]
        manifest = json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["identity"]["unit_builder_version"] == "test-changed"

    def test_run_impossible_rebuild_raises_index_not_built(self, tmp_path, fresh_retrievers):
        blocker = tmp_path / "not-a-dir"
        blocker.write_text("a file where the data dir should be")
        settings = IndexSettings(data_dir=blocker, embedder="fake")
        with pytest.raises(IndexNotBuiltError, match="policy-qa index build"):
            load_or_build(settings, notify=lambda m: None)


class TestGetRetriever:
    def test_run_is_cached_per_settings(self, built):
        settings, _ = built
        first = get_retriever(settings)
        assert get_retriever(settings) is first
        found = first.retrieve("乌达区送审经办机构联系人电话", top_k=5, mode="bm25")
        assert found and all(c.label and c.document and c.text for c in found)

    def test_run_in_memory_search_ranks_as_the_store_does(self, built):
        settings, _ = built
        in_memory = get_retriever(settings)
        by_store = get_retriever(settings.model_copy(update={"dense_search": "store"}))
        assert by_store is not in_memory
        for question in ("企业新型学徒制培训补贴标准", "技能大赛金奖奖金", "正高级职称评审条件"):
            ours = in_memory.retrieve(question, top_k=5, mode="dense")
            chroma = by_store.retrieve(question, top_k=5, mode="dense")
            assert [c.clause_id for c in ours] == [c.clause_id for c in chroma]
            assert [c.score for c in ours] == pytest.approx([c.score for c in chroma], abs=1e-4)
            assert ours[0].query_similarity == chroma[0].query_similarity

    def test_run_naive_mode_returns_chunks(self, built):
        settings, _ = built
        found = get_retriever(settings).retrieve("创业孵化基地孵化周期", top_k=3, mode="naive")
        assert len(found) == 3 and all(c.clause_id.startswith("naive/") for c in found)
        assert all(len(c.text) <= 250 for c in found)


class TestSettings:
    def test_init_rejects_bad_values(self, monkeypatch):
        from pydantic import ValidationError

        with pytest.raises(ValidationError, match="embedder"):
            IndexSettings(embedder="word2vec")
        with pytest.raises(ValidationError, match="top_k"):
            IndexSettings(top_k=0)
        with pytest.raises(ValidationError, match="chroma_url"):
            IndexSettings(chroma_url="localhost:8000")
        with pytest.raises(ValidationError):
            IndexSettings(unknown_field=1)

    def test_run_reads_the_environment(self, monkeypatch, tmp_path):
        monkeypatch.setenv("POLICY_QA_DATA_DIR", str(tmp_path / "d"))
        monkeypatch.setenv("POLICY_QA_EMBEDDER", "st:/models/bge-small-zh")
        monkeypatch.setenv("POLICY_QA_CHROMA_URL", "http://127.0.0.1:8000/")
        settings = IndexSettings()
        assert settings.data_dir == (tmp_path / "d").resolve()
        assert settings.embedder == "st:/models/bge-small-zh"
        assert settings.chroma_url == "http://127.0.0.1:8000"
        assert settings.index_dir == settings.data_dir / "index"
