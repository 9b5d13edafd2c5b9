"""The grid tree browser: a staff member browses their subtree; a residential-area
cadre gets 404 for a node outside theirs."""

import re

from playwright.sync_api import expect

from minqing_web import grid_links, login, path_of


def test_grid_browser_and_scope(server, new_context, shot):
    base = server.base_url

    staff = new_context().new_page()
    login(staff, base, "staff")
    response = staff.goto(f"{base}/grid")
    assert response is not None and response.status == 200, f"GET /grid answered {response.status}"
    expect(staff.locator("h1").first).to_be_visible()
    # /grid may redirect to /grid/{the caller's root}: that node is outside a cadre's subtree too.
    staff_root = [path_of(staff)] if re.fullmatch(r"/grid/[^/]+", path_of(staff)) else []
    staff_links = grid_links(staff)
    assert staff_links, "the staff member's /grid page links to no /grid/{code} node"
    shot(staff, "staff_grid_tree")

    with staff.expect_navigation() as navigation:
        staff.locator(f'a[href="{staff_links[0]}"]').first.click()
    assert navigation.value.status == 200, f"{staff_links[0]} answered {navigation.value.status}"
    assert path_of(staff) == staff_links[0]
    expect(staff.locator("h1").first).to_be_visible()
    shot(staff, "staff_grid_node")

    cadre = new_context().new_page()
    login(cadre, base, "cadre")
    response = cadre.goto(f"{base}/grid")
    assert response is not None and response.status == 200
    cadre_links = grid_links(cadre) + [path_of(cadre)]
    shot(cadre, "cadre_grid_tree")

    outside = [link for link in staff_root + staff_links if link not in cadre_links]
    assert outside, "every node on the staff member's /grid page is also on the cadre's"
    response = cadre.goto(f"{base}{outside[0]}")
    assert response is not None and response.status == 404, (
        f"the cadre opened {outside[0]}, outside their subtree: HTTP {response.status}"
    )
    assert cadre.locator("body").inner_text().strip(), "the 404 page is empty"
    shot(cadre, "cadre_out_of_scope_404")

    response = cadre.goto(f"{base}/grid/NO-SUCH-NODE-404")
    assert response is not None and response.status == 404
