"""Signed, expiring ``/media`` URLs: an HMAC over the file's path, the user and the expiry.

A ``<video>`` or ``<img>`` cannot send ``Authorization``, so the file request itself has to carry
the owner's permission: ``/media/<thread>/<file>?u=<user>&exp=<unix time>&sig=<hex>``. The event
log keeps the bare path (a signature in the log would expire with it); ``SignMediaUrls`` signs
every path on its way out, for the caller, and ``MediaFiles`` serves only a valid, unexpired
signature. A leaked URL works for at most ``2 × ttl``; expiries are rounded up to a multiple of
``ttl``, so the same file keeps the same URL for a while and browsers can cache it.

The secret is ``ADFORGE_MEDIA_SECRET`` or, when unset, 32 random bytes generated once and kept in
``<data dir>/media-secret`` (mode 0600), so URLs survive a restart.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode

__all__ = ["MediaSigner", "load_media_secret"]

SECRET_FILE = "media-secret"


def load_media_secret(configured: str | None, data_dir: Path) -> bytes:
    """The configured secret, else the one persisted in ``data_dir`` (made on first start)."""
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as sink:
        sink.write(secrets.token_hex(32))
    return path.read_bytes().strip()


@dataclass(frozen=True, slots=True)
class MediaSigner:
    """Signs and checks media URLs with one server secret."""

    secret: bytes
    ttl_s: int = 3600

    def _digest(self, path: str, user_id: str, expires: int) -> str:
        message = f"{path}\n{user_id}\n{expires}".encode()
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()

    def sign(self, path: str, user_id: str, now: float | None = None) -> str:
        """``path`` (``/media/...``) with the query that lets ``user_id`` fetch it until expiry."""
        moment = int(time.time() if now is None else now)
        expires = (moment // self.ttl_s + 2) * self.ttl_s
        query = urlencode(
            {"u": user_id, "exp": expires, "sig": self._digest(path, user_id, expires)},
            quote_via=quote,
        )
        return f"{path}?{query}"

    def check(self, path: str, query_string: str, now: float | None = None) -> str | None:
        """Why ``path?query_string`` may not be served, or ``None`` when it may.

        Returns ``"expired"`` for a valid signature past its expiry, ``"invalid"`` for anything
        else (missing, altered, or signed for another file or user).
        """
        query = parse_qs(query_string)
        user_id, expires, signature = (query.get(k, [""])[0] for k in ("u", "exp", "sig"))
        if not (user_id and expires.isdigit() and signature):
            return "invalid"
        if not hmac.compare_digest(signature, self._digest(path, user_id, int(expires))):
            return "invalid"
        if int(expires) < (time.time() if now is None else now):
            return "expired"
        return None
