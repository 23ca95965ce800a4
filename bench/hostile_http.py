#!/usr/bin/env python3
"""Sends hostile HTTP to a running Jingsai server and prints what each case gets.

Usage: bench/hostile_http.py [PORT]   (default 8080; the server on 127.0.0.1)
Each line: the case, then the status line and error code the server answered,
or how the connection ended. The assertions live in tests/api/hostile_http_test.cpp;
this shows the observed answers.
"""
import json
import socket
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8080


def exchange(payload, pause=None, read_for=5.0):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=read_for)
    try:
        if pause:
            try:
                for chunk in payload:
                    sock.sendall(chunk)
                    time.sleep(pause)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server gave up on us: read what it said
        else:
            try:
                sock.sendall(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass
        data = b""
        while True:
            try:
                part = sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not part:
                break
            data += part
            if b"\r\n\r\n" in data and not pause:
                head, _, body = data.partition(b"\r\n\r\n")
                length = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(body) >= int(length[0].split(b":")[1]):
                    if payload.count(b"HTTP/1.1") <= 1:
                        break
        return data
    finally:
        sock.close()


def describe(data):
    if not data:
        return "connection closed without an answer"
    answers = []
    for part in data.split(b"HTTP/1.1 ")[1:]:
        status = part.split(b"\r\n", 1)[0].decode(errors="replace")
        body = part.partition(b"\r\n\r\n")[2]
        code = ""
        try:
            code = json.loads(body.split(b"HTTP/1.1")[0])["error"]["code"]
        except Exception:
            pass
        answers.append(status + (f" ({code})" if code else ""))
    return "; ".join(answers) if answers else repr(data[:60])


def post(target, body, extra=b""):
    return (b"POST " + target + b" HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
            extra + b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


LOGIN = b"/api/v1/auth/login"
cases = [
    ("JSON body declared 2 GiB (nothing sent)",
     b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     b"Content-Length: 2147483648\r\n\r\n"),
    ("JSON body 1 MiB + 1 byte", post(LOGIN, b" " * ((1 << 20) + 1))),
    ("one 64 KiB header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n"),
    ("2000 small headers", b"GET /healthz HTTP/1.1\r\nHost: x\r\n" +
     b"".join(b"X-%d: v\r\n" % i for i in range(2000)) + b"\r\n"),
    ("TLS ClientHello on the plain port", bytes.fromhex("160301020001") + b"\x00" * 64),
    ("random binary", bytes(range(256)) * 4),
    ("garbage after a valid request line", b"GET /healthz HTTP/1.1\r\n\x00\x01garbage\r\n\r\n"),
    ("3 pipelined GET /healthz", b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" * 3),
    ("invalid UTF-8 in a JSON body", post(LOGIN, b'{"username":"\xff\xfe","password":"x"}')),
    ("JSON nested 100000 deep", post(LOGIN, b"[" * 100000 + b"]" * 100000)),
    ("path traversal /../../etc/passwd", b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("encoded traversal /%2e%2e/%2e%2e/etc/passwd",
     b"GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("unknown method BREW", b"BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("chunked body over the limit",
     b"POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
     b"Transfer-Encoding: chunked\r\n\r\n" + (b"100000\r\n" + b" " * 0x100000 + b"\r\n") * 2 +
     b"0\r\n\r\n"),
]

for name, payload in cases:
    try:
        print(f"{name}: {describe(exchange(payload))}")
    except OSError as error:
        print(f"{name}: {error}")

start = time.time()
print("slow client (a header byte every 0.5 s): " +
      describe(exchange([b"G", b"E", b"T", b" ", b"/"] + [b"x"] * 200, pause=0.5, read_for=60)) +
      f" after {time.time() - start:.1f} s")

idle = [socket.create_connection(("127.0.0.1", PORT)) for _ in range(300)]
start = time.time()
answer = describe(exchange(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"))
print(f"GET /healthz with 300 idle connections open: {answer} in {(time.time() - start) * 1000:.0f} ms")
for sock in idle:
    sock.close()
