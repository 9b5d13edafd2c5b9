"""The visit log (民情日志) on a phone: a residential-area cadre finds a household by its address,
records a visit in one form (phone call, a need filed as a help request), sees it saved, and finds
it counted in the compliance report; then a resident books one of the cadre's slots.

The household is registered through the API first, so the test does not depend on the demo
register (the demo's visits end yesterday, so today's count starts from what the test adds)."""

from __future__ import annotations

import random

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, switch_language
from test_register import BUILDING_GROUP, api, id_number

PHONE = {"width": 390, "height": 844}


def register(base: str) -> str:
    """A household of one at the cadre's first building group; returns its address."""
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    token = body["token"]
    rng = random.Random()
    for _ in range(10):
        tag = rng.randrange(100, 999)
        address = f"走访测试 临汾路 77 弄 {tag} 号"
        status, body = api(base, "POST", "/api/v1/registry/households", {
            "node": BUILDING_GROUP, "address": address,
            "members": [{"name": "走访测试户主", "id_number": id_number("110105", "19400101", tag | 1),
                         "relation": "head", "residence_status": "registered"}],
        }, token)
        if status == 201:
            return address
    raise AssertionError(f"could not register a household: {status} {body}")


def done_this_week(page, base: str) -> int:
    page.goto(f"{base}/visits/compliance?period=week")
    cell = page.locator("#person-cadre td.done")
    expect(cell).to_be_visible()
    return int(cell.inner_text().replace(",", ""))


def test_phone_visit_then_report(server, new_context, shot):
    base = server.base_url
    address = register(base)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "cadre")
    before = done_this_week(page, base)
    shot(page, "compliance_before")

    # Today's page, then the entry form: find the household by a piece of its address.
    page.goto(f"{base}/visits")
    expect(page.locator("#record-visit")).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the today page scrolls sideways"
    with page.expect_navigation():
        page.locator("#record-visit").click()
    page.locator("#q").fill(address.split(" ", 1)[1])
    with page.expect_navigation():
        page.locator("#household-search button[type=submit]").click()
    result = page.locator("#search-results a.pick", has_text=address)
    expect(result).to_have_count(1)
    with page.expect_navigation():
        result.click()
    expect(page.locator("#entry-household")).to_contain_text(address)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the entry form scrolls sideways"
    shot(page, "entry_form")

    # One form: a phone call, a care need filed as a help request, a short summary.
    page.locator("label[for=method-phone]").click()
    page.locator("#summary").fill("电话问候，老人需要助餐服务。")
    page.locator("label[for=need-care]").click()
    page.locator("#need_note").fill("希望社区助餐点送餐")
    page.locator("label[for=help]").click()
    with page.expect_navigation():
        page.locator("#save-visit").click()
    expect(page.locator("#visit-saved")).to_be_visible()
    expect(page.locator("#visit-method")).to_have_text("电话")
    expect(page.locator("#visit-households")).to_contain_text(address)
    expect(page.locator("#visit-findings")).to_contain_text("已转求助")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the visit page scrolls sideways"
    shot(page, "visit_saved")

    # The report counts it (distinct households of the day: the household is new today).
    assert done_this_week(page, base) == before + 1
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the compliance page scrolls sideways"
    shot(page, "compliance_after")
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Visit compliance")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the English compliance page scrolls sideways"
    shot(page, "compliance_en")


def open_entry_form(page, base: str, address: str) -> None:
    """From the entry page, find the household by a piece of its address and open its form."""
    page.goto(f"{base}/visits/new")
    page.locator("#q").fill(address.split(" ", 1)[1])
    with page.expect_navigation():
        page.locator("#household-search button[type=submit]").click()
    with page.expect_navigation():
        page.locator("#search-results a.pick", has_text=address).click()
    expect(page.locator("#visit-form")).to_be_visible()


def test_phone_empty_form_then_nobody_home(server, new_context, shot):
    """Saving an untouched form is refused beside the summary; 无人在家 is kept but not counted."""
    base = server.base_url
    address = register(base)
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "cadre")
    before = done_this_week(page, base)

    open_entry_form(page, base, address)
    expect(page.locator("#outcome-met")).to_be_checked()
    with page.expect_navigation():
        page.locator("#save-visit").click()
    expect(page.locator("#visit-error")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("请写下走访情况")
    assert "summary" not in page.locator("#visit-error").inner_text(), "no input names in the messages"
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the refused form scrolls sideways"
    shot(page, "entry_refused")

    # Nobody answered: a big choice, a note, saved as an attempt.
    page.locator("label[for=outcome-nobody_home]").click()
    page.locator("#summary").fill("敲门无人应答，邻居说老人住院了。")
    with page.expect_navigation():
        page.locator("#save-visit").click()
    expect(page.locator("#visit-saved")).to_be_visible()
    expect(page.locator("#visit-outcome")).to_have_text("无人在家")
    shot(page, "visit_nobody_home")
    assert done_this_week(page, base) == before, "an attempt is not a visit"


def test_phone_resident_books_a_slot(server, new_context, shot):
    base = server.base_url
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "resident")
    page.goto(f"{base}/visits/booking")
    expect(page.locator("#my-household")).to_be_visible()
    slots = page.locator("#open-slots li.slot")
    expect(slots.first).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the booking page scrolls sideways"
    shot(page, "booking_page")
    first = slots.first
    first.locator("input[name=note]").fill("想咨询居家养老服务")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    expect(page.locator("#booked")).to_be_visible()
    expect(page.locator("#my-bookings")).to_contain_text("想咨询居家养老服务")
    shot(page, "booked")
