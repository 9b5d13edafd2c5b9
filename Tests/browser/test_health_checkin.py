"""健康打卡 on a phone (issue 22 item 4): the demo resident's home shows today's health check-in
due; one tap opens its questions, a temperature typed badly is refused beside its question with
what was typed kept; 37.6 ℃ is taken and the page says the grid worker was told. The grid worker,
on a phone, finds the alert in the inbox, and one tap shows the campaign's abnormal check-ins
with the resident's answers and the missed counts by building group, each linking to its list.
Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from minqing_web import login, path_of
from test_working_day import fits, go, phone_page


def test_health_checkin_raises_an_alert_for_the_grid_worker(server, new_context, shot):
    base = server.base_url
    page = phone_page(new_context)
    login(page, base, "resident")
    due = page.locator("#needs li.need-checkin", has_text="健康打卡")
    expect(due).to_be_visible()
    go(page, due.locator("a"))
    form = page.locator("#checkin-form")
    expect(form).to_contain_text("体温（℃）")
    temperature = form.locator("input[inputmode=decimal]")
    temperature.fill("三十七度六")
    form.locator("label.chip", has_text="无").locator("input").check()
    go(page, page.locator("#checkin"))
    expect(page.locator(".field-error").first).to_contain_text("「体温（℃）」须为数字，最多一位小数")
    expect(page.locator("#checkin-form input[inputmode=decimal]")).to_have_value("三十七度六")
    fits(page, "the refused check-in")
    shot(page, "checkin_refused")
    page.locator("#checkin-form input[inputmode=decimal]").fill("37.6")
    go(page, page.locator("#checkin"))
    expect(page.locator("#campaign-done")).to_contain_text("已告知网格员")
    expect(page.locator("#my-answers")).to_contain_text("37.6")
    fits(page, "the abnormal check-in")
    shot(page, "checkin_alert_resident")

    worker = phone_page(new_context)
    login(worker, base, "gridworker")
    worker.goto(base + "/notifications")
    alert = worker.locator("#inbox li", has_text="居民打卡异常").first
    expect(alert).to_be_visible()
    go(worker, alert.locator("button"))
    assert path_of(worker).startswith("/services/campaigns/"), worker.url
    row = worker.locator("#alert-list li.alert").filter(has_text="37.6")
    expect(row).to_have_count(1)
    groups = worker.locator("#missed-groups")
    expect(groups).to_be_visible()
    first = groups.locator("a.missed-count").first
    count = int(first.inner_text())
    go(worker, first)
    expect(worker.locator("#missed li")).to_have_count(count)
    fits(worker, "the alerts and the missed counts")
    shot(worker, "checkin_alert_worker")
