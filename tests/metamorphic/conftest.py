"""The metamorphic suite's shared assistant and the per-rewrite summary printed at the end of the run."""

from __future__ import annotations

from datetime import date

import pytest

AS_OF = date(2026, 11, 30)
# rewrite name -> (questions compared, questions whose answer differed); filled by test_same_answer
SUMMARY: dict[str, tuple[int, int]] = {}


@pytest.fixture(scope="session")
def real_assistant():
    from assistant.service import get_assistant

    return get_assistant()


def pytest_terminal_summary(terminalreporter) -> None:
    if not SUMMARY:
        return
    terminalreporter.section("metamorphic: answers that change under a rewrite")
    for name, (compared, differing) in SUMMARY.items():
        terminalreporter.write_line(f"{name:<18} {differing:>4} / {compared:<4} differ")
