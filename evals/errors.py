"""Errors of the evals harness; the CLI prints them as `错误：…` like every other PolicyQAError."""

from __future__ import annotations

from corpus.errors import PolicyQAError


class EvalError(PolicyQAError):
    """Base class for evals errors."""


class GoldSetError(EvalError):
    """A gold set file is missing or has bad lines; the message lists every bad line with its number."""


class EvalDependencyError(EvalError):
    """A package the requested run needs (assistant, indexing, ui) is not installed or fails to import.

    `missing` tells "not built yet" (skip with a note) from "present but broken" (a real failure).
    """

    def __init__(self, message: str, *, missing: bool = True):
        self.missing = missing
        super().__init__(message)
