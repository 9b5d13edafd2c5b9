"""社区大脑 in the browser: the subdistrict staff open the dashboard from the home page in Chinese,
see the five domains as cards of figures with each card's tables and SVG charts one click away
(its "明细" page), drill down from a sub-node's row to that node's dashboard and from the
open-cases figure to the case board, whose total is the figure, then read it in English; an area
cadre reads their area's dashboard on a phone: a few screens long, and neither it nor any card's
明细 page scrolls sideways at 390 px, where the charts give way to their tables.
Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, path_of

PHONE = {"width": 390, "height": 844}


def number(text: str) -> int:
    """The first whole number in `text` (digits grouped with commas)."""
    match = re.search(r"\d[\d,]*", text)
    assert match, text
    return int(match.group(0).replace(",", ""))


def open_details(page, panel: str) -> None:
    """Opens a card's 明细: the panel's own page with its tables and charts."""
    with page.expect_navigation():
        page.locator(f"#detail-{panel}").click()
    assert path_of(page) == f"/dashboard/panels/{panel}", page.url
    expect(page.locator(f"#panel-{panel}")).to_be_visible()


def test_dashboard_in_chinese_and_english_with_drill_down(server, new_context, shot):
    base = server.base_url
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    login(page, base, "staff")

    # From the home page (staff have the link) to the subdistrict's dashboard, in Chinese.
    with page.expect_navigation():
        page.locator("main a[href='/dashboard']").first.click()
    assert path_of(page) == "/dashboard"
    expect(page.locator("h1")).to_contain_text("社区大脑")
    expect(page.locator("h1")).to_contain_text("临汾路街道")
    for domain in ["党的建设", "公共管理", "公共服务", "社会参与"]:
        expect(page.locator("#domains")).to_contain_text(domain)
    for panel in ["party", "volunteering", "campaigns", "oversight", "must_visits", "case_areas"]:
        expect(page.locator(f"#panel-{panel}")).to_be_visible()
    # The figures that differ by definition say so on the page.
    expect(page.locator("#panel-cases .note")).to_contain_text("已结 + 未结 + 不予立案 = 受理")
    expect(page.locator("#panel-case_channels .note")).to_contain_text("来件 − 合并的重复件")
    persons = page.locator("[data-figure='population.persons'] .n").inner_text()
    assert number(persons) > 0, persons
    # The cards hold the figures; each card's tables and charts are on its 明细 page, the chart
    # above its table.
    assert page.locator("svg.chart").count() == 0 and page.locator("div.panels table").count() == 0
    shot(page, "dashboard-zh")
    open_details(page, "micro_grids")
    expect(page.locator("#chart-micro_grids-cells")).to_be_visible()
    page.go_back()
    open_details(page, "population")
    expect(page.locator("#chart-population-by_child title").first).to_have_text("下级网格的住户与居民")
    expect(page.locator("#chart-population-by_child")).to_be_visible()
    expect(page.locator("#table-population-by_child tbody tr").first).to_be_visible()
    shot(page, "dashboard-zh-details")

    # Drill down: the first block's row → that block's dashboard, inside the staff's scope.
    first_row = page.locator("#table-population-by_child tbody tr a").first
    block_name = first_row.inner_text()
    with page.expect_navigation():
        first_row.click()
    assert "node=310106019-1" in page.url, page.url
    expect(page.locator("h1")).to_contain_text(block_name)
    expect(page.locator("#crumbs")).to_contain_text("临汾路街道")
    shot(page, "dashboard-block")

    # Drill into a figure: the open cases → the case board filtered to them, showing that many.
    shown = number(page.locator("[data-figure='cases.open'] .n").inner_text())
    with page.expect_navigation():
        page.locator("[data-figure='cases.open'] a").click()
    assert path_of(page) == "/cases" and "state=" in page.url and "area=310106019-1" in page.url, page.url
    expect(page.locator("#case-total")).to_be_visible()
    assert number(page.locator("#case-total").inner_text()) == shown
    shot(page, "dashboard-drill-cases")

    # In English.
    page.goto(f"{base}/dashboard")
    with page.expect_navigation():
        page.locator("#lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Community dashboard")
    expect(page.locator("#domains")).to_contain_text("Public management")
    expect(page.locator("#detail-population")).to_contain_text("Details")
    shot(page, "dashboard-en")
    open_details(page, "population")
    expect(page.locator("#chart-population-by_child title").first).to_have_text("Households and residents by sub-node")

    # One report alone, printable, with its CSV: its tables without a click.
    page.goto(f"{base}/dashboard/panels/aid")
    expect(page.locator("#panel-aid")).to_be_visible()
    expect(page.locator("#table-aid-by_programme")).to_be_visible()
    csv = page.request.get(f"{base}/dashboard/csv/aid/by_programme")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert csv.text().lstrip("\ufeff").startswith("Code,Programme,Records"), csv.text()[:80]
    page.emulate_media(media="print")
    shot(page, "dashboard-aid-print")


def test_dashboard_on_a_phone(server, new_context, shot):
    base = server.base_url
    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(phone, base, "cadre")
    phone.goto(f"{base}/dashboard")
    expect(phone.locator("h1")).to_contain_text("临汾居民区")
    expect(phone.locator("#panel-visits")).to_be_visible()
    # No page wider than the screen, and a few screens long: the cards of figures.
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], "the dashboard scrolls sideways"
    height = phone.evaluate("document.scrollingElement.scrollHeight")
    assert height <= 7 * PHONE["height"], f"the dashboard is {height} px long on a phone"
    shot(phone, "dashboard-phone")
    # Every card's 明细 page: the tables stand alone (the charts are hidden below 760 px), and
    # nothing is wider than the screen (a wide table scrolls inside its own frame).
    details = [a.get_attribute("href") for a in phone.locator("p.detail a").all()]
    assert len(details) >= 16, details
    for href in details:
        phone.goto(base + href)
        assert horizontal_overflow(phone, PHONE["width"]) == 0, f"{href} scrolls the page sideways"
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], href
    phone.goto(f"{base}/dashboard/panels/visits")
    expect(phone.locator("#table-visits-by_team")).to_be_visible()
    expect(phone.locator("#chart-visits-by_team")).to_be_hidden()
    shot(phone, "dashboard-phone-details")
    # A micro-grid's cell in the heat grid (its table's row on a phone) drills down to that micro-grid.
    phone.goto(f"{base}/dashboard")
    open_details(phone, "micro_grids")
    row = phone.locator("#table-micro_grids-cells tbody tr a").first
    href = row.get_attribute("href")
    assert href and "node=310106019-1-01-" in href, href
    with phone.expect_navigation():
        row.click()
    expect(phone.locator("#crumbs")).to_contain_text("临汾居民区")
    shot(phone, "dashboard-phone-drill")
