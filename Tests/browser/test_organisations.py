"""双报到 on a phone: the cadre sets up a responsibility area (责任区) in the resident's building
group through the API; the resident, an in-service party member, opens 双报到 on a phone screen,
registers with the community and their work unit (showing their identity), claims the post and
records 90 minutes of service on it; the cadre then opens the unit's 双报告 report for today and
finds the resident's service there, in Chinese and in English."""

from __future__ import annotations

import datetime
import random

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, switch_language
from test_register import api

PHONE = {"width": 390, "height": 844}
GROUP = "310106019-1-01-1-01"


def set_up(base: str) -> tuple[str, str]:
    """A responsibility area at the resident's building group; returns (post id, name)."""
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    name = f"汾西路 1 号党员责任区 {random.randrange(1000, 9999)}"
    status, body = api(base, "POST", "/api/v1/organisations/posts", {
        "kind": "responsibility_area", "name": name, "mission": "楼道整洁、邻里守望", "node": GROUP}, body["token"])
    assert status == 201, f"post: {status} {body}"
    return body["id"], name


def test_phone_member_registers_claims_serves_and_the_unit_report_shows_it(server, new_context, shot):
    base = server.base_url
    post, name = set_up(base)
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date().isoformat()

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/dual")
    expect(page.locator("h1")).to_have_text("双报到 · 双报告")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the 双报到 page scrolls sideways"
    shot(page, "dual_register")

    # Register with the community: the work unit, and the choice to show the identity.
    unit_select = page.locator("#service_unit_id")
    unit = unit_select.locator("option").first.get_attribute("value")
    unit_name = unit_select.locator("option").first.inner_text()
    unit_select.select_option(unit)
    page.locator("#shows_identity").check()
    with page.expect_navigation():
        page.locator("#dual-register-submit").click()
    expect(page.locator("#org-done")).to_have_text("报到成功。")
    expect(page.locator("#dual-registration")).to_contain_text(unit_name)

    # Claim the post.
    row = page.locator("#posts li.post", has_text=name)
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.locator(f"#claim-{post}").click()
    expect(page.locator("#org-done")).to_have_text("认领成功。")
    expect(page.locator(f"#claimed-{post}")).to_have_text("已认领")
    shot(page, "dual_claimed")

    # Record 90 minutes on it today.
    form = page.locator("#dual-service")
    form.locator("#post_id").select_option(post)
    form.locator("#served_on").fill(today)
    form.locator("#minutes").fill("90")
    form.locator("#description").fill("清理楼道堆物")
    with page.expect_navigation():
        page.locator("#dual-service-submit").click()
    expect(page.locator("#org-done")).to_have_text("服务已记录。")
    record = page.locator("#records li.record", has_text="清理楼道堆物")
    expect(record).to_contain_text("90 分钟")
    expect(record).to_contain_text(name)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the 双报到 page scrolls sideways after recording"
    shot(page, "dual_recorded")
    member = page.locator("#dual-registration strong").inner_text()

    # The cadre opens the unit's report for today: the resident's 90 minutes are there.
    staff = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(staff, base, "cadre")
    staff.goto(f"{base}/dual")
    with staff.expect_navigation():
        staff.locator(f"#report-{unit}").click()
    staff.goto(f"{base}/dual/units/{unit}/report?from={today}&to={today}")
    expect(staff.locator("h1")).to_contain_text(unit_name)
    line = staff.locator("#report tr.line", has_text=member)
    expect(line).to_have_count(1)
    expect(line.locator("td").nth(3)).to_have_text("90")
    expect(staff.locator("#report-total")).to_contain_text("分钟")
    assert horizontal_overflow(staff, PHONE["width"]) == 0, "the report scrolls sideways"
    shot(staff, "unit_report")

    switch_language(staff, "en")
    expect(staff.locator("h1")).to_contain_text("Report to")
    expect(staff.locator("#report-total")).to_contain_text("minutes")
    shot(staff, "unit_report_en")


def test_phone_cadre_runs_a_training_and_records_attendance(server, new_context, shot):
    """干部培训 on a phone: the area cadre creates a session held yesterday (a too-short one is
    refused with the field named), records the grid worker present and themself excused, sees the
    session's rate at 50 %, then finds the grid worker on the attendance-rate page, in Chinese and
    in English."""
    base = server.base_url
    yesterday = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()
                 - datetime.timedelta(days=1)).isoformat()
    title = f"楼组长工作方法培训 {random.randrange(1000, 9999)}"

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "cadre")
    page.goto(f"{base}/staff")
    expect(page.locator("h1")).to_have_text("干部培训与挂职")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the staff page scrolls sideways"

    form = page.locator("#training-create")
    form.locator("#title").fill(title)
    form.locator("#held_on").fill(yesterday)
    form.locator("#minutes").fill("5")
    with page.expect_navigation():
        page.locator("#training-create-submit").click()
    expect(page.locator("#error-minutes")).to_contain_text("培训时长须在")
    shot(page, "training_refused")

    form = page.locator("#training-create")
    expect(form.locator("#title")).to_have_value(title)
    form.locator("#minutes").fill("120")
    form.locator("#place").fill("居民区活动室")
    with page.expect_navigation():
        page.locator("#training-create-submit").click()
    expect(page.locator("#staff-done")).to_have_text("培训已建立。")
    expect(page.locator("#training-info")).to_contain_text("2 学时")

    page.locator("fieldset.attendance", has_text="gridworker").locator("input[value=present]").check()
    page.locator("fieldset.attendance", has_text="（cadre）").locator("input[value=excused]").check()
    with page.expect_navigation():
        page.locator("#attendance-submit").click()
    expect(page.locator("#staff-done")).to_have_text("出勤已登记。")
    expect(page.locator("#training-rate")).to_contain_text("出勤率 50%")
    expect(page.locator("#attendance li")).to_have_count(2)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the training page scrolls sideways"
    shot(page, "training_attendance")

    page.goto(f"{base}/staff/attendance")
    expect(page.locator("#cadre-gridworker")).to_have_count(1)
    shot(page, "attendance_rates")
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Cadres' attendance")
    expect(page.locator("#overall-rate")).to_contain_text("Overall")
    shot(page, "attendance_rates_en")
