"""`policy-qa index build|status` and `policy-qa retrieve` through click's runner (fake embedder)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexing.cli import index, retrieve


@pytest.fixture()
def env(fake_settings, fresh_retrievers):
    return {"POLICY_QA_DATA_DIR": str(fake_settings.data_dir), "POLICY_QA_EMBEDDER": "fake"}


class TestIndexCommands:
    def test_run_build_status_and_skip(self, env):
        runner = CliRunner()
        status = runner.invoke(index, ["status"], env=env)
        assert status.exit_code == 0 and "未建立" in status.output
        built = runner.invoke(index, ["build"], env=env)
        assert built.exit_code == 0, built.output
        assert "索引已建立" in built.output and "个条款单元" in built.output
        again = runner.invoke(index, ["build"], env=env)
        assert "索引已是最新" in again.output
        quiet = runner.invoke(index, ["build", "--if-missing"], env=env)
        assert quiet.exit_code == 0 and quiet.output == ""
        status = runner.invoke(index, ["status", "--json"], env=env)
        info = json.loads(status.output)
        assert info["state"] == "ok" and info["manifest"]["identity"]["embedder"] == "fake-64"
        text = runner.invoke(index, ["status"], env=env).output
        assert "状态：可用" in text and "fake-64" in text

    def test_run_build_message_counts_add_up(self, env):
        """Issue 12: "计算条款向量 … 512 个条款单元 … 新计算向量 0 个，取自缓存 616 个" said computing when nothing was
        computed, and set a count of texts against a count of units."""
        runner = CliRunner()
        first = runner.invoke(index, ["build"], env=env)
        info = json.loads(runner.invoke(index, ["status", "--json"], env=env).output)["manifest"]
        n_units, n_texts = info["n_units"], info["dense_texts"]
        assert f"{n_units} 个条款单元" in first.output
        assert f"向量：{n_texts} 段文本" in first.output and f"新计算 {n_texts} 段" in first.output
        assert "计算向量" in first.stderr  # a bar while vectors are computed
        forced = runner.invoke(index, ["build", "--force"], env=env)
        assert forced.exit_code == 0, forced.output
        assert f"向量：{n_texts} 段文本" in forced.output and "全部取自缓存，未重新计算" in forced.output
        assert "新计算 " not in forced.output and "计算向量" not in forced.stderr

    @pytest.mark.parametrize(("counts", "expected"), [
        ((0, 10, 0), "全部取自缓存，未重新计算"), ((0, 0, 10), "全部取自随包预计算向量，未重新计算"),
        ((0, 4, 6), "全部复用（缓存 4 段，随包预计算 6 段）"), ((3, 7, 0), "新计算 3 段，取自缓存 7 段"),
        ((10, 0, 0), "新计算 10 段。"),
    ])
    def test_init_vector_sources_wording(self, counts, expected):
        from indexing.cli import vector_sources

        computed, cached, seeded = counts
        text = vector_sources({"dense_texts": 10, "embeddings_computed": computed, "embeddings_cached": cached,
                               "embeddings_seeded": seeded})
        assert text.startswith("向量：10 段文本") and expected in text, text

    def test_init_rejects_conflicting_flags(self, env):
        result = CliRunner().invoke(index, ["build", "--if-missing", "--force"], env=env)
        assert result.exit_code == 2 and "不能同时使用" in result.output

    def test_init_rejects_bad_environment(self, env):
        result = CliRunner().invoke(index, ["status"], env={**env, "POLICY_QA_EMBEDDER": "word2vec"})
        assert result.exit_code == 2 and "环境变量配置有误" in result.output


class TestRetrieveCommand:
    def test_run_prints_ranked_clauses_with_labels(self, env):
        result = CliRunner().invoke(retrieve, ["技能竞赛总成绩操作技能成绩权重", "--top-k", "3", "--mode", "bm25"], env=env)
        assert result.exit_code == 0, result.output
        assert result.stdout.startswith("1. 《乌海市职业技能竞赛管理办法（试行）》")
        assert "[skills-contest/a13]" in result.stdout
        assert "尚未建立" in result.stderr  # the automatic build says so on stderr

    def test_run_json_single_question(self, env):
        result = CliRunner().invoke(retrieve, ["创业孵化基地孵化周期", "--json", "--mode", "bm25"], env=env)
        data = json.loads(result.stdout)
        assert len(data["citations"]) == 5
        assert set(data["citations"][0]) == {"clause_id", "document", "label", "text"}
        assert data["elapsed_ms"] >= 0

    def test_run_batch_writes_one_line_per_question(self, env, tmp_path):
        batch = tmp_path / "q.jsonl"
        batch.write_text('{"id": "q1", "question": "乌达区送审经办机构联系电话"}\n\nnot json\n'
                         '{"id": "q2", "question": "新型学徒制培训补贴标准"}\n', encoding="utf-8")
        result = CliRunner().invoke(retrieve, ["--json", "--batch", str(batch)], env=env)
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        assert [line["id"] for line in lines] == ["q1", None, "q2"]
        assert len(lines[0]["citations"]) == 5 and "elapsed_ms" in lines[0]
        assert "无法解析" in lines[1]["error"]
        assert {"clause_id", "document", "label", "text"} == set(lines[2]["citations"][0])

    def test_init_requires_question_or_batch(self, env):
        result = CliRunner().invoke(retrieve, [], env=env)
        assert result.exit_code == 2 and "二者选一" in result.output
