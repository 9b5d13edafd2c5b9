"""6543 oversight in the browser: subdistrict staff open a red-listed property company's credit
file on a phone, record an inspection with a serious finding and a case category; the finding
becomes a case (its link opens the case), the ledger shows the −10 entry with its reason and
date, and the score and list standing change with the reason shown. Then the resident sees
their own compound's disclosures and the company's standing, in Chinese and English."""

from __future__ import annotations

import datetime
import random

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, switch_language, DEMO_PASSWORD
from test_register import api

PHONE = {"width": 390, "height": 844}


def red_listed_company(base: str) -> dict:
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "staff", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    status, companies = api(base, "GET", "/api/v1/oversight/companies", {}, body["token"])
    assert status == 200, f"companies: {status} {companies}"
    red = [c for c in companies if c["standing"] == "red_list" and c["compounds"] > 0]
    assert red, f"no red-listed company in the demo: {companies}"
    return red[0]


def test_inspection_becomes_a_case_and_moves_the_score(server, new_context, shot):
    base = server.base_url
    company = red_listed_company(base)
    score = company["score"]
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "staff")
    page.goto(f"{base}/oversight")
    expect(page.locator("h1")).to_have_text("6543 小区治理")
    row = page.locator(f"#company-{company['id']}")
    expect(row).to_contain_text("红榜")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the oversight page scrolls sideways"
    shot(page, "oversight_overview")

    with page.expect_navigation():
        row.locator("a").click()
    expect(page.locator("#score")).to_have_text(str(score))
    expect(page.locator("#standing-badge")).to_have_text("红榜")
    expect(page.locator("#standing-reason")).to_contain_text("且无未完成整改")
    shot(page, "company_before")

    finding = f"消防通道被电动车堵塞 {random.randrange(1000, 9999)}"
    page.select_option("#outcome", "serious")
    page.fill("#finding", finding)
    page.select_option("#case_category", "E0401")
    with page.expect_navigation():
        page.click("#inspect")
    expect(page.locator("#oversight-done")).to_have_text("检查已记录。")
    new_score = score - 10
    expect(page.locator("#score")).to_have_text(str(new_score))
    if new_score >= 110:
        expect(page.locator("#standing-badge")).to_have_text("一般")
        expect(page.locator("#standing-reason")).to_have_text(f"信用分 {new_score} 达到红榜线，但有 1 项整改未完成")
    else:
        expect(page.locator("#standing-reason")).to_contain_text(f"信用分 {new_score}")
        expect(page.locator("#standing-badge")).not_to_have_text("红榜")
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date().isoformat()
    entry = page.locator("#ledger li.entry").first
    expect(entry).to_contain_text("-10")
    expect(entry).to_contain_text(today)
    expect(entry).to_contain_text(f"检查发现严重问题，责令整改")
    expect(entry).to_contain_text(finding)
    expect(page.locator("#rectifications li.rectification").first).to_contain_text(finding)
    expect(page.locator("#score-sum")).to_contain_text(f"= {new_score}")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the company page scrolls sideways"
    shot(page, "company_after")

    # The finding is a case of the loop: reported through grid patrol, with the finding as its text.
    inspection = page.locator("#inspections li.inspection", has_text=finding)
    link = inspection.locator("a.case-link")
    expect(link).to_contain_text("案件")
    with page.expect_navigation():
        link.click()
    expect(page.locator("body")).to_contain_text(finding)
    expect(page.locator("body")).to_contain_text("网格巡查")
    shot(page, "the_case")

    # In English the reason is explained too.
    page.goto(f"{base}/oversight/companies/{company['id']}")
    switch_language(page, "en")
    expect(page.locator("#standing-reason")).to_contain_text(f"Credit score {new_score}")
    expect(page.locator("#ledger li.entry").first).to_contain_text("Inspection found a serious problem")
    switch_language(page, "zh")


def test_resident_sees_own_compound(server, new_context, shot):
    base = server.base_url
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/oversight/my-compound")
    expect(page.locator("h1")).to_have_text("我的小区")
    expect(page.locator("div.compound")).to_have_count(1)
    expect(page.locator("#my-companies li").first).to_contain_text("信用分")
    expect(page.locator("#disclosures li.disclosure").first).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "my compound scrolls sideways"
    shot(page, "my_compound")
    # The staff overview is not for residents.
    response = page.goto(f"{base}/oversight")
    assert response is not None and response.status == 403


