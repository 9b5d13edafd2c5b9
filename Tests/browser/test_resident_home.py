"""The resident's home on a phone (issue 22 item 2): what needs them first — here a poll their
residential area just opened — then what is new, the four actions under the seed's names
(约走访 · 约空间 · 要留言 · 要投票) and the time bank. The resident votes from the home in two taps
and comes back to find the poll gone from it; each action tile opens its page in one tap; the
home's button turns on large, high-contrast type (适老化) and off; nothing is wider than the
390 px screen. Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

import datetime
import random

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, path_of
from test_register import api
from test_working_day import PHONE, go, phone_page, token


def test_resident_home_on_a_phone(server, new_context, shot):
    base = server.base_url
    title = f"楼道是否加装扶手（{random.randrange(1000, 9999)}）"
    closes = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, body = api(base, "POST", "/api/v1/voting/polls", {
        "node": "310106019-1-01", "title": title, "options": ["同意", "不同意"], "closes_at": closes, "unit": "person",
    }, token(base, "staff"))
    assert status == 201, f"poll: {status} {body}"
    poll_path = f"/voting/polls/{body['id']}"

    page = phone_page(new_context)
    login(page, base, "resident")
    assert path_of(page) == "/"
    # In the order: what needs them, what is new, the four actions, the time bank.
    order = page.evaluate("() => [...document.querySelectorAll('#main > section')].map(s => s.id)")
    assert order[:4] == ["needs", "news", "actions", "time-bank"], order
    item = page.locator("#needs li.need-poll", has_text=title)
    expect(item).to_be_visible()
    expect(item).to_contain_text("您还没有投票")
    tiles = page.locator("#actions a.tile strong")
    expect(tiles).to_have_text(["约走访", "约空间", "要留言", "要投票"])
    expect(page.locator("#bank-hours")).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the home is wider than the phone"
    shot(page, "resident_home")

    # Two taps: the item, then 投票.
    go(page, item.locator("a"))
    assert path_of(page) == poll_path, page.url
    page.locator("#poll-form input[name=option_id]").first.check()
    go(page, page.locator("#poll-vote"))
    page.goto(base + "/")
    expect(page.locator("#needs li.need-poll", has_text=title)).to_have_count(0)
    shot(page, "resident_home_after_vote")

    # Every action tile opens its page in one tap, and the time bank its statement.
    for name, path in [("约走访", "/visits/booking"), ("约空间", "/services"), ("要留言", "/cases/new"), ("要投票", "/voting")]:
        page.goto(base + "/")
        go(page, page.locator("#actions a.tile", has_text=name))
        assert path_of(page) == path, f"{name}: {page.url}"
        assert horizontal_overflow(page, PHONE["width"]) == 0, f"{name} is wider than the phone"
    page.goto(base + "/")
    go(page, page.locator("#bank-statement"))
    assert path_of(page) == "/services/ledger", page.url

    # 适老化: large, high-contrast type from the home, on every page, and back.
    page.goto(base + "/")
    go(page, page.locator("#display-switch"))
    assert path_of(page) == "/"
    expect(page.locator("body")).to_have_class("large")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the home in large type is wider than the phone"
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('#needs li a, #needs p')).fontSize)")
    assert size >= 20, f"large type is {size}px"
    shot(page, "resident_home_large_type")
    go(page, page.locator("#actions a.tile", has_text="要留言"))
    expect(page.locator("body")).to_have_class("large")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "要留言 in large type is wider than the phone"
    shot(page, "message_form_large_type")
    page.goto(base + "/")
    go(page, page.locator("#display-switch"))
    expect(page.locator("body")).not_to_have_class("large")
