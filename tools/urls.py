"""The SSRF guard for URLs a user chooses and the server then calls (job ``callbackUrl``).

A callback URL is fetched from inside the server's network, so without a check any user could
make the server POST to ``http://127.0.0.1:…``, a cloud metadata address (``169.254.169.254``)
or a host on the private LAN. ``check_public_url`` allows http(s) only and refuses every address
the host name resolves to that is not globally routable (loopback, private, link-local,
multicast, reserved, unspecified; IPv4-mapped IPv6 included). It runs when the URL is accepted
and again before each delivery, since DNS may answer differently by then.

``ADFORGE_ALLOW_PRIVATE_CALLBACKS=1`` lifts the address rule (not the scheme rule) for local
development and for tests whose receiver listens on 127.0.0.1. It is read from the environment
at each check because both callers (a request model's validator, the webhook dispatcher) run
where no settings object is at hand.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from urllib.parse import urlsplit

from tools.settings import load_settings

__all__ = [
    "ALLOW_PRIVATE_ENV",
    "UnsafeUrlError",
    "allow_private_callbacks",
    "check_public_url",
    "is_safe_to_call",
]

log = logging.getLogger(__name__)

ALLOW_PRIVATE_ENV = "ADFORGE_ALLOW_PRIVATE_CALLBACKS"


class UnsafeUrlError(ValueError):
    """The URL may not be called by the server; the message says why."""


def allow_private_callbacks() -> bool:
    """Whether ``ADFORGE_ALLOW_PRIVATE_CALLBACKS`` is set to a true value."""
    return load_settings().outbound.allow_private_callbacks


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrlError(f"the host {host!r} does not resolve") from error
    return sorted({str(info[4][0]) for info in infos})


def check_public_url(url: str, *, allow_private: bool | None = None) -> str:
    """Return ``url`` if the server may call it; raise ``UnsafeUrlError`` if not.

    Args:
        url: The URL a user gave.
        allow_private: Skip the address rule; ``None`` reads ``ADFORGE_ALLOW_PRIVATE_CALLBACKS``.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeUrlError("only http and https URLs are accepted")
    if not parts.hostname:
        raise UnsafeUrlError("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeUrlError("the URL may not carry credentials")
    if allow_private_callbacks() if allow_private is None else allow_private:
        return url
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeUrlError("the URL's port is not valid") from error
    for address in _addresses(parts.hostname, port):
        if not _is_public(address):
            raise UnsafeUrlError(
                f"{parts.hostname} resolves to {address}, a private, loopback or link-local "
                "address; the server calls only public hosts"
            )
    return url


async def is_safe_to_call(url: str) -> bool:
    """``check_public_url`` off the event loop (DNS may be slow), logging a refusal."""
    try:
        await asyncio.to_thread(check_public_url, url)
    except UnsafeUrlError as error:
        log.warning("refusing to call %s: %s", url, error)
        return False
    return True
