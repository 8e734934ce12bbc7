#!/usr/bin/env python3
"""SQL-injection scan of every route in docs/openapi.yaml with sqlmap (Debian package).

Starts the server on loopback with a throwaway data directory and the demo, then runs sqlmap
once per (route, method, identity): anonymous, and signed in as an administrator so the admin
and account routes are reached past their authorisation checks. Every query, path and JSON body
parameter is a target (path parameters through sqlmap's `*` marker, and then the query and body
values of that route marked too, since sqlmap tests only marked places once one is; body fields from the
request schema, or from the `{a, b}` list in the summary where the spec gives no schema). At
level 5 sqlmap also injects the Cookie, User-Agent, Referer and Host headers.

A report goes to $SQLMAP_OUT/report.txt (default /tmp/aimoviez-sqlmap); the exit status is 1
when any injection point is found. Knobs (environment): SQLMAP_LEVEL (5), SQLMAP_RISK (3),
SQLMAP_DBMS (SQLite; empty tries every engine), SQLMAP_ROUTES (a regex over "METHOD /path"),
SQLMAP_TIMEOUT (seconds per sqlmap run, 1800), AIMOVIEZ_BIN (build/aimoviez).

    python3 scripts/sqlmap-scan.py            # the full scan: hours on two cores
    SQLMAP_LEVEL=1 SQLMAP_RISK=1 python3 scripts/sqlmap-scan.py   # a quick pass
"""
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("AIMOVIEZ_BIN", os.path.join(ROOT, "build", "aimoviez"))
OUT = os.environ.get("SQLMAP_OUT", "/tmp/aimoviez-sqlmap")
LEVEL = os.environ.get("SQLMAP_LEVEL", "5")
RISK = os.environ.get("SQLMAP_RISK", "3")
DBMS = os.environ.get("SQLMAP_DBMS", "SQLite")
ROUTES = re.compile(os.environ.get("SQLMAP_ROUTES", "."))
TIMEOUT = int(os.environ.get("SQLMAP_TIMEOUT", "1800"))
ADMIN_EMAIL = "scan-admin@example.com"

# Routes that end the scanning identity or the server's usefulness for the rest of the scan are
# scanned last, in this order.
LAST = ["/api/auth/logout", "/api/auth/logout-all", "/api/account/delete"]
# Not JSON routes: the WebSocket handshake and the raw upload body are covered by the fuzzers.
SKIP = {"/ws", "/api/upload/put/{key}"}

LIFTED = [
    "--rate-read-per-minute", "100000000", "--rate-api-per-minute", "100000000",
    "--rate-admin-sensitive-per-minute", "100000000", "--rate-contact-per-minute", "100000000",
    "--vote-rate-per-minute", "100000000", "--vote-ip-rate-per-minute", "100000000",
    "--auth-rate-per-minute", "10000", "--uploads-per-minute", "10000",
    "--rate-comment-per-minute", "100000000",
    "--max-connections-per-ip", "100000",
    "--anon-votes-per-clip-per-network", "1000000000",
    "--unverified-votes-per-clip-per-network", "1000000000",
    "--anon-votes-per-network-per-day", "1000000000",
    "--new-readers-per-network-per-day", "1000000000",
    "--job-interval-seconds", "0", "--dev-login",
]


def sample(schema):
    """A plausible value for a parameter schema: sqlmap needs a valid request to start from."""
    schema = schema or {}
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type", "string")
    if kind == "integer" or kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema.get("items"))]
    return "abc"


def body_fields(op):
    content = (op.get("requestBody") or {}).get("content", {})
    schema = (content.get("application/json") or {}).get("schema")
    if schema and schema.get("properties"):
        return {k: sample(v) for k, v in schema["properties"].items()}
    # Bodies the spec only names in the summary: "{commentId, action}", "{slotId?, clipId}",
    # "{action, clipIds (≤100)}".
    m = re.search(r"\{([A-Za-z_][^{}]*)\}", op.get("summary", ""))
    if m:
        names = [re.match(r"\s*([A-Za-z_][A-Za-z0-9_]*)", part) for part in m.group(1).split(",")]
        return {n.group(1): "1" for n in names if n}
    return None


def targets(spec):
    params = spec.get("components", {}).get("parameters", {})

    def resolve(p):
        if "$ref" in p:
            return params[p["$ref"].rsplit("/", 1)[1]]
        return p

    found = []
    for path, item in spec["paths"].items():
        if path in SKIP:
            continue
        shared = [resolve(p) for p in item.get("parameters", [])]
        for method in ("get", "post", "put", "patch", "delete"):
            op = item.get(method)
            if op is None:
                continue
            ps = shared + [resolve(p) for p in op.get("parameters", [])]
            url_path = path
            for p in ps:
                if p.get("in") == "path":
                    url_path = url_path.replace("{%s}" % p["name"], "1*")
            url_path = re.sub(r"\{[^}]+\}", "1*", url_path)  # path parameters the spec left out
            query = [(p["name"], sample(p.get("schema"))) for p in ps if p.get("in") == "query"]
            body = body_fields(op) if method != "get" else None
            found.append((method.upper(), path, url_path, query, body))
    order = {p: i for i, p in enumerate(LAST)}
    found.sort(key=lambda t: order.get(t[1], -1))
    return found


