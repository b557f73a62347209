"""Shared fixtures; every test not marked `integration` is a fast `unit` test."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("integration") is None:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session")
def corpus():
    from corpus.loader import load_corpus

    return load_corpus()
