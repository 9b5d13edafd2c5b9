"""The register (居民库) on a phone: a residential-area cadre opens 居民库, drills down to a
building group, opens a household and a person, shows the ID number with a stated purpose (once),
looks at the tag catalogue, and builds and saves a smart group.

The test registers its own household through the API first, so it does not depend on what the
demo register holds (or whether the demo has one at all)."""

from __future__ import annotations

import json
import random
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, open_menu, path_of, switch_language

PHONE = {"width": 390, "height": 844}
AREA = "310106019-1-01"          # the cadre's residential area
MICRO_GRID = "310106019-1-01-1"
BUILDING_GROUP = "310106019-1-01-1-01"
PHONE_NUMBER = "13912345678"


def id_number(region: str, birth: str, sequence: int) -> str:
    """A valid 18-digit resident ID number (GB 11643 check character)."""
    body = f"{region}{birth}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(body, weights))
    return body + "10X98765432"[total % 11]


def api(base: str, method: str, path: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path, method=method, data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def register_household(base: str) -> tuple[str, str, str]:
    """Registers a household of two at the building group; returns (address, head's name, head's ID number)."""
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, f"token: {status} {body}"
    token = body["token"]
    rng = random.Random()
    for _ in range(10):
        # A Beijing region code and the 1940s keep clear of the demo's Shanghai numbers.
        tag = rng.randrange(100, 999)
        head = id_number("110105", "19450317", tag if tag % 2 else tag + 1)          # odd: male
        spouse = id_number("110105", "19470902", tag if tag % 2 == 0 else tag + 1)  # even: female
        address = f"浏览器测试 汾西路 99 弄 {tag} 号"
        status, body = api(base, "POST", "/api/v1/registry/households", {
            "node": BUILDING_GROUP, "address": address, "moved_in_on": "2001-10-01",
            "members": [
                {"name": "周卫国", "id_number": head, "phone": PHONE_NUMBER, "relation": "head", "residence_status": "registered"},
                {"name": "吴桂兰", "id_number": spouse, "relation": "spouse", "residence_status": "registered"},
            ],
        }, token)
        if status == 201:
            api(base, "DELETE", "/api/v1/auth/token", {}, token)
            return address, "周卫国", head
        assert status == 422 and "already" in json.dumps(body), f"household: {status} {body}"
    raise AssertionError("no free ID number after ten tries")


def fits(page, what: str) -> None:
    overflow = horizontal_overflow(page, PHONE["width"])
    assert overflow == 0, f"{what} is {overflow}px wider than the phone"


def click_to(page, locator, expected_path: str | re.Pattern) -> None:
    with page.expect_navigation() as navigation:
        locator.click()
    assert navigation.value is not None and navigation.value.status == 200, \
        f"{page.url} answered {navigation.value.status if navigation.value else None}"
    if isinstance(expected_path, str):
        assert path_of(page) == expected_path, f"landed on {page.url}, expected {expected_path}"
    else:
        assert expected_path.fullmatch(path_of(page)), f"landed on {page.url}"


def test_register_on_a_phone(server, new_context, shot):
    base = server.base_url
    address, head_name, head_id = register_household(base)
    masked = head_id[:1] + "*" * 16 + head_id[-1:]  # first and last digit only

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "cadre")

    # 居民库 in the navigation (folded in the menu on a phone) → the cadre's residential area.
    open_menu(page)
    nav = page.locator("nav.tabs a[href='/registry']")
    expect(nav).to_have_text("居民库")
    click_to(page, nav, f"/registry/nodes/{AREA}")
    expect(page.locator("h1")).to_contain_text("居民区")
    expect(page.locator("#registry-figures #fig-households .n")).to_be_visible()
    expect(page.locator("#registry-children")).to_be_visible()
    fits(page, "the residential area's register page")
    shot(page, "area")

    # Drill down: micro-grid, then building group.
    click_to(page, page.locator(f"#registry-children a[href='/registry/nodes/{MICRO_GRID}']"), f"/registry/nodes/{MICRO_GRID}")
    expect(page.locator("#households")).to_be_visible()
    fits(page, "the micro-grid's register page")
    shot(page, "micro_grid")
    click_to(page, page.locator(f"#registry-children a[href='/registry/nodes/{BUILDING_GROUP}']"), f"/registry/nodes/{BUILDING_GROUP}")
    expect(page.locator("h1 .badge")).to_have_text("楼组")
    link = page.locator("#households a", has_text=address)
    while link.count() == 0 and page.locator("a[rel=next]").count() > 0:
        click_to(page, page.locator("a[rel=next]").first, f"/registry/nodes/{BUILDING_GROUP}")
        link = page.locator("#households a", has_text=address)
    expect(link).to_have_count(1)
    row = page.locator("#households tbody tr").filter(has_text=address)
    expect(row).to_contain_text(head_name)
    expect(row.locator("td.num")).to_have_text("2")
    fits(page, "the building group's register page")
    shot(page, "building_group")

    # The household: members with masked numbers only.
    click_to(page, link, re.compile(r"/registry/households/[0-9A-Fa-f-]{36}"))
    expect(page.locator("h1#household-address")).to_have_text(address)
    members = page.locator("table#members")
    expect(members).to_contain_text("户主")
    expect(members).to_contain_text("配偶")
    expect(members).to_contain_text(masked)
    expect(members).to_contain_text("139****5678")
    body = page.locator("body").inner_text()
    assert head_id not in body and PHONE_NUMBER not in body, "a plain number on the household page"
    expect(page.locator("table#aid")).to_be_visible()
    fits(page, "the household page")
    shot(page, "household")

    # The person, then the full ID number with a stated purpose.
    click_to(page, members.locator("a", has_text=head_name), re.compile(r"/registry/persons/[0-9A-Fa-f-]{36}"))
    person_path = path_of(page)
    expect(page.locator("h1#person-name")).to_have_text(head_name)
    expect(page.locator("#person-id-number")).to_have_text(masked)
    form = page.locator("form#reveal-form")
    expect(form).to_be_visible()
    fits(page, "the person page")
    shot(page, "person")
    form.locator("select[name=field]").select_option("id_number")
    form.locator("select[name=purpose]").select_option("verification")
    form.locator("input[name=purpose_detail]").fill("核实身份，办理高龄津贴")
    shot(page, "reveal_form_filled")
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    assert navigation.value.status == 200, f"the reveal answered {navigation.value.status}"
    expect(page.locator("#revealed-value")).to_have_text(head_id)
    assert navigation.value.headers.get("cache-control") == "no-store"
    fits(page, "the revealed number page")
    shot(page, "revealed")

    # Once: opening the person page again shows the masked number only.
    response = page.goto(base + person_path)
    assert response is not None and response.status == 200
    expect(page.locator("#revealed")).to_have_count(0)
    assert head_id not in page.locator("body").inner_text()

    # The tag catalogue: three kinds, each a nested list.
    response = page.goto(f"{base}/registry/tags")
    assert response is not None and response.status == 200
    for kind in ("identity", "service", "management"):
        expect(page.locator(f"section#tags-{kind} h2")).to_be_visible()
    fits(page, "the tag catalogue")
    shot(page, "tags")

    # The smart-group builder: an expression error sits next to its field.
    response = page.goto(f"{base}/registry/smart-groups")
    assert response is not None and response.status == 200
    builder = page.locator("form#smart-group-form")
    builder.locator("input[name=expression]").fill("id.elderly_alone AND (")
    with page.expect_navigation():
        builder.locator("button[type=submit]").click()
    expect(page.locator("#error-expression")).to_be_visible()
    expect(page.locator("#preview")).to_have_count(0)
    fits(page, "the builder with an error")
    shot(page, "smart_group_error")

    # A valid preview: everyone aged 75 or over in the building group.
    builder = page.locator("form#smart-group-form")
    builder.locator("input[name=expression]").fill("")
    builder.locator("input[name=node]").fill(BUILDING_GROUP)
    builder.locator("input[name=min_age]").fill("75")
    with page.expect_navigation():
        builder.locator("button[type=submit]").click()
    expect(page.locator("#preview-total")).to_contain_text("预览：共")
    expect(page.locator("#preview-members")).to_contain_text(head_name)
    expect(page.locator("#preview-members")).to_contain_text(masked)
    fits(page, "the builder's preview")
    shot(page, "smart_group_preview")

    save = page.locator("form#smart-group-save")
    save.locator("input[name=name]").fill("楼组高龄老人")
    with page.expect_navigation() as navigation:
        save.locator("button[type=submit]").click()
    assert navigation.value.status == 200
    assert re.fullmatch(r"/registry/smart-groups/[0-9A-Fa-f-]{36}", path_of(page)), page.url
    expect(page.locator("h1#group-name")).to_have_text("楼组高龄老人")
    expect(page.locator("#group-members")).to_contain_text(head_name)
    export = page.locator("a#export-csv")
    href = export.get_attribute("href")
    assert href == f"/api/v1/registry/smart-groups/{path_of(page).rsplit('/', 1)[1]}/export"
    csv = page.request.get(base + href)   # the session cookie is enough for a GET
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert head_name in csv.text() and head_id not in csv.text()
    fits(page, "the saved group")
    shot(page, "smart_group_saved")

    # The same group in English.
    switch_language(page, "en")
    expect(page.locator("#group-total")).to_contain_text("Members:")
    expect(page.locator("nav.tabs a[href='/registry']")).to_have_text("Register")
    fits(page, "the saved group in English")
    shot(page, "smart_group_saved_en")