class Server:
    def __init__(self):
        self.data = tempfile.mkdtemp(prefix="aimoviez-sqlmap-")
        subprocess.run([BIN, "seed-demo", "--data-dir", self.data], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.proc = subprocess.Popen([BIN, "serve", "--data-dir", self.data, "--listen",
                                      "127.0.0.1:0", *LIFTED], stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(OUT, "server.log"), "w"), text=True)
        deadline = time.time() + 30
        self.url = None
        while time.time() < deadline and self.url is None:
            line = self.proc.stdout.readline()
            m = re.search(r"listening on (http://\S+)", line or "")
            if m:
                self.url = m.group(1)
        if self.url is None:
            self.stop()
            sys.exit("sqlmap-scan: the server did not start (see server.log)")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        shutil.rmtree(self.data, ignore_errors=True)

    def admin_session(self):
        """A fresh administrator session: (cookie header, CSRF token). Re-granted each time, as a
        scan of the account routes may have deleted or signed out the previous one."""
        subprocess.run([BIN, "admin", "grant", ADMIN_EMAIL, "--data-dir", self.data], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = json.load(opener.open(self.url + "/api/csrf"))["token"]
        req = urllib.request.Request(
            self.url + "/api/auth/dev-login", method="POST",
            data=json.dumps({"email": ADMIN_EMAIL, "username": "scan_admin"}).encode(),
            headers={"content-type": "application/json", "x-csrf-token": token,
                     "origin": self.url})
        body = json.load(opener.open(req))
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        return cookie, body["csrfToken"]

    def anonymous_session(self):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = json.load(opener.open(self.url + "/api/csrf"))["token"]
        return "; ".join(f"{c.name}={c.value}" for c in jar), token


def marked_json(value):
    """JSON text with sqlmap's `*` marker after every value (inside strings, after others)."""
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k) + ":" + marked_json(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(marked_json(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value + "*")
    return json.dumps(value) + "*"


def run_sqlmap(server, method, url_path, query, body, identity):
    cookie, csrf = server.admin_session() if identity == "admin" else server.anonymous_session()
    url = server.url + url_path
    # With a `*` marker in the path sqlmap tests only marked places, so the query and body values
    # of such routes are marked too (the headers it would add at level 5 are the same code on
    # every route, and are tested on the routes without path parameters).
    marked = "*" in url_path
    if query:
        url += "?" + "&".join(f"{k}={v}{'*' if marked else ''}" for k, v in query)
    headers = [f"Origin: {server.url}", f"X-CSRF-Token: {csrf}"]
    args = ["sqlmap", "-u", url, "--method", method, "--batch", "--flush-session",
            "--disable-coloring", "--level", LEVEL, "--risk", RISK, "--threads", "4",
            "--time-sec", "2", "--ignore-code", "400,401,403,404,409,410,413,415,429",
            "--output-dir", os.path.join(OUT, "sessions"),
            "--headers", "\n".join(headers)]
    if cookie:
        args += ["--cookie", cookie]
    if DBMS:
        args += ["--dbms", DBMS]
    if body is not None:
        args += ["--data", marked_json(body) if marked else json.dumps(body), "--headers",
                 "\n".join(headers + ["Content-Type: application/json"])]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as e:
        output = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        output += "\n[scan] TIMEOUT\n"
    return output


def verdict(output):
    if "identified the following injection point" in output or re.search(r"parameter '.*' is vulnerable", output):
        return "INJECTABLE"
    if "TIMEOUT" in output:
        return "timeout"
    if "do not appear to be injectable" in output or "does not seem to be injectable" in output:
        return "clean"
    if "no parameter(s) found for testing" in output:
        return "clean (no parameters but headers)"
    return "inconclusive"


def main():
    if shutil.which("sqlmap") is None:
        sys.exit("sqlmap-scan: install Debian's sqlmap first (apt-get install sqlmap)")
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(ROOT, "docs", "openapi.yaml")) as f:
        spec = yaml.safe_load(f)
    server = Server()
    report_path = os.path.join(OUT, "report.txt")
    started = time.time()
    counts = {}
    try:
        with open(report_path, "w") as report:
            report.write(f"sqlmap level {LEVEL} risk {RISK} dbms {DBMS or 'any'}\n")
            for method, path, url_path, query, body in targets(spec):
                if not ROUTES.search(f"{method} {path}"):
                    continue
                for identity in ("anonymous", "admin"):
                    t0 = time.time()
                    output = run_sqlmap(server, method, url_path, query, body, identity)
                    v = verdict(output)
                    counts[v] = counts.get(v, 0) + 1
                    line = f"{v:12} {method:6} {path} as {identity} ({time.time() - t0:.0f} s)"
                    print(line, flush=True)
                    report.write(line + "\n")
                    report.flush()
                    name = re.sub(r"[^A-Za-z0-9]+", "_", f"{method}_{path}_{identity}")
                    with open(os.path.join(OUT, name + ".log"), "w") as log:
                        log.write(output)
                    if server.proc.poll() is not None:
                        report.write("server exited during the scan\n")
                        sys.exit("sqlmap-scan: the server exited during the scan")
            summary = (f"runs: {sum(counts.values())}; " +
                       ", ".join(f"{k} {n}" for k, n in sorted(counts.items())) +
                       f"; {time.time() - started:.0f} s")
            report.write(summary + "\n")
            print(summary)
    finally:
        server.stop()
    return 1 if counts.get("INJECTABLE") else 0


if __name__ == "__main__":
    sys.exit(main())