def test_shop_and_programme_forms_on_a_phone(server, new_context, shot):
    """Staff register a shop on a phone (a bad phone gets its sentence beside the field and stays as
    typed, the good one is shown masked), record an
    inspection whose finding becomes a case, then type a programme's spending in yuan."""
    base = server.base_url
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "staff")
    page.goto(f"{base}/oversight")
    with page.expect_navigation():
        page.click("#all-shops")
    expect(page.locator("#shop-total")).to_contain_text("773")
    licence = f"92310106MA{random.randrange(10**7, 10**8)}"
    page.fill("#shop-name", "浏览器测试便利店")
    page.fill("#shop-licence_code", licence)
    page.fill("#shop-category", "零售")
    page.fill("#shop-address", "临汾路 99 号")
    page.fill("#shop-contact_name", "陈先生")
    page.fill("#shop-phone", "12345")
    with page.expect_navigation():
        page.click("#shop-form-submit")
    # The sentence stands beside the phone field, and every field keeps what was typed (the phone too).
    expect(page.locator("#error-phone")).to_contain_text("手机号应为11位数字")
    expect(page.locator("#oversight-error")).not_to_contain_text("phone")
    expect(page.locator("#shop-phone")).to_have_value("12345")
    expect(page.locator("#shop-name")).to_have_value("浏览器测试便利店")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the shops page scrolls sideways"
    shot(page, "shop_bad_phone")
    page.fill("#shop-phone", "13900139000")
    with page.expect_navigation():
        page.click("#shop-form-submit")
    expect(page.locator("#oversight-done")).to_have_text("商户档案已建立。")
    expect(page.locator("#shop-file")).to_contain_text("139****9000")
    assert "13900139000" not in page.content()

    page.select_option("#shop-inspection-outcome", "minor")
    page.fill("#shop-inspection-finding", "门前占道堆放纸箱")
    page.select_option("#shop-inspection-case_category", "E0201")
    with page.expect_navigation():
        page.click("#shop-inspection-form-submit")
    expect(page.locator("#oversight-done")).to_have_text("检查已记录。")
    expect(page.locator("#shop-inspections li.inspection").first.locator("a.case-link")).to_contain_text("案件")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the shop page scrolls sideways"
    shot(page, "shop_inspected")

    page.goto(f"{base}/oversight")
    with page.expect_navigation():
        page.locator("#programmes li.programme ul li a").first.click()
    page.fill("#project-spent_yuan", "12345.6")
    with page.expect_navigation():
        page.click("#project-form-submit")
    expect(page.locator("#oversight-done")).to_have_text("项目已更新。")
    expect(page.locator("#project-money")).to_contain_text("已支出 ¥12345.60")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the project page scrolls sideways"
    shot(page, "project_updated")


def test_company_reports_on_its_rectification_on_a_phone(server, new_context, shot):
    """A property company's account reports on site, on a phone, what it did about an open
    rectification (a day in the future is refused beside the field, the text kept); the staff read
    the report on the company's page and close the rectification."""
    base = server.base_url
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "staff", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    token = body["token"]
    status, companies = api(base, "GET", "/api/v1/oversight/companies", {}, token)
    assert status == 200, f"companies: {status} {companies}"
    company = [c for c in companies if c["standing"] != "red_list" and c["compounds"] > 0][-1]
    status, detail = api(base, "GET", f"/api/v1/oversight/companies/{company['id']}", {}, token)
    assert status == 200 and detail["contracts"], f"company: {status} {detail}"
    finding = f"垃圾房渗漏 {random.randrange(1000, 9999)}"
    status, inspected = api(base, "POST", f"/api/v1/oversight/companies/{company['id']}/inspections", {
        "compound_id": detail["contracts"][0]["compound_id"], "outcome": "serious", "finding": finding}, token)
    assert status == 201, f"inspection: {status} {inspected}"
    rectification = inspected["rectification_id"]
    status, linked = api(base, "PUT", "/api/v1/oversight/company-accounts/property", {"company_id": company["id"]}, token)
    assert status == 204, f"link: {status} {linked}"

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "property")
    page.goto(f"{base}/oversight/my-company")
    expect(page.locator("h1")).to_have_text(company["name"])
    form = f"#answer-{rectification}"
    report = "已修复垃圾房防渗层并清运"
    page.fill(f"{form}-body", report)
    page.fill(f"{form}-done_on", "2099-01-01")
    with page.expect_navigation():
        page.click(f"{form}-form-submit")
    expect(page.locator("#error-done_on")).to_have_text("完成日期不能晚于今天")
    expect(page.locator(f"{form}-body")).to_have_value(report)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the report form scrolls sideways"
    shot(page, "company_report_refused")
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date().isoformat()
    page.fill(f"{form}-done_on", today)
    with page.expect_navigation():
        page.click(f"{form}-form-submit")
    expect(page.locator("#oversight-done")).to_contain_text("整改情况已报告")
    answer = page.locator(f"#rectification-{rectification} li.answer")
    expect(answer).to_contain_text(report)
    expect(answer).to_contain_text("（物业公司）")
    shot(page, "company_reported")

    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(staff, base, "staff")
    staff.goto(f"{base}/oversight/companies/{company['id']}")
    expect(staff.locator(f"#rectification-{rectification} li.answer")).to_contain_text(report)
    staff.fill(f"#close-{rectification}-note", "现场核实已修复")
    with staff.expect_navigation():
        staff.click(f"#close-{rectification}-form-submit")
    expect(staff.locator("#oversight-done")).to_have_text("整改已销号。")
    shot(staff, "rectification_closed")
