"""What a first visit to the log page costs on the wire, measured in Chromium.

The numbers land in test-artifacts/first-visit-log-page-<database>.json: for each resource the
bytes transferred (CDP's encodedDataLength, headers included), the body's size, and what gzip
would make of it (the HTML is deliberately sent uncompressed: it carries a CSRF token).
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Request

from tests.browser.conftest import ARTIFACTS, PHONE
from tests.browser.offline import ready_for_offline
from tests.conftest import database_kind
from tests.factories import PASSWORD

# The log page with everything it loads, cold cache, as sent by this server. A guard against
# a heavy library or an image slipping in; today's figure is in the artifact.
PAGE_BUDGET = 150_000
# What the service worker then fetches in the background to work offline.
WORKER_BUDGET = 150_000


def test_first_visit_to_the_log_page_is_light(
    app: Flask, live_server: str, browser: Browser, patient: dict[str, str]
) -> None:
    context = browser.new_context(viewport=PHONE)
    # Signed in through the API, so the browser has fetched nothing of the app yet.
    token = context.request.get(f"{live_server}/api/v1/auth/csrf").json()["csrf_token"]
    login = context.request.post(
        f"{live_server}/api/v1/auth/login",
        data={"email": patient["email"], "password": PASSWORD},
        headers={"X-CSRFToken": token},
    )
    assert login.status == 200
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    resources: dict[str, dict[str, Any]] = {}

    def received(event: dict[str, Any]) -> None:
        response = event["response"]
        resources[event["requestId"]] = {
            "url": response["url"].removeprefix(live_server),
            "encoding": {k.lower(): v for k, v in response["headers"].items()}.get(
                "content-encoding", ""
            ),
        }

    def finished(event: dict[str, Any]) -> None:
        if event["requestId"] in resources:
            resources[event["requestId"]]["transferred"] = int(event["encodedDataLength"])

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished", finished)
    cdp.send("Network.enable")
    worker: list[Request] = []
    context.on("requestfinished", lambda r: worker.append(r) if r.service_worker else None)

    page.goto(f"{live_server}/entries/new", wait_until="networkidle")
    ready_for_offline(page)

    for request_id, resource in resources.items():
        body = cdp.send("Network.getResponseBody", {"requestId": request_id})
        raw = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
        resource["body"] = len(raw)
        resource["gzip"] = len(gzip.compress(raw, compresslevel=6))
    from_worker = [
        {"url": r.url.removeprefix(live_server), "transferred": _transferred(r)} for r in worker
    ]
    page_total = sum(r["transferred"] for r in resources.values())
    worker_total = sum(r["transferred"] for r in from_worker)
    ARTIFACTS.mkdir(exist_ok=True)
    report = {
        "page_transferred": page_total,
        "page_if_all_gzipped": sum(r["gzip"] for r in resources.values()),
        "worker_transferred": worker_total,
        "page_resources": sorted(resources.values(), key=lambda r: -r["transferred"]),
        "worker_resources": from_worker,
    }
    (ARTIFACTS / f"first-visit-log-page-{database_kind()}.json").write_text(
        json.dumps(report, indent=2)
    )
    context.close()

    assert {r["url"] for r in resources.values()} >= {"/entries/new", "/static/css/app.css"}
    assert all(r["encoding"] == "gzip" for r in resources.values() if r["url"].endswith(".js"))
    assert page_total < PAGE_BUDGET, report
    assert worker_total < WORKER_BUDGET, report


def _transferred(request: Request) -> int:
    sizes = request.sizes()
    return int(sizes["responseBodySize"]) + int(sizes["responseHeadersSize"])
