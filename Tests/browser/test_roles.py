"""Every demo account logs in and gets its role's home page."""

import pytest
from playwright.sync_api import expect

from minqing_web import ROLES, has_cjk, horizontal_overflow, login


@pytest.mark.parametrize("role", ROLES)
def test_role_home_page(server, page, shot, role):
    login(page, server.base_url, role)
    heading = page.locator("h1").first
    expect(heading).to_be_visible()
    assert has_cjk(heading.inner_text()), f"{role}'s home page h1 is not in Chinese"
    expect(page.locator("form#logout-form")).to_be_visible()
    assert horizontal_overflow(page, 1280) == 0
    shot(page, f"{role}_home_zh")
