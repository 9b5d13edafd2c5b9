"""议事厅 on a phone: a resident proposes a topic for their residential area, supports it, and
comments (held for moderation, shown to its author as such); the area cadre, also on a phone,
publishes the comment and records a 协调会 with minutes; the resident then sees the meeting and
the published comment, and the topic is in deliberation. No page scrolls sideways."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login

PHONE = {"width": 390, "height": 844}


def phone(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()


def test_topic_board_on_a_phone(server, new_context, shot):
    base = server.base_url
    title = f"小区东门夜间照明 {int(time.time())}"
    page = phone(new_context)
    login(page, base, "resident")
    page.goto(f"{base}/voting")
    with page.expect_navigation():
        page.locator("#topic-board").click()
    expect(page.locator("#propose-form")).to_be_visible()
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the topic board scrolls sideways"
    page.locator("#topic-title").fill(title)
    page.locator("#topic-body").fill("东门路灯坏了两个月，晚上回家看不清路，建议尽快修复并加装一盏。")
    shot(page, "propose")
    with page.expect_navigation():
        page.locator("#propose").click()
    expect(page.locator("#topic-title")).to_have_text(title)
    expect(page.locator("#topic-status")).to_have_text("征集中")
    topic_url = page.url

    with page.expect_navigation():
        page.locator("#support").click()
    expect(page.locator("#supports")).to_contain_text("1")
    expect(page.locator("#i-support")).to_be_visible()
    expect(page.locator("#support")).to_have_count(0)
    page.locator("#comment-body").fill("同意，最好换成节能灯。")
    with page.expect_navigation():
        page.locator("#post-comment").click()
    expect(page.locator("#comments .comment-held")).to_contain_text("待审核")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the topic page scrolls sideways"
    shot(page, "held")

    staff = phone(new_context)
    login(staff, base, "cadre")
    staff.goto(topic_url)
    with staff.expect_navigation():
        staff.locator("#comments .comment-held .moderate-publish").click()
    expect(staff.locator("#comments .comment-published")).to_contain_text("节能灯")
    staff.locator("#meeting-kind").select_option("coordination")
    staff.locator("#meeting-date").fill("2026-11-25")
    staff.locator("#meeting-place").fill("居委会会议室")
    staff.locator("#meeting-attendees").fill("提议居民、物业经理、路灯所、居委会")
    staff.locator("#meeting-minutes").fill("路灯所两周内修复东门两盏路灯，物业另加一盏节能灯。")
    with staff.expect_navigation():
        staff.locator("#record-meeting").click()
    expect(staff.locator("#meetings")).to_contain_text("协调会")
    shot(staff, "meeting")

    page.reload()
    expect(page.locator("#topic-status")).to_have_text("协商中")
    expect(page.locator("#meetings")).to_contain_text("路灯所两周内修复")
    expect(page.locator("#comments .comment-published")).to_contain_text("节能灯")
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the topic page scrolls sideways"
    shot(page, "deliberating")
