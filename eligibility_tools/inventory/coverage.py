"""Which clauses state a condition, a prohibition or a figure — and what applies each of them.

The candidates are found in the corpus text (`candidate_clauses`: leaf clauses whose wording sets a condition or
states a figure). Each must be applied by a clause rule (`rules/*.yaml`), by a dedicated tool (a parameter in
`eligibility_tools/parameters/*.yaml` cites it), or be listed in `coverage/<document>.yaml` with the reason nothing
applies it.
`policy-qa tool coverage [--json]` prints the table; a unit test fails while any candidate is uncovered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus.errors import CorpusError

COVERAGE_DIR = Path(__file__).resolve().parent / "coverage"
TOOL_CASES = Path(__file__).resolve().parents[2] / "tests" / "eligibility_tools" / "cases"

# Wording that sets a condition or a prohibition, or states a figure. Generous on purpose: a clause it flags that
# holds nothing decidable is listed in coverage/<document>.yaml with that reason, so a reviewer has looked at every one.
_CONDITION = re.compile(
    r"不得|严禁|禁止|不再|不予|不能|只能|仅限|限于|须|必须|应当|方可|可以|可按|可申请|可直接|可不受|可放宽|可由|允许|"
    r"满\s*\d|满[一二两三四五六七八九十]+年|以上|以下|以内|不少于|不超过|不低于|不高于|不足|未满|除.{1,40}外|原则上|给予|补贴|奖励|"
    r"\d+(?:\.\d+)?\s*(?:%|％|元|万元|年|个月|人|户|课时|平方米|亩|个工作日|份|名|只|分)")
_KINDS = ("article", "item", "point", "subpoint", "section", "table_row", "term", "note")


@dataclass(frozen=True)
class Coverage:
    clause: str
    label: str
    applied_by: str  # "rule:<id>", "tool:<module> (<parameter>)" or "none"
    test: str
    reason: str = ""

    @property
    def covered(self) -> bool:
        return self.applied_by != "none" or bool(self.reason)

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "label": self.label, "applied_by": self.applied_by, "test": self.test, "reason": self.reason,
                "covered": self.covered}


def candidate_clauses(corpus) -> list[str]:
    """Clauses whose own text (not a bare heading) states a condition, a prohibition or a figure."""
    out = []
    for clause in corpus.clauses.values():
        if clause.kind not in _KINDS or clause.is_form:
            continue
        own = re.sub(r"\s+", "", clause.text or "")
        if clause.children and len(own) <= len(re.sub(r"\s+", "", clause.title or "")) + 12:
            continue  # a heading over its items: the items are the candidates
        if _CONDITION.search(own):
            out.append(clause.id)
    return out


@lru_cache(maxsize=1)
def reasons() -> dict[str, str]:
    """coverage/*.yaml: clause id -> why no rule or tool applies it (reviewed by hand, one file per document)."""
    out: dict[str, str] = {}
    for path in sorted(COVERAGE_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise CorpusError(f"{path.name} 应为“条款编号: 理由”的映射")
        out.update({str(k): str(v) for k, v in data.items()})
    return out


def _tool_parameters() -> dict[str, list[str]]:
    """clause id -> 'tool:<parameter file> (<parameter>)' for every tool parameter that cites it."""
    from eligibility_tools.params import PARAMETER_DIR

    out: dict[str, list[str]] = {}
    for path in sorted(PARAMETER_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, entry in data.items():
            for version in entry.get("versions") or [entry]:
                cid = ((version.get("source") or entry.get("source") or {}).get("clause_id"))
                if cid:
                    out.setdefault(cid, []).append(f"tool:{path.stem} ({name})")
    return out


def coverage_table(corpus) -> list[Coverage]:
    """One row per candidate clause: what applies it and which test checks that (or why nothing does)."""
    from eligibility_tools.inventory.model import load_rules

    by_clause: dict[str, list[str]] = {}
    for rule in load_rules().values():
        for cid in (rule.clause, *rule.also_cites, *(p.clause for p in rule.params.values())):
            by_clause.setdefault(cid, []).append(f"rule:{rule.id}")
    tools = _tool_parameters()
    why = reasons()
    rows = []
    for cid in candidate_clauses(corpus):
        clause = corpus.clauses[cid]
        appliers = list(dict.fromkeys(by_clause.get(cid, []) + tools.get(cid, [])))
        if appliers:
            first = appliers[0]
            test = (f"tests/eligibility_tools/test_inventory.py::test_rule_case[{first[5:]}-0]" if first.startswith("rule:")
                    else f"tests/eligibility_tools/cases/ ({first.split()[0][5:]})")
            rows.append(Coverage(cid, clause.label, "；".join(appliers), test))
        else:
            rows.append(Coverage(cid, clause.label, "none", "", why.get(cid, "")))
    return rows


def summary(rows: list[Coverage]) -> dict[str, int]:
    return {"candidates": len(rows), "by_rule": sum(1 for r in rows if "rule:" in r.applied_by),
            "by_tool": sum(1 for r in rows if r.applied_by.startswith("tool:")),
            "with_reason": sum(1 for r in rows if r.applied_by == "none" and r.reason),
            "uncovered": sum(1 for r in rows if not r.covered)}
