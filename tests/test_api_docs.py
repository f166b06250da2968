"""``/docs`` and ``/redoc`` load in headless Chromium with every other host blocked.

Swagger UI and ReDoc come from the package (``server.http.docs``); a request to any other host
is aborted and recorded, so a page that still needs a CDN fails here instead of rendering blank.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests._browser import chromium, collect_page_errors, serve

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("docs")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def _offline_page(browser: Browser, base_url: str, blocked: list[str]) -> Page:
    own = urlsplit(base_url).netloc
    context = browser.new_context(base_url=base_url)

    def only_own_host(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_own_host)
    return context.new_page()


def test_swagger_ui_loads_from_the_server_alone(browser: Browser, base_url: str) -> None:
    blocked: list[str] = []
    page = _offline_page(browser, base_url, blocked)
    errors = collect_page_errors(page)
    page.goto("/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("AdForge", timeout=30_000)
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/api/chat/sessions/{session_id}/messages")).to_have_count(1)
    assert operations.count() > 20
    page.locator(".opblock-summary-path", has_text="/api/jobs/{job_id}").click()
    expect(page.locator(".responses-table").first).to_contain_text("404")
    assert blocked == [] and errors == []
    page.context.close()


def test_redoc_loads_from_the_server_alone(browser: Browser, base_url: str) -> None:
    blocked: list[str] = []
    page = _offline_page(browser, base_url, blocked)
    errors = collect_page_errors(page)
    page.goto("/redoc")
    expect(page.locator("h1").first).to_contain_text("AdForge", timeout=30_000)
    expect(page.locator("h2", has_text="Create a chat session")).to_be_visible()
    assert blocked == [] and errors == []
    page.context.close()
