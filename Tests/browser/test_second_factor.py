"""Staff enrol a second factor on a phone and sign in with it (等保 2.0 level 3).

A server where subdistrict staff must use a second factor (the default): `staff` signs in,
is held at the enrolment page, scans the QR code (read here off the page's screenshot with
zxing-cpp, as a phone's authenticator would), confirms with the first code, keeps the
recovery codes; signs out; signs in again with the password and a fresh code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import struct
import time
from urllib.parse import parse_qs, urlparse

import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, open_login, path_of, submit_login

PHONE = {"width": 390, "height": 844}


def totp(secret_b32: str, at: float) -> str:
    """RFC 6238 (SHA-1, 6 digits, 30 s), written out here so the test does not trust the server's."""
    padded = secret_b32 + "=" * (-len(secret_b32) % 8)
    key = base64.b32decode(padded)
    counter = struct.pack(">Q", int(at) // 30)
    mac = hmac.new(key, counter, hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def next_step_time() -> float:
    """A moment in the next 30-second step (a code once used is refused for its step)."""
    now = time.time()
    wait = 30 - (now % 30) + 1
    time.sleep(wait)
    return time.time()


def test_staff_enrol_and_sign_in_with_second_factor(server_with, new_context, shot):
    srv = server_with(MINQING_REQUIRE_2FA="admin,subdistrict_staff")
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    open_login(page, srv.base_url)
    submit_login(page, "staff", DEMO_PASSWORD)
    # Held at enrolment: every other page sends the account back here.
    assert path_of(page) == "/account/second-factor", page.url
    expect(page.locator("#second-factor-required")).to_be_visible()
    page.goto(f"{srv.base_url}/registry")
    assert path_of(page) == "/account/second-factor"
    shot(page, "held_at_enrolment")

    with page.expect_navigation():
        page.locator("#second-factor-start").click()
    qr = page.locator("#second-factor-qr svg")
    expect(qr).to_be_visible()
    shot(page, "qr_code")
    # The authenticator's view: read the QR code off the screen.
    image = Image.open(io.BytesIO(qr.screenshot()))
    results = zxingcpp.read_barcodes(image)
    assert results, "the QR code on the page could not be read"
    uri = results[0].text
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp", uri
    assert parsed.path == "/Minqing:staff", uri
    secret = parse_qs(parsed.query)["secret"][0]
    # The key typed by hand is the same secret.
    typed = page.locator("#second-factor-key").inner_text().replace(" ", "")
    assert typed == secret

    # A wrong code is refused beside its field.
    form = page.locator("#second-factor-confirm")
    form.locator("input[name=code]").fill("000000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".field-error").first).to_be_visible()
    form = page.locator("#second-factor-confirm")
    form.locator("input[name=code]").fill(totp(secret, time.time()))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.first.inner_text().strip()
    shot(page, "recovery_codes")

    # Now the account works: the register opens.
    page.goto(f"{srv.base_url}/registry")
    assert path_of(page).startswith("/registry"), page.url

    # Sign out, sign in again: the password, then a fresh code on its own page.
    with page.expect_navigation():
        page.locator("form#logout-form [type=submit]").click()
    open_login(page, srv.base_url)
    submit_login(page, "staff", DEMO_PASSWORD)
    assert path_of(page) == "/login/second-factor", page.url
    shot(page, "asked_for_code")
    page.goto(f"{srv.base_url}/")
    assert path_of(page) == "/login", "the pending step opens nothing"
    open_login(page, srv.base_url)
    submit_login(page, "staff", DEMO_PASSWORD)
    code = totp(secret, next_step_time())
    step = page.locator("#second-factor-form")
    step.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        step.locator("button[type=submit]").click()
    assert path_of(page) == "/", page.url
    expect(page.locator("h1").first).to_be_visible()
    shot(page, "signed_in_with_code")

    # A recovery code works once, in another browser.
    other = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    open_login(other, srv.base_url)
    submit_login(other, "staff", DEMO_PASSWORD)
    step = other.locator("#second-factor-form")
    step.locator("input[name=code]").fill(recovery)
    with other.expect_navigation():
        step.locator("button[type=submit]").click()
    assert path_of(other) == "/", other.url
