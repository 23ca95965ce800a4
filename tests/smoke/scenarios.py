#!/usr/bin/env python3
"""Black-box smoke scenarios for a running Jingsai server, written from the HTTP contract.

Start a server on a fresh database with the demo data, then run this file:

    JINGSAI_ADMIN_PASSWORD=smoke-admin-pw ./build/api/jingsai serve --demo \
        --db /tmp/smoke.db --listen 127.0.0.1:18700 &
    JINGSAI_ADMIN_PASSWORD=smoke-admin-pw python3 tests/smoke/scenarios.py

It walks every endpoint as the demo users (and as attackers: other counties,
other units, non-members, non-admins, bad tokens), checks status codes, error
codes and field names, and that a refusal changes nothing. Standard library
only; exits 1 when a check fails. It expects a fresh database (it counts what
it created) and ends by tripping the login rate limit of `voter2`.
"""
import http.client, json, sys, os, urllib.parse

HOST = os.environ.get("JINGSAI_HOST", "127.0.0.1")
PORT = int(os.environ.get("JINGSAI_PORT", "18700"))
ADMIN_PW = os.environ.get("JINGSAI_ADMIN_PASSWORD", "smoke-admin-pw")
DEMO_PW = "jingsai-demo"
FAILS = []
CHECKS = [0]

def req(method, path, body=None, token=None, headers=None, raw=None, ctype="application/json"):
    c = http.client.HTTPConnection(HOST, PORT, timeout=30)
    h = dict(headers or {})
    data = None
    if raw is not None:
        data = raw
        if ctype: h.setdefault("Content-Type", ctype)
    elif body is not None:
        data = json.dumps(body, ensure_ascii=False).encode()
        h.setdefault("Content-Type", "application/json")
    if token: h["Authorization"] = "Bearer " + token
    try:
        c.request(method, path, body=data, headers=h)
    except (BrokenPipeError, ConnectionResetError):
        pass
    r = c.getresponse()
    b = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    j = None
    try:
        j = json.loads(b.decode("utf-8"))
    except Exception:
        pass
    return r.status, j, hdrs, b

def check(cond, msg):
    CHECKS[0] += 1
    if not cond:
        FAILS.append(msg)
        print("FAIL:", msg)

def expect(res, status, code=None, msg=""):
    st, j, h, b = res
    ok = st == status
    if ok and code is not None:
        ok = isinstance(j, dict) and isinstance(j.get("error"), dict) and j["error"].get("code") == code
    if ok and status >= 400:
        e = j.get("error") if isinstance(j, dict) else None
        ok = isinstance(e, dict) and isinstance(e.get("message"), str) and isinstance(e.get("details", []), list) and "details" in e
        if not ok:
            FAILS.append(f"{msg}: error body shape wrong: {b[:200]!r}")
            print("FAIL:", msg, "error body shape", b[:200])
            CHECKS[0] += 1
            return res
    check(ok, f"{msg}: expected {status} {code or ''}, got {st} {b[:300]!r}")
    return res

def login(u, pw=DEMO_PW):
    st, j, h, b = req("POST", "/api/v1/auth/login", {"username": u, "password": pw})
    assert st == 200, (u, st, b)
    return j["token"]

API = "/api/v1"
VALID = {"indicators": {"proposals_submitted": 1200, "proposals_implemented": 800},
         "competitions": ["tech_innovation", "team_competition"],
         "narrative": "本单位围绕重点工程开展职工技术创新和班组竞赛活动，全年收集合理化建议一千二百件，已实施八百件，取得了良好的经济效益和社会效益。"}
PDF = b"%PDF-1.4\n% report\n%%EOF\n"

