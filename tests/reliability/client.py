"""What the reliability tests (crash.py, faults.py) share: the HTTP client
(one request per connection, the session cookie and CSRF token kept after a
login) and the audit chain's check at the end."""
import http.client
import json
import subprocess


def audit_chain_error(binary, db, env, password):
    """Adds an auditor and verifies the audit trail's hash chain: None when it
    holds, else what `audit verify` said."""
    subprocess.run([binary, "--db", db, "user", "add", "aud", "--role", "auditor", "--password-stdin"],
                   input=(password + "\n").encode(), check=True, capture_output=True, env=env)
    v = subprocess.run([binary, "--db", db, "--user", "aud", "audit", "verify"], capture_output=True,
                       text=True, env=env)
    return v.stderr.strip() if v.returncode != 0 else None


class Client:
    def __init__(self, port=None, timeout=30):
        self.port, self.timeout = port, timeout
        self.cookie = self.csrf = None

    def send(self, method, path, body=None, raw=None):
        """(status, body bytes, Set-Cookie)"""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        headers = {}
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        if self.cookie:
            headers["Cookie"] = self.cookie
        if self.csrf and method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            out = r.status, r.read(), r.getheader("Set-Cookie")
        finally:
            conn.close()
        return out

    def login(self, username, password):
        status, body, cookie = self.send("POST", "/api/session", {"username": username, "password": password})
        if status != 200:
            raise SystemExit(f"login: {status} {body[:200]!r}")
        self.cookie = cookie.split(";")[0]
        self.csrf = json.loads(body)["csrf_token"]
