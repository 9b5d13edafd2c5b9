"""A new resident's first day on a phone (issue 22's must-show): the cadre prints the building
group's letters, a resident signs up with their letter's code and lands on the home, votes in the
area's open poll from it, books a space through 约空间, reads the compound's new notice from the
inbox, leaves a message (要留言) that the subdistrict sees through, and rates the closed case from
the home. Every resident step on the 390 px screen through the pages; staff steps through the
API. Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

import datetime
import random

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, path_of
from test_register import api, id_number
from test_services import set_up as space_with_slots
from test_signup import BUILDING_GROUP, DESK, PHONE, letter_code
from test_working_day import go, token

ADDRESS = "汾西路 261 弄 7 号 502 室"


def fits(page, what: str) -> None:
    assert horizontal_overflow(page, PHONE["width"]) == 0, f"{what} ({path_of(page)}) is wider than the phone"


def test_new_resident_signs_up_and_uses_the_home(fresh_server, new_context, shot):
    base = fresh_server.base_url
    head = id_number("310106", "19550312", 22)
    cadre, staff = token(base, "cadre"), token(base, "staff")
    status, created = api(
        base, "POST", "/api/v1/registry/households",
        {"node": BUILDING_GROUP, "address": ADDRESS, "moved_in_on": "1998-03-01",
         "members": [{"name": "孙桂芳", "id_number": head, "relation": "head", "residence_status": "registered"}]},
        cadre)
    assert status == 201, created
    poll_title = f"小区是否增设充电桩（{random.randrange(1000, 9999)}）"
    closes = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    status, poll = api(base, "POST", "/api/v1/voting/polls", {
        "node": "310106019-1-01", "title": poll_title, "options": ["同意", "不同意"], "closes_at": closes, "unit": "person",
    }, staff)
    assert status == 201, f"poll: {status} {poll}"
    resource, space, _, tomorrow = space_with_slots(base)

    code = letter_code(new_context(viewport=DESK).new_page(), base, ADDRESS)

    # Sign up on the phone from the letter's link, and land on the home.
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    page.goto(f"{base}/signup?code={code}")
    page.locator("#signup-name").fill("孙桂芳")
    page.locator("#signup-id_number").fill(head)
    page.locator("#signup-phone").fill("13912345678")
    page.locator("#signup-username").fill("sunguifang")
    page.locator("#signup-password").fill("Sun-Guifang-2026")
    page.locator("#signup-confirm_password").fill("Sun-Guifang-2026")
    go(page, page.locator("#signup-form button[type=submit]"))
    assert path_of(page) == "/"
    expect(page.locator("#welcome")).to_be_visible()
    poll_item = page.locator("#needs li.need-poll", has_text=poll_title)
    expect(poll_item).to_be_visible()
    fits(page, "the new resident's home")
    shot(page, "journey_home")

    # Vote from the home: the item, then 投票; the poll leaves the home.
    go(page, poll_item.locator("a"))
    assert path_of(page) == f"/voting/polls/{poll['id']}", page.url
    page.locator("#poll-form input[name=option_id]").first.check()
    go(page, page.locator("#poll-vote"))
    page.goto(base + "/")
    expect(page.locator("#needs li.need-poll", has_text=poll_title)).to_have_count(0)

    # 约空间: the tile, the space, tomorrow, the first slot with a purpose; it comes up on the home.
    go(page, page.locator("#actions a.tile", has_text="约空间"))
    page.locator("#all-resources > summary").click()
    go(page, page.locator(f"#resource-{resource}"))
    go(page, page.locator(f"#day-{tomorrow}"))
    slot = page.locator("#slots li.slot").first
    slot.locator("input[name=purpose]").fill("老年合唱队排练")
    go(page, slot.locator("button[type=submit]"))
    expect(page.locator("#services-done")).to_have_text("预约已提交。")
    expect(page.locator("#bookings li.booking", has_text=space)).to_contain_text("已预约")
    fits(page, "the booking")
    shot(page, "journey_booked")
    page.goto(base + "/")
    expect(page.locator("#needs li.need-space_booking", has_text=space)).to_be_visible()

    # The owners' committee posts a notice to the compound; the resident reads it from the inbox.
    resident = token_of(base, "sunguifang", "Sun-Guifang-2026")
    status, mine = api(base, "GET", "/api/v1/oversight/my-compound", {}, resident)
    assert status == 200 and len(mine) == 1, f"my compound: {status} {mine}"
    notice_title = f"关于电梯年检停运的通知（{random.randrange(1000, 9999)}）"
    status, done = api(base, "POST", f"/api/v1/oversight/committees/{committee_of(base, staff, mine[0]['compound_id'])}/disclosures", {
        "kind": "notice", "title": notice_title, "body": "本周六 9:00–12:00 电梯年检，请错峰出行。"}, staff)
    assert status == 201, f"disclosure: {status} {done}"
    page.goto(base + "/")
    expect(page.locator("#news")).to_contain_text(notice_title)
    go(page, page.locator("#inbox-link"))
    message = page.locator("#inbox li", has_text=notice_title)
    expect(message).to_have_class("note unread")
    go(page, message.locator("button"))
    expect(page.locator("body")).to_contain_text(notice_title)
    fits(page, "the notice")
    shot(page, "journey_notice")

    # 要留言 from the home; the subdistrict files, dispatches, handles, verifies and closes it.
    page.goto(base + "/")
    go(page, page.locator("#actions a.tile", has_text="要留言"))
    page.locator("#category_code").select_option("E0404")
    page.locator("#description").fill("7号楼楼道灯坏了一个星期，晚上看不见台阶。")
    page.locator("#address").fill("7号楼")
    go(page, page.locator("#submit-case"))
    expect(page.locator("#case-state")).to_have_text("已受理")
    case_id = path_of(page).rsplit("/", 1)[1]
    handler = token(base, "handler")
    for action, body, who in [("file", {}, staff), ("dispatch", {"department": "fangguan"}, staff), ("accept", {}, handler),
                              ("handle", {"reason": "已更换楼道灯"}, handler), ("verify", {}, staff), ("close", {}, staff)]:
        status, answer = api(base, "POST", f"/api/v1/cases/{case_id}/actions/{action}", body, who)
        assert status == 200, f"{action}: {status} {answer}"

    # The home asks for a rating; one tap opens the case at its rating form.
    page.goto(base + "/")
    rate = page.locator("#needs li.need-case_rating")
    expect(rate).to_have_count(1)
    shot(page, "journey_home_rate")
    go(page, rate.locator("a"))
    assert path_of(page) == f"/cases/{case_id}", page.url
    page.locator("#verdict-satisfied").check()
    page.locator("#rating-reason").fill("修得很快，谢谢")
    go(page, page.locator("#rate"))
    expect(page.locator("#case-state")).to_have_text("已评价")
    fits(page, "the rated case")
    shot(page, "journey_rated")
    page.goto(base + "/")
    expect(page.locator("#needs li.need-case_rating")).to_have_count(0)


def token_of(base: str, username: str, password: str) -> str:
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": username, "password": password})
    assert status == 201, f"token {username}: {status} {body}"
    return body["token"]


def committee_of(base: str, staff: str, compound: str) -> str:
    """The compound's owners' committee, recorded now if it has none."""
    status, committees = api(base, "GET", "/api/v1/oversight/committees", {}, staff)
    assert status == 200, f"committees: {status} {committees}"
    for c in committees:
        if c["compound_id"] == compound:
            return c["id"]
    status, made = api(base, "POST", "/api/v1/oversight/committees", {"compound_id": compound}, staff)
    assert status == 201, f"committee: {status} {made}"
    return made["id"]
