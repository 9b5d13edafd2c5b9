"""代办 on a phone (issue 22 item 5): a son who signed up with his household's letter registers,
on My data, that he acts for his 80-year-old mother (ticking that she agreed), then leaves a
message for her from the home's 要留言; the case page says who left it for whom, the names masked as the case's timeline masks them. Screenshots are
kept under artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, login, path_of
from test_register import api, id_number
from test_signup import BUILDING_GROUP
from test_working_day import fits, go, phone_page


def test_son_leaves_a_message_for_his_mother(fresh_server, new_context, shot):
    base = fresh_server.base_url
    mother, son = id_number("310106", "19460302", 41), id_number("310106", "19750611", 42)
    status, token = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, token
    status, made = api(base, "POST", "/api/v1/registry/households", {
        "node": BUILDING_GROUP, "address": "汾西路 261 弄 5 号 101 室", "moved_in_on": "1985-01-01",
        "members": [
            {"name": "王秀珍", "id_number": mother, "relation": "head", "residence_status": "registered"},
            {"name": "李建国", "id_number": son, "relation": "son", "residence_status": "registered"},
        ]}, token["token"])
    assert status == 201, made
    status, letters = api(base, "POST", "/api/v1/residents/invitations", {"node": BUILDING_GROUP, "valid_days": 7}, token["token"])
    assert status in (200, 201), letters
    code = next(letter["code"] for letter in letters if letter["household_id"] == made["id"])
    status, done = api(base, "POST", "/api/v1/residents/signup", {
        "code": code, "name": "李建国", "id_number": son, "phone": "13600136000", "username": "lijianguo",
        "password": "Li-Jianguo-2026"})
    assert status == 201, done

    page = phone_page(new_context)
    login(page, base, "lijianguo", "Li-Jianguo-2026")
    page.goto(base + "/account/data#proxies")
    # Only the mother (80) may be chosen: not the son himself.
    expect(page.locator("#proxy-person option")).to_have_count(1)
    expect(page.locator("#proxy-person option")).to_have_attribute("label", "王秀珍（80 岁）")
    go(page, page.locator("#proxy-submit"))
    expect(page.locator("#error-consent")).to_be_visible()
    page.locator("#proxy-consent").check()
    go(page, page.locator("#proxy-submit"))
    expect(page.locator("#proxy-done")).to_be_visible()
    expect(page.locator("#proxy-links")).to_contain_text("王秀珍")
    page.locator("#proxies").scroll_into_view_if_needed()
    fits(page, "My data with 代办")
    shot(page, "proxy_registered")

    page.goto(base + "/")
    go(page, page.locator("#actions a.tile", has_text="要留言"))
    page.locator("#on_behalf_of").select_option(label="代 王秀珍 反映")
    page.locator("#category_code").select_option("E0404")
    page.locator("#description").fill("母亲说 5 号楼一楼的楼道灯坏了，晚上看不清台阶。")
    go(page, page.locator("#submit-case"))
    assert path_of(page).startswith("/cases/"), page.url
    expect(page.locator("#case-proxy")).to_have_text("家属代办：李** 代 王** 反映")
    fits(page, "the case left for her")
    shot(page, "proxy_case")
