"""``/docs`` (Swagger UI) and ``/redoc`` served from the package, so they work offline.

FastAPI's own pages load Swagger UI and ReDoc from a CDN: offline, or behind a strict proxy, they
are blank. The bundles come from the ``fastapi-offline`` wheel (MIT; it ships Swagger UI's
``swagger-ui-bundle.js``/``swagger-ui.css`` and ReDoc's standalone bundle under their own
licences) and are served under ``/docs/assets``; the pages reference nothing outside the server
(no favicon, font or validator badge from elsewhere). ReDoc's bundle always tries to show its
logo from Redocly's CDN; the page's Content-Security-Policy keeps images on the server, so the
browser never makes that request and ReDoc drops the logo (its own fallback).
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS_URL", "install"]

ASSETS_URL = "/docs/assets"
_BUNDLES = Path(str(files("fastapi_offline") / "static"))
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    """The docs page with a Content-Security-Policy of its own.

    The pages start their bundle with one inline script: the policy allows exactly that script
    (by its SHA-256), files from this server, and images from here only — the app's stricter
    policy (no inline script at all) would leave the page blank.
    """
    html = bytes(page.body).decode()
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _INLINE_SCRIPT.findall(html)
    )
    page.headers["Content-Security-Policy"] = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )
    return page


def install(app: FastAPI) -> None:
    """Serve the docs pages and their bundles; create ``app`` with ``docs_url=redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, StaticFiles(directory=_BUNDLES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(
            get_swagger_ui_html(
                openapi_url=f"{root}{openapi_url}",
                title=f"{app.title} - Swagger UI",
                swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
                swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
                swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from elsewhere
            )
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        page = get_redoc_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            with_google_fonts=False,
        )
        return _with_policy(page)
