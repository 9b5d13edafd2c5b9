"""The case loop in the browser: a resident leaves a message on a phone (要留言), the dispatcher
files it and dispatches it to 房管办 with 城管 co-handling (吹哨), the co-handler reports, the
department (`handler`, bound to 房管办 in the demo) accepts and reports it handled, the
dispatcher verifies and closes it, and the resident, back on the phone, sees the timeline and
rates it. Every step through the pages' own forms; the API confirms the end state."""

from __future__ import annotations

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login
from test_voting import get, token

PHONE = {"width": 390, "height": 844}
MESSAGE = "3号楼2单元楼道里堆满了旧家具，挡住了消防通道，请尽快处理。"


def act(page, base, case_path, button_id, shot=None, step=None, fill=None):
    """Open the case page, optionally fill fields, press the action's button, land on the case again."""
    page.goto(base + case_path)
    if fill:
        fill(page)
    button = page.locator(f"#{button_id}")
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()
    assert page.url.endswith(case_path), f"{button_id} landed on {page.url}: {page.locator('body').inner_text()[:300]!r}"
    if shot and step:
        shot(page, step)


def test_message_dispatched_handled_rated(server, new_context, shot):
    base = server.base_url

    # The resident, on a phone: 我的诉求 → 要留言.
    resident = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(resident, base, "resident")
    resident.goto(f"{base}/cases")
    expect(resident.locator("h1")).to_have_text("我的诉求")
    with resident.expect_navigation():
        resident.locator("#new-case").click()
    resident.locator("#category_code").select_option("E0404")
    resident.locator("#description").fill(MESSAGE)
    resident.locator("#address").fill("3号楼2单元")
    resident.locator("#submitter_phone").fill("13800138000")
    assert horizontal_overflow(resident, PHONE["width"]) == 0, "the message form scrolls sideways"
    shot(resident, "message")
    with resident.expect_navigation():
        resident.locator("#submit-case").click()
    expect(resident.locator("#case-state")).to_have_text("已受理")
    expect(resident.locator("#case-description")).to_have_text(MESSAGE)
    case_path = resident.url.split(base, 1)[1].split("?", 1)[0]
    case_id = case_path.rsplit("/", 1)[1]
    number = resident.locator("#case-title .mono").inner_text()
    assert "13800138000" not in resident.content(), "the plain phone number is shown back"
    shot(resident, "reported")

    # The dispatcher: the intake desk lists it; file, then 吹哨 to 房管办 with 城管.
    staff = new_context().new_page()
    login(staff, base, "staff")
    staff.goto(f"{base}/cases?state=reported")
    expect(staff.locator(f'#cases a[href="{case_path}"]')).to_be_visible()
    shot(staff, "intake_desk")
    act(staff, base, case_path, "action-file")
    expect(staff.locator("#case-state")).to_have_text("已立案")

    def choose(page):
        page.locator("#dispatch-department").select_option("fangguan")
        page.locator("#co-chengguan").check()
    act(staff, base, case_path, "action-dispatch", shot, "dispatched", fill=choose)
    expect(staff.locator("#case-state")).to_have_text("已派遣")
    expect(staff.locator("#assignments")).to_contain_text("房管办")
    expect(staff.locator("#assignments")).to_contain_text("城管执法中队")

    # The department: its inbox has it; accept; finishing is refused until the co-handler reports.
    handler = new_context().new_page()
    login(handler, base, "handler")
    handler.goto(f"{base}/cases")
    expect(handler.locator("h1")).to_have_text("部门收件箱")
    expect(handler.locator(f'#cases a[href="{case_path}"]')).to_be_visible()
    act(handler, base, case_path, "action-accept")
    expect(handler.locator("#case-state")).to_have_text("处置中")
    handler.locator("#action-handle").click()
    expect(handler.locator(".flash-error")).to_contain_text("协办部门未报告")
    shot(handler, "co_handler_pending")

    cg = new_context().new_page()
    login(cg, base, "bm_chengguan")
    act(cg, base, case_path, "report-submit", fill=lambda p: p.locator("#report-report").fill("已会同物业清运楼道堆物"))
    expect(cg.locator("#assignments")).to_contain_text("已会同物业清运楼道堆物")

    act(handler, base, case_path, "action-handle", shot, "handled")
    expect(handler.locator("#case-state")).to_have_text("已处置")

    # The dispatcher verifies and closes.
    act(staff, base, case_path, "action-verify")
    act(staff, base, case_path, "action-close")
    expect(staff.locator("#case-state")).to_have_text("已结案")

    # The resident sees the timeline on the phone and rates it.
    resident.goto(f"{base}/cases")
    expect(resident.locator(f'#cases a[href="{case_path}"]')).to_contain_text(number)
    resident.goto(base + case_path)
    expect(resident.locator("#timeline li")).to_have_count(7)
    expect(resident.locator("#rating-form")).to_be_visible()
    resident.locator("#verdict-satisfied").check()
    resident.locator("#rating-reason").fill("处理及时，谢谢")
    assert horizontal_overflow(resident, PHONE["width"]) == 0, "the case page scrolls sideways"
    shot(resident, "rating")
    with resident.expect_navigation():
        resident.locator("#rate").click()
    expect(resident.locator("#case-state")).to_have_text("已评价")
    expect(resident.locator("#rating-form")).to_have_count(0)
    expect(resident.locator("#timeline")).to_contain_text("满意：处理及时，谢谢")
    shot(resident, "rated")

    # In English too.
    resident.locator("#lang-en").click()
    expect(resident.locator("#case-state")).to_have_text("Evaluated")

    # The API agrees: evaluated, satisfied, the eight steps in order, the phone only masked.
    detail = get(base, f"/api/v1/cases/{case_id}", token(base, "staff"))
    assert detail["summary"]["state"] == "evaluated"
    assert detail["summary"]["verdict"] == "satisfied"
    assert [t["action"] for t in detail["transitions"]] == ["report", "file", "dispatch", "accept", "handle", "verify", "close", "evaluate"]
    assert detail["submitter_phone_masked"] == "138****8000"
