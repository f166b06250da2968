"""The chat web app: ``/`` serves the page, ``/static/...`` its scripts, styles and images.

Plain files from ``server/web`` with no build step. The routes stay out of the OpenAPI schema:
they are a client of the API, not part of it. ``/static/avatars/persona-N.svg`` are the persona
pictures the creative engine names in ``audience_group`` frames.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["WEB_DIR", "router"]

WEB_DIR = Path(__file__).resolve().parents[1] / "web"

router = APIRouter(include_in_schema=False)

# StaticFiles does the safe part (no path traversal, ETag, Last-Modified, 304, HEAD); it is used
# as a helper rather than mounted, so the app needs only ``include_router`` to serve the page.
_files = StaticFiles(directory=WEB_DIR)

# Always revalidate: a server upgrade must not leave a tab with a stale script next to a new API.
_REVALIDATE = {"Cache-Control": "no-cache"}


@router.api_route("/", methods=["GET", "HEAD"])
async def index() -> FileResponse:
    """The single page; the session it shows is in the URL hash (``#session=<id>``)."""
    return FileResponse(WEB_DIR / "index.html", media_type="text/html", headers=_REVALIDATE)


@router.api_route("/static/{path:path}", methods=["GET", "HEAD"])
async def static(path: str, request: Request) -> Response:
    """A file of the web app; an unknown path is the API's JSON 404."""
    response = await _files.get_response(path, request.scope)
    response.headers.update(_REVALIDATE)
    return response
