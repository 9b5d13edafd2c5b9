"""Body limits on the real server: a signed-in browser's multipart body is taken at 20 MB only by
the import wizard (and only from roles that import); anywhere else a form is 1 MB at most."""

from __future__ import annotations

from minqing_web import login


def test_multipart_bodies_only_for_the_import_wizard(server, page, new_context):
    login(page, server.base_url, "resident")
    page.goto(f"{server.base_url}/account/password")
    csrf = page.locator("form#password-form input[name=csrf]").get_attribute("value")
    big = b"A" * (3 << 20)
    response = page.request.post(f"{server.base_url}/account/password",
                                 multipart={"csrf": csrf, "file": {"name": "big.csv", "mimeType": "text/csv", "buffer": big}})
    assert response.status == 413, response.status
    # The wizard takes a file of that size from a role that imports (it then checks the file).
    page = new_context().new_page()
    login(page, server.base_url, "cadre")
    page.goto(f"{server.base_url}/registry/import")
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    response = page.request.post(f"{server.base_url}/registry/import",
                                 multipart={"csrf": csrf, "kind": "persons",
                                            "file": {"name": "big.csv", "mimeType": "text/csv", "buffer": big}})
    assert response.status != 413, "the import wizard refused a 3 MB file"
