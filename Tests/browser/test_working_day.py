"""A working day per role (issue 21), each walked through the pages' own links and forms, with a
screenshot at every main step (artifacts/screenshots/<role>_day__NN_<step>.png):

1. The residential-area cadre, on a 390 px phone (navigation folded in the ☰ menu): finds a
   person in 居民库 by name, notes on their page that he has lived alone for a month, which puts
   the household among today's 十必访 owed and on the overdue list; opens the visit form from that
   list (prefilled 十必访 · 独居老人), is refused beside the field for an empty summary, saves
   见到了 with a summary; today's figures move by one and the household leaves both lists.
2. Subdistrict staff, on a desktop: the dispatcher board narrowed by search, state, category,
   channel, area and the overdue switch; a resident's message filed, dispatched to 房管办 and
   recategorised with a reason (the timeline shows the change, everyone by display name); a new
   space open on working days registered (four weeks of slots), one slot of the next working day
   blocked with a reason (an empty reason refused beside the field), the first day past the four
   weeks opened from the opening hours, six weeks generated; 150 points credited in the time bank
   to the resident, found by name.
3. The department handler (房管办): the dispatched case in the inbox's 待签收 list, accepted and
   reported handled.
4. The property company, on a phone: once the subdistrict links its account and an inspection
   opens a rectification, it reports what was done and replies to a complaint; the subdistrict
   then closes (销号) the rectification.
5. The resident, on a phone: 约空间 shows what can be booked first; on the day with the blocked
   slot the new space comes first with two open times (the blocked one says why); books one; the
   time bank shows the 150 points; a reward too dear is refused with the sentence beside it,
   理发券 (100) is redeemed: balance 50, stock one less.

The tests share the session's server and build on each other in file order: the handler works
the case the staff dispatched, the resident books the space the staff set up and spends the
points the staff credited (a test whose earlier step did not run is skipped, saying so).
"""

from __future__ import annotations

import datetime
import random
import re

import pytest
from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, horizontal_overflow, login, open_menu, path_of
from test_register import api, id_number

PHONE = {"width": 390, "height": 844}
AREA = "310106019-1-01"               # 临汾居民区: the cadre's, the property account's, the resident's area
BUILDING_GROUP = "310106019-1-01-1-01"
RESIDENT_NAME = "吴强"                 # the demo resident's display name
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

# What the earlier role tests leave for the later ones (the module's tests run in file order).
DAY: dict = {}


# --------------------------------------------------------------------------- helpers


def today() -> datetime.date:
    return datetime.datetime.now(SHANGHAI).date()


def phone_page(new_context):
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2).new_page()


def fits(page, what: str) -> None:
    """The page does not scroll sideways on the phone (document scroll width ≤ 390)."""
    overflow = horizontal_overflow(page, PHONE["width"])
    assert overflow == 0, f"{what} ({path_of(page)}) is {overflow}px wider than the phone"


def go(page, locator) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    expect(locator).to_be_visible()
    with page.expect_navigation():
        locator.click()


def menu(page, text: str) -> None:
    """Follow a section of the main navigation; on a phone it is folded in the ☰ menu first."""
    open_menu(page)
    go(page, page.locator("#menu nav.tabs a", has_text=text))


def me(page) -> str:
    """The signed-in person's display name, as the header shows it (`李秀英 · 街道干部`)."""
    return page.locator("header a.me").inner_text().split("·")[0].strip()


def token(base: str, username: str) -> str:
    status, body = api(base, "POST", "/api/v1/auth/token", {"username": username, "password": DEMO_PASSWORD})
    assert status == 201, f"token {username}: {status} {body}"
    return body["token"]


def needs(key: str, step: str):
    if key not in DAY:
        pytest.skip(f"needs {step} (run the whole module: the tests build on each other)")
    return DAY[key]


# --------------------------------------------------------------------------- 1. the cadre


GIVEN_NAMES = ["明远", "守仁", "德福", "家宝", "振华", "国栋", "永年", "世昌"]


def register_elder(base: str) -> tuple[str, str]:
    """A household of one, an old man, at the cadre's first building group (set-up through the
    API, as the other browser tests do); returns (his name, the address)."""
    auth = token(base, "cadre")
    rng = random.Random()
    for _ in range(10):
        tag = rng.randrange(100, 999)
        name = "司徒" + rng.choice(GIVEN_NAMES)
        address = f"临汾路 1288 弄 {tag} 号"
        status, body = api(base, "POST", "/api/v1/registry/households", {
            "node": BUILDING_GROUP, "address": address, "moved_in_on": "1998-05-01",
            "members": [{"name": name, "id_number": id_number("110105", "19380512", tag | 1),
                         "relation": "head", "residence_status": "registered"}],
        }, auth)
        if status == 201:
            return name, address
    raise AssertionError(f"could not register a household: {status} {body}")