def main():
    # health & openapi
    st, j, h, b = req("GET", "/healthz")
    check(st == 200 and j == {"status": "ok"}, f"healthz {st} {b}")
    st, j, h, b = req("GET", API + "/openapi.json")
    check(st == 200 and isinstance(j, dict) and "openapi" in j, "openapi")

    # login
    st, j, h, b = req("POST", API + "/auth/login", {"username": "jiajiang-submitter", "password": DEMO_PW})
    check(st == 200, "login 200")
    for k in ("token", "expires_at", "user"):
        check(k in j, f"login field {k}")
    u = j["user"]
    for k in ("username", "display_name", "roles"):
        check(k in u, f"login user field {k}")
    check(u["roles"] and set(u["roles"][0].keys()) >= {"role", "org"}, "roles role/org")
    expect(req("POST", API + "/auth/login", {"username": "jiajiang-submitter", "password": "bad"}), 401, "unauthenticated", "wrong password")
    expect(req("POST", API + "/auth/login", {"username": "nosuch", "password": "bad"}), 401, "unauthenticated", "unknown user")
    expect(req("POST", API + "/auth/login", {"username": 5}), 400, "bad_request", "login bad types")
    expect(req("POST", API + "/auth/login", raw=b"{bad", ctype="application/json"), 400, "bad_request", "login malformed")
    expect(req("POST", API + "/auth/login", raw=b"username=a", ctype="application/x-www-form-urlencoded"), 415, "unsupported_media_type", "login non-json")

    S = login("jiajiang-submitter"); R = login("jiajiang-reviewer"); C = login("city-reviewer")
    S2 = login("shizhong-submitter"); R2 = login("shizhong-reviewer"); T = login("transit-submitter")
    V1 = login("voter1"); V2 = login("voter2"); V3 = login("voter3")
    A = login("admin", ADMIN_PW)

    # auth
    expect(req("GET", API + "/me"), 401, "unauthenticated", "me no token")
    expect(req("GET", API + "/me", token="garbage"), 401, "unauthenticated", "me garbage token")
    expect(req("GET", API + "/me", headers={"Authorization": "Basic abc"}), 401, "unauthenticated", "me basic auth")
    st, j, h, b = req("GET", API + "/me", token=S)
    check(st == 200 and j.get("username") == "jiajiang-submitter" and "roles" in j and "display_name" in j, f"me {b[:200]}")
    expect(req("GET", API + "/nosuch", token=S), 404, "not_found", "unknown path")
    expect(req("GET", API + "/submissions/abc", token=S), 404, "not_found", "non-numeric id")  # or 400
    expect(req("GET", API + "/submissions/999999", token=S), 404, "not_found", "missing submission")

    # orgs
    st, j, h, b = req("GET", API + "/orgs", token=S)
    check(st == 200 and "items" in j and "next_cursor" in j, f"orgs list shape {b[:200]}")
    codes = [o.get("code") for o in j.get("items", [])]
    for c in ["leshan", "shizhong", "jingqu", "gaoxin"]:
        check(c in codes, f"org {c} in list")
    st, j, h, b = req("GET", API + "/orgs?limit=2", token=S)
    check(st == 200 and len(j["items"]) == 2 and j["next_cursor"], f"orgs limit 2 {b[:300]}")
    if st == 200 and j.get("next_cursor"):
        st2, j2, _, b2 = req("GET", API + "/orgs?limit=2&cursor=" + urllib.parse.quote(j["next_cursor"]), token=S)
        check(st2 == 200 and j2["items"] and j2["items"][0]["code"] not in [o["code"] for o in j["items"]], "orgs page 2 differs")
    expect(req("GET", API + "/orgs?limit=0", token=S), 400, "bad_request", "limit=0")
    expect(req("GET", API + "/orgs?limit=abc", token=S), 400, "bad_request", "limit=abc")
    st, j, h, b = req("GET", API + "/orgs?limit=501", token=S)
    check(st in (200, 400), f"limit 501 -> {st}")
    if st == 200: check(len(j["items"]) <= 500, "limit capped")
    expect(req("GET", API + "/orgs?cursor=zzz", token=S), 400, "bad_request", "garbage cursor")
    st, j, h, b = req("GET", API + "/orgs/leshan", token=S)
    check(st == 200 and j.get("level") == "city" and j.get("code") == "leshan", f"org leshan {b[:200]}")
    st, j, h, b = req("GET", API + "/orgs/jiajiang", token=S)
    check(st == 200 and j.get("level") == "county" and j.get("parent") == "leshan", f"org jiajiang {b[:200]}")
    expect(req("GET", API + "/orgs/nosuch", token=S), 404, "not_found", "org nosuch")
    org = {"code": "smoke-unit", "name": "冒烟测试单位工会", "level": "unit", "parent": "jiajiang"}
    expect(req("POST", API + "/orgs", org, token=S), 403, "forbidden", "non-admin POST orgs")
    expect(req("POST", API + "/orgs", org, token=R), 403, "forbidden", "reviewer POST orgs")
    st, j, h, b = expect(req("POST", API + "/orgs", org, token=A), 201, None, "admin POST org")
    check(j and j.get("code") == "smoke-unit", "created org code")
    expect(req("POST", API + "/orgs", org, token=A), 409, "conflict", "duplicate org")
    expect(req("POST", API + "/orgs", {"code": "x1", "name": "x", "level": "bogus", "parent": "leshan"}, token=A), 400, "bad_request", "org bad level")
    st, j, h, b = req("POST", API + "/orgs", {"code": "x2", "name": "x", "level": "unit", "parent": "nosuch"}, token=A)
    check(st in (400, 404, 422), f"org unknown parent -> {st} {b[:200]}")
    st, j, h, b = req("POST", API + "/orgs", {"name": "x", "level": "unit", "parent": "leshan"}, token=A)
    check(st == 400 and any(d.get("path") for d in j["error"]["details"]), f"org missing code details path {b[:300]}")
    st, j, h, b = req("POST", API + "/orgs", {"code": "x3", "name": "x", "level": "county", "parent": "jiajiang"}, token=A)
    check(st in (400, 422), f"county under county -> {st} {b[:200]}")

    st, j, h, b = req("POST", API + "/submissions", raw=b'{"campaign":"leshan-2014","org":"jiajiang-ceramics","title":"t","data":{"indicators":{"proposals_submitted":1e400}}}', token=login("jiajiang-submitter"))
    check(st == 400 and j["error"]["details"][0]["path"] == "data.indicators.proposals_submitted", f"1e400 refused {st} {b[:200]}")

    # users
    expect(req("POST", API + "/users", {"username": "county-admin", "password": "smoke-pass-123", "display_name": "县管理员",
                                        "roles": [{"role": "admin", "org": "jiajiang"}]}, token=A), 400, "bad_request", "admin role at a county")
    user = {"username": "smoke-sub", "password": "smoke-pass-123", "display_name": "冒烟测试填报员",
            "roles": [{"role": "submitter", "org": "smoke-unit"}]}
    expect(req("POST", API + "/users", user, token=S), 403, "forbidden", "non-admin POST users")
    expect(req("POST", API + "/users", user, token=A), 201, None, "admin POST user")
    expect(req("POST", API + "/users", user, token=A), 409, "conflict", "duplicate user")
    st, j, h, b = req("POST", API + "/users", {**user, "username": "smoke-x", "roles": [{"role": "king", "org": "leshan"}]}, token=A)
    check(st == 400, f"user bad role -> {st} {b[:200]}")
    st, j, h, b = req("POST", API + "/users", {**user, "username": "smoke-y", "roles": [{"role": "submitter", "org": "nosuch"}]}, token=A)
    check(st in (400, 404, 422), f"user unknown org -> {st} {b[:200]}")
    expect(req("GET", API + "/users", token=S), 403, "forbidden", "non-admin GET users")
    st, j, h, b = req("GET", API + "/users/jiajiang-submitter", token=S)
    check(st == 200, f"self GET user {st}")
    st, j, h, b = req("GET", API + "/users/jiajiang-reviewer", token=S)
    check(st in (403, 404), f"other GET user {st}")
    expect(req("PATCH", API + "/users/jiajiang-submitter", {"disabled": True}, token=S), 403, "forbidden", "non-admin PATCH user")
    AU = login("smoke-sub", "smoke-pass-123")
    expect(req("PATCH", API + "/users/smoke-sub", {"disabled": True}, token=A), 200, None, "disable user")
    expect(req("GET", API + "/me", token=AU), 401, "unauthenticated", "disabled user's token")
    st, j, h, b = req("POST", API + "/auth/login", {"username": "smoke-sub", "password": "smoke-pass-123"})
    check(st in (401, 403), f"disabled login {st}")
    expect(req("PATCH", API + "/users/nosuch", {"disabled": True}, token=A), 404, "not_found", "patch unknown user")

    # logout
    tmp = login("voter3")
    st, j, h, b = req("POST", API + "/auth/logout", token=tmp)
    check(st in (200, 204), f"logout {st}")
    expect(req("GET", API + "/me", token=tmp), 401, "unauthenticated", "token after logout")

    # flows
    st, j, h, b = req("GET", API + "/flows", token=S)
    check(st == 200 and "items" in j, f"flows list {b[:200]}")
    keys = [f.get("key") for f in j.get("items", [])]
    for k in ("report-county", "report-city-direct", "commendation"):
        check(k in keys, f"flow {k}")
    st, j, h, b = req("GET", API + "/flows/report-county", token=S)
    check(st == 200 and j.get("key") == "report-county" and "version" in j and "stages" in j, f"flow get {b[:200]}")
    stage_ids = [s["id"] for s in j.get("stages", [])]
    check(stage_ids[:3] == ["draft", "county_review", "city_review"], f"stages {stage_ids}")
    expect(req("GET", API + "/flows/report-county/versions/1", token=S), 200, None, "flow v1")
    expect(req("GET", API + "/flows/report-county/versions/99", token=S), 404, "not_found", "flow v99")
    expect(req("GET", API + "/flows/nosuch", token=S), 404, "not_found", "flow nosuch")
    st, j, h, b = req("GET", API + "/flows/report-county/versions/abc", token=S)
    check(st in (400, 404), f"flow version abc {st}")
    flow = {"key": "smoke-flow", "title": "冒烟测试流程", "subject": "report", "start": "draft", "stages": [
        {"id": "draft", "kind": "edit", "title": "填报", "actor": {"role": "submitter", "scope": "self"},
         "actions": {"submit": {"to": "city_review"}}},
        {"id": "city_review", "kind": "review", "title": "市级", "actor": {"role": "reviewer", "scope": "city"},
         "actions": {"approve": {"to": "approved"}, "return": {"to": ["draft"]}}},
        {"id": "approved", "kind": "end", "outcome": "approved"}]}
    st, j, h, b = req("POST", API + "/flows/validate", flow, token=A)
    check(st == 200 and j == {"valid": True}, f"validate ok {b[:200]}")
    bad = json.loads(json.dumps(flow)); bad["start"] = "nowhere"; bad["stages"][0]["actions"]["submit"]["to"] = "nope"
    bad["stages"][1]["actor"]["scope"] = "galaxy"
    st, j, h, b = req("POST", API + "/flows/validate", bad, token=A)
    check(st == 422 and j["error"]["code"] == "invalid_flow" and len(j["error"]["details"]) >= 3 and all(d.get("path", "").startswith("$") or d.get("path") for d in j["error"]["details"]), f"validate bad {b[:600]}")

    expect(req("POST", API + "/flows/validate", flow, token=S), 403, "forbidden", "non-admin validate")
    expect(req("POST", API + "/flows", flow, token=S), 403, "forbidden", "non-admin publish flow")
    st, j, h, b = expect(req("POST", API + "/flows", flow, token=A), 201, None, "publish flow")
    check(j == {"key": "smoke-flow", "version": 1} or (j.get("key") == "smoke-flow" and j.get("version") == 1), f"publish answer {b[:200]}")
    st, j, h, b = req("POST", API + "/flows", flow, token=A)
    check(st == 201 and j.get("version") == 2, f"publish v2 {b[:200]}")
    expect(req("POST", API + "/flows", bad, token=A), 422, "invalid_flow", "publish bad flow")
    expect(req("POST", API + "/flows", raw=b"[1,2", token=A), 400, "bad_request", "publish malformed")

    # campaigns
    st, j, h, b = req("GET", API + "/campaigns", token=S)
    check(st == 200 and "items" in j and any(c.get("key") == "leshan-2014" for c in j["items"]), f"campaigns {b[:200]}")
    st, j, h, b = req("GET", API + "/campaigns/leshan-2014", token=S)
    check(st == 200 and "indicators" in j and "deadline" in j, f"campaign {b[:300]}")
    check(j.get("deadline") == "2014-10-20" and j.get("timezone") == "Asia/Shanghai", f"campaign deadline {j.get('deadline')}")
    expect(req("GET", API + "/campaigns/nosuch", token=S), 404, "not_found", "campaign nosuch")
    expect(req("GET", API + "/campaigns/nosuch/progress", token=S), 404, "not_found", "progress nosuch")

    # submissions
    body = {"campaign": "leshan-2014", "org": "jiajiang-ceramics", "title": "冒烟测试报告", "data": VALID}
    expect(req("POST", API + "/submissions", body, token=S2), 403, "forbidden", "other unit's submitter creates")
    expect(req("POST", API + "/submissions", body, token=R), 403, "forbidden", "reviewer creates")
    st, j, h, b = req("POST", API + "/submissions", {**body, "org": "nosuch"}, token=S)
    check(st in (403, 404, 422, 400), f"create unknown org {st}")
    st, j, h, b = req("POST", API + "/submissions", {**body, "campaign": "nosuch"}, token=S)
    check(st in (404, 422, 400), f"create unknown campaign {st} {b[:200]}")
    expect(req("POST", API + "/submissions", {"campaign": "leshan-2014", "org": "jiajiang-ceramics", "title": 5}, token=S), 400, "bad_request", "create bad title type")
    st, j, h, b = req("POST", API + "/submissions", {"org": "jiajiang-ceramics", "title": "x", "data": VALID}, token=S)
    check(st == 400 and any("campaign" in d.get("path", "") for d in j["error"]["details"]), f"create missing campaign path {b[:300]}")
    st, j, h, b = expect(req("POST", API + "/submissions", body, token=S), 201, None, "create report")
    sid = j["id"]
    for k in ("id", "campaign", "org", "flow", "stage", "status", "version", "data", "late"):
        check(k in j, f"submission field {k}")
    check(j.get("flow", {}).get("key") == "report-county" and isinstance(j["flow"].get("version"), int), f"flow field {j.get('flow')}")
    check(j.get("stage") == "draft", "stage draft")
    check(h.get("etag") == f'"{j["version"]}"', f"etag on create {h.get('etag')} vs {j['version']}")
    check(j["data"] == VALID, "data round trip (Chinese)")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=S)
    check(st == 200 and h.get("etag") == f'"{j["version"]}"', f"etag get {h.get('etag')}")
    v0 = j["version"]
    # visibility
    for tok, who in ((S2, "other submitter"), (R2, "other county reviewer"), (T, "city-direct submitter"), (V1, "voter")):
        pass
    for tok, who in ((S2, "other submitter"), (R2, "other county reviewer"), (T, "city-direct submitter")):
        expect(req("GET", API + f"/submissions/{sid}", token=tok), 404, "not_found", f"{who} GET")
        expect(req("GET", API + f"/submissions/{sid}/history", token=tok), 404, "not_found", f"{who} history")
        expect(req("GET", API + f"/submissions/{sid}/evidence", token=tok), 404, "not_found", f"{who} evidence list")
        expect(req("GET", API + f"/submissions/{sid}/changes", token=tok), 404, "not_found", f"{who} changes")
        expect(req("PATCH", API + f"/submissions/{sid}", {"title": "hack"}, token=tok), 404, "not_found", f"{who} PATCH")
        expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=tok), 404, "not_found", f"{who} action")
        expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=a.pdf", raw=PDF, ctype="application/pdf", token=tok), 404, "not_found", f"{who} evidence upload")
        expect(req("POST", API + f"/submissions/{sid}/handover", {"to": "jiajiang-reviewer", "comment": "x"}, token=tok), 404, "not_found", f"{who} handover")
        st, j, h, b = req("GET", API + f"/submissions?campaign=leshan-2014", token=tok)
        check(st == 200 and all(it["id"] != sid for it in j["items"]), f"{who} list hides item")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=V1)
    check(st == 200, f"a voter at the city sees the subtree's items: {st}")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=R)
    check(st == 200, f"county reviewer sees draft? {st}")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=C)
    check(st == 200, f"city reviewer sees draft? {st}")
    # reviewer edits / acts on draft
    expect(req("PATCH", API + f"/submissions/{sid}", {"title": "x"}, token=R), 403, "forbidden", "reviewer PATCH")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=R), 403, "forbidden", "reviewer submit draft")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=S), 409, "invalid_action", "approve in draft")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "fly"}, token=S)
    check(st in (400, 409), f"unknown action -> {st}")
    expect(req("POST", API + f"/submissions/{sid}/actions", {}, token=S), 400, "bad_request", "missing action")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": 1}, token=S), 400, "bad_request", "action wrong type")
    # validation: submit without evidence
    st, j, h, b = expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S), 422, "validation_failed", "submit without evidence")
    if j and "error" in j:
        for d in j["error"]["details"]:
            check({"path", "rule", "message"} <= set(d.keys()), f"violation keys {d}")
    # patch invalid data -> multiple violations
    st, j, h, b = req("PATCH", API + f"/submissions/{sid}", {"data": {"indicators": {"proposals_submitted": 10, "proposals_implemented": 20, "inventions": -1}, "competitions": [], "narrative": ""}}, token=S)
    check(st == 200, f"patch data {st} {b[:200]}")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S)
    rules = sorted({d.get("rule") for d in j["error"]["details"]}) if st == 422 else []
    check(st == 422 and len(j["error"]["details"]) >= 3, f"422 lists every violation {b[:800]}")
    check(rules == ["evidence.backs_claims", "report.complete", "report.consistent"], f"every validator reported: {rules}")
    st, j, h, b = req("GET", API + f"/submissions/{sid}/history", token=S)
    hist_before = len(j["items"])
    st, j, h, b = req("PATCH", API + f"/submissions/{sid}", {"data": VALID, "title": "冒烟测试报告（修订）"}, token=S)
    check(st == 200 and j["title"] == "冒烟测试报告（修订）", f"patch back {b[:200]}")
    cur = j["version"]
    check(cur > v0, "version grows on patch")
    expect(req("PATCH", API + f"/submissions/{sid}", {"title": "x"}, token=S, headers={"If-Match": f'"{v0}"'}), 412, "version_mismatch", "stale If-Match PATCH")
    expect(req("PATCH", API + f"/submissions/{sid}", {"title": 5}, token=S), 400, "bad_request", "PATCH title wrong type")
    expect(req("PATCH", API + f"/submissions/{sid}", {"data": "str"}, token=S), 400, "bad_request", "PATCH data wrong type")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=S)
    check(j["version"] == cur and j["title"] == "冒烟测试报告（修订）", "no change after refused PATCH")
    # evidence
    expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=a.pdf", raw=b"MZ\x90\x00 exe", ctype="application/pdf", token=S), 415, "unsupported_media_type", "exe disguised as pdf")
    expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=a.pdf", raw=PDF, ctype="application/pdf", token=R), 403, "forbidden", "reviewer upload")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/evidence?kind=bogus&filename=a.pdf", raw=PDF, ctype="application/pdf", token=S)
    check(st == 400, f"bad kind -> {st}")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/evidence?kind=document", raw=PDF, ctype="application/pdf", token=S)
    check(st in (201, 400), f"no filename -> {st}")
    if st == 201:
        req("DELETE", API + f"/submissions/{sid}/evidence/{j['id']}", token=S)
    big = b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024)
    expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=big.pdf", raw=big, ctype="application/pdf", token=S), 413, "too_large", "evidence 21MiB")
    st, j, h, b = expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=%E6%80%BB%E7%BB%93.pdf", raw=PDF, ctype="application/pdf", token=S), 201, None, "upload pdf")
    for k in ("id", "sha256", "size", "filename", "kind", "ref"):
        check(k in j, f"evidence field {k}")
    check(j.get("filename") == "总结.pdf", f"evidence filename decoded {j.get('filename')}")
    check(j.get("size") == len(PDF), "evidence size")
    sha = j["sha256"]
    st, j, h, b = req("GET", API + f"/submissions/{sid}/evidence", token=S)
    check(st == 200 and "items" in j and len(j["items"]) == 1, f"evidence list {b[:200]}")
    st, j, h, b = req("GET", API + f"/evidence/{sha}", token=R)
    check(st == 200 and b == PDF and h.get("content-type", "").startswith("application/pdf"), f"evidence bytes {st} {h.get('content-type')}")
    expect(req("GET", API + f"/evidence/{sha}", token=S2), 404, "not_found", "other submitter evidence bytes")
    expect(req("GET", API + f"/evidence/{sha}", token=R2), 404, "not_found", "other reviewer evidence bytes")
    expect(req("GET", API + "/evidence/" + "0" * 64, token=S), 404, "not_found", "unknown evidence sha")
    # json too large
    expect(req("POST", API + "/submissions", raw=b'{"title":"' + b"a" * (1024 * 1024 + 10) + b'"}', token=S), 413, "too_large", "JSON >1MiB")
    expect(req("POST", API + "/submissions", raw=b"title=x", ctype="text/plain", token=S), 415, "unsupported_media_type", "JSON endpoint text/plain")

    # submit with If-Match stale
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=S); cur = j["version"]
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S, headers={"If-Match": f'"{cur-1}"'}), 412, "version_mismatch", "stale If-Match action")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S, headers={"If-Match": f'"{cur}"', "Idempotency-Key": "smoke-k1"})
    check(st == 200 and j["stage"] == "county_review", f"submit {st} {b[:300]}")
    check(h.get("etag") == f'"{j["version"]}"', "etag after action")
    first = b
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S, headers={"If-Match": f'"{cur}"', "Idempotency-Key": "smoke-k1"})
    check(st == 200 and b == first, f"idempotent replay {st} {b[:200]}")
    st, j, h, b = req("GET", API + f"/submissions/{sid}/history", token=S)
    check(len([x for x in j["items"] if x["action"] == "submit"]) == 1, "replay did not act twice")
    # idempotency key on another user
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=R2, headers={"Idempotency-Key": "smoke-k1"})
    check(st == 404, f"idempotency key reused by another user must not replay: {st} {b[:200]}")
    # PATCH outside edit
    expect(req("PATCH", API + f"/submissions/{sid}", {"title": "x"}, token=S), 409, "invalid_action", "PATCH in review")
    expect(req("POST", API + f"/submissions/{sid}/evidence?kind=document&filename=b.pdf", raw=PDF, ctype="application/pdf", token=S), 409, "invalid_action", "upload in review")
    # tasks
    st, j, h, b = req("GET", API + "/tasks", token=R)
    check(st == 200 and any(t.get("id") == sid for t in j.get("items", [])), f"tasks R {b[:300]}")

    st, j, h, b = req("GET", API + "/tasks", token=R2)
    check(st == 200 and all(t.get("id") != sid for t in j.get("items", [])), "tasks R2 excludes")
    st, j, h, b = req("GET", API + "/tasks", token=C)
    check(st == 200 and all(t.get("id") != sid for t in j.get("items", [])), "tasks C excludes county stage")
    # city reviewer cannot act at county stage
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=S); ver = j["version"]
    st, j, h, b = req("GET", API + f"/submissions/{sid}/history", token=S); nh = len(j["items"])
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=C), 403, "forbidden", "city approves at county stage")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=S), 403, "forbidden", "submitter approves")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "return"}, token=R)
    check(st in (400, 422), f"return without comment -> {st} {b[:200]}")
    check(st == 400, f"return without comment is 400: {st}")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "return", "comment": "x", "to": "approved"}, token=R)
    check(st in (400, 409, 422), f"return to bad stage -> {st}")
    check(st == 409, f"return to a stage not allowed is 409: {st}")
    st, j, h, b = req("GET", API + f"/submissions/{sid}", token=S)
    check(j["version"] == ver, "version unchanged after refusals")
    st, j, h, b = req("GET", API + f"/submissions/{sid}/history", token=S)
    check(len(j["items"]) == nh, "history unchanged after refusals")
    # withdraw & resubmit
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "withdraw"}, token=S)
    check(st == 200 and j["stage"] == "draft", f"withdraw {st} {b[:200]}")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "withdraw"}, token=S), 409, "invalid_action", "withdraw in draft")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S), 200, None, "resubmit")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=R), 200, None, "county approve")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "withdraw"}, token=S)
    check(st in (403, 409), f"withdraw at city stage {st}")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "return", "to": "draft", "comment": "请补充佐证材料"}, token=C)
    check(st == 200 and j["stage"] == "draft", f"city return to draft {b[:200]}")
    st, j, h, b = req("PATCH", API + f"/submissions/{sid}", {"data": {**VALID, "indicators": {"proposals_submitted": 1300, "proposals_implemented": 800}}}, token=S)
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "submit"}, token=S), 200, None, "resubmit after return")
    st, j, h, b = req("GET", API + f"/submissions/{sid}/changes", token=R)
    check(st == 200, f"changes {st} {b[:400]}")
    check(j.get("returned") is True and any(i["key"] == "proposals_submitted" and i["before"] == 1200 and i["after"] == 1300 for i in j.get("indicators", [])), f"changes content {b[:300]}")
    expect(req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=R), 200, None, "county approve 2")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=C)
    check(st == 200 and j["stage"] == "approved", f"city approve {b[:200]}")
    check(j.get("status") == "approved", f"status approved {j.get('status')}")
    st, j, h, b = req("POST", API + f"/submissions/{sid}/actions", {"action": "approve"}, token=C)
    check(st == 409 and j["error"]["code"] == "invalid_action", f"approve at end {st}")
    # history
    st, j, h, b = req("GET", API + f"/submissions/{sid}/history", token=C)
    items = j["items"]
    for it in items:
        for k in ("seq", "at", "actor", "action", "from", "to", "comment", "hash"):
            check(k in it, f"history field {k} in {it}")
    check([it["seq"] for it in items] == sorted(it["seq"] for it in items), "seq ascending")
    acts = [it["action"] for it in items]
    check(acts[0] == "create" and acts[-1] == "approve" and "withdraw" in acts and "return" in acts, f"history actions {acts}")
    check(all(items[i]["hash"] != items[i - 1]["hash"] for i in range(1, len(items))), "hashes differ")
    # city-direct
    st, j, h, b = req("POST", API + "/submissions", {**body, "org": "city-transit"}, token=T)
    check(st == 201 and j["flow"]["key"] == "report-city-direct", f"city-direct flow {b[:200]}")
    tid = j["id"]
    req("POST", API + f"/submissions/{tid}/evidence?kind=document&filename=a.pdf", raw=PDF, ctype="application/pdf", token=T)
    st, j, h, b = req("POST", API + f"/submissions/{tid}/actions", {"action": "submit"}, token=T)
    check(st == 200 and j["stage"] == "city_review", f"city-direct submit {b[:200]}")
    expect(req("GET", API + f"/submissions/{tid}", token=R), 404, "not_found", "county reviewer sees city-direct")
    expect(req("POST", API + f"/submissions/{tid}/actions", {"action": "approve"}, token=C), 200, None, "city approve city-direct")
    # list filters & paging
    st, j, h, b = req("GET", API + "/submissions?campaign=leshan-2014&stage=approved", token=C)
    check(st == 200 and {sid, tid} <= {it["id"] for it in j["items"]} and all(it["stage"] == "approved" for it in j["items"]), f"list stage filter {b[:200]}")
    st, j, h, b = req("GET", API + "/submissions?org=jiajiang", token=C)
    check(st == 200 and sid in [it["id"] for it in j["items"]] and tid not in [it["id"] for it in j["items"]], "org filter covers the county's subtree")
    st, j, h, b = req("GET", API + "/submissions?limit=1", token=C)
    check(st == 200 and len(j["items"]) == 1 and j["next_cursor"], f"sub paging {b[:200]}")
    st2, j2, h2, b2 = req("GET", API + "/submissions?limit=1&cursor=" + urllib.parse.quote(j["next_cursor"]), token=C)
    check(st2 == 200 and j2["items"] and j2["items"][0]["id"] != j["items"][0]["id"], "sub page 2")
    st, j, h, b = req("GET", API + "/submissions?campaign=nosuch", token=C)


    # progress
    st, j, h, b = req("GET", API + "/campaigns/leshan-2014/progress", token=S)
    check(st == 200 and {"indicators", "by_county", "counties_without_studio"} <= set(j.keys()), f"progress {b[:200]}")
    if st == 200:
        ind = {i["key"]: i for i in j["indicators"]}
        for i in j["indicators"]:
            check({"key", "label", "target", "actual", "met"} <= set(i.keys()), f"progress ind keys {i}")
        check(ind.get("proposals_submitted", {}).get("actual") == 2500, f"proposals summed {ind.get('proposals_submitted')}")
        rate = ind.get("proposal_implementation_rate", {})
        check(abs(rate.get("actual", 0) - 1600 / 2500) < 1e-9 and rate.get("met") is True, f"rate from summed counts {rate}")
        check(len(j["by_county"]) == 13, f"by_county rows {len(j['by_county'])}")
        jj = [r for r in j["by_county"] if r["org"] == "jiajiang"]
        check(jj and {"org", "name", "indicators"} <= set(jj[0].keys()), "by_county fields")
        check(len(j["counties_without_studio"]) == 13, f"counties_without_studio {j['counties_without_studio']}")

    # nominations
    nb = {"campaign": "leshan-2014", "kind": "unit", "org": "jiajiang-ceramics", "basis": [sid], "citation": "职工技术创新成效显著"}
    expect(req("POST", API + "/nominations", nb, token=S), 403, "forbidden", "submitter nominates")
    st, j, h, b = req("POST", API + "/nominations", nb, token=R2)
    check(st in (403, 404), f"other county nominates {st}")
    expect(req("POST", API + "/nominations", nb, token=V1), 403, "forbidden", "voter nominates")
    st, j, h, b = req("POST", API + "/nominations", {**nb, "basis": [tid]}, token=R)
    check(st == 422 and j["error"]["code"] == "validation_failed", f"basis from other subtree {st} {b[:200]}")
    st, j, h, b = req("POST", API + "/nominations", {**nb, "basis": [999999]}, token=R)
    check(st == 422, f"basis missing {st}")
    st, j, h, b = req("POST", API + "/nominations", {**nb, "kind": "alien"}, token=R)
    check(st == 400, f"nomination bad kind {st}")
    st, j, h, b = expect(req("POST", API + "/nominations", nb, token=R), 201, None, "nominate")
    nid = j["id"]
    check(j.get("stage") == "nominated" and "version" in j and h.get("etag") == f'"{j["version"]}"', f"nomination shape {b[:300]}")

    expect(req("GET", API + f"/nominations/{nid}", token=R2), 404, "not_found", "other county sees nomination")
    expect(req("GET", API + f"/nominations/{nid}/history", token=R2), 404, "not_found", "other county nomination history")
    expect(req("POST", API + f"/nominations/{nid}/actions", {"action": "submit"}, token=R2), 404, "not_found", "other county acts nomination")
    expect(req("POST", API + f"/nominations/{nid}/handover", {"to": "shizhong-reviewer", "comment": "x"}, token=R2), 404, "not_found", "other county handover nomination")
    st, j, h, b = req("POST", API + f"/nominations/{nid}/actions", {"action": "submit"}, token=C)
    check(st == 403, f"city submits county nomination {st}")
    expect(req("POST", API + f"/nominations/{nid}/actions", {"action": "submit"}, token=R), 200, None, "submit nomination")
    st, j, h, b = req("GET", API + "/tasks", token=C)
    check(any(t.get("id") == nid for t in j["items"]), "nomination in city tasks")

    expect(req("POST", API + f"/nominations/{nid}/actions", {"action": "approve"}, token=R), 403, "forbidden", "county approves screening")
    st, j, h, b = req("POST", API + f"/nominations/{nid}/actions", {"action": "approve"}, token=C)
    check(st == 200 and j["stage"] == "vote", f"screen into vote {b[:200]}")
    st, j, h, b = req("GET", API + "/nominations?campaign=leshan-2014&stage=vote", token=C)
    check(st == 200 and any(n["id"] == nid for n in j["items"]), "nominations list stage vote")
    # votes
    vb = {"campaign": "leshan-2014", "title": "2014年度评选表决", "members": ["voter1", "voter2", "voter3"]}
    expect(req("POST", API + "/votes", vb, token=R), 403, "forbidden", "county reviewer opens vote")
    expect(req("POST", API + "/votes", vb, token=V1), 403, "forbidden", "voter opens vote")
    st, j, h, b = req("POST", API + "/votes", {**vb, "members": ["nosuch"]}, token=C)
    check(st in (400, 404, 422), f"vote unknown member {st}")
    st, j, h, b = expect(req("POST", API + "/votes", vb, token=C), 201, None, "open vote")
    vid = j["id"]

    check("results" not in j or not j["results"], "no results before close")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "for"}]}, token=R), 403, "forbidden", "non-member ballot")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "for"}]}, token=C), 403, "forbidden", "city reviewer non-member ballot")
    st, j, h, b = req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "maybe"}]}, token=V1)
    check(st == 400, f"bad choice {st}")
    st, j, h, b = req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": 999999, "choice": "for"}]}, token=V1)
    check(st in (400, 404, 422), f"ballot unknown nomination {st}")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "against"}]}, token=V1), 200, None, "ballot v1")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "for"}]}, token=V1), 200, None, "ballot v1 change")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "for"}]}, token=V2), 200, None, "ballot v2")
    st, j, h, b = req("GET", API + f"/votes/{vid}", token=V1)
    check(st == 200 and not j.get("results"), f"no tallies before close {b[:300]}")
    check(all("for" not in n for n in j.get("nominations", [])), "no tallies before close")
    expect(req("GET", API + f"/votes/{vid}", token=S), 404, "not_found", "submitter reads a vote session (not theirs to see)")
    expect(req("POST", API + f"/votes/{vid}/close", token=V1), 403, "forbidden", "voter closes")
    expect(req("POST", API + f"/votes/{vid}/close", token=R), 403, "forbidden", "county reviewer closes")
    st, j, h, b = req("POST", API + f"/votes/{vid}/close", token=C)
    check(st == 200, f"close {st} {b[:300]}")

    st, j, h, b = req("GET", API + f"/votes/{vid}", token=C)
    check("results" in j and "quorum_met" in j and "ties" in j, f"results fields {b[:300]}")
    for r in j.get("results", []):
        check({"nomination", "kind", "for", "against", "abstain", "passed", "commended", "rank"} <= set(r.keys()), f"result keys {r}")
    r0 = [r for r in j.get("results", []) if r["nomination"] == nid]
    check(r0 and r0[0]["for"] == 2 and r0[0]["against"] == 0 and r0[0]["passed"] and r0[0]["commended"], f"result {r0}")
    expect(req("POST", API + f"/votes/{vid}/ballots", {"ballots": [{"nomination": nid, "choice": "against"}]}, token=V3), 409, "invalid_action", "ballot after close")
    expect(req("POST", API + f"/votes/{vid}/close", token=C), 409, "invalid_action", "close twice")
    st, j, h, b = req("GET", API + f"/nominations/{nid}", token=C)
    check(j["stage"] == "commended", f"nomination commended {j.get('stage')}")
    st, j, h, b = req("GET", API + "/campaigns/leshan-2014/commendations?format=csv", token=S)
    check(st == 200 and b.startswith(b"\xef\xbb\xbf") and "text/csv" in h.get("content-type", ""), f"csv bom {h.get('content-type')} {b[:50]}")
    check("赞成票" in b.decode("utf-8", "replace") and "夹江县建筑陶瓷有限公司工会" in b.decode("utf-8", "replace"), "csv content")
    st, j, h, b = req("GET", API + "/campaigns/leshan-2014/commendations?format=json", token=S)
    check(st == 200, f"commendations json {st}")
    check(st == 200 and any(i.get("nomination") == nid for i in j.get("items", [])), "commendations json lists the nomination")
    st, j, h, b = req("GET", API + "/campaigns/leshan-2014/commendations?format=xml", token=S)
    check(st == 400, f"commendations xml {st}")
    st, j, h, b = req("GET", API + "/votes", token=C)
    check(st == 200 and "items" in j, "votes list")
    expect(req("GET", API + "/votes/99999", token=C), 404, "not_found", "vote nosuch")

    # hostile input
    st, j, h, b = req("POST", API + "/submissions", raw=b"\xff\xfe\x00garbage", token=S)
    check(st == 400 and j and j["error"]["code"] == "bad_request", f"binary json {st} {b[:200]}")
    st, j, h, b = req("POST", API + "/submissions", raw=b"[" * 100000, token=S)
    check(st == 400 and j and "error" in j, f"deep nesting {st} {b[:200]}")
    st, j, h, b = req("POST", API + "/submissions", raw=b'"just a string"', token=S)
    check(st == 400 and j and "error" in j, f"non-object json {st}")
    st, j, h, b = req("GET", API + "/submissions/99999999999999999999999", token=S)
    check(st in (400, 404) and j and "error" in j, f"huge id {st}")
    st, j, h, b = req("GET", API + "/submissions/-1", token=S)
    check(st in (400, 404) and j and "error" in j, f"negative id {st}")
    st, j, h, b = req("DELETE", API + "/orgs", token=A)
    check(st == 405 and j and "error" in j, f"wrong method -> {st} {b[:200]}")


    # login rate limiting last (shizhong-reviewer)
    codes = []
    for i in range(15):
        st, j, h, b = req("POST", API + "/auth/login", {"username": "voter2", "password": "wrong"})
        codes.append(st)
    check(429 in codes, f"rate limit {codes}")
    st, j, h, b = req("POST", API + "/auth/login", {"username": "voter2", "password": "wrong"})
    check(st == 429 and j["error"]["code"] == "rate_limited", "rate_limited code")
    check(h.get("retry-after", "").isdigit(), f"Retry-After on 429: {h.get('retry-after')}")

    print(f"\n{CHECKS[0]} checks, {len(FAILS)} failures")
    return 1 if FAILS else 0

if __name__ == "__main__":
    sys.exit(main())
