"""A scripted OpenAI-compatible server on 127.0.0.1 for driving the real langchain-openai client in tests.

    with FakeOpenAIServer([tool_call("initial_post_grade", {"degree": "硕士"}), text("…【post-title/s7/p3】")]) as srv:
        settings = AssistantSettings(mode="llm", llm_base_url=srv.base_url, llm_model="fake")
        ...
        srv.requests  # the JSON bodies the client sent, in order
        srv.reset([...])  # next test on the same server: new script, requests cleared

Each POST /v1/chat/completions takes the next scripted reply: a chat-completion body (dict), or
`Reply(status=…, body=…, delay_s=…, raw=…)` for errors, slowness and invalid JSON. When the script
runs out the server answers HTTP 500 so a test that asks too often fails visibly.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    body: dict | None = None
    status: int = 200
    delay_s: float = 0.0
    raw: bytes | None = None  # sent verbatim instead of `body` (e.g. invalid JSON)


def text(content: str, model: str = "fake-model") -> dict:
    """A final assistant message."""
    return _completion({"role": "assistant", "content": content}, "stop", model)


def tool_call(name: str, arguments: dict | str, call_id: str = "call_1", model: str = "fake-model") -> dict:
    """An assistant message that calls one tool (arguments as a dict, or a raw string to send broken JSON)."""
    return tool_calls([(name, arguments, call_id)], model)


def tool_calls(calls: list[tuple[str, dict | str, str]], model: str = "fake-model") -> dict:
    message = {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {"id": call_id, "type": "function",
             "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args, ensure_ascii=False)}}
            for name, args, call_id in calls
        ],
    }
    return _completion(message, "tool_calls", model)


def _completion(message: dict, finish_reason: str, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class FakeOpenAIServer:
    def __init__(self, script: list[dict | Reply]):
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.paths: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()  # set on exit or reset: wakes handlers sleeping to simulate a slow model
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def reset(self, script: list[dict | Reply]) -> FakeOpenAIServer:
        with self._lock:
            self._stop.set()
            self._stop = threading.Event()
            self.script = list(script)
            self.requests.clear()
            self.paths.clear()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, body: dict, path: str) -> tuple[Reply, threading.Event]:
        with self._lock:
            self.requests.append(body)
            self.paths.append(path)
            if not self.script:
                return Reply(status=500, body={"error": {"message": "script exhausted", "type": "server_error"}}), self._stop
            item = self.script.pop(0)
            return (item if isinstance(item, Reply) else Reply(body=item)), self._stop

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection: no idle keep-alive sockets left behind

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    body = {"_invalid": True}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(Reply(status=404, body={"error": {"message": f"no route {self.path}"}}))
                    return
                reply, stop = server._next_reply(body, self.path)
                if reply.delay_s and stop.wait(reply.delay_s):
                    return
                self._send(reply)

            def _send(self, reply: Reply) -> None:
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body or {}, ensure_ascii=False).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
                pass

        return Handler
