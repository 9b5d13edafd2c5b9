"""A phone-sized screen: the login and home pages fit without sideways scrolling."""

from playwright.sync_api import expect

from minqing_web import horizontal_overflow, login, open_login, switch_language

PHONE = {"width": 390, "height": 844}


def test_phone_login_as_cadre(server, new_context, shot):
    base = server.base_url
    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()

    open_login(page, base)
    assert horizontal_overflow(page, PHONE["width"]) == 0, "the login page scrolls sideways"
    shot(page, "phone_login_zh")

    login(page, base, "cadre")
    expect(page.locator("h1").first).to_be_visible()
    overflow = horizontal_overflow(page, PHONE["width"])
    assert overflow == 0, f"the cadre's home page is {overflow}px wider than the phone"
    shot(page, "phone_cadre_home_zh")

    # English words are longer: the page must still fit.
    switch_language(page, "en")
    overflow = horizontal_overflow(page, PHONE["width"])
    assert overflow == 0, f"the English home page is {overflow}px wider than the phone"
    shot(page, "phone_cadre_home_en")
