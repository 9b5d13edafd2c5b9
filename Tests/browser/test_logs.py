"""Logs never hold request data: a server asked for the most verbose log (LOG_LEVEL=trace) is
sent names, addresses, numbers, a search and a password; none of them reaches its log."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from minqing_web import DEMO_PASSWORD

MARKER = "日志标记甲乙丙"
NUMBER = "11010519491231002X"
PASSWORD = "Leak-Check-Pass-77"


def call(base: str, method: str, path: str, body: dict | None = None, token: str | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_no_request_data_in_a_trace_log(server_with):
    srv = server_with(LOG_LEVEL="trace")
    # A failed sign-in whose password is the marker's neighbour, and one with a made-up name.
    assert call(srv.base_url, "POST", "/api/v1/auth/token", {"username": "admin", "password": PASSWORD}) == 401
    assert call(srv.base_url, "POST", "/api/v1/auth/token", {"username": MARKER, "password": PASSWORD}) == 401
    request = urllib.request.Request(srv.base_url + "/api/v1/auth/token",
                                     data=json.dumps({"username": "admin", "password": DEMO_PASSWORD}).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        token = json.loads(response.read())["token"]
    # A household with the marker as name and address and a real number; a lookup; a search.
    created = call(srv.base_url, "POST", "/api/v1/registry/households", {
        "node": "310106019-1-01-1-01", "address": MARKER + "路 1 号",
        "members": [{"name": MARKER, "id_number": NUMBER, "phone": "13900139000", "relation": "head", "residence_status": "registered"}],
    }, token)
    assert created == 201
    assert call(srv.base_url, "POST", "/api/v1/registry/persons/lookup", {"id_number": NUMBER}, token) == 200
    assert call(srv.base_url, "GET", "/api/v1/cases?q=" + urllib.parse.quote(MARKER), None, token) in (200, 422)
    # Input that fails validation, and a broken body.
    assert call(srv.base_url, "POST", "/api/v1/registry/households", {"node": MARKER, "members": "x"}, token) == 422
    srv.stop()
    log = srv.log_path.read_text(encoding="utf-8", errors="replace")
    assert "Server started" in log or "Server starting" in log or "minqing" in log
    for secret in [MARKER, NUMBER, "13900139000", PASSWORD, token]:
        assert secret not in log, f"{secret!r} is in the log {srv.log_path}"
