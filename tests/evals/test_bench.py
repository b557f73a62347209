"""`policy-qa bench` plumbing: skips parts that do not exist, medians, targets, process cleanup."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from evals import bench


class TestHelpers:
    def test_median_of_runs_takes_the_median_per_figure(self):
        out = bench._median_of_runs([{"p95_ms": 30.0, "ok": True}, {"p95_ms": 10.0, "ok": True}, {"p95_ms": 20.0, "ok": False}])
        assert out["p95_ms"] == 20.0
        assert "ok" not in out          # booleans are not figures
        assert len(out["runs"]) == 3

    def test_check_targets_marks_each_figure(self):
        rows = bench.check_targets({"retrieval": {"hybrid_p95_ms": 12.0, "rss_mb": 700.0},
                                    "load": {"errors": 0, "all_cited": 1.0, "p95_ms": 2000.0}})
        by_name = {(r["part"], r["figure"]): r["ok"] for r in rows}
        assert by_name == {("retrieval", "hybrid_p95_ms"): True, ("retrieval", "rss_mb"): False,
                           ("load", "errors"): True, ("load", "all_cited"): True, ("load", "p95_ms"): False}

    def test_free_port_is_on_loopback_and_bindable(self):
        import socket

        port = bench.free_port()
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))

    def test_peak_rss_samples_a_process(self):
        with bench.PeakRSS(os.getpid()) as rss:
            import time

            time.sleep(0.3)
        assert rss.peak_mb > 10

    def test_stop_group_ends_the_process_it_started(self):
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
        bench._stop_group(proc)
        assert proc.poll() is not None


class TestCommand:
    def test_missing_packages_are_skipped_with_a_note(self, monkeypatch, tmp_path):
        monkeypatch.setattr(bench, "package_available", lambda name: False)
        result = CliRunner().invoke(bench.bench_command, ["--repeat", "1", "--out", str(tmp_path), "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout.strip().splitlines()[-1])
        assert data["cpu_count"] == os.cpu_count()
        assert set(data["parts"]) == set(bench.PARTS)
        assert all("skipped" in part for part in data["parts"].values())
        assert "issue 6" in data["parts"]["load"]["skipped"]
        saved = list(tmp_path.glob("bench-*.json"))
        assert len(saved) == 1 and json.loads(saved[0].read_text(encoding="utf-8"))["repeat"] == 1

    def test_only_and_skip_select_parts(self, monkeypatch, tmp_path):
        monkeypatch.setattr(bench, "package_available", lambda name: False)
        result = CliRunner().invoke(bench.bench_command, ["--only", "cli", "--only", "warm", "--skip", "warm",
                                                          "--out", str(tmp_path), "--json"])
        data = json.loads(result.stdout.strip().splitlines()[-1])
        assert list(data["parts"]) == ["cli"]

    def test_a_broken_part_is_reported_not_raised(self, monkeypatch):
        def broken(repeat, gold):
            raise RuntimeError("索引损坏")

        monkeypatch.setattr(bench, "bench_retrieval", broken)
        result = bench.run_bench(["retrieval"], 1, None, 2, 1, 0, echo=lambda m: None)
        assert result["parts"]["retrieval"] == {"error": "RuntimeError: 索引损坏"}
        assert "出错：RuntimeError: 索引损坏" in bench.format_bench(result)


def test_bench_questions_are_single_in_scope_questions_of_any_gold_set():
    from evals.gold import CITIZEN_SET

    asked = bench.questions(CITIZEN_SET)
    assert all(isinstance(q, str) for q in asked)
    assert len(asked) == 150 - 12 - 16       # no conversation turns, no out-of-scope items
    assert len(bench.questions(CITIZEN_SET, in_scope_only=False)) == 150 - 12
