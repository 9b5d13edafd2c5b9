"""The import wizard (导入向导) on a phone: a residential-area cadre opens it from the register,
chooses 住户 (households), uploads a CSV with two bad rows and sees each listed with its line,
column and reason (nothing written), uploads the corrected file, confirms, and the household and
its head are in the register. The file never comes back in the page."""

from __future__ import annotations

import random

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, login, open_menu, switch_language
from test_register import AREA, BUILDING_GROUP, PHONE, api, click_to, fits, id_number

HEADER = "楼组编码,地址,单元,室号,迁入日期,户主姓名,户主身份证号,户主手机号,户主居住状态"
OUTSIDE = "310106019-1-02-1-01"   # another residential area: outside the cadre's scope


def csv_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def test_import_wizard_on_a_phone(server, new_context, shot):
    base = server.base_url
    rng = random.Random()
    # A Tianjin region code and the 1950s keep clear of the demo's and the other tests' numbers.
    sequence = rng.randrange(100, 998)
    head = id_number("120101", f"195{rng.randrange(0, 10)}0{rng.randrange(1, 10)}1{rng.randrange(0, 10)}", sequence | 1)
    wrong = head[:-1] + ("0" if head[-1] != "0" else "1")
    address = f"浏览器导入 汾西路 88 弄 {sequence} 号"

    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()
    login(page, base, "cadre")
    open_menu(page)
    click_to(page, page.locator("nav.tabs a[href='/registry']"), f"/registry/nodes/{AREA}")
    click_to(page, page.locator("a#node-import"), "/registry/import")
    expect(page.locator("h1")).to_have_text("导入向导")
    expect(page.locator("#import-steps li.current")).to_contain_text("选择并上传")
    fits(page, "the wizard's first step")
    shot(page, "choose")

    # Step 1 → 2 with a file holding two bad rows.
    form = page.locator("form#import-form")
    form.locator("label[for=kind-households]").click()
    expect(page.locator("#kind-households")).to_be_checked()
    bad = "\n".join([
        HEADER,
        f"{BUILDING_GROUP},{address},,,2001-10-01,赵建华,{wrong},13912340000,户籍",
        f"{OUTSIDE},灵石路 1 号,,,,,,,",
        "",
    ])
    form.locator("input#import-file").set_input_files(csv_file("住户.csv", bad))
    shot(page, "bad_file_chosen")
    with page.expect_navigation() as navigation:
        form.locator("button#import-check").click()
    assert navigation.value.status == 422, f"the check answered {navigation.value.status}"
    expect(page.locator("#check-failed")).to_contain_text("未写入任何数据")
    errors = page.locator("table#import-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("td").nth(0)).to_have_text("2")
    expect(errors.nth(0)).to_contain_text("户主身份证号")
    expect(errors.nth(1).locator("td").nth(0)).to_have_text("3")
    expect(errors.nth(1)).to_contain_text("不在您的管辖范围内")
    expect(page.locator("form#confirm-form")).to_have_count(0)
    body = page.locator("body").inner_text()
    assert wrong not in body and "13912340000" not in body, "the file's numbers came back in the page"
    fits(page, "the check with bad rows")
    shot(page, "bad_rows")

    # Upload the corrected file from the same page; the kind stays chosen.
    form = page.locator("form#import-form")
    expect(page.locator("#kind-households")).to_be_checked()
    good = "\n".join([HEADER, f"{BUILDING_GROUP},{address},,,2001-10-01,赵建华,{head},13912340000,户籍", ""])
    form.locator("input#import-file").set_input_files(csv_file("住户-改正.csv", good))
    with page.expect_navigation() as navigation:
        form.locator("button#import-check").click()
    assert navigation.value.status == 200, f"the check answered {navigation.value.status}"
    expect(page.locator("#check-ok")).to_contain_text("1 行、1 户、1 名户主")
    expect(page.locator("#import-steps li.current")).to_contain_text("检查")
    expect(page.locator("#import-file-facts")).to_contain_text("住户-改正.csv")
    body = page.locator("body").inner_text()
    assert head not in body and address not in body, "the file's content came back in the page"
    fits(page, "the clean check")
    shot(page, "checked")

    # Step 3: confirm.
    with page.expect_navigation() as navigation:
        page.locator("button#import-confirm").click()
    assert navigation.value.status == 200, f"the import answered {navigation.value.status}"
    expect(page.locator("#import-done")).to_contain_text("已导入")
    expect(page.locator("#import-steps li.current")).to_contain_text("导入")
    fits(page, "the result")
    shot(page, "done")

    # The head is in the register, found by the ID number (masked on the person page).
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": "cadre", "password": DEMO_PASSWORD})
    assert status == 201, body
    status, person = api(base, "POST", "/api/v1/registry/persons/lookup", {"id_number": head}, body["token"])
    assert status == 200, person
    assert person["name"] == "赵建华" and person["relation"] == "head"
    response = page.goto(f"{base}/registry/persons/{person['id']}")
    assert response is not None and response.status == 200
    expect(page.locator("#person-id-number")).to_have_text(head[:1] + "*" * 16 + head[-1:])
    expect(page.locator("#person-household")).to_have_text(address)

    # The wizard in English.
    response = page.goto(f"{base}/registry/import")
    assert response is not None and response.status == 200
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Import wizard")
    expect(page.locator("label[for=kind-dwellings]")).to_contain_text("Dwellings and owners")
    fits(page, "the wizard in English")
    shot(page, "choose_en")
