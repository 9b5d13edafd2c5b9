"""协商室 on a phone: an owner of the demo's lift stairwell opens a new owners' ballot from the
consultation room, votes, sees the result stay hidden; once the ballot's time is up the area
cadre closes it and the published result shows every legal figure (turnout and approval by area
and by headcount, each with its rule and integer comparison), the appeal deadline and the
per-owner record, in Chinese and in English.

The ballot is set up through the API with a closing time a few seconds ahead, so the test waits
for it instead of moving a clock."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime, timedelta, timezone

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, switch_language
from test_register import api

PHONE = {"width": 390, "height": 844}
WAIT_SECONDS = 25


def get(base: str, path: str, token: str) -> dict | list:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def token(base: str, username: str) -> str:
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD})
    assert status == 201, f"token {username}: {status} {body}"
    return body["token"]


def test_owner_votes_on_a_phone_then_result(server, new_context, shot):
    base = server.base_url
    # The demo's closed lift ballot names the resident's building; a new one for the same stairwell.
    demo = get(base, "/api/v1/voting/ballots", token(base, "resident"))
    assert demo, "the demo has no owners' ballot"
    cadre = token(base, "cadre")
    closes = datetime.now(timezone.utc) + timedelta(seconds=WAIT_SECONDS)
    status, created = api(base, "POST", "/api/v1/voting/ballots", {
        "compound_id": demo[0]["compound_id"], "building_id": demo[0]["building_id"], "stairwell": "1",
        "title": "1 单元加装电梯（第二轮）", "rule_code": "lift_installation",
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }, cadre)
    assert status == 201, f"create: {status} {created}"
    ballot = created["id"]
    status, body = api(base, "POST", f"/api/v1/voting/ballots/{ballot}/open", {}, cadre)
    assert status == 200, f"open: {status} {body}"

    # The owner, on a phone: the consultation room, the ballot, the vote.
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/voting")
    link = page.locator(f'#ballots a[href="/voting/ballots/{ballot}"]')
    expect(link).to_be_visible()
    shot(page, "room")
    with page.expect_navigation():
        link.click()
    expect(page.locator("#my-votes")).to_be_visible()
    expect(page.locator("#result-hidden")).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the ballot page scrolls sideways"
    page.locator("#choice-agree").check()
    shot(page, "choice")
    with page.expect_navigation():
        page.locator("#cast-vote").click()
    expect(page.locator("#my-votes .voted")).to_contain_text("同意")
    expect(page.locator("#turnout")).to_contain_text("1 人")
    expect(page.locator("#result")).to_have_count(0)
    shot(page, "voted")

    # After the closing time the area cadre closes it from the ballot page.
    time.sleep(max(0.0, (closes - datetime.now(timezone.utc)).total_seconds()) + 1.5)
    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(staff, base, "cadre")
    staff.goto(f"{base}/voting/ballots/{ballot}")
    with staff.expect_navigation():
        staff.locator("#close-ballot").click()
    expect(staff.locator("#result")).to_be_visible()
    shot(staff, "closed_staff")

    # The owner sees the published result: the same outcome and integer comparisons as the API's
    # tally, the appeal deadline and the per-owner record.
    tally = get(base, f"/api/v1/voting/ballots/{ballot}", cadre)["tally"]
    outcomes = {"approved": ("通过", "Approved"), "rejected": ("未通过", "Rejected"),
                "no_quorum": ("参与表决未达法定比例，未形成决定", "No quorum: no decision")}
    page.reload()
    expect(page.locator("#ballot-status")).to_have_text("已结束")
    expect(page.locator("#outcome")).to_have_text(outcomes[tally["outcome"]][0])
    checks = page.locator("#checks tbody tr")
    expect(checks).to_have_count(4)
    expect(checks.nth(0)).to_contain_text("参与表决的业主所持专有部分面积占总面积三分之二以上")
    for row, check in enumerate(tally["checks"]):
        expect(checks.nth(row)).to_contain_text(check["formula"])
    expect(checks.nth(1)).to_contain_text("3 × 1 = 3 ")
    expect(page.locator("#appeal-deadline")).to_contain_text("人民法院撤销")
    expect(page.locator("#record")).to_contain_text("同意")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the result page scrolls sideways"
    shot(page, "result_zh")
    switch_language(page, "en")
    expect(page.locator("#outcome")).to_have_text(outcomes[tally["outcome"]][1])
    expect(page.locator("#checks")).to_contain_text("Turnout by headcount")
    shot(page, "result_en")