def overdue_count(page, category: str) -> int:
    cell = page.locator(f"#overdue-{category}")
    expect(cell).to_be_visible()
    return int(cell.inner_text().replace(",", ""))


def stat(page, label: str) -> int:
    """A figure of today's visits page (`.stat` with its label)."""
    card = page.locator(".stat", has_text=label)
    expect(card).to_have_count(1)
    return int(card.locator(".n").inner_text().replace(",", ""))


def test_cadre_phone_day(server, new_context, shot):
    base = server.base_url
    name, address = register_elder(base)
    page = phone_page(new_context)
    login(page, base, "cadre")
    fits(page, "the home page")
    # On the phone the sections are folded away: the menu is closed, its links hidden.
    assert page.locator("#menu").get_attribute("open") is None
    expect(page.locator("#menu nav.tabs")).to_be_hidden()
    shot(page, "home")

    # 居民库 from the folded menu: the area's page with the search box; find him by name.
    menu(page, "居民库")
    assert path_of(page).startswith("/registry"), page.url
    fits(page, "the register")
    # The box invites the given name alone (姓名从头匹配，也可只写名字).
    given = name[2:]
    page.locator("#search-q").fill(given)
    go(page, page.locator("#search-form button[type=submit]"))
    fits(page, "the search results")
    # A given name after a two-character surname (司徒, 欧阳…) is found too.
    expect(page.locator("#search-hits tbody tr", has_text=address)).to_have_count(1)
    shot(page, "found_by_given_name")
    page.locator("#search-q").fill(name)
    go(page, page.locator("#search-form button[type=submit]"))
    fits(page, "the search results")
    hit = page.locator("#search-hits tbody tr", has_text=address)
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text(name)
    shot(page, "found_by_name")
    go(page, hit.locator("td").first.locator("a"))
    expect(page.locator("#person-name")).to_have_text(name)
    assert path_of(page).startswith("/registry/persons/"), page.url
    fits(page, "the person page")
    shot(page, "person")

    # He has lived alone for a month: 独居老人 from that day (a 十必访 group, visited every 7 days).
    since = (today() - datetime.timedelta(days=30)).isoformat()
    page.locator("#give-tag > summary").click()
    page.locator("#give-tag-code").select_option("id.elderly.alone")
    page.locator("#give-tag-start").fill(since)
    go(page, page.locator("#give-tag-form button[type=submit]"))
    expect(page.locator("#tag-flash")).to_be_visible()
    expect(page.locator("#tag-history")).to_contain_text("独居老人")
    expect(page.locator("#tag-history")).to_contain_text(since)
    fits(page, "the person page after the tag")
    shot(page, "tagged_elderly_alone")

    # 民情日志: today's page counts his household among the 十必访 owed, 23 days late.
    menu(page, "民情日志")
    fits(page, "today's visits")
    done_before = stat(page, "今天已走访")
    owed_before = stat(page, "十必访待访")
    assert owed_before >= 1, "today's page owes no 十必访 visit"
    due = page.locator("#due-list li", has_text=address)
    expect(due).to_contain_text("逾期 23 天")
    assert "kind=must_visit" in due.locator("a").get_attribute("href")
    shot(page, "today")

    # 逾期: the overdue list, by category.
    go(page, page.locator("nav.subnav a", has_text="逾期"))
    fits(page, "the overdue list")
    before = overdue_count(page, "elderly_alone")
    assert before >= 1, "the household of a man living alone for a month is not overdue"
    go(page, page.locator("#must-visit-counts a", has_text="独居老人"))
    row = page.locator("#overdue-list li", has_text=address)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("逾期 23 天")
    link = row.locator("a")
    href = link.get_attribute("href")
    assert "kind=must_visit" in href and "category=elderly_alone" in href, href
    fits(page, "the category's overdue list")
    shot(page, "overdue_list")

    # The visit form comes prefilled: the household, 十必访, 独居老人, 见到了.
    go(page, link)
    expect(page.locator("#entry-household")).to_contain_text(address)
    expect(page.locator("#kind")).to_have_value("must_visit")
    expect(page.locator("#category")).to_have_value("elderly_alone")
    expect(page.locator("#outcome-met")).to_be_checked()
    fits(page, "the visit form")
    shot(page, "visit_form_prefilled")

    # Saved untouched: refused, the sentence beside the summary, the choices kept.
    go(page, page.locator("#save-visit"))
    expect(page.locator("#visit-error")).to_be_visible()
    beside = page.locator("#visit-form #summary + p.field-error")
    expect(beside).to_have_count(1)
    expect(beside).to_contain_text("请写下走访情况")
    expect(page.locator("#kind")).to_have_value("must_visit")
    expect(page.locator("#category")).to_have_value("elderly_alone")
    fits(page, "the refused visit form")
    shot(page, "visit_form_refused")

    # 见到了, a summary, saved.
    page.locator("label[for=outcome-met]").click()
    summary = "老人独居，身体尚可，子女每周来一次；提醒冬季用电安全。"
    page.locator("#summary").fill(summary)
    go(page, page.locator("#save-visit"))
    expect(page.locator("#visit-saved")).to_be_visible()
    expect(page.locator("#visit-outcome")).to_have_text("见到了")
    expect(page.locator("#visit-kind")).to_contain_text("独居老人")
    expect(page.locator("#visit-households")).to_contain_text(address)
    expect(page.locator("#visit-summary")).to_have_text(summary)
    fits(page, "the saved visit")
    shot(page, "visit_saved")

    # Today: one more visit done, one fewer owed, the household gone from the list.
    go(page, page.locator("nav.subnav a", has_text="今日"))
    assert stat(page, "今天已走访") == done_before + 1
    assert stat(page, "十必访待访") == owed_before - 1
    expect(page.locator("#due-list")).not_to_contain_text(address)
    expect(page.locator("#my-visits")).to_contain_text(address)
    fits(page, "today's visits after the visit")
    shot(page, "today_after_visit")

    # Off the overdue list: one fewer, and not in the category's list.
    go(page, page.locator("nav.subnav a", has_text="逾期"))
    assert overdue_count(page, "elderly_alone") == before - 1
    fits(page, "the overdue list after the visit")
    go(page, page.locator("#must-visit-counts a", has_text="独居老人"))
    expect(page.locator("#overdue-list")).not_to_contain_text(address)
    shot(page, "overdue_after_visit")


