"""Log in as admin in Chinese, switch to English (remembered across reloads and
logout), log out, and switch back to Chinese."""

from playwright.sync_api import expect

from minqing_web import (
    LOGIN_URL, has_cjk, has_latin_word, html_lang, login, logout, path_of, switch_language,
)


def test_admin_login_switch_language_and_logout(server, page, shot):
    base = server.base_url

    # Logged out, / sends the visitor to the login page, in Chinese by default.
    page.goto(f"{base}/")
    expect(page).to_have_url(LOGIN_URL)
    assert html_lang(page) == "zh-CN"
    expect(page.locator("body")).to_contain_text("登录")
    form = page.locator("form#login-form")
    expect(form.locator("input[name=username]")).to_be_visible()
    expect(form.locator("input[name=password]")).to_have_attribute("type", "password")
    csrf = form.locator("input[name=csrf]")
    expect(csrf).to_have_attribute("type", "hidden")
    assert (csrf.get_attribute("value") or "").strip(), "the login form's CSRF token is empty"
    expect(form.locator("button[type=submit]")).to_be_visible()
    shot(page, "login_page_zh")

    # Log in: the admin's home page, in Chinese.
    login(page, base, "admin")
    assert html_lang(page) == "zh-CN"
    heading_zh = page.locator("h1").first.inner_text().strip()
    assert has_cjk(heading_zh), f"the Chinese home page's h1 has no Chinese: {heading_zh!r}"
    shot(page, "admin_home_zh")

    # Switch to English.
    switch_language(page, "en")
    assert path_of(page) == "/", f"switching language left the home page for {page.url}"
    heading_en = page.locator("h1").first.inner_text().strip()
    assert has_latin_word(heading_en), f"the English home page's h1 has no English: {heading_en!r}"
    assert heading_en != heading_zh
    shot(page, "admin_home_en")

    # The choice is remembered across a reload and on other pages.
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("h1").first.inner_text().strip() == heading_en
    shot(page, "admin_home_en_after_reload")

    response = page.goto(f"{base}/account/password")
    assert response is not None and response.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    password_form = page.locator("form#password-form")
    for name in ("current_password", "new_password", "confirm_password"):
        expect(password_form.locator(f"input[name={name}]")).to_have_attribute("type", "password")
    expect(password_form.locator("input[name=csrf]")).to_have_attribute("type", "hidden")
    shot(page, "password_form_en")

    # Log out: back on the login page, still in English, and / is closed again.
    logout(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    shot(page, "login_page_en_after_logout")
    page.goto(f"{base}/")
    expect(page).to_have_url(LOGIN_URL)

    # And back to Chinese.
    switch_language(page, "zh")
    expect(page.locator("body")).to_contain_text("登录")
    shot(page, "login_page_zh_again")
