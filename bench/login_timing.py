#!/usr/bin/env python3
"""Times failed logins on a running server started with --demo: unknown usernames
against wrong passwords of existing users. Both should take one Argon2id
verification, so the medians should be close.

Usage: bench/login_timing.py [PORT]   (default 8080; 8 attempts each, under the
per-username and per-address throttles)
"""
import http.client
import json
import statistics
import sys
import time

PORT = int(sys.argv[1]) if len(sys.argv) > 1 else 8080


def login(username, password):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    body = json.dumps({"username": username, "password": password})
    start = time.perf_counter()
    connection.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
    status = connection.getresponse().status
    elapsed = time.perf_counter() - start
    connection.close()
    return status, elapsed * 1000


known = ["jiajiang-submitter", "shizhong-submitter", "transit-submitter", "voter1"] * 2
results = {"unknown username": [], "wrong password": []}
for i, user in enumerate(known):
    for case, name in (("unknown username", f"no-such-user-{i}"), ("wrong password", user)):
        status, ms = login(name, f"wrong-password-{i}")
        if status != 401:
            sys.exit(f"{case}: expected 401, got {status}")
        results[case].append(ms)
for case, times in results.items():
    print(f"{case}: median {statistics.median(times):.1f} ms, "
          f"min {min(times):.1f}, max {max(times):.1f} ({len(times)} attempts)")
