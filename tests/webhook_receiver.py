"""A webhook receiver for the tests: a real HTTP server on 127.0.0.1 in a thread, which checks
each POST's signature with the code the README gives receivers (`verify`) and answers as the
test scripts it: a status, a pause first (to outlast the sender's timeout), or a redirect."""

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The README's receiver code (Webhooks > De handtekening controleren), verbatim."""
    msg_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    signatures = headers["webhook-signature"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # te oud of uit de toekomst: mogelijk een herhaling
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(expected, s) for s in signatures.split())


class Receiver:
    def __init__(self):
        self.secret = None
        self.received = []  # {"path", "headers", "body", "json", "verified"}
        # what to answer, in order: 204, 500, ("pause", seconds, status), ("redirect", url)
        self.script = []
        self.pause = 0.0  # before every answer (concurrency tests)
        # hold every answer until this many requests were in flight at once (or 60 s): proves
        # that senders really overlapped; most_at_once says how many did
        self.together = 0
        self.most_at_once = 0
        self._in_flight = 0
        self._gathered = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    step = receiver.script.pop(0) if receiver.script else 204
                    receiver.received.append({
                        "path": self.path, "headers": dict(self.headers), "body": body,
                        "json": json.loads(body) if body else None,
                        "verified": receiver.secret is not None and verify(
                            receiver.secret, self.headers, body)})
                    receiver._in_flight += 1
                    receiver.most_at_once = max(receiver.most_at_once, receiver._in_flight)
                    if receiver._in_flight >= receiver.together:
                        receiver._gathered.set()
                try:
                    self._answer(step)
                finally:
                    with receiver._lock:
                        receiver._in_flight -= 1

            def _answer(self, step):
                if receiver.together:
                    receiver._gathered.wait(60)
                if receiver.pause:
                    time.sleep(receiver.pause)
                if isinstance(step, tuple) and step[0] == "pause":
                    time.sleep(step[1])
                    step = step[2]
                if isinstance(step, tuple) and step[0] == "redirect":
                    self.send_response(307)
                    self.send_header("Location", step[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                payload = b'{"ok": true}' if step < 300 else b"kapot"
                try:
                    self.send_response(step)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender gave up waiting

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
