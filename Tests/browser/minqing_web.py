"""What the browser tests know about Minqing's web pages (the web contract).

- GET /login: form#login-form with input[name=username], input[name=password],
  a hidden input[name=csrf] and button[type=submit]. POST /login redirects to /
  on success; a bad password re-renders the login page with a .flash-error.
- Every page: <html lang="zh-CN"> by default, lang="en" after a#lang-en (a cookie
  remembers it); a#lang-zh switches back; form#logout-form logs out (-> /login).
- GET /: the role's home page with an h1; logged out, it redirects to /login.
- GET /account/password: form#password-form with current_password, new_password,
  confirm_password.
- Six wrong passwords in a row for one account: the 6th attempt answers 429.
- GET /grid: the caller's grid subtree; GET /grid/{code}: a node; out of scope: 404.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Page, Response, expect

DEMO_PASSWORD = "Demo-Pass-2026"
ROLES = [
    "admin", "staff", "cadre", "gridworker", "handler",
    "property", "committee", "volunteer", "resident",
]
LOGIN_URL = re.compile(r"/login(\?.*)?$")


def path_of(page: Page) -> str:
    return urlparse(page.url).path


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def has_latin_word(text: str) -> bool:
    return re.search(r"[A-Za-z]{2,}", text) is not None


def html_lang(page: Page) -> str | None:
    return page.locator("html").get_attribute("lang")


def open_login(page: Page, base_url: str) -> Response:
    response = page.goto(f"{base_url}/login")
    assert response is not None and response.status == 200, \
        f"GET /login answered {response.status if response else None}"
    expect(page.locator("form#login-form")).to_be_visible()
    return response


def submit_login(page: Page, username: str, password: str) -> Response:
    """Fill and submit the login form on the current page; returns the
    navigation's final response (after any redirect)."""
    form = page.locator("form#login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None, "the login form did not navigate"
    return response


def login(page: Page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> Response:
    """Log in through the form and land on the home page."""
    open_login(page, base_url)
    response = submit_login(page, username, password)
    assert path_of(page) == "/", (
        f"logging in as {username!r} landed on {page.url} (HTTP {response.status}), not /; "
        f"page says: {page.locator('body').inner_text()[:300]!r}"
    )
    assert response.status == 200, f"home page answered {response.status}"
    expect(page.locator("h1").first).to_be_visible()
    return response


def logout(page: Page) -> None:
    button = page.locator("form#logout-form [type=submit]")
    with page.expect_navigation():
        button.click()
    expect(page).to_have_url(LOGIN_URL)


def switch_language(page: Page, lang: str) -> None:
    """Click a#lang-en or a#lang-zh and wait for the page to come back in that language."""
    link_id, expected = {"en": ("lang-en", "en"), "zh": ("lang-zh", "zh-CN")}[lang]
    with page.expect_navigation():
        page.locator(f"a#{link_id}").click()
    expect(page.locator("html")).to_have_attribute("lang", expected)


def open_menu(page: Page) -> None:
    """On a phone the main navigation is folded into `<details id="menu">`: unfold it (a no-op
    where the sections already show, from 760 px)."""
    summary = page.locator("#menu > summary")
    if summary.is_visible() and page.locator("#menu").get_attribute("open") is None:
        summary.click()
    expect(page.locator("#menu nav.tabs")).to_be_visible()


def horizontal_overflow(page: Page, viewport_width: int) -> int:
    """How many CSS pixels the document is wider than the viewport (0 = no sideways scroll)."""
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    return max(0, scroll_width - viewport_width)


def grid_links(page: Page) -> list[str]:
    """The /grid/{code} links on the page (their href attributes), in order, once each."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    seen: list[str] = []
    for href in hrefs:
        if re.fullmatch(r"/grid/[^/]+", href) and href not in seen:
            seen.append(href)
    return seen
