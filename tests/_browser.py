"""Browser-test helpers: the real server on a free port, headless Chromium, artifacts, page checks.

Playwright drives Debian's Chromium (``/usr/bin/chromium``, installed by
``scripts/install-system-deps.sh``); it never downloads browsers. Screenshots go to
``$ADFORGE_TEST_ARTIFACTS`` when set, else to a pytest temporary directory.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests._processes import free_port, running

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@contextmanager
def serve(
    tmp: Path, *, model_latency_ms: int = 0, extra_env: Mapping[str, str] | None = None
) -> Iterator[str]:
    """``python -m server`` with its own data dir and a fast video renderer; yields the base URL.

    ``model_latency_ms`` slows every call of the offline model, so a test can act mid-turn;
    ``extra_env`` adds variables (e.g. a fake OpenAI's ``OPENAI_BASE_URL``).
    """
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PORT": str(port),
        "ADFORGE_DATA_DIR": str(tmp / "data"),
        "ADFORGE_VIDEO_FPS": "12",
        "ADFORGE_OFFLINE_LATENCY_MS": str(model_latency_ms),
        **(extra_env or {}),
    }
    with running(
        [sys.executable, "-m", "server"],
        ready_url=f"{base}/health",
        env=env,
        log=tmp / "server.log",
    ):
        yield base


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium from the system, never a downloaded one."""
    if not CHROMIUM.exists():
        raise AssertionError(f"{CHROMIUM} is missing: run `bash scripts/install-system-deps.sh`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            yield browser
        finally:
            browser.close()


def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$ADFORGE_TEST_ARTIFACTS`` or a temporary directory."""
    configured = os.environ.get("ADFORGE_TEST_ARTIFACTS")
    if configured:
        path = Path(configured)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("artifacts")


def collect_page_errors(page: Page) -> list[str]:
    """Uncaught JavaScript errors of the page, appended as they happen."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return max(0, int(width) - int(page.viewport_size["width"] if page.viewport_size else 0))


def focused_description(page: Page) -> str:
    """The focused element as ``tag.class[aria-label]``, for keyboard assertions."""
    return str(
        page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el) return "";
              return `${el.tagName.toLowerCase()}.${el.className}[${el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40)}]`;
            }"""
        )
    )
