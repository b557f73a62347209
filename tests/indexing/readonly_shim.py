"""Run `policy-qa` as if READONLY_SHIM_DIR (a directory) were on a read-only mount.

For machines where the store-fault test cannot mount one: CI runs as root, where chmod stops no write, and a
container usually lacks the right to mount. Python-level writes under the directory fail with EROFS, as on a
read-only mount, and `os.access` reports it read-only. Writes from C code (SQLite, Chroma's Rust core) are
not intercepted, so the test compares every byte of the directory before and after to prove that none
happened.

Usage: python tests/indexing/readonly_shim.py <policy-qa arguments>
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import sys

ROOT = os.path.realpath(os.environ["READONLY_SHIM_DIR"])
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _under(path) -> bool:
    try:
        resolved = os.path.realpath(os.fsdecode(path))
    except (TypeError, ValueError):
        return False
    return resolved == ROOT or resolved.startswith(ROOT + os.sep)


def _deny(path):
    raise OSError(errno.EROFS, "Read-only file system (simulated)", os.fsdecode(path))


def _guard_paths(real):
    """`real` refusing any path argument under ROOT (both ends of a rename)."""

    def guarded(*args, **kwargs):
        for arg in (*args[:2], kwargs.get("src"), kwargs.get("dst")):
            if isinstance(arg, str | bytes | os.PathLike) and _under(arg):
                _deny(arg)
        return real(*args, **kwargs)

    return guarded


_real_open = io.open


def _open(file, mode="r", *args, **kwargs):
    if isinstance(file, str | bytes | os.PathLike) and any(c in mode for c in "wax+") and _under(file):
        _deny(file)
    return _real_open(file, mode, *args, **kwargs)


_real_os_open = os.open


def _os_open(path, flags, *args, **kwargs):
    if flags & WRITE_FLAGS and _under(path):
        _deny(path)
    return _real_os_open(path, flags, *args, **kwargs)


_real_access = os.access


def _access(path, mode, *args, **kwargs):
    if mode & os.W_OK and _under(path):
        return False
    return _real_access(path, mode, *args, **kwargs)


def install() -> None:
    builtins.open = io.open = _open
    os.open = _os_open
    os.access = _access
    for name in ("mkdir", "rmdir", "remove", "unlink", "rename", "replace", "truncate", "chmod", "utime"):
        setattr(os, name, _guard_paths(getattr(os, name)))


if __name__ == "__main__":
    install()
    from assistant.cli import main

    sys.argv = ["policy-qa", *sys.argv[1:]]
    main()
