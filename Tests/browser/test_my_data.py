"""A resident sees and downloads their own data (PIPL art. 45) and asks for a correction
(art. 46), on a phone; the grid worker of their building group answers it."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from minqing_web import login, logout, path_of

PHONE = {"width": 390, "height": 844}


def test_resident_downloads_data_and_asks_for_a_correction(fresh_server, new_context, shot):
    srv = fresh_server
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, srv.base_url, "resident")
    page.locator("a[href='/account/data']").first.click()
    page.wait_for_url(re.compile(r"/account/data$"))
    expect(page.locator("#data-account")).to_be_visible()
    expect(page.locator("#data-household")).to_be_visible()
    # Numbers are masked on the page: no 18-digit number anywhere.
    assert not re.search(r"\d{17}[\dX]", page.locator("body").inner_text())
    shot(page, "my_data")

    with page.expect_download() as download_info:
        page.locator("#download").click()
    download = download_info.value
    assert download.suggested_filename == "minqing-my-data.json"
    data = json.loads(open(download.path(), encoding="utf-8").read())
    keys = {section["key"] for section in data["sections"]}
    assert {"account", "household", "members", "visit_bookings", "corrections"} <= keys, keys
    assert data["username"] == "resident"
    assert not re.search(r"\d{17}[\dX]", json.dumps(data, ensure_ascii=False))

    # A correction: a bad mobile number is refused beside its field; then a good request.
    form = page.locator("#correction-form")
    form.locator("select[name=field]").select_option("phone")
    form.locator("input[name=requested]").fill("12345")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#error-requested")).to_be_visible()
    form = page.locator("#correction-form")
    form.locator("select[name=field]").select_option("address")
    form.locator("input[name=requested]").fill("汾西路 506 弄 1 号 102 室")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator("#correction-sent")).to_be_visible()
    expect(page.locator("#data-corrections")).to_contain_text("102")
    shot(page, "correction_sent")
    logout(page)

    # The grid worker answers it in the queue.
    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(staff, srv.base_url, "gridworker")
    staff.goto(f"{srv.base_url}/registry/corrections")
    card = staff.locator("[id^=correction-]").filter(has_text="102").first
    expect(card).to_be_visible()
    card.locator("input[value=done]").check()
    card.locator("textarea[name=reply]").fill("已核实，地址已更正为 102 室")
    with staff.expect_navigation():
        card.locator("button[type=submit]").click()
    assert path_of(staff) == "/registry/corrections"
    shot(staff, "answered")

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, srv.base_url, "resident")
    page.goto(f"{srv.base_url}/account/data")
    expect(page.locator("#data-corrections")).to_contain_text("已核实")


def test_privacy_notice_is_open_in_both_languages(server, page):
    response = page.goto(f"{server.base_url}/privacy")
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_text("隐私说明")
    expect(page.locator("body")).to_contain_text("第四十五条")
    page.locator("a#lang-en").click()
    expect(page.locator("h1")).to_have_text("Privacy notice")
    expect(page.locator("body")).to_contain_text("art. 45")
