"""ASGI middleware that signs every ``/media`` URL a response carries, for the caller.

Media URLs reach clients through many renderers: Ad Forge frames over SSE, JSON and the
WebSocket, transcripts, assets, job results, ChatKit widgets (absolute URLs there). None of them
knows who is asking, and the event log must keep the bare path. So the signature is added here,
at the edge, to the outgoing bytes of JSON and SSE responses and WebSocket text frames: a JSON
string that is ``/media/<path>`` (or this host's absolute URL of it) becomes the signed URL for
the user the request authenticated as (``server.http.media_urls``). A request that does not
authenticate gets nothing signed; its answer is a 401 anyway.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.http.auth import scope_user
from server.http.media_urls import MediaSigner

__all__ = ["SignMediaUrls"]

_URL = re.compile(rb'"((?:https?://[^"/\s]+)?)(/media/[A-Za-z0-9._~\-/]+)"')
_SIGNED_TYPES = (b"application/json", b"text/event-stream")


class SignMediaUrls:
    """Rewrites ``"/media/..."`` in response bodies into URLs signed for the caller."""

    def __init__(self, app: ASGIApp, signer: MediaSigner) -> None:
        self.app = app
        self.signer = signer

    def _rewriter(self, scope: Scope) -> Callable[[bytes], bytes] | None:
        user = scope_user(scope)
        if user is None:
            return None
        host = Headers(scope=scope).get("host", "").encode()

        def rewrite(body: bytes) -> bytes:
            def sign(match: re.Match[bytes]) -> bytes:
                origin, path = match.group(1), match.group(2)
                if origin and origin.split(b"://", 1)[1] != host:
                    return match.group(0)  # another host's /media/: not ours to sign
                signed = self.signer.sign(path.decode(), user.id).encode()
                return b'"' + origin + signed + b'"'

            return _URL.sub(sign, body) if b"/media/" in body else body

        return rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; sign media URLs in what it answers."""
        if scope["type"] not in ("http", "websocket") or scope.get("path", "").startswith(
            "/media/"
        ):
            await self.app(scope, receive, send)
            return
        rewrite = self._rewriter(scope)
        if rewrite is None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, _websocket_send(send, rewrite))
            return
        await self.app(scope, receive, _http_send(send, rewrite))


def _websocket_send(send: Send, rewrite: Callable[[bytes], bytes]) -> Send:
    async def signing_send(message: Message) -> None:
        if message["type"] == "websocket.send" and message.get("text"):
            message = {**message, "text": rewrite(message["text"].encode()).decode()}
        await send(message)

    return signing_send


def _http_send(send: Send, rewrite: Callable[[bytes], bytes]) -> Send:
    """Rewrite JSON and SSE bodies; a whole body gets its ``Content-Length`` recomputed."""
    start: Message | None = None
    signing = False

    async def signing_send(message: Message) -> None:
        nonlocal start, signing
        if message["type"] == "http.response.start":
            media_type = Headers(raw=message["headers"]).get("content-type", "").encode()
            signing = media_type.split(b";")[0].strip() in _SIGNED_TYPES
            if not signing:
                await send(message)
            else:
                start = message  # held until the first body part, whose length may change
            return
        if message["type"] != "http.response.body" or not signing:
            await send(message)
            return
        body = rewrite(bytes(message.get("body", b"")))
        if start is not None:
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            if not message.get("more_body", False):
                headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            start = None
        await send({**message, "body": body})

    return signing_send
