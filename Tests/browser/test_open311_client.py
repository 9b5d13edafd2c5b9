"""Open311 GeoReport v2 with an existing client library, unchanged: PyPI's `georeport` (requests +
xmltodict) reads the real server in JSON and in XML, and a report is POSTed the way clients send
it (`requests` form-encodes). The API key comes from `minqing open311 key add --name CLIENT`,
run against the same data folder as the running server."""

from __future__ import annotations

import os
import subprocess

import requests
import xmltodict
from georeport import GeoReport

JURISDICTION = "310106019"


def issue_key(binary, server, name: str) -> str:
    env = dict(os.environ)
    for key in ("MINQING_DATABASE_URL", "MINQING_TEST_POSTGRES_URL"):
        env.pop(key, None)
    env["MINQING_DATA_DIR"] = str(server.data_dir)
    out = subprocess.run([str(binary), "open311", "key", "add", "--name", name], env=env, check=True,
                         capture_output=True, text=True, timeout=120).stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    assert "shown once" in lines[-2], out
    return lines[-1]


def test_georeport_library_reads_and_a_form_post_creates(minqing_binary, server):
    key = issue_key(minqing_binary, server, "georeport-py")
    root = f"{server.base_url}/open311/v2"
    numbers = {}
    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction=JURISDICTION, api_key=key, output_format=fmt)
        services = client.get_service_list()
        codes = [s["service_code"] for s in services]
        assert "C0102" in codes and "E0601" not in codes, codes
        light = next(s for s in services if s["service_code"] == "C0102")
        assert light["service_name"] == "路灯不亮"
        assert str(light["metadata"]).lower() == "true"

        definition = client.get_service_definition("C0102")
        attributes = definition["attributes"]
        if fmt == "xml":
            attributes = attributes["attribute"]
        assert [a["code"] for a in attributes] == ["pole_number", "lights_out"]

        # A report, form-encoded as the specification says, with its attributes.
        response = requests.post(f"{root}/requests.{fmt}", data={
            "api_key": key, "jurisdiction_id": JURISDICTION, "service_code": "C0102",
            "lat": "31.27", "long": "121.45", "address_string": f"临汾路 {fmt} 号",
            "description": f"路灯不亮（{fmt}）", "attribute[lights_out]": "one", "phone": "13812348000",
        }, timeout=30)
        assert response.status_code == 200, response.text
        if fmt == "json":
            created = response.json()[0]
        else:
            created = xmltodict.parse(response.content)["service_requests"]["request"]
        number = created["service_request_id"]
        numbers[fmt] = number

        one = client.get_service_request(number)
        assert one["service_request_id"] == number and one["status"] == "open"
        assert one["description"] == f"路灯不亮（{fmt}）"
        assert "13812348000" not in str(one)

        listed = client.get_service_requests(service_code="C0102", status="open")
        if isinstance(listed, dict):  # xmltodict gives one request as a dict
            listed = [listed]
        assert number in [r["service_request_id"] for r in listed]

    assert numbers["json"] != numbers["xml"]

    # A wrong key: 403 with Open311's error document.
    bad = requests.post(f"{root}/requests.xml", data={"api_key": "wrong", "service_code": "C0102", "address_string": "x"}, timeout=30)
    assert bad.status_code == 403
    error = xmltodict.parse(bad.content)["errors"]["error"]
    assert error["code"] == "403" and "api_key" in error["description"]
