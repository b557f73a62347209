"""Ways to damage a data dir, and a Chroma server that never replies: shared by the store-fault tests."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3
import threading
from pathlib import Path


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under `folder`, by relative path (to prove that nothing was written)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def truncate(path: Path) -> None:
    """Keep the first third of the file (an interrupted copy, a full disk)."""
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 3)


def garble(path: Path) -> None:
    """Invert 16-byte runs at 8 places spread over the file (bad sectors, a stray write), deterministically."""
    data = bytearray(path.read_bytes())
    n = len(data)
    for k in range(8):
        start = int(n * (0.1 + 0.8 * k / 7))
        data[start:start + 16] = bytes(b ^ 0xFF for b in data[start:start + 16])
    path.write_bytes(bytes(data))


def swap_vectors(sqlite_path: Path, first: str, second: str) -> None:
    """Swap the stored vectors of two ids inside Chroma's SQLite file, ids kept (chromadb 1.x keeps every vector
    in `embeddings_queue`; this fails loudly if that ever changes)."""
    conn = sqlite3.connect(sqlite_path)
    try:
        rows = dict(conn.execute("SELECT id, vector FROM embeddings_queue WHERE id IN (?, ?)", (first, second)))
        assert set(rows) == {first, second}, rows.keys()
        conn.execute("UPDATE embeddings_queue SET vector = ? WHERE id = ?", (rows[second], first))
        conn.execute("UPDATE embeddings_queue SET vector = ? WHERE id = ?", (rows[first], second))
        conn.commit()
    finally:
        conn.close()


def rewrite_manifest(settings, **changes) -> None:
    """Change manifest fields and re-sign it (what a sound index built for other settings looks like)."""
    from indexing.index import _manifest_checksum

    path = settings.index_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "identity":
            manifest["identity"].update(value)
        else:
            manifest[key] = value
    manifest["manifest_sha256"] = _manifest_checksum(manifest)
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


class SilentServer:
    """Accepts TCP connections and never replies (a hung Chroma server)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.conns.append(conn)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn in self.conns:
            conn.close()
        self.sock.close()


def dead_url() -> str:
    """A loopback URL nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
