"""Change a password through the form; the old one stops working, the new one works."""

from playwright.sync_api import expect

from minqing_web import DEMO_PASSWORD, login, open_login, path_of, submit_login

NEW_PASSWORD = "Neu-Pass-2026-Linfen"


def submit_password_form(page, current, new, confirm):
    form = page.locator("form#password-form")
    form.locator("input[name=current_password]").fill(current)
    form.locator("input[name=new_password]").fill(new)
    form.locator("input[name=confirm_password]").fill(confirm)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    return navigation.value


def test_change_password(fresh_server, new_context, shot):
    base = fresh_server.base_url
    page = new_context().new_page()
    login(page, base, "resident")
    page.goto(f"{base}/account/password")
    expect(page.locator("form#password-form")).to_be_visible()
    shot(page, "password_form_zh")

    # A confirmation that does not match is refused, with a message.
    response = submit_password_form(page, DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert response.status >= 400, f"a mismatched confirmation answered {response.status}"
    expect(page.locator(".field-error, .flash-error").first).to_be_visible()
    shot(page, "password_mismatch_error")

    page.goto(f"{base}/account/password")
    response = submit_password_form(page, DEMO_PASSWORD, NEW_PASSWORD, NEW_PASSWORD)
    problems = page.locator(".field-error, .flash-error")
    assert response.status < 400 and problems.count() == 0, (
        f"changing the password answered {response.status}: "
        f"{problems.all_inner_texts() if problems.count() else ''}"
    )
    shot(page, "password_changed")

    # Another browser: the old password fails, the new one works.
    other = new_context().new_page()
    open_login(other, base)
    submit_login(other, "resident", DEMO_PASSWORD)
    assert path_of(other) != "/", "the old password still works"
    expect(other.locator(".flash-error").first).to_be_visible()
    login(other, base, "resident", NEW_PASSWORD)
    shot(other, "login_with_new_password")
