"""A forgotten password on a phone (issue 22 item 1): a resident who signed up with a letter
follows 忘记密码？ from the sign-in page, asks for a code, reads it from the text message — here a
real HTTP receiver on 127.0.0.1 standing in for the SMS gateway, which checks the message's
HMAC signature — types it with a new password and signs in with that. A wrong code first is
refused beside its field. Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, login, open_login, path_of
from test_register import api, id_number
from test_signup import BUILDING_GROUP
from test_working_day import fits, go, phone_page

SECRET = "browser-test-gateway-secret"


class Gateway:
    """Receives the signed messages; keeps the bodies whose signature is right."""

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.forged = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                stamp = self.headers.get("X-Minqing-Timestamp", "")
                expected = "sha256=" + hmac.new(SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                if hmac.compare_digest(expected, self.headers.get("X-Minqing-Signature", "")):
                    gateway.messages.append(json.loads(body))
                else:
                    gateway.forged += 1
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def code_for(self, phone: str, count: int) -> str:
        deadline = time.time() + 10
        while len(self.messages) < count and time.time() < deadline:
            time.sleep(0.1)
        assert len(self.messages) == count and self.forged == 0, (self.messages, self.forged)
        message = self.messages[-1]
        assert message["to"] == phone and message["kind"] == "password_code", message
        return re.search(r"验证码是 (\d{6})", message["detail"]).group(1)


def test_forgotten_password_reset_by_text_on_a_phone(server_with, new_context, shot):
    gateway = Gateway()
    try:
        srv = server_with(MINQING_NOTIFY_WEBHOOK_URL=gateway.url, MINQING_NOTIFY_WEBHOOK_SECRET=SECRET)
        base = srv.base_url
        head, phone = id_number("310106", "19480220", 33), "13700137000"
        status, token = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
        assert status == 201, token
        status, made = api(base, "POST", "/api/v1/registry/households", {
            "node": BUILDING_GROUP, "address": "汾西路 261 弄 3 号 201 室", "moved_in_on": "1990-01-01",
            "members": [{"name": "周美华", "id_number": head, "relation": "head", "residence_status": "registered"}]},
            token["token"])
        assert status == 201, made
        status, letters = api(base, "POST", "/api/v1/residents/invitations", {"node": BUILDING_GROUP, "valid_days": 7}, token["token"])
        assert status in (200, 201), letters
        code = next(letter["code"] for letter in letters if letter["household_id"] == made["id"])
        status, done = api(base, "POST", "/api/v1/residents/signup", {
            "code": code, "name": "周美华", "id_number": head, "phone": phone, "username": "zhoumeihua",
            "password": "Zhou-Meihua-2026"})
        assert status == 201, done

        page = phone_page(new_context)
        open_login(page, base)
        go(page, page.locator("#forgot-link"))
        assert path_of(page) == "/password/forgot"
        page.locator("#forgot-username").fill("zhoumeihua")
        fits(page, "the forgotten-password page")
        shot(page, "forgot")
        go(page, page.locator("#forgot-form button[type=submit]"))
        assert path_of(page) == "/password/reset"
        expect(page.locator("#code-sent")).to_be_visible()
        expect(page.locator("#reset-username")).to_have_value("zhoumeihua")
        texted = gateway.code_for(phone, 1)

        wrong = f"{(int(texted) + 1) % 1_000_000:06d}"
        page.locator("#reset-code").fill(wrong)
        page.locator("#reset-new_password").fill("Zhou-New-2026")
        page.locator("#reset-confirm_password").fill("Zhou-New-2026")
        go(page, page.locator("#reset-form button[type=submit]"))
        expect(page.locator("#error-code")).to_contain_text("验证码不正确或已过期")
        expect(page.locator("#reset-code")).to_have_value("")
        fits(page, "the refused code")
        shot(page, "reset_wrong_code")

        page.locator("#reset-code").fill(texted)
        page.locator("#reset-new_password").fill("Zhou-New-2026")
        page.locator("#reset-confirm_password").fill("Zhou-New-2026")
        go(page, page.locator("#reset-form button[type=submit]"))
        assert path_of(page) == "/login"
        expect(page.locator("#password-was-reset")).to_be_visible()
        shot(page, "reset_done")
        login(page, base, "zhoumeihua", "Zhou-New-2026")
        expect(page.locator("h1").first).to_contain_text("周美华")
    finally:
        gateway.server.shutdown()
