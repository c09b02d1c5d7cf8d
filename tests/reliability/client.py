"""The HTTP client of the reliability tests (crash.py, faults.py): one
request per connection, the session cookie and CSRF token kept after a
login."""
import http.client
import json


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
