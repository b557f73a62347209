"""Regression floors: minimum (and maximum) metric values per run and category, from floors.yaml."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.errors import EvalError
from evals.grading import SUMMARY_KEYS
from evals.runner import RunSpec

FLOORS_FILE = Path(__file__).parent / "floors.yaml"


@dataclass(frozen=True)
class Floor:
    run: str        # e.g. retrieval:hybrid, assistant:deterministic
    category: str   # ALL or a gold category
    metric: str     # a key of the summary (hit@1, numbers_ok, cite_len_max …)
    bound: str      # min (floor) | max (ceiling, for latency and cited-text length)
    value: float

    def check(self, summaries: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> str | None:
        """None when met; otherwise a Chinese message naming run, category, metric, floor and what we got."""
        got = summaries.get(self.run, {}).get(self.category, {}).get(self.metric)
        ok = got is not None and (got >= self.value if self.bound == "min" else got <= self.value)
        if ok:
            return None
        word = "下限" if self.bound == "min" else "上限"
        return f"{self.run} / {self.category} / {self.metric}：{word} {self.value:g}，实际 {got}"


def load_floors(path: str | Path = FLOORS_FILE) -> list[Floor]:
    """Parse floors.yaml: `runs: {<run>: {min: {<category>: {<metric>: value}}, max: {...}}}`."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise EvalError(f"无法读取回归底线文件 {path}：{err}") from err
    floors: list[Floor] = []
    for run, bounds in (data.get("runs") or {}).items():
        kind, _, mode = str(run).partition(":")
        try:
            RunSpec(kind, mode)
        except ValueError as err:
            raise EvalError(f"{path}：运行名 “{run}” 无效（应如 retrieval:hybrid、assistant:deterministic）") from err
        for bound, by_category in (bounds or {}).items():
            if bound not in ("min", "max"):
                raise EvalError(f"{path}：{run} 下只能有 min / max，发现 “{bound}”")
            for category, metrics in (by_category or {}).items():
                for metric, value in (metrics or {}).items():
                    if metric not in SUMMARY_KEYS:
                        raise EvalError(f"{path}：{run}/{category} 的指标 “{metric}” 未知，可用：{', '.join(SUMMARY_KEYS)}")
                    if not isinstance(value, int | float):
                        raise EvalError(f"{path}：{run}/{category}/{metric} 的值应为数字，实际 {value!r}")
                    floors.append(Floor(str(run), str(category), metric, bound, float(value)))
    return floors


def check_floors(summaries: Mapping[str, Mapping[str, Mapping[str, Any]]], floors: list[Floor]) -> list[str]:
    """Every violated floor as a message; `summaries` maps run name -> report summary."""
    return [msg for f in floors if (msg := f.check(summaries)) is not None]


def runs_needed(floors: list[Floor]) -> list[RunSpec]:
    seen: dict[str, RunSpec] = {}
    for f in floors:
        kind, _, mode = f.run.partition(":")
        seen.setdefault(f.run, RunSpec(kind, mode))
    return list(seen.values())
