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

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["ASSETS_URL", "install"]

ASSETS_URL = "/docs/assets"
_IMAGES_FROM_HERE = "img-src 'self' data:"
_BUNDLES = Path(str(files("fastapi_offline") / "static"))


def install(app: FastAPI) -> None:
    """Serve the docs pages and their bundles; create ``app`` with ``docs_url=redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"
    app.mount(ASSETS_URL, StaticFiles(directory=_BUNDLES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from elsewhere
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
        page.headers["Content-Security-Policy"] = _IMAGES_FROM_HERE
        return page
