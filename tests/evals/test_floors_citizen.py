"""Regression floors of the citizens'-style set: dev_citizen.jsonl through the assistant, on the floors' fixed date."""

from __future__ import annotations

import pytest

from evals.floors import CITIZEN_FLOORS_FILE, check_floors, floors_as_of, load_floors, runs_needed
from evals.gold import CITIZEN_SET, load_gold
from evals.runner import evaluate, package_available


def test_citizen_floors_file_names_assistant_metrics_on_a_fixed_date():
    floors = load_floors(CITIZEN_FLOORS_FILE)
    assert {f.run for f in floors} == {"assistant:deterministic"}
    assert {"verdict_ok", "numbers_stated", "status_ok"} <= {f.metric for f in floors}
    assert floors_as_of(CITIZEN_FLOORS_FILE) is not None, "固定 as_of，时效题的结果才可复现"


@pytest.mark.integration
@pytest.mark.parametrize("run_name", [spec.name for spec in runs_needed(load_floors(CITIZEN_FLOORS_FILE))])
def test_citizen_set_meets_floors(run_name):
    if not package_available("assistant.service"):
        pytest.skip(f"assistant.service 尚未实现，跳过 {run_name} 的回归底线")
    floors = [f for f in load_floors(CITIZEN_FLOORS_FILE) if f.run == run_name]
    spec = runs_needed(floors)[0]
    report = evaluate(load_gold(CITIZEN_SET), [spec], gold=str(CITIZEN_SET), as_of=floors_as_of(CITIZEN_FLOORS_FILE))
    violations = check_floors({run_name: report.runs[0].summary}, floors)
    assert not violations, f"低于回归底线（{CITIZEN_FLOORS_FILE.name}）：\n" + "\n".join(violations)
