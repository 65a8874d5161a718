#!/usr/bin/env python3
"""A loopback HTTP proxy that injects faults in front of a test S3 server.

Forwards every request to UPSTREAM unchanged (the Host header too, so SigV4 signatures made for the
proxy's address still verify upstream), except that a share of requests fail instead:
  - 503 with an S3 <Error><Code>SlowDown</Code> body and Retry-After: 0 (not forwarded),
  - the connection closed without an answer (not forwarded),
  - for GET, the upstream answer cut off halfway through its body.
  - the connection closed after the request was forwarded and answered upstream ("lost"): the
    request took effect, the client cannot know, and its retry must still come out right (a
    retried CompleteMultipartUpload finds NoSuchUpload). 1 in 20 faults, so that it is rare; and,
    with --lose-first-complete, always the first CompleteMultipartUpload.

With --no-conditional-writes it stands for a server without conditional writes: a PUT with
If-None-Match is answered 501 NotImplemented and not forwarded ("refused").

Usage: fault_proxy.py --upstream http://127.0.0.1:PORT --port-file FILE [--rate 0.2] [--seed N]
Listens on 127.0.0.1 on a free port, writes the port to FILE when ready; counts of what it did
go to stderr at exit (SIGTERM), "most_at_once" first: the most requests it held at the same moment.
"""
import argparse
import http.client
import http.server
import os
import random
import signal
import sys
import threading
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}
NOT_IMPLEMENTED = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NotImplemented</Code>'
                   b"<Message>A header you provided implies functionality that is not implemented.</Message></Error>")
SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code>'
             b"<Message>Please reduce your request rate.</Message></Error>")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--lose-first-complete", action="store_true")
    parser.add_argument("--no-conditional-writes", action="store_true")
    args = parser.parse_args()
    upstream = urllib.parse.urlsplit(args.upstream)
    chooser = random.Random(args.seed)
    lock = threading.Lock()
    # "most_at_once": the most requests in the proxy at the same moment (how many a client keeps in flight).
    counts = {"most_at_once": 0, "forwarded": 0, "slowdown": 0, "dropped": 0, "truncated": 0, "lost": 0, "refused": 0}
    local = threading.local()
    completes = []
    in_flight = [0]

    def upstream_connection():
        if getattr(local, "connection", None) is None:
            local.connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        return local.connection

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *unused):
            pass

        def handle_any(self):
            with lock:
                in_flight[0] += 1
                counts["most_at_once"] = max(counts["most_at_once"], in_flight[0])
            try:
                self.forward()
            finally:
                with lock:
                    in_flight[0] -= 1

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if args.no_conditional_writes and self.command == "PUT" and self.headers.get("If-None-Match"):
                self.count("refused")
                self.send_response(501)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(NOT_IMPLEMENTED)))
                self.end_headers()
                self.wfile.write(NOT_IMPLEMENTED)
                return
            with lock:
                roll = chooser.random()
            fault = None
            if roll < args.rate:
                share = roll / args.rate
                if share < 0.5:
                    fault = "slowdown"
                elif share < 0.55:
                    fault = "lost"
                elif share < 0.8 or self.command != "GET":
                    fault = "dropped"
                else:
                    fault = "truncated"
            if args.lose_first_complete and self.command == "POST" and "uploadId=" in self.path:
                with lock:
                    completes.append(self.path)
                    if len(completes) == 1:
                        fault = "lost"
            if fault == "slowdown":
                self.count("slowdown")
                self.send_response(503)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", str(len(SLOW_DOWN)))
                self.end_headers()
                self.wfile.write(SLOW_DOWN)
                return
            if fault == "dropped":
                self.count("dropped")
                self.close_connection = True
                return
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            response = data = None
            for attempt in range(2):
                try:
                    connection = upstream_connection()
                    connection.request(self.command, self.path, body=body if self.command in ("PUT", "POST") else None,
                                       headers=headers)
                    response = connection.getresponse()
                    try:
                        data = response.read()
                    except http.client.IncompleteRead as short:
                        # s3rver declares a byte it never sends for a ranged GET of an empty object:
                        # pass on what came, and do not reuse that connection.
                        data = short.partial
                        local.connection = None
                    break
                except (OSError, http.client.HTTPException) as error:
                    local.connection = None
                    # A kept-alive upstream connection the server closed meanwhile: once more, fresh.
                    if attempt == 0 and isinstance(error, (http.client.RemoteDisconnected, ConnectionResetError,
                                                           BrokenPipeError)):
                        continue
                    sys.stderr.write("fault_proxy: upstream failed on %s %s: %r\n" % (self.command, self.path, error))
                    self.close_connection = True
                    return
            if fault == "lost":
                self.count("lost")
                self.close_connection = True
                return
            self.send_response(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                    self.send_header(name, value)
            declared = response.getheader("Content-Length")
            self.send_header("Content-Length", declared if self.command == "HEAD" and declared else str(len(data)))
            self.end_headers()
            if self.command == "HEAD":
                self.count("forwarded")
                return
            if fault == "truncated" and len(data) > 1:
                self.count("truncated")
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self.count("forwarded")
            self.wfile.write(data)

        def count(self, what):
            with lock:
                counts[what] += 1

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True

    def stop(*unused):
        sys.stderr.write("fault_proxy: %s\n" % counts)
        sys.stderr.flush()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    with open(args.port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
