"""A webhook receiver for the notifications service tests.

Verifies every request with the PyPI `standardwebhooks` package (an implementation independent of
ours) and appends one JSON line per request to --log:
  {"webhookId", "verified", "error", "answered", "eventId", "type", "at"}
Behaviour: --fail-first N answers 500 to the first N attempts of each webhook-id, then 204;
--hang makes it accept requests and never answer (a dead endpoint that times out); --slow-first S
answers the very first request only after S seconds (a slot held by one slow attempt).
Prints "listening <port>" once the socket is bound.
"""
import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook, WebhookVerificationError


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--hang", action="store_true")
    parser.add_argument("--slow-first", type=float, default=0)
    options = parser.parse_args()

    webhook = Webhook(options.secret)
    attempts = {}
    requests = [0]
    lock = threading.Lock()
    log = open(options.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("content-length", "0"))
            raw = self.rfile.read(length)
            body = raw.decode("utf-8", "replace")
            if options.hang:
                time.sleep(3600)
                return
            with lock:
                requests[0] += 1
                first = requests[0] == 1
            if first and options.slow_first > 0:
                time.sleep(options.slow_first)
            headers = {name.lower(): value for name, value in self.headers.items()}
            webhook_id = headers.get("webhook-id", "")
            entry = {"webhookId": webhook_id, "verified": False, "error": None, "eventId": None, "type": None,
                     "truncated": len(raw) < length}
            try:
                webhook.verify(body, headers)
                entry["verified"] = True
                event = json.loads(body)
                entry["eventId"] = event.get("id")
                entry["type"] = event.get("type")
                entry["data"] = event.get("data")
            except (WebhookVerificationError, ValueError) as error:
                entry["error"] = str(error)
            with lock:
                attempts[webhook_id] = attempts.get(webhook_id, 0) + 1
                failing = attempts[webhook_id] <= options.fail_first
            status = 500 if failing or not entry["verified"] else 204
            entry["answered"] = status
            entry["at"] = time.time()
            with lock:
                log.write(json.dumps(entry) + "\n")
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

    parent = os.getppid()

    def exit_with_parent():  # never outlive the test process, whatever way it ends
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=exit_with_parent, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    print("listening", options.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
