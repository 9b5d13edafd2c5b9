"""社区大脑 in the browser: the subdistrict staff open the dashboard from the home page in Chinese,
see the five domains with SVG charts above their data tables, drill down from a sub-node's row
to that node's dashboard and from the open-cases figure to the case list behind it, then read
it in English; an area cadre reads their area's dashboard on a phone without sideways scroll.
Screenshots are kept under artifacts/screenshots/."""

from __future__ import annotations

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, path_of

PHONE = {"width": 390, "height": 844}


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
    for domain in ["公共管理", "公共服务", "社会参与"]:
        expect(page.locator("#domains")).to_contain_text(domain)
    assert page.locator("svg.chart").count() >= 8, "every panel draws its charts"
    expect(page.locator("#chart-population-by_child title").first).to_have_text("下级网格的住户与居民")
    expect(page.locator("#table-population-by_child tbody tr").first).to_be_visible()
    persons = page.locator("[data-figure='population.persons'] .n").inner_text()
    assert persons.replace(",", "").isdigit() and int(persons.replace(",", "")) > 0, persons
    expect(page.locator("#chart-micro_grids-cells")).to_be_visible()
    shot(page, "dashboard-zh")

    # Drill down: the first block's row → that block's dashboard, inside the staff's scope.
    first_row = page.locator("#table-population-by_child tbody tr a").first
    block_name = first_row.inner_text()
    with page.expect_navigation():
        first_row.click()
    assert "node=310106019-1" in page.url, page.url
    expect(page.locator("h1")).to_contain_text(block_name)
    expect(page.locator("#crumbs")).to_contain_text("临汾路街道")
    shot(page, "dashboard-block")

    # Drill into a figure: the open cases → the case list filtered to open cases.
    with page.expect_navigation():
        page.locator("[data-figure='cases.open'] a").click()
    assert path_of(page) == "/cases" and "status=open" in page.url, page.url
    expect(page.locator("h1")).to_be_visible()
    shot(page, "dashboard-drill-cases")

    # In English.
    page.goto(f"{base}/dashboard")
    with page.expect_navigation():
        page.locator("#lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Community dashboard")
    expect(page.locator("#domains")).to_contain_text("Public management")
    expect(page.locator("#chart-population-by_child title").first).to_have_text("Households and residents by sub-node")
    shot(page, "dashboard-en")

    # One report alone, printable, with its CSV.
    page.goto(f"{base}/dashboard/panels/aid")
    expect(page.locator("#panel-aid")).to_be_visible()
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
    assert horizontal_overflow(phone, PHONE["width"]) == 0, "the dashboard scrolls sideways on a phone"
    # A micro-grid's cell in the heat grid drills down to that micro-grid.
    cell = phone.locator("#chart-micro_grids-cells a").first
    href = cell.get_attribute("href")
    assert href and "node=310106019-1-01-" in href, href
    phone.goto(base + href)
    expect(phone.locator("#crumbs")).to_contain_text("临汾居民区")
    shot(phone, "dashboard-phone")
