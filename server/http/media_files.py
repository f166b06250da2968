"""``/media``: rendered images and videos, with range requests and caching headers.

Starlette's ``StaticFiles`` already answers ``Range`` with 206 (players seek in an MP4 by range
requests), ETag and Last-Modified; this adds what it leaves out. Files are named after their job
id, which is derived from the request that produced them, so a day of caching is safe, and the
ETag revalidates after that. ``nosniff`` keeps browsers from guessing a type for a user upload.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

__all__ = ["MediaFiles"]

CACHE_CONTROL = "public, max-age=86400"


class MediaFiles(StaticFiles):
    """``StaticFiles`` plus ``Cache-Control`` and ``X-Content-Type-Options`` on every file."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        """The file, with the extra headers."""
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Not-modified answers keep the caching headers too."""
        response = await super().get_response(path, scope)
        if response.status_code == 304:
            response.headers["Cache-Control"] = CACHE_CONTROL
        return response
