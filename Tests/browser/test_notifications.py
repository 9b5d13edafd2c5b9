"""Notifications on a phone (issue 22 item 3): a dispatcher files and dispatches the resident's
message; the resident sees the unread count on their home, opens the inbox, taps the newest
message and lands on the case, which is then read; they choose what reaches their phone. The
subdistrict's staff see the phone outbox page (no gateway in the browser tests, said plainly).
Nothing is wider than the 390 px screen. Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

import random

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, path_of
from test_register import api
from test_working_day import PHONE, go, phone_page, token


def test_notifications_on_a_phone(server, new_context, shot):
    base = server.base_url
    resident_token = token(base, "resident")
    words = f"单元门禁坏了，晚上进不了门（{random.randrange(1000, 9999)}）"
    status, made = api(base, "POST", "/api/v1/cases", {
        "channel": "resident_message", "category_code": "E0404", "description": words,
    }, resident_token)
    assert status == 201, f"case: {status} {made}"
    staff = token(base, "staff")
    for action, body in [("file", {}), ("dispatch", {"department": "fangguan"})]:
        status, answer = api(base, "POST", f"/api/v1/cases/{made['id']}/actions/{action}", body, staff)
        assert status == 200, f"{action}: {status} {answer}"

    page = phone_page(new_context)
    login(page, base, "resident")
    link = page.locator("#inbox-link")
    expect(link).to_contain_text("条未读")
    shot(page, "resident_home_unread")
    go(page, link)
    assert path_of(page) == "/notifications"
    newest = page.locator("#inbox li").first
    expect(newest).to_have_class("note unread")
    expect(newest).to_contain_text("您的案件：派遣")
    expect(newest).to_contain_text(made["number"])
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the inbox is wider than the phone"
    shot(page, "inbox")

    # One tap: the message opens its case and is read from then on.
    go(page, newest.locator("button"))
    assert path_of(page) == f"/cases/{made['id']}", page.url
    page.goto(base + "/notifications")
    expect(page.locator("#inbox li").first).to_have_class("note read")

    # What reaches the phone: untick case steps, save, and the page says so and keeps it.
    go(page, page.locator("#choices-link"))
    assert path_of(page) == "/account/notifications"
    # The demo resident was made by the administrator, not with a letter: no number on file, said so.
    expect(page.locator("#choices-no-phone")).to_be_visible()
    box = page.locator("#phone-case_update")
    expect(box).to_be_checked()
    box.uncheck()
    go(page, page.locator("#choices-save"))
    expect(page.locator("#choices-saved")).to_be_visible()
    expect(page.locator("#phone-case_update")).not_to_be_checked()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the choices are wider than the phone"
    shot(page, "notification_choices")

    # Staff: the outbox page says that no gateway is configured.
    desk = new_context().new_page()
    login(desk, base, "staff")
    desk.goto(base + "/notifications/outbox")
    expect(desk.locator("#gateway-state")).to_contain_text("未配置短信网关")
    expect(desk.locator("#outbox-counts")).to_be_visible()
    shot(desk, "outbox")