# --------------------------------------------------------------------------- 2. subdistrict staff


def board_filter(page, **fields) -> None:
    """Fill the dispatcher board's filter form (q, state, category, node, channel, overdue) and apply it."""
    form = page.locator("#board-filters")
    form.locator("#q").fill(fields.get("q", ""))
    for select in ("state", "category", "node", "channel"):
        form.locator(f"#{select}").select_option(fields.get(select, ""))
    form.locator("#overdue").set_checked(fields.get("overdue", False))
    go(page, form.locator("#board-filter"))


def week_days(page) -> list[tuple[str, str]]:
    """The week page's day links: (date, text), the text with ` · n` when the day has open slots."""
    return [(a.get_attribute("id").removeprefix("day-"), a.inner_text()) for a in page.locator("#days a").all()]


def day_with_slots(page) -> str:
    """The first day after today with open slots, this week or the next (the page moves there)."""
    for _ in range(2):
        for day, text in week_days(page):
            if day > today().isoformat() and "·" in text:
                return day
        go(page, page.locator("#week-nav a[rel=next]"))
    raise AssertionError("no day with slots in the coming two weeks")


def closed_day(page) -> str:
    """The first day after today without slots, this week or the next (the page moves there)."""
    page.goto(page.url.split("?")[0])
    for _ in range(2):
        for day, text in week_days(page):
            if day > today().isoformat() and "·" not in text:
                return day
        go(page, page.locator("#week-nav a[rel=next]"))
    raise AssertionError("no closed day in the coming two weeks of a resource open on working days")


def first_day_after(page, last: str) -> str:
    """The first working day after `last` (moving week by week until the page shows it)."""
    for _ in range(8):
        for day, text in week_days(page):
            weekday = datetime.date.fromisoformat(day).isoweekday()
            if day > last and weekday <= 5:
                return day
        go(page, page.locator("#week-nav a[rel=next]"))
    raise AssertionError(f"no working day after {last} within eight weeks")


