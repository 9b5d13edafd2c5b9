"""Getting residents on (issue 22): at the desk a cadre prints the invitation letters of a
building group; on a phone a resident of one of those households signs up with the letter's
code, their name and ID number, first with a mistake (shown beside its field), then for real,
and lands signed in on their home page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login
from test_register import api, id_number

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
BUILDING_GROUP = "310106019-1-01-1-01"
ADDRESS = "汾西路 261 弄 9 号 301 室"


def letter_code(desk, base: str, address: str) -> str:
    """At the desk the cadre opens the building group's households, prints its letters and reads
    the code on the letter of the household at `address`."""
    login(desk, base, "cadre")
    desk.goto(f"{base}/residents/invitations")
    expect(desk.locator("#coverage")).to_be_visible()
    desk.goto(f"{base}/residents/invitations?node={BUILDING_GROUP}")
    expect(desk.locator("#households")).to_contain_text(address)
    with desk.expect_navigation():
        desk.locator("#issue-form button[type=submit]").click()
    letter = desk.locator("article.letter").filter(has_text=address)
    expect(letter).to_be_visible()
    expect(letter.locator(".letter-qr svg")).to_be_visible()
    code = letter.locator(".letter-code strong").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code), code
    letter.scroll_into_view_if_needed()
    return code


def test_cadre_prints_letters_and_a_resident_signs_up_on_a_phone(fresh_server, new_context, shot):
    base = fresh_server.base_url
    head = id_number("310106", "19680808", 11)
    status, token = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, token
    status, created = api(
        base, "POST", "/api/v1/registry/households",
        {"node": BUILDING_GROUP, "address": ADDRESS, "moved_in_on": "2005-06-01",
         "members": [{"name": "钱秀兰", "id_number": head, "relation": "head", "residence_status": "registered"}]},
        token["token"])
    assert status == 201, created

    desk = new_context(viewport=DESK).new_page()
    code = letter_code(desk, base, ADDRESS)
    shot(desk, "letters")
    desk.emulate_media(media="print")
    shot(desk, "letters-print")

    # On a phone, from the letter's QR link: the code is filled in.
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(f"{base}/signup?code={code}")
    expect(phone.locator("#signup-code")).to_have_value(code)
    assert horizontal_overflow(phone, PHONE["width"]) <= 0
    phone.locator("#signup-name").fill("钱秀兰")
    phone.locator("#signup-id_number").fill(head)
    phone.locator("#signup-phone").fill("139 1234 5678")
    phone.locator("#signup-username").fill("qianxiulan")
    phone.locator("#signup-password").fill("Qian-Xiulan-2026")
    phone.locator("#signup-confirm_password").fill("Qian-Xiulan-2062")
    with phone.expect_navigation():
        phone.locator("#signup-form button[type=submit]").click()
    expect(phone.locator("#error-confirm_password")).to_be_visible()
    # The ID number is not written back into the page; the name, the mobile and the code are.
    expect(phone.locator("#signup-id_number")).to_have_value("")
    expect(phone.locator("#signup-name")).to_have_value("钱秀兰")
    expect(phone.locator("#signup-phone")).to_have_value("139 1234 5678")
    shot(phone, "signup-error")
    phone.locator("#signup-id_number").fill(head)
    phone.locator("#signup-password").fill("Qian-Xiulan-2026")
    phone.locator("#signup-confirm_password").fill("Qian-Xiulan-2026")
    with phone.expect_navigation():
        phone.locator("#signup-form button[type=submit]").click()
    expect(phone.locator("#welcome")).to_be_visible()
    expect(phone.locator("h1")).to_contain_text("钱秀兰")
    shot(phone, "signed-up")

    # The new resident invites a family member from My data: a code with its QR code, once.
    phone.goto(f"{base}/account/data")
    with phone.expect_navigation():
        phone.locator("#invite-form button[type=submit]").click()
    expect(phone.locator("#member-letter .letter-qr svg")).to_be_visible()
    member_code = phone.locator("#member-letter .letter-code strong").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", member_code) and member_code != code, member_code
    assert horizontal_overflow(phone, PHONE["width"]) <= 0
    shot(phone, "member-code")

    # The cadre's page now counts the household as signed up.
    desk.emulate_media(media="screen")
    desk.goto(f"{base}/residents/invitations?node={BUILDING_GROUP}")
    expect(desk.locator("#households tr").filter(has_text=ADDRESS)).to_contain_text("已注册 1 人")
