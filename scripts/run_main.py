"""What `make run` starts: the most useful thing this checkout has (web UI > chat > corpus overview).

Builds the index first when one is missing, and never fails on a part that is not there yet.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent
CLI = str(BIN / "policy-qa")


def has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def main() -> int:
    if has("indexing.cli"):
        subprocess.run([CLI, "index", "build", "--if-missing"], check=False)
    if has("ui.cli"):
        return subprocess.call([CLI, "serve", "--host", "127.0.0.1", "--port", "7860"])
    if has("assistant.cli_ask") and sys.stdin.isatty():
        return subprocess.call([CLI, "chat"])
    subprocess.call([CLI, "corpus", "list"])
    return subprocess.call([CLI, "corpus", "stats"])


if __name__ == "__main__":
    sys.exit(main())