def test_staff_desktop_day(server, new_context, shot):
    base = server.base_url
    tag = random.randrange(1000, 9999)

    # The resident's message (set-up through the API): reported under 楼道堆物 by mistake.
    marker = f"WD-{tag}"
    description = f"3号楼楼道的感应灯坏了一个多月，报修后物业一直没有来修，晚上上下楼很危险。（{marker}）"
    status, body = api(base, "POST", "/api/v1/cases", {
        "channel": "resident_message", "category_code": "E0404", "description": description, "address": "汾西路506弄3号",
    }, token(base, "resident"))
    assert status == 201, f"case: {status} {body}"
    case_path = f"/cases/{body['id']}"
    number = body["number"]

    page = new_context().new_page()
    login(page, base, "staff")
    staff_name = me(page)
    assert staff_name and staff_name != "staff", staff_name

    # The dispatcher board, narrowed to the message by every filter at once.
    menu(page, "诉求案件")
    expect(page.locator("h1")).to_have_text("派单台")
    shot(page, "board")
    board_filter(page, q=marker, state="reported", category="E0404", node=AREA, channel="resident_message")
    expect(page.locator("#case-total")).to_have_text("共 1 件")
    expect(page.locator("#cases li.case-row")).to_have_count(1)
    expect(page.locator(f'#cases a[href="{case_path}"]')).to_be_visible()
    shot(page, "board_filtered")
    # Only the overdue ones: a message of today is not; every case the switch lists is overdue.
    board_filter(page, q=marker, state="reported", overdue=True)
    expect(page.locator("#case-total")).to_have_text("共 0 件")
    board_filter(page, overdue=True)
    rows = page.locator("#cases li.case-row")
    expect(rows.first).to_be_visible()
    assert rows.count() == rows.filter(has=page.locator("span.badge.bad", has_text="超期")).count(), \
        "the overdue switch lists a case without the 超期 badge"
    shot(page, "board_overdue")
    # Another channel, another area: not there either.
    board_filter(page, q=marker, channel="hotline_12345")
    expect(page.locator("#case-total")).to_have_text("共 0 件")
    board_filter(page, q=marker, node="310106019-2-06")
    expect(page.locator("#case-total")).to_have_text("共 0 件")
    # Found by its number too.
    board_filter(page, q=number)
    expect(page.locator("#case-total")).to_have_text("共 1 件")
    go(page, page.locator(f'#cases a[href="{case_path}"]'))
    expect(page.locator("#case-state")).to_have_text("已受理")
    expect(page.locator("#case-description")).to_have_text(description)

    # File it, dispatch it to 房管办.
    go(page, page.locator("#action-file"))
    expect(page.locator("#case-state")).to_have_text("已立案")
    page.locator("#dispatch-department").select_option("fangguan")
    go(page, page.locator("#action-dispatch"))
    expect(page.locator("#case-state")).to_have_text("已派遣")
    expect(page.locator("#assignments")).to_contain_text("房管办")
    shot(page, "dispatched")

    # Recategorise with a reason: 楼道堆物 → 物业服务问题. Sent still on 楼道堆物 it is refused, the
    # sentence beside the category, the reason kept as typed.
    form = page.locator("#recategorise-form")
    expect(form).to_be_visible()
    expect(form.locator("#recategorise-category")).to_have_value("E0404")
    reason = "居民反映的是物业报修不及时，不是楼道堆物"
    form.locator("#recategorise-reason").fill(reason)
    go(page, form.locator("#recategorise-submit"))
    form = page.locator("#recategorise-form")
    expect(form.locator("#recategorise-category + p.field-error")).to_have_text("案件已经是这个类别，请选择另一个")
    expect(form.locator("#recategorise-reason")).to_have_value(reason)
    expect(page.locator("#timeline li.recategorised")).to_have_count(0)
    shot(page, "recategorise_refused")
    form.locator("#recategorise-category").select_option("E0401")
    go(page, form.locator("#recategorise-submit"))
    assert path_of(page) == case_path, page.url
    expect(page.locator("dl.facts")).to_contain_text("物业服务问题")
    expect(page.locator("#case-state")).to_have_text("已派遣")
    change = page.locator("#timeline li.recategorised")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("改类别：楼道堆物 → 物业服务问题")
    expect(change).to_contain_text(reason)
    expect(change.locator(".actor")).to_contain_text(f"{staff_name}（街道干部）")
    # Every step by the dispatcher's name, never the account's username.
    steps = page.locator("#timeline li")
    expect(steps).to_have_count(4)  # reported, filed, dispatched, recategorised
    for text in page.locator("#timeline li .actor").all_inner_texts()[1:]:
        assert staff_name in text and "staff" not in text, text
    shot(page, "recategorised")

    # The board knows the new category.
    menu(page, "诉求案件")
    board_filter(page, q=marker, category="E0401", state="dispatched")
    expect(page.locator(f'#cases a[href="{case_path}"]')).to_be_visible()
    board_filter(page, q=marker, category="E0404")
    expect(page.locator("#case-total")).to_have_text("共 0 件")
    DAY["case"] = case_path
    DAY["case_number"] = number

    # --- Slots: a new space (服务设置 has no link from 约空间 or the menu: opened by its address).
    menu(page, "约空间")
    expect(page.locator("h1")).to_have_text("约空间与志愿服务")
    page.goto(f"{base}/services/manage")
    resource_name = f"晨练活动室 {tag}"
    page.locator("summary", has_text="登记共享资源").click()
    form = page.locator("#manage-resources-form")
    for field, value in {
        "unit_name": "临汾路街道社区事务受理服务中心", "unit_kind": "机关", "name": resource_name, "category": "场地空间",
        "kind": "活动室", "place": "二楼 201 室", "node": AREA, "capacity": "20", "opening_hours": "1-5 07:00-10:00",
        "slot_minutes": "60", "rules": "用后复原桌椅",
    }.items():
        form.locator(f"#r-{field}").fill(value)
    form.locator("#r-bookers").select_option("all")
    go(page, form.locator("button[type=submit]"))
    expect(page.locator("#manage-done")).to_have_text("已创建。")
    shot(page, "resource_registered")

    # 约空间 → every resource → its week.
    page.goto(f"{base}/services")
    page.locator("#all-resources > summary").click()
    entry = page.locator("#resources li", has_text=resource_name)
    expect(entry).to_have_count(1)
    resource_id = entry.locator("a[id^=resource-]").get_attribute("id").removeprefix("resource-")
    go(page, entry.locator(f"#week-{resource_id}"))
    expect(page.locator("h1")).to_contain_text(resource_name)

    # The week: a new resource gets four weeks of slots on its opening days (Monday to Friday).
    info = page.locator("#week-info")
    expect(info).to_contain_text("1-5 07:00-10:00")
    through_before = re.search(r"时段已生成至 (\d{4}-\d{2}-\d{2})", info.inner_text()).group(1)
    shot(page, "week")

    # The next working day with slots: block 09:00. Without a reason it is refused beside the
    # field; with one it is blocked.
    day = day_with_slots(page)
    go(page, page.locator(f"#day-{day}"))
    slots = page.locator("#week-slots li.slot")
    expect(slots).to_have_count(3)
    for slot in slots.all():
        expect(slot).to_contain_text("可预约")
    last = slots.filter(has_text=re.compile(r"09:00 –"))
    slot_key = last.get_attribute("id").removeprefix("slot-")
    last.locator("details > summary").click()
    go(page, page.locator(f"#block-{slot_key}"))
    expect(page.locator("#slots-error")).to_be_visible()
    refusal = page.locator(f"#slot-{slot_key} p.field-error")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text("请写明占用原因")
    expect(page.locator(f"#slot-{slot_key} details")).to_have_attribute("open", "open")
    shot(page, "block_refused")
    page.locator(f"#reason-{slot_key}").fill("社区活动占用")
    go(page, page.locator(f"#block-{slot_key}"))
    expect(page.locator("#slots-done")).to_have_text("时段已标为占用。")
    expect(page.locator(f"#slot-{slot_key}")).to_contain_text("已占用：社区活动占用")
    # (The staff's day links count every slot of the day, blocked ones too: still "· 3".)
    shot(page, "slot_blocked")
    DAY["resource"] = {"id": resource_id, "name": resource_name, "date": day, "blocked": "社区活动占用"}

    # A weekend day has no slots and offers 按开放时间开放这一天; the opening hours do not cover it.
    weekend = closed_day(page)
    go(page, page.locator(f"#day-{weekend}"))
    expect(page.locator("#week-slots")).to_contain_text("这一天没有时段")
    go(page, page.locator("#open-day"))
    # A day outside the opening hours opens nothing, and the page says so beside the button.
    expect(page.locator("#week-slots li.slot")).to_have_count(0)
    expect(page.locator("#slots-done")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("这一天不在开放时间内，没有可开放的时段")
    shot(page, "weekend_open_refused")

    # The first day past the four generated weeks: no slots yet; open it from the opening hours.
    beyond = first_day_after(page, through_before)
    go(page, page.locator(f"#day-{beyond}"))
    expect(page.locator("#week-slots")).to_contain_text("这一天没有时段")
    go(page, page.locator("#open-day"))
    expect(page.locator("#slots-done")).to_have_text("已按开放时间开放这一天。")
    expect(page.locator("#week-slots li.slot")).to_have_count(3)
    expect(page.locator(f"#day-{beyond}")).to_contain_text("· 3")
    shot(page, "day_opened")

    # Generate six weeks ahead: new slots; the opened day and the blocked slot stay as they are.
    page.locator("#weeks").fill("6")
    go(page, page.locator("#generate"))
    done = page.locator("#slots-done")
    expect(done).to_contain_text("个新时段")
    created = int(re.search(r"已生成 (\d+) 个新时段", done.inner_text()).group(1))
    through_after = re.search(r"时段已生成至 (\d{4}-\d{2}-\d{2})", page.locator("#week-info").inner_text()).group(1)
    assert through_after > beyond, (through_before, beyond, through_after)
    # The working days of the two more weeks (less the day opened by hand), three slots each.
    assert created > 0 and created % 3 == 0, done.inner_text()
    shot(page, "weeks_generated")
    page.goto(f"{base}/services/resources/{resource_id}/week?date={beyond}")
    expect(page.locator("#week-slots li.slot")).to_have_count(3)
    page.goto(f"{base}/services/resources/{resource_id}/week?date={day}")
    expect(page.locator("#week-slots li.slot")).to_have_count(3)
    expect(page.locator(f"#slot-{slot_key}")).to_contain_text("已占用：社区活动占用")

    # --- The time bank: find the resident by name, credit 150 points.
    page.goto(f"{base}/services")
    go(page, page.locator("#ledger-people"))
    page.locator("#people-search #q").fill(RESIDENT_NAME)
    go(page, page.locator("#people-search button[type=submit]"))
    person = page.locator("#people li", has=page.locator('a[href="/services/ledger/people/resident"]'))
    expect(person).to_have_count(1)
    points_before = int(re.search(r"积分 (\d+) 积分", person.inner_text()).group(1))
    page.locator("#award-person").select_option("resident")
    page.locator("#award-unit").select_option("points")
    page.locator("#award-amount").fill("150")
    memo = f"楼组议事会志愿服务 3 次 {tag}"
    page.locator("#award-memo").fill(memo)
    shot(page, "award_form")
    go(page, page.locator("#award"))
    expect(page.locator("#ledger-done")).to_have_text("已记入。")
    person = page.locator("#people li", has=page.locator('a[href="/services/ledger/people/resident"]'))
    expect(person).to_contain_text(f"积分 {points_before + 150} 积分")
    go(page, person.locator("a"))
    expect(page.locator("#balance-points")).to_have_attribute("data-amount", str(points_before + 150))
    line = page.locator("#transfers tr.ledger-line", has_text=memo)
    expect(line).to_have_count(1)
    expect(line).to_contain_text("+150 积分")
    expect(line).to_contain_text(f"{staff_name}（街道干部）")
    shot(page, "points_awarded")
    DAY["points"] = points_before + 150
    DAY["memo"] = memo


# --------------------------------------------------------------------------- 3. the department


def test_handler_day(server, new_context, shot):
    base = server.base_url
    case_path = needs("case", "the staff test's dispatched case")
    page = new_context().new_page()
    login(page, base, "handler")
    handler_name = me(page)
    menu(page, "诉求案件")
    expect(page.locator("h1")).to_have_text("部门收件箱")
    expect(page.locator("#my-department")).to_have_text("房管办")
    go(page, page.locator("nav.subnav a", has_text="待签收"))
    row = page.locator("#cases li.case-row", has=page.locator(f'a[href="{case_path}"]'))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(DAY["case_number"])
    expect(row).to_contain_text("已派遣")
    shot(page, "inbox")

    go(page, row.locator("a"))
    expect(page.locator("#case-state")).to_have_text("已派遣")
    expect(page.locator("dl.facts")).to_contain_text("物业服务问题")
    expect(page.locator("#timeline li.recategorised")).to_contain_text("楼道堆物 → 物业服务问题")
    shot(page, "case_received")
    go(page, page.locator("#action-accept"))
    expect(page.locator("#case-state")).to_have_text("处置中")
    go(page, page.locator("#action-handle"))
    expect(page.locator("#case-state")).to_have_text("已处置")
    last = page.locator("#timeline li").last
    expect(last).to_contain_text("处置完毕")
    expect(last).to_contain_text(f"{handler_name}（职能部门）")
    shot(page, "handled")

    # No longer waiting to be received.
    page.goto(f"{base}/cases?state=dispatched")
    expect(page.locator(f'#cases a[href="{case_path}"]')).to_have_count(0)


# --------------------------------------------------------------------------- 4. the property company


def test_property_company_day(server, new_context, shot):
    base = server.base_url
    auth = token(base, "staff")
    status, companies = api(base, "GET", "/api/v1/oversight/companies", {}, auth)
    assert status == 200, f"companies: {status} {companies}"
    # A company in neither list, serving compounds, with a complaint on file.
    company = None
    for candidate in [c for c in companies if c["standing"] == "normal" and c["compounds"] > 0]:
        status, detail = api(base, "GET", f"/api/v1/oversight/companies/{candidate['id']}", {}, auth)
        assert status == 200, f"company: {status} {detail}"
        if detail["contracts"] and detail["complaints"]:
            company = candidate
            break
    assert company, "no company in the demo with contracts and a complaint"
    finding = f"3号楼消防通道堆放杂物 {random.randrange(1000, 9999)}"

    # The subdistrict links the company's account (the demo leaves it unlinked) and records an
    # inspection with a serious finding, which opens a rectification.
    staff = new_context().new_page()
    login(staff, base, "staff")
    menu(staff, "6543 治理")
    go(staff, staff.locator(f"#company-{company['id']} a"))
    expect(staff.locator("h1")).to_have_text(company["name"])
    staff.locator("#account-username").fill("property")
    go(staff, staff.locator("#account-form-submit"))
    expect(staff.locator("#linked-accounts")).to_contain_text("property")
    staff.select_option("#outcome", "serious")
    staff.fill("#finding", finding)
    go(staff, staff.locator("#inspect"))
    expect(staff.locator("#oversight-done")).to_have_text("检查已记录。")
    rectification = staff.locator("#rectifications li.rectification", has_text=finding)
    expect(rectification).to_contain_text("整改中")
    rectification_id = rectification.get_attribute("id").removeprefix("rectification-")
    shot(staff, "staff_linked_and_inspected")

    # The company, on a phone: 我的物业公司 from the menu; the open rectification with its form.
    page = phone_page(new_context)
    login(page, base, "property")
    company_name = me(page)
    fits(page, "the property company's home page")
    menu(page, "我的物业公司")
    expect(page.locator("h1")).to_have_text(company["name"])
    fits(page, "my company")
    item = page.locator(f"#rectification-{rectification_id}")
    expect(item).to_contain_text(finding)
    form = page.locator(f"#answer-{rectification_id}-form")
    expect(form).to_be_visible()
    shot(page, "my_company")
    report = "已清理3号楼消防通道的杂物，张贴了禁止堆放的告示，保安每天巡查。"
    form.locator(f"#answer-{rectification_id}-body").fill(report)
    go(page, form.locator(f"#answer-{rectification_id}-form-submit"))
    expect(page.locator("#oversight-done")).to_have_text("整改情况已报告，街道核实后销号。")
    answer = page.locator(f"#rectification-{rectification_id} li.answer")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text(report)
    expect(answer).to_contain_text(f"{company_name}（物业公司）")
    expect(answer).to_contain_text(today().isoformat())
    fits(page, "my company after the report")
    shot(page, "rectification_reported")

    # A complaint: reply to the first one on file.
    complaints = page.locator("#complaints li.complaint")
    expect(complaints.first).to_be_visible()
    complaint = complaints.first
    complaint_id = complaint.get_attribute("id").removeprefix("complaint-")
    replies = complaint.locator("li.answer").count()
    reply = "已派维修工上门检查，本周内修复，并向居民致歉。"
    complaint.locator(f"#reply-{complaint_id}-body").fill(reply)
    go(page, page.locator(f"#reply-{complaint_id}-form-submit"))
    expect(page.locator("#oversight-done")).to_have_text("投诉答复已提交。")
    answers = page.locator(f"#complaint-{complaint_id} li.answer")
    expect(answers).to_have_count(replies + 1)
    expect(answers.last).to_contain_text(reply)
    fits(page, "my company after the reply")
    shot(page, "complaint_replied")
    # What the complaint says is on the company's own page; the case page (with the submitter's
    # details) is not linked for the company.
    expect(page.locator(f"#complaint-{complaint_id} .complaint-text")).not_to_be_empty()
    expect(page.locator(f"#complaint-{complaint_id} > a")).to_have_count(0)
    shot(page, "complaint_text")

    # The subdistrict sees the report and closes the rectification (销号).
    staff.goto(f"{base}/oversight/companies/{company['id']}")
    item = staff.locator(f"#rectification-{rectification_id}")
    expect(item.locator("li.answer")).to_contain_text(report)
    staff.locator(f"#close-{rectification_id}-note").fill("现场核实，通道已清空")
    go(staff, staff.locator(f"#close-{rectification_id}-form-submit"))
    expect(staff.locator("#oversight-done")).to_have_text("整改已销号。")
    expect(staff.locator(f"#rectification-{rectification_id}")).to_contain_text("已完成")
    shot(staff, "staff_closed_rectification")


# --------------------------------------------------------------------------- 5. the resident


def test_resident_phone_day(server, new_context, shot):
    base = server.base_url
    resource = needs("resource", "the staff test's opened slots")
    page = phone_page(new_context)
    login(page, base, "resident")

    # 约空间 from the menu: what can be booked comes first.
    menu(page, "约空间")
    expect(page.locator("h1")).to_have_text("约空间与志愿服务")
    first_block = page.evaluate(
        "() => document.querySelector('#main h1').nextElementSibling && document.querySelector('#main h1').nextElementSibling.id")
    assert first_block == "available", f"the first thing under the title is #{first_block}, not what can be booked"
    expect(page.locator("#available #days a")).to_have_count(7)
    fits(page, "约空间")
    shot(page, "services_home")

    # The day with the blocked slot: the new space opens earliest (07:00), so it comes first, with
    # two open times (09:00 is blocked).
    go(page, page.locator(f"#available #day-{resource['date']}"))
    first = page.locator("#open-slots li.open-resource").first
    expect(first.locator(f"#open-{resource['id']}")).to_have_count(1)
    expect(first).to_contain_text("可约 2 个时段")
    fits(page, "the day's spaces")
    shot(page, "day_open")

    go(page, page.locator(f"#open-{resource['id']}"))
    expect(page.locator("h1")).to_have_text(resource["name"])
    expect(page.locator("#slot-0900")).to_contain_text(f"已占用：{resource['blocked']}")
    expect(page.locator("#slot-0900 form")).to_have_count(0)
    slot = page.locator("#slot-0700")
    slot.locator("input[name=purpose]").fill("楼组议事会")
    fits(page, "the space's day")
    shot(page, "resource_day")
    go(page, slot.locator("button[type=submit]"))
    expect(page.locator("#services-done")).to_have_text("预约已提交。")
    booking = page.locator("#bookings li.booking", has_text=resource["name"])
    expect(booking).to_have_count(1)
    expect(booking).to_contain_text("07:00")
    expect(booking).to_contain_text("已预约")
    fits(page, "约空间 after booking")
    shot(page, "booked")
    page.goto(f"{base}/services/resources/{resource['id']}?date={resource['date']}")
    expect(page.locator("#slot-0700")).to_contain_text("已约满")
    expect(page.locator("#slot-0800 form")).to_have_count(1)
    fits(page, "the space's day after booking")

    # The time bank: the points the subdistrict credited.
    points = needs("points", "the staff test's award")
    page.goto(f"{base}/services")
    go(page, page.locator("#my-ledger"))
    expect(page.locator("#balance-points")).to_have_attribute("data-amount", str(points))
    expect(page.locator("#balance-points")).to_have_text(f"{points} 积分")
    expect(page.locator("#transfers tr.ledger-line", has_text=DAY["memo"])).to_contain_text("+150 积分")
    fits(page, "the time bank")
    shot(page, "ledger")

    # A reward too dear for the balance is refused, and nothing changes.
    dear = page.locator("#rewards li", has_text="体检套餐")
    go(page, dear.locator("button[type=submit]"))
    expect(page.locator("#rewards li", has_text="体检套餐").locator("p.field-error")).to_have_text(
        f"余额不足：现有 {points}，需要 800")
    expect(page.locator("#balance-points")).to_have_attribute("data-amount", str(points))
    fits(page, "the refused redemption")
    shot(page, "redeem_refused")

    # 理发券 (100 points): redeemed, the balance and the stock drop.
    page.goto(f"{base}/services/ledger")
    reward = page.locator("#rewards li", has_text="理发券")
    stock = int(re.search(r"余 (\d+)", reward.inner_text()).group(1))
    go(page, reward.locator("button[type=submit]"))
    expect(page.locator("#ledger-done")).to_have_text("兑换成功。")
    expect(page.locator("#balance-points")).to_have_attribute("data-amount", str(points - 100))
    expect(page.locator("#rewards li", has_text="理发券")).to_contain_text(f"余 {stock - 1}")
    expect(page.locator("#transfers tr.ledger-line").first).to_contain_text("−100 积分")
    fits(page, "the time bank after redeeming")
    shot(page, "redeemed")
