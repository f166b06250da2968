"""What LangGraph Studio needs of a server on another origin: JSON sent as text/plain, and CORS.

Studio (``https://smith.langchain.com``) posts JSON with ``Content-Type: text/plain`` (a "simple"
request needs no preflight), and Chrome asks a local server for Private Network Access in the
preflight (``Access-Control-Request-Private-Network: true``). ``langgraph dev`` answers that
preflight 400 (Starlette's CORS middleware refuses it); here it gets a 204 with
``Access-Control-Allow-Private-Network: true``. Both live in this router's route class and its
``OPTIONS`` routes, so the Agent Protocol's CORS stays the Agent Protocol's: the app's general
CORS settings are another matter. Allowed origins: ``ADFORGE_STUDIO_ORIGINS`` (comma-separated,
``*`` for any), default Studio's.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.routing import APIRoute

from server.core.errors import ApiError

__all__ = ["StudioRoute", "allowed_origins", "preflight_router"]

DEFAULT_ORIGINS = "https://smith.langchain.com"
_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
_EXPOSED = "Location, Content-Location, Content-Type"
PROTOCOL_PATHS = ("/assistants", "/threads", "/runs", "/info", "/ok")


def allowed_origins() -> frozenset[str]:
    """The origins the Agent Protocol answers with CORS headers."""
    raw = os.environ.get("ADFORGE_STUDIO_ORIGINS") or DEFAULT_ORIGINS
    return frozenset(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def _allows(origin: str | None) -> bool:
    origins = allowed_origins()
    return origin is not None and ("*" in origins or origin.rstrip("/") in origins)


def _cors_headers(origin: str) -> dict[str, str]:
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Credentials": "true",
        "Access-Control-Expose-Headers": _EXPOSED,
        "Vary": "Origin",
    }


def _cors(response: Response, origin: str) -> None:
    response.headers.update(_cors_headers(origin))


def _as_json(request: Request) -> None:
    """Read a ``text/plain`` (or untyped) body as JSON, as Studio means it."""
    kind = request.headers.get("content-type", "")
    if request.method in ("POST", "PUT", "PATCH") and (not kind or kind.startswith("text/plain")):
        headers = [(k, v) for k, v in request.scope["headers"] if k != b"content-type"]
        request.scope["headers"] = [*headers, (b"content-type", b"application/json")]
        request.__dict__.pop("_headers", None)


class StudioRoute(APIRoute):
    """An ``APIRoute`` that accepts Studio's text/plain JSON and adds CORS headers for Studio."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, wrapped: body type fixed first, CORS headers added after."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            _as_json(request)
            origin = request.headers.get("origin")
            allowed = origin if _allows(origin) else None
            try:
                response = await handler(request)
            except ApiError as error:  # answered by the app's handler: Studio may read it too
                if allowed:
                    error.headers.update(_cors_headers(allowed))
                raise
            if allowed:
                _cors(response, allowed)
            return response

        return route


preflight_router = APIRouter(include_in_schema=False)


async def _preflight(request: Request) -> Response:
    origin = request.headers.get("origin")
    if not _allows(origin):
        return Response(status_code=403, content=b"origin not allowed")
    assert origin is not None
    response = Response(status_code=204)
    _cors(response, origin)
    response.headers["Access-Control-Allow-Methods"] = _METHODS
    wanted = request.headers.get("access-control-request-headers")
    response.headers["Access-Control-Allow-Headers"] = wanted or "*"
    response.headers["Access-Control-Max-Age"] = "600"
    if request.headers.get("access-control-request-private-network", "").lower() == "true":
        response.headers["Access-Control-Allow-Private-Network"] = "true"
    return response


for _path in PROTOCOL_PATHS:
    preflight_router.add_api_route(_path, _preflight, methods=["OPTIONS"])
    preflight_router.add_api_route(_path + "/{rest:path}", _preflight, methods=["OPTIONS"])
