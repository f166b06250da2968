"""Cross-site request guard for the one route that starts work from a GET.

``GET /api/chat/sessions/{id}/stream?message=...`` exists for ``EventSource``, which can only GET.
A GET is what any page can make a browser send (an ``<img>``, a link), so with no API keys
configured every site the user visits could start runs. A request that starts a run this way
must therefore carry an API key (``Authorization`` or ``?access_token=``: never ambient, so a
foreign page cannot add it) or come from this origin: ``Sec-Fetch-Site: same-origin``/``none``,
or failing that an ``Origin`` equal to this host or one of ``ADFORGE_CORS_ORIGINS``. Requests with
neither header come from non-browser clients (curl, SDKs), which cannot be forged by a page.
A reconnect (``Last-Event-ID``, no ``message``) only reads and is not guarded.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from server.http.errors import error_response

__all__ = ["CrossSiteGuard"]

audit = logging.getLogger("adforge.audit")

_STARTS_A_RUN = re.compile(r"^/api/chat/sessions/[^/]+/stream$")


def _cross_site(headers: Headers, allowed_origins: frozenset[str]) -> bool:
    origin = headers.get("origin")
    if origin is not None and origin in allowed_origins:
        return False  # a page the operator allowed by ADFORGE_CORS_ORIGINS
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    return origin is not None and urlsplit(origin).netloc != headers.get("host", "")


class CrossSiteGuard:
    """403 for a cross-site, keyless ``GET …/stream?message=``."""

    def __init__(self, app: ASGIApp, allowed_origins: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.allowed_origins = allowed_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a forged run start; pass everything else on."""
        if (
            scope["type"] == "http"
            and scope.get("method") == "GET"
            and _STARTS_A_RUN.match(scope.get("path", ""))
        ):
            query = QueryParams(scope.get("query_string", b""))
            headers = Headers(scope=scope)
            keyless = "authorization" not in headers and "access_token" not in query
            if "message" in query and keyless and _cross_site(headers, self.allowed_origins):
                audit.warning(
                    "refused GET %s: 403 cross_site (Origin %s, Sec-Fetch-Site %s)",
                    scope.get("path"),
                    headers.get("origin"),
                    headers.get("sec-fetch-site"),
                )
                response = error_response(
                    403,
                    "cross_site_request",
                    "a run can be started from a GET only by this site's own pages or with an "
                    "API key; use POST …/messages from other sites",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
