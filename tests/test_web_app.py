"""The chat web app at ``/``, driven by headless Chromium against a real server process.

The guide's scenario by clicking (product "1", "Hybrid Format", video: personas → angle → script
details → Generate video → player), a reload at every choice and during the video job, the
keyboard path (Tab/Enter on cards, the modal's focus trap and Escape), a 390 px phone viewport,
errors in the chat, the theme switch, adding a product and the gallery panel.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, Route, ViewportSize, expect

from tests._browser import (
    DESKTOP,
    PHONE,
    artifacts_dir,
    chromium,
    collect_page_errors,
    focused_description,
    horizontal_overflow,
    serve,
)
from tests._processes import ROOT

pytestmark = pytest.mark.integration

PRODUCT = "Sérum autobronzant progressif"
STEP_TIMEOUT_MS = 30_000
VIDEO_TIMEOUT_MS = 120_000

expect.set_options(timeout=STEP_TIMEOUT_MS)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("web")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory)


def _page(browser: Browser, base_url: str, viewport: ViewportSize) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport, base_url=base_url)
    page = context.new_page()
    errors = collect_page_errors(page)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _page(browser, base_url, DESKTOP)


@pytest.fixture
def slow_page(browser: Browser, tmp_path: Path) -> Iterator[Page]:
    """A page on a server of its own whose model takes 1.5 s per call: turns last long enough."""
    with serve(tmp_path, model_latency_ms=1500) as url:
        yield from _page(browser, url, DESKTOP)


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    yield from _page(browser, base_url, PHONE)


# --- helpers --------------------------------------------------------------------------------------


def group(page: Page, kind: str) -> Locator:
    """The newest card group of a step (persona_selection, angle_selection, script_selection)."""
    return page.locator(f".card-group[data-kind={kind}]").last


def titles(cards: Locator) -> list[str]:
    return cards.locator(".card-title").all_inner_texts()


def start(page: Page, media: str = "video") -> None:
    """Choose product "1", "Hybrid Format" and a media type, then press Start create."""
    page.goto("/")
    page.get_by_label("Product", exact=True).select_option("1")
    page.get_by_label("Format", exact=True).select_option("Hybrid Format")
    page.get_by_label("Video" if media == "video" else "Image", exact=True).check()
    page.get_by_role("button", name="Start create").click()
    expect(group(page, "persona_selection").locator(".persona-card")).to_have_count(4)


def wait_for_choice(page: Page, kind: str) -> Locator:
    """The cards of the open choice, once their buttons are enabled."""
    cards = group(page, kind).locator(".card")
    expect(cards.first.locator(".btn-primary")).to_be_enabled()
    expect(page.locator("main.chat")).to_have_attribute("data-pending", kind)
    return cards


def reload_keeps(page: Page, kind: str) -> list[str]:
    """Reload at an open choice: the same cards come back, enabled, and the URL keeps the session."""
    before = titles(wait_for_choice(page, kind))
    url = page.url
    page.reload()
    after = titles(wait_for_choice(page, kind))
    assert after == before and page.url == url
    return after


def session_id(page: Page) -> str:
    match = re.search(r"#session=(sess-[0-9a-f]+)", page.url)
    assert match, page.url
    return match.group(1)


# --- the guide's scenario -------------------------------------------------------------------------


def test_the_guides_video_scenario_by_clicking_with_a_reload_at_every_step(
    page: Page, base_url: str, artifacts: Path
) -> None:
    start(page)
    expect(page.locator(".msg-user").first).to_contain_text(f"Generate ads for {PRODUCT}")
    expect(page.locator(".reasoning").first).to_be_visible()
    expect(page.locator("#offline-badge")).to_be_visible()
    sid = session_id(page)
    expect(page.locator(f'.session-item[data-session-id="{sid}"]')).to_have_attribute(
        "aria-current", "true"
    )

    personas = reload_keeps(page, "persona_selection")
    page.screenshot(path=artifacts / "1-personas.png")
    group(page, "persona_selection").locator(".card").first.get_by_role(
        "button", name="Continue with this persona"
    ).click()
    expect(page.locator(".msg-summary").first).to_contain_text(f"Target: {personas[0]}")
    expect(page.locator(".persona-card.chosen")).to_have_count(1)

    angles = reload_keeps(page, "angle_selection")
    expect(page.locator(".persona-card.chosen")).to_have_count(1)  # rebuilt from the replay
    group(page, "angle_selection").locator(".card").first.get_by_role(
        "button", name="Continue with this angle"
    ).click()
    expect(page.locator(".msg-summary").nth(1)).to_contain_text(f"Angle: {angles[0]}")

    scripts = reload_keeps(page, "script_selection")
    first = group(page, "script_selection").locator(".card").first
    # The picture for the README: the angle just chosen, the reasoning, then the script cards.
    page.locator(".msg-user").last.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=artifacts / "2-scripts.png")
    if os.environ.get("ADFORGE_UPDATE_SCREENSHOT") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(artifacts / "2-scripts.png", ROOT / "docs" / "screenshot.png")

    details = first.get_by_role("button", name="See script details")
    details.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", level=2)).to_have_text(scripts[0])
    expect(dialog).to_contain_text("Full script")
    expect(dialog).to_contain_text("Call to action")
    page.screenshot(path=artifacts / "3-script-details.png")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(details).to_be_focused()

    page.get_by_label("Presenter").select_option("avatar-female-45")
    first.get_by_role("button", name="Generate video").click()
    expect(page.locator(".msg-job")).to_contain_text("Generating your AI Video")
    assert httpx.get(f"{base_url}/api/chat/sessions/{sid}").json()["currentStep"] == (
        "media_generation"
    ), "the render finished before the reload: it no longer tests a reload during the job"
    page.reload()  # during the render

    video = page.locator("video.result-media")
    expect(video).to_be_visible(timeout=VIDEO_TIMEOUT_MS)
    expect(page.locator(".msg-job")).to_contain_text("Your video is ready")
    expect(page.locator(".msg-summary").nth(2)).to_contain_text(f"Script: {scripts[0]}")
    src = video.get_attribute("src")
    assert src and src.split("?")[0].endswith(".mp4")  # a signed media URL (issue 13)
    media = page.request.get(src)
    assert media.ok and media.headers["content-type"] == "video/mp4" and len(media.body()) > 50_000
    expect(page.get_by_label("Message", exact=True)).to_be_disabled()  # the session is complete
    video.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "4-video.png")


def test_a_reload_mid_stream_shows_the_running_turn_and_carries_on(slow_page: Page) -> None:
    page = slow_page
    page.goto("/")
    page.get_by_role("button", name="Start create").click()
    expect(page.locator(".msg-status").first).to_contain_text("Analyzing market trends")
    sid = session_id(page)
    api = page.request.get(f"/api/chat/sessions/{sid}").json()
    assert api["activeRunId"], "the turn ended before the reload: it no longer tests mid-stream"
    page.reload()
    expect(page.locator(".msg-user").first).to_contain_text(f"Generate ads for {PRODUCT}")
    expect(page.locator("#typing")).to_be_visible()  # the replay knows a response is running
    expect(page.get_by_label("Message", exact=True)).to_be_disabled()
    personas = wait_for_choice(page, "persona_selection")  # the live tail brings the rest
    expect(page.locator("#typing")).to_be_hidden()
    expect(personas).to_have_count(4)
    expect(page.locator(".reasoning")).to_have_count(1)  # shown once: no replayed duplicates
    personas.first.get_by_role("button", name="Continue with this persona").click()
    wait_for_choice(page, "angle_selection")


def test_a_card_is_chosen_with_tab_and_enter_and_the_modal_traps_focus(page: Page) -> None:
    start(page)
    wait_for_choice(page, "persona_selection")
    page.locator(".reasoning summary").last.focus()  # the element just before the cards
    page.keyboard.press("Tab")
    focused = focused_description(page)
    assert focused.startswith("article.card persona-card") and "[Persona: " in focused
    chosen = focused.split("[Persona: ")[1].rstrip("]")
    page.keyboard.press("Enter")
    expect(page.locator(".msg-summary").first).to_contain_text(f"Target: {chosen}")

    wait_for_choice(page, "angle_selection")
    page.locator(".reasoning summary").last.focus()
    page.keyboard.press("Tab")
    assert "[Angle: " in focused_description(page)
    page.keyboard.press("Enter")

    wait_for_choice(page, "script_selection")
    details = group(page, "script_selection").get_by_role("button", name="See script details")
    details.first.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    for _ in range(5):  # Tab and Shift+Tab wrap inside the dialog
        page.keyboard.press("Tab")
        assert page.evaluate(
            "document.getElementById('script-modal').contains(document.activeElement)"
        )
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.getElementById('script-modal').contains(document.activeElement)")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(details.first).to_be_focused()


def test_the_app_fits_a_390px_phone_at_every_step(phone: Page, artifacts: Path) -> None:
    start(phone, media="image")
    assert horizontal_overflow(phone) == 0
    wait_for_choice(phone, "persona_selection").first.get_by_role(
        "button", name="Continue with this persona"
    ).click()
    wait_for_choice(phone, "angle_selection").first.get_by_role(
        "button", name="Continue with this angle"
    ).click()
    cards = wait_for_choice(phone, "script_selection")
    assert horizontal_overflow(phone) == 0
    cards.first.get_by_role("button", name="See script details").click()
    box = phone.get_by_role("dialog").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    phone.keyboard.press("Escape")
    cards.first.get_by_role("button", name="Generate image").click()
    image = phone.locator("img.result-media")
    expect(image).to_be_visible(timeout=VIDEO_TIMEOUT_MS)
    assert horizontal_overflow(phone) == 0
    image.scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "5-phone-image.png")


# --- errors, theme, catalog, gallery ------------------------------------------------------------


def test_errors_are_shown_in_the_chat(page: Page) -> None:
    page.goto("/#session=sess-nope")
    error = page.locator(".msg-error")
    expect(error).to_contain_text("no session with id 'sess-nope'")
    expect(error).to_contain_text("not_found")

    start(page)
    wait_for_choice(page, "persona_selection")

    def busy(route: Route) -> None:
        body = {
            "type": "error",
            "message": "a response is still being generated",
            "code": "run_in_progress",
            "retryable": True,
        }
        route.fulfill(status=409, json=body)

    page.route("**/messages", busy)
    group(page, "persona_selection").locator(".card").first.get_by_role(
        "button", name="Continue with this persona"
    ).click()
    expect(page.locator(".msg-error").last).to_contain_text("a response is still being generated")
    expect(page.locator(".msg-error").last).to_contain_text("you can try again")
    wait_for_choice(page, "persona_selection")  # nothing was lost: the choice is still open


def test_the_theme_toggles_and_is_scriptable(page: Page) -> None:
    page.goto("/")
    html = page.locator("html")
    toggle = page.locator("#theme-toggle")
    before = html.get_attribute("data-theme")
    toggle.click()
    after = "dark" if before == "light" else "light"
    expect(html).to_have_attribute("data-theme", after)
    page.reload()
    expect(html).to_have_attribute("data-theme", after)  # remembered
    page.evaluate("window.adforge.setTheme('dark')")
    expect(html).to_have_attribute("data-theme", "dark")
    expect(toggle).to_have_attribute("aria-label", "Switch to light theme")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.evaluate("window.adforge.setTheme('light')")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != background


def test_asking_for_a_theme_in_the_chat_switches_it(page: Page) -> None:
    page.goto("/")
    page.evaluate("window.adforge.setTheme('light')")
    start(page)
    wait_for_choice(page, "persona_selection")
    page.locator("#composer-input").fill("Switch to dark mode please")
    page.locator("#composer-input").press("Enter")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.get_by_text("Switched to dark mode.")).to_be_visible()
    wait_for_choice(page, "persona_selection")  # the open choice is untouched


def test_a_product_added_with_the_form_is_selected(page: Page) -> None:
    page.goto("/")
    page.get_by_text("Add a product").click()
    page.get_by_label("Name", exact=True).fill("Lumen Desk Lamp")
    page.get_by_label("Description").fill("A dimmable LED desk lamp with a warm-to-cool slider.")
    page.get_by_label("Benefits (one per line)").fill("Flicker-free\nUSB-C charging port")
    page.get_by_role("button", name="Add product").click()
    product = page.get_by_label("Product", exact=True)
    expect(product.locator("option:checked")).to_have_text("Lumen Desk Lamp (yours)")


def finish_an_image_ad_over_http(base_url: str) -> str:
    """A complete image session made through the API (fast): returns its id once the ad is saved."""
    with httpx.Client(base_url=base_url, timeout=60) as api:
        body = {"productId": "1", "format": "Hybrid Format", "mediaType": "image"}
        sid = str(api.post("/api/chat/sessions", json=body).json()["sessionId"])
        path = f"/api/chat/sessions/{sid}/messages"
        for message in ("Generate ads", "Selected persona: aud-1", "Selected angle: ang-1"):
            assert api.post(path, json={"message": message}).status_code == 200
        job = api.post(f"/api/chat/sessions/{sid}/video", json={"scriptId": "psych-1"}).json()
        for _ in range(300):
            if api.get(f"/api/chat/sessions/{sid}").json()["status"] == "completed":
                return sid
            time.sleep(0.2)
    raise AssertionError(f"job {job['jobId']} of {sid} did not complete")


def test_the_gallery_lists_the_finished_ad_and_opens_its_session(page: Page, base_url: str) -> None:
    sid = finish_an_image_ad_over_http(base_url)
    page.goto("/")
    card = page.locator(".gallery-list .asset", has=page.locator(f'button[data-session="{sid}"]'))
    expect(card).to_have_count(1)
    expect(card).to_contain_text(PRODUCT)
    expect(card).to_contain_text("image")
    expect(card.locator(".badge-offline")).to_be_visible()
    image_url = card.get_by_role("link", name="Open image").get_attribute("href")
    assert image_url and page.request.get(image_url).headers["content-type"].startswith("image/")
    card.get_by_role("button", name=re.compile("^Open the session of")).click()
    expect(page).to_have_url(re.compile(f"#session={sid}$"))
    expect(page.locator("img.result-media")).to_have_attribute("src", image_url)


def test_the_gallery_shows_assets_and_tolerates_a_missing_endpoint(page: Page) -> None:
    page.route(
        "**/assets",
        lambda route: route.fulfill(
            status=404,
            json={"type": "error", "message": "no route", "code": "not_found", "retryable": False},
        ),
    )
    page.goto("/")
    expect(page.locator("#gallery-status")).to_have_text("Gallery unavailable")

    asset = {
        "id": "asset-1",
        "kind": "video",
        "product": PRODUCT,
        "headline": "No more orange moments",
        "images": [],
        "videos": [{"url": "/media/x/job-1.mp4", "thumbnailUrl": "/static/avatars/persona-1.svg"}],
        "sourceSession": "sess-0123456789abcdef",
        "offline": True,
        "createdAt": "2026-02-08T14:31:25Z",
    }
    page.unroute("**/assets")
    page.route("**/assets", lambda route: route.fulfill(json={"assets": [asset]}))
    page.get_by_role("button", name="Refresh the gallery").click()
    card = page.locator(".gallery-list .asset")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("No more orange moments")
    expect(card.get_by_role("link", name="Open video")).to_have_attribute(
        "href", "/media/x/job-1.mp4"
    )
    card.get_by_role("button", name="Open the session of No more orange moments").click()
    expect(page).to_have_url(re.compile(r"#session=sess-0123456789abcdef$"))
