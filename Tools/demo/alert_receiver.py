#!/usr/bin/env python3
"""The demo's subscriber: a webhook receiver that verifies each delivery's Standard Webhooks
signature (HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>" with the whsec_ secret,
standard library only) and prints every alert it gets, one line each, to stdout and to --log.

Usage: python3 Tools/demo/alert_receiver.py --port 8090 --secret whsec_… [--log .dev/logs/alerts.log]
Answers 204 to a verified request, 401 to one whose signature does not verify.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret, headers, body):
    """True when one of the v1 signatures in webhook-signature matches and the timestamp is recent."""
    key = base64.b64decode(secret[len("whsec_"):])
    message_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not message_id or not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = base64.b64encode(hmac.new(key, ("%s.%s." % (message_id, timestamp)).encode() + body, hashlib.sha256).digest())
    for signature in headers.get("webhook-signature", "").split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


def describe(event):
    data = event.get("data") or {}
    if ".indicator.alert." in event.get("type", ""):
        return "%-9s %-16s %-20s %s  %s → %s (%s)" % (
            data.get("kind", "?"), data.get("indicatorId", "?"), data.get("source", "?"), data.get("periodStart", "?"),
            data.get("previousCategory") or "-", data.get("category", "?"), data.get("value", "?"))
    return "%s %s" % (event.get("type"), event.get("subject") or "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", default=None)
    options = parser.parse_args()
    log = open(options.log, "a", buffering=1, encoding="utf-8") if options.log else None
    seen = set()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {name.lower(): value for name, value in self.headers.items()}
            verified = verify(options.secret, headers, body)
            if verified and headers["webhook-id"] not in seen:  # retries carry the same webhook-id
                seen.add(headers["webhook-id"])
                line = "alert  %s" % describe(json.loads(body))
                print(line, flush=True)
                if log:
                    log.write(line + "\n")
            self.send_response(204 if verified else 401)
            self.send_header("content-length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    server.daemon_threads = True
    print("alert receiver listening on 127.0.0.1:%d" % options.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
