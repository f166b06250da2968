"""``/media``: rendered images and videos for their owner only, with range requests.

Starlette's ``StaticFiles`` already answers ``Range`` with 206 (players seek in an MP4 by range
requests), ETag and Last-Modified. This adds the owner rule (design invariant 11): a file is
served only under a valid, unexpired signature (``server.http.media_urls``), which every
response that names the file carries for its caller; anything else is a 404 like an unknown
file, and an expired signature a 403 ``media_url_expired`` (fetch the frame, asset or job again
for a fresh URL). A request that does send ``Authorization`` must be that user's. ``Cache-Control: private`` keeps shared caches from handing one user's files
to another; ``nosniff`` keeps browsers from guessing a type for a user upload.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from server.http.auth import scope_user
from server.http.errors import error_response
from server.http.media_urls import MediaSigner

__all__ = ["MediaFiles"]

CACHE_CONTROL = "private, max-age=3600"


class MediaFiles(StaticFiles):
    """``StaticFiles`` behind signed URLs, plus ``Cache-Control`` and ``nosniff``."""

    def __init__(self, *, directory: os.PathLike[str] | str, signer: MediaSigner) -> None:
        super().__init__(directory=directory)
        self.signer = signer

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        """The file, with the extra headers."""
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    async def get_response(self, path: str, scope: Scope) -> Response:
        """The file when the URL's signature allows it; not-modified answers keep the headers."""
        url_path = "/media/" + path.replace(os.sep, "/")
        query = bytes(scope.get("query_string", b"")).decode()
        refusal = self.signer.check(url_path, query)
        if refusal == "expired":
            return error_response(
                403, "media_url_expired", "this media URL has expired; fetch a fresh one"
            )
        if refusal is None and "authorization" in Headers(scope=scope):
            # An API client that says who it is must be the user the URL was signed for.
            caller = scope_user(scope)
            if caller is None or caller.id != parse_qs(query).get("u", [""])[0]:
                refusal = "invalid"
        if refusal is not None:
            return error_response(404, "not_found", f"no media file {url_path}")
        response = await super().get_response(path, scope)
        if response.status_code == 304:
            response.headers["Cache-Control"] = CACHE_CONTROL
        return response
