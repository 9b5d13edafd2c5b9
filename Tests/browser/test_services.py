"""约空间 and volunteering on a phone: the cadre registers a unit's space, opens tomorrow's slots
and posts a volunteer activity through the API; a resident, on a phone screen, opens 约空间,
books a slot of the space, sees the booking in their list, then signs up for the activity."""

from __future__ import annotations

import datetime
import random

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, switch_language
from test_register import api

PHONE = {"width": 390, "height": 844}


def set_up(base: str) -> tuple[str, str, str, str]:
    """A resource with tomorrow's slots and an activity; returns (resource id, name, activity title, tomorrow)."""
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    token = body["token"]
    tag = random.randrange(1000, 9999)
    name = f"社区活动室 {tag}"
    status, body = api(base, "POST", "/api/v1/services/resources", {
        "unit_name": "临汾路小学", "unit_kind": "学校", "name": name, "category": "场地空间", "kind": "活动室",
        "place": "一楼东侧", "capacity": 30, "opening_hours": "1-7 09:00-12:00,14:00-17:00", "slot_minutes": 60,
        "rules": "用后复原桌椅", "bookers": "all", "needs_approval": False}, token)
    assert status == 201, f"resource: {status} {body}"
    resource = body["id"]
    tomorrow = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))) + datetime.timedelta(days=1)).date().isoformat()
    status, body = api(base, "POST", f"/api/v1/services/resources/{resource}/slots", {"date": tomorrow}, token)
    assert status == 200 and body["open"] == 6, f"slots: {status} {body}"
    title = f"清洁家园 楼道清扫 {tag}"
    start = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=2)
    status, body = api(base, "POST", "/api/v1/services/activities", {
        "team": "清洁家园", "title": title, "place": "临汾路 375 弄", "minutes": 120, "capacity": 20,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")}, token)
    assert status == 201, f"activity: {status} {body}"
    return resource, name, title, tomorrow


def test_phone_resident_books_a_space_and_signs_up(server, new_context, shot):
    base = server.base_url
    resource, name, title, tomorrow = set_up(base)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/services")
    expect(page.locator("h1")).to_have_text("约空间与志愿服务")
    # What can be booked comes first: the coming days, then the resources with open times.
    expect(page.locator("#available #days a")).to_have_count(7)
    expect(page.locator("#available h2")).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the services page scrolls sideways"
    shot(page, "services_home")
    # Every resource is in the folded list further down.
    page.locator("#all-resources > summary").click()
    link = page.locator(f"#resource-{resource}")
    expect(link).to_contain_text(name)

    # The space: tomorrow's slots; book the first with a purpose.
    with page.expect_navigation():
        link.click()
    expect(page.locator("#resource-info")).to_contain_text("一楼东侧")
    with page.expect_navigation():
        page.locator(f"#day-{tomorrow}").click()
    slots = page.locator("#slots li.slot")
    expect(slots).to_have_count(6)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the resource page scrolls sideways"
    shot(page, "resource_slots")
    first = slots.first
    first.locator("input[name=purpose]").fill("楼组议事会")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    expect(page.locator("#services-done")).to_have_text("预约已提交。")
    booking = page.locator("#bookings li.booking", has_text=name)
    expect(booking).to_have_count(1)
    expect(booking).to_contain_text("已预约")
    shot(page, "booked")

    # The booked slot now shows as taken.
    page.goto(f"{base}/services/resources/{resource}?date={tomorrow}")
    expect(page.locator("#slots li.slot").first).to_contain_text("已约满")

    # Sign up for the activity.
    page.goto(f"{base}/services")
    activity = page.locator("#activities li.activity", has_text=title)
    expect(activity).to_have_count(1)
    with page.expect_navigation():
        activity.locator("button[type=submit]").click()
    expect(page.locator("#services-done")).to_have_text("报名成功。")
    activity = page.locator("#activities li.activity", has_text=title)
    expect(activity).to_contain_text("已报名")
    expect(activity).to_contain_text("已报名 1/20")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the services page scrolls sideways after signing up"
    shot(page, "signed_up")

    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Spaces and volunteering")
    expect(page.locator("#activities li.activity", has_text=title)).to_contain_text("Signed up")
    shot(page, "services_en")


def test_phone_resident_fills_a_registration_form(server, new_context, shot):
    """The cadre sets up a registration form through the API; a resident fills it in on a phone:
    a wrong ID number is refused naming the field, then the entry is in and the number shows masked."""
    base = server.base_url
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    token = body["token"]
    title = f"返沪登记 {random.randrange(1000, 9999)}"
    status, body = api(base, "POST", "/api/v1/services/campaigns", {
        "kind": "registration", "title": title, "description": "从外地返沪的居民请登记",
        "fields": [{"label": "姓名", "label_en": "Name", "type": "text"},
                   {"label": "出发地", "label_en": "Coming from", "type": "choice", "options": ["湖北", "浙江", "其他"]},
                   {"label": "身份证号", "label_en": "ID number", "type": "id_number"}]}, token)
    assert status == 201, f"campaign: {status} {body}"
    campaign = body["id"]
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/services")
    link = page.locator(f"#campaign-{campaign}")
    expect(link).to_contain_text(title)
    with page.expect_navigation():
        link.click()
    form = page.locator("#entry-form")
    inputs = form.locator("input[type=text]")
    inputs.nth(0).fill("张三")
    form.locator("label.chip", has_text="浙江").click()
    inputs.nth(1).fill("110105194912310021")
    with page.expect_navigation():
        page.locator("#submit-entry").click()
    expect(page.locator("#campaign-error")).to_contain_text("「身份证号」")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the form page scrolls sideways"
    shot(page, "registration_error")
    form = page.locator("#entry-form")
    inputs = form.locator("input[type=text]")
    inputs.nth(1).fill("11010519491231002X")
    with page.expect_navigation():
        page.locator("#submit-entry").click()
    expect(page.locator("#registered")).to_have_text("您已登记")
    expect(page.locator("#my-answers")).to_contain_text("1****************X")
    expect(page.locator("#my-answers")).not_to_contain_text("11010519491231002X")
    shot(page, "registered")
