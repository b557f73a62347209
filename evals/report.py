"""Write an EvalReport as report.json, report.md and PNG charts; render the terminal tables.

matplotlib is used through `matplotlib.figure.Figure` (Agg canvas), never pyplot, so no GUI backend
and no global state. Chinese chart text only when a CJK font is installed; ASCII labels otherwise.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from evals.grading import CATEGORIES, METRIC_KEYS, VERDICT_LABELS
from evals.runner import EvalReport, RunResult

TABLE_KEYS = ("n", "hit@1", "hit@3", "hit@5", "mrr", "evidence_coverage", "numbers_ok", "numbers_stated", "status_ok",
              "verdict_ok", "false_abstain", "expiry_flagged", "p50_ms", "p95_ms", "cite_len_median", "cite_len_max")
SHORT = {"evidence_coverage": "coverage", "expiry_flagged": "expiry", "false_abstain": "false_abst",
         "numbers_stated": "num_stated", "verdict_ok": "verdict", "cite_len_median": "cite_med", "cite_len_max": "cite_max"}
CJK_FONT_HINTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "Droid Sans Fallback", "SimHei",
                  "Microsoft YaHei", "PingFang", "Heiti", "AR PL")
CJK_FILE_HINTS = ("cjk", "wqy", "droidsansfallback", "sourcehan", "simhei", "msyh", "uming", "ukai")
HITK_PNG = "hit_at_k.png"
LATENCY_PNG = "latency.png"


# --------------------------------------------------------------------------- values and tables

def fmt(key: str, value: Any) -> str:
    if value is None:
        return "-"
    if key == "n" or key.startswith("cite_len"):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if key.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}"


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]], markdown: bool = False) -> str:
    if markdown:
        out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]
    line = "  ".join(str(h).ljust(w) if i == 0 else str(h).rjust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))
    out = [line, "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return "\n".join(out)


def _headers(first: str) -> list[str]:
    return [first] + [SHORT.get(k, k) for k in TABLE_KEYS]


def comparison_table(report: EvalReport, markdown: bool = False) -> str:
    """One row per run (naive baseline, bm25, dense, hybrid, assistant), ALL items."""
    rows = [[run.spec.name] + [fmt(k, run.summary["ALL"].get(k)) for k in TABLE_KEYS] for run in report.runs]
    return render_table(_headers("run"), rows, markdown)


def category_table(run: RunResult, markdown: bool = False) -> str:
    """One row per category plus ALL, for one run."""
    names = [c for c in run.summary if c != "ALL"] + ["ALL"]
    rows = [[name] + [fmt(k, run.summary[name].get(k)) for k in TABLE_KEYS] for name in names]
    return render_table(_headers("category"), rows, markdown)


def category_by_run_table(report: EvalReport, metric: str, markdown: bool = False) -> str:
    """Categories down, runs across, one metric (e.g. hit@1) — where each mode wins or loses."""
    cats = [c for c in CATEGORIES if any(c in r.summary for r in report.runs)] + ["ALL"]
    rows = [[c] + [fmt(metric, r.summary.get(c, {}).get(metric)) for r in report.runs] for c in cats]
    return render_table([metric] + [r.spec.name for r in report.runs], rows, markdown)


def text_report(report: EvalReport) -> str:
    """What `policy-qa eval` prints."""
    parts = []
    if len(report.runs) > 1:
        parts += ["各模式对比（全部题目）", comparison_table(report), ""]
        parts += ["分类 × 模式：hit@1", category_by_run_table(report, "hit@1"), ""]
    primary = report.primary
    if primary:
        parts += [f"分类明细：{primary.spec.name}" + (f"（{primary.note}）" if primary.note else ""), category_table(primary), ""]
        failing = [r for r in primary.items if not r["passed"]]
        parts.append(f"未通过 {len(failing)}/{len(primary.items)} 题" + ("：" if failing else "。"))
        for rec in failing[:30]:
            parts.append(f"  {rec['id']} [{rec['category']}] " + "；".join(rec["failures"]))
        if len(failing) > 30:
            parts.append(f"  ……另有 {len(failing) - 30} 题，见 report.md")
    for s in report.skipped:
        parts.append(f"{'失败' if s.failed else '跳过'} {s.name}：{s.reason}")
    return "\n".join(parts).rstrip() + "\n"


# --------------------------------------------------------------------------- markdown

def _md_escape(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).replace("|", "\\|")


def question_text(question: str | Sequence[str]) -> str:
    """A question for display; the turns of a conversation joined with ` → ` (the last one is graded)."""
    return question if isinstance(question, str) else " → ".join(question)


def markdown_report(report: EvalReport, charts: Sequence[str] = (HITK_PNG, LATENCY_PNG)) -> str:
    meta = report.meta
    lines = ["# 金标准评测报告 / Gold-set evaluation report", "",
             f"- 金标准：`{report.gold}`，{meta.get('n_items')} 题；评测日期 as_of：{meta.get('as_of') or '今天（助手默认）'}",
             f"- 生成时间：{meta.get('created')}；CPU 核数：{meta.get('cpu_count')}；Python {meta.get('python')}",
             "- 评分规则见 `evals/README.md`。`-` 表示该指标对此模式或分类不适用（如纯检索模式没有回答层指标）。", ""]
    if report.runs:
        lines += ["## 各模式对比（全部题目）", "", comparison_table(report, markdown=True), ""]
        lines += ["## 分类 × 模式", ""]
        for metric in ("hit@1", "hit@5", "mrr"):
            lines += [f"### {metric}", "", category_by_run_table(report, metric, markdown=True), ""]
    for run in report.runs:
        lines += [f"## 分类明细：{run.spec.name}", ""]
        if run.note:
            lines += [f"> {run.note}", ""]
        lines += [category_table(run, markdown=True), ""]
    primary = report.primary
    if primary:
        failing = [r for r in primary.items if not r["passed"]]
        lines += [f"## 未通过的题目：{primary.spec.name}（{len(failing)}/{len(primary.items)}）", ""]
        for rec in failing:
            lines += _failing_item_md(rec)
        for run in report.runs:
            if run is primary:
                continue
            missed = [r["id"] for r in run.items if r.get("hit@5") is False]
            top1 = [r["id"] for r in run.items if r.get("hit@5") and r.get("hit@1") is False]
            lines.append(f"- `{run.spec.name}`：前5未命中 {len(missed)} 题 {', '.join(missed) or '无'}；"
                         f"首条未命中 {len(top1)} 题 {', '.join(top1) or '无'}")
        lines.append("")
    if report.skipped:
        lines += ["## 未运行的模式", ""]
        lines += [f"- `{s.name}`：{'失败' if s.failed else '跳过'}，{_md_escape(s.reason)}" for s in report.skipped]
        lines.append("")
    if charts:
        lines += ["## 图表", ""] + [f"![{Path(c).stem}]({c})" for c in charts] + [""]
    return "\n".join(lines)


def _failing_item_md(rec: dict[str, Any]) -> list[str]:
    exp = rec["expected"]
    got_cites = "；".join(f"{i}. {c.get('label') or c.get('clause_id')}" for i, c in enumerate(rec["citations"][:3], 1)) or "无引用"
    out = [f"### {rec['id']} [{rec['category']}] {_md_escape(question_text(rec['question']))}", "",
           "- 原因：" + "；".join(rec["failures"])]
    expected = []
    if exp["evidence"]:
        expected.append("证据 " + " / ".join(f"“{_md_escape(e)}”" for e in exp["evidence"]))
    if exp["numbers"]:
        expected.append("数字 " + "、".join(exp["numbers"]))
    if rec.get("status") is not None:
        expected.append("状态 " + exp["status"])
    if exp.get("verdict"):
        expected.append("结论 " + VERDICT_LABELS[exp["verdict"]])
    out.append("- 预期：" + ("；".join(expected) or "-"))
    if exp.get("answer"):
        out.append(f"- 参考答案：{_md_escape(exp['answer'])}")
    got = []
    if rec.get("status") is not None:
        got.append(f"状态 {rec['status']}")
    if exp.get("verdict"):
        got.append("结论 " + VERDICT_LABELS[rec.get("verdict")])
    got.append(f"引用 {got_cites}" + (f"（证据命中排名 {rec['rank']}）" if rec.get("rank") else ""))
    if rec.get("numbers_missing"):
        got.append("缺少数字 " + "、".join(rec["numbers_missing"]))
    if rec.get("numbers_only_quoted"):
        got.append("只在照抄条文中出现的数字 " + "、".join(rec["numbers_only_quoted"]))
    out.append("- 实际：" + "；".join(got))
    if rec.get("answer"):
        answer = _md_escape(rec["answer"])
        out.append(f"- 回答：{answer[:400]}{'…' if len(answer) > 400 else ''}")
    if rec.get("warnings"):
        out.append("- 提示：" + " / ".join(_md_escape(w) for w in rec["warnings"]))
    if rec["citations"]:
        first = rec["citations"][0]
        out.append(f"- 首条引用原文：{_md_escape(first.get('text') or '')}")
    out.append("")
    return out


# --------------------------------------------------------------------------- charts

@lru_cache(maxsize=1)
def cjk_font_name() -> str | None:
    """The family name of an installed CJK font (e.g. Noto Sans CJK SC from fonts-noto-cjk), or None."""
    from matplotlib import font_manager

    def pick() -> str | None:
        for entry in font_manager.fontManager.ttflist:
            if any(h.lower() in entry.name.lower() for h in CJK_FONT_HINTS):
                return entry.name
        return None

    name = pick()
    if name:
        return name
    # fonts installed after matplotlib cached its font list are not in ttflist yet
    try:
        paths = font_manager.findSystemFonts()
    except Exception:  # font discovery is best effort; ASCII labels are the fallback
        return None
    for path in sorted(paths):
        if any(h in Path(path).name.lower() for h in CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except Exception:  # an unreadable font file: try the next one
                continue
            name = pick()
            if name:
                return name
    return None


def _labels(cjk: bool) -> dict[str, str]:
    if cjk:
        return {"hit_title": "证据命中率（按检索模式）", "hit_y": "命中率", "lat_title": "单题耗时分布",
                "lat_x": "耗时（毫秒，对数坐标）", "lat_y": "题数", "none": "无可用数据"}
    return {"hit_title": "Evidence hit rate by mode", "hit_y": "rate", "lat_title": "Per-question latency",
            "lat_x": "elapsed (ms, log scale)", "lat_y": "questions", "none": "no data"}


def _save(fig: Any, path: Path) -> None:
    with warnings.catch_warnings():
        # a CJK font may still lack a rare glyph; a missing box in a chart must not fail a run (filterwarnings=error)
        warnings.filterwarnings("ignore", message=r"Glyph .* missing from", category=UserWarning)
        fig.savefig(path, dpi=110)


def _figure_context() -> tuple[dict[str, Any], bool]:
    font = cjk_font_name()
    rc = {"axes.unicode_minus": False}
    if font:
        rc.update({"font.family": "sans-serif", "font.sans-serif": [font, "DejaVu Sans"]})
    return rc, font is not None


def plot_hit_at_k(report: EvalReport, path: Path) -> Path:
    """Grouped bars: hit@1 / hit@3 / hit@5 / MRR for every run."""
    import matplotlib
    from matplotlib.figure import Figure

    rc, cjk = _figure_context()
    text = _labels(cjk)
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(max(6.0, 1.6 * len(report.runs) + 2), 4.2))
        ax = fig.add_subplot()
        metrics = ("hit@1", "hit@3", "hit@5", "mrr")
        runs = [r for r in report.runs if r.summary.get("ALL", {}).get("hit@1") is not None]
        width = 0.8 / len(metrics)
        for i, metric in enumerate(metrics):
            xs = [j + (i - 1.5) * width for j in range(len(runs))]
            ys = [r.summary["ALL"][metric] or 0.0 for r in runs]
            bars = ax.bar(xs, ys, width=width, label=metric)
            ax.bar_label(bars, labels=[f"{y:.2f}" for y in ys], fontsize=7, padding=1)
        ax.set_xticks(range(len(runs)), [r.spec.name for r in runs], fontsize=8)
        ax.set_ylim(0, 1.08)
        ax.set_ylabel(text["hit_y"])
        ax.set_title(text["hit_title"])
        if runs:
            ax.legend(loc="lower right", fontsize=8)
        else:
            ax.text(0.5, 0.5, text["none"], ha="center", va="center", transform=ax.transAxes)
        fig.tight_layout()
        _save(fig, path)
    return path


def plot_latency(report: EvalReport, path: Path) -> Path:
    """Histogram of per-question elapsed_ms for every run, log-spaced bins."""
    import math

    import matplotlib
    from matplotlib.figure import Figure

    rc, cjk = _figure_context()
    text = _labels(cjk)
    series = [(r.spec.name, [x["elapsed_ms"] for x in r.items if x.get("elapsed_ms") and x["elapsed_ms"] > 0])
              for r in report.runs]
    series = [(n, v) for n, v in series if v]
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=(7.0, 4.2))
        ax = fig.add_subplot()
        if series:
            lo = min(min(v) for _, v in series)
            hi = max(max(v) for _, v in series)
            lo, hi = math.log10(lo), math.log10(hi) + 1e-9
            if hi - lo < 0.1:
                lo, hi = lo - 0.05, hi + 0.05
            bins = [10 ** (lo + (hi - lo) * i / 30) for i in range(31)]
            for name, values in series:
                ax.hist(values, bins=bins, histtype="step", linewidth=1.5, label=name)
            ax.set_xscale("log")
            ax.legend(fontsize=8)
        else:
            ax.text(0.5, 0.5, text["none"], ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(text["lat_x"])
        ax.set_ylabel(text["lat_y"])
        ax.set_title(text["lat_title"])
        fig.tight_layout()
        _save(fig, path)
    return path


# --------------------------------------------------------------------------- files

def write_report(report: EvalReport, out_dir: str | Path) -> dict[str, Path]:
    """Write report.json, report.md, hit_at_k.png and latency.png into out_dir; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "markdown": out / "report.md",
             "hit_at_k": out / HITK_PNG, "latency": out / LATENCY_PNG}
    data = report.to_dict()
    data["metric_keys"] = list(METRIC_KEYS)
    paths["json"].write_text(json.dumps(data, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    plot_hit_at_k(report, paths["hit_at_k"])
    plot_latency(report, paths["latency"])
    paths["markdown"].write_text(markdown_report(report), encoding="utf-8")
    return paths
