"""The HTTP parser's own refusals in the Ad Forge JSON error shape.

A request line or header block too large for uvicorn's parser (a 1 MB ``?message=``) never
reaches the app: uvicorn answers a plain-text 400 itself. These protocol classes answer the same
400 as ``{"type":"error","code":"bad_request",...}`` so a client parses every error one way
(design invariant 10). ``python -m server`` passes one to uvicorn as ``http=``.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["JsonErrorH11Protocol", "JsonErrorHttpToolsProtocol", "http_protocol"]

_BODY = json.dumps(
    {
        "type": "error",
        "message": "the HTTP request could not be parsed: a malformed request, or a URL or "
        "headers over the server's size limit (send long text in a POST body)",
        "code": "bad_request",
        "retryable": False,
    }
).encode()


def _send_400(transport: asyncio.Transport, default_headers: list[tuple[bytes, bytes]]) -> None:
    lines = [b"HTTP/1.1 400 Bad Request"]
    lines += [name + b": " + value for name, value in default_headers]
    lines += [
        b"content-type: application/json",
        b"content-length: " + str(len(_BODY)).encode(),
        b"connection: close",
    ]
    transport.write(b"\r\n".join(lines) + b"\r\n\r\n" + _BODY)
    transport.close()


class JsonErrorHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a JSON 400 for what its parser refuses."""

    def send_400_response(self, msg: str) -> None:
        """The JSON 400, then close (uvicorn's own answer is ``text/plain``)."""
        _send_400(self.transport, self.server_state.default_headers)


class JsonErrorH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, with a JSON 400 for what its parser refuses."""

    def send_400_response(self, msg: str) -> None:
        """The JSON 400, then close (uvicorn's own answer is ``text/plain``)."""
        _send_400(self.transport, self.server_state.default_headers)


def http_protocol() -> type[HttpToolsProtocol] | type[H11Protocol]:
    """The protocol uvicorn's ``http="auto"`` would pick, with JSON refusals."""
    try:
        import httptools  # noqa: F401
    except ImportError:  # pragma: no cover - httptools ships with uvicorn[standard]
        return JsonErrorH11Protocol
    return JsonErrorHttpToolsProtocol
