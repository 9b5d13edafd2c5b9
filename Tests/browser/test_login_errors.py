"""Wrong passwords: an error on the login page, and six in a row answer 429."""

from playwright.sync_api import expect

from minqing_web import (
    DEMO_PASSWORD, LOGIN_URL, html_lang, open_login, path_of, submit_login,
)


def test_wrong_password_shows_error(server, page, shot):
    base = server.base_url
    open_login(page, base)
    response = submit_login(page, "resident", "not-the-password")
    assert response.status != 429
    assert path_of(page) != "/", "a wrong password logged the user in"
    expect(page.locator("form#login-form")).to_be_visible()
    error = page.locator(".flash-error").first
    expect(error).to_be_visible()
    assert error.inner_text().strip(), "the .flash-error is empty"
    assert html_lang(page) == "zh-CN"
    # The password is not echoed back into the form.
    assert page.locator("form#login-form input[name=password]").input_value() == ""
    shot(page, "wrong_password_error_zh")

    # An unknown account gets an error too (and no session).
    response = submit_login(page, "no-such-user", "not-the-password")
    expect(page.locator(".flash-error").first).to_be_visible()
    shot(page, "unknown_user_error_zh")
    page.goto(f"{base}/")
    expect(page).to_have_url(LOGIN_URL)


def test_six_wrong_passwords_answer_429(fresh_server, page, shot):
    base = fresh_server.base_url
    open_login(page, base)
    for attempt in range(1, 6):
        response = submit_login(page, "volunteer", f"wrong-password-{attempt}")
        assert response.status != 429, f"attempt {attempt} was already refused with 429"
        expect(page.locator(".flash-error").first).to_be_visible()
    shot(page, "after_5_wrong_passwords")

    response = submit_login(page, "volunteer", "wrong-password-6")
    assert response.status == 429, f"the 6th wrong password answered {response.status}, not 429"
    message = page.locator(".flash-error, h1").first
    expect(message).to_be_visible()
    assert message.inner_text().strip(), "the 429 page says nothing"
    shot(page, "sixth_wrong_password_429")

    # While the lock holds, even the right password does not get in.
    open_login(page, base)
    response = submit_login(page, "volunteer", DEMO_PASSWORD)
    assert path_of(page) != "/", "the locked account logged in with the right password"
    assert response.status == 429, f"the locked account's login answered {response.status}"
    shot(page, "locked_account_right_password_429")
