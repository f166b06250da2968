"""The ``start_session`` command: a conversation about a product, a format and a media type.

The options are checked against the catalog before anything is recorded. With an idempotency key
the session id derives from the caller and the key, so a retried create finds the session its
first attempt recorded and answers it again; a concurrent twin is dropped by the log's UNIQUE
event id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Literal

from server.core.catalog_rules import check_format
from server.core.commands.keys import keyed_id, replayed, request_hash
from server.core.errors import not_found
from server.core.events import EventType, event, event_id
from server.core.services import Services
from server.core.users import User
from tools.creative.models import ProductInfo

__all__ = ["SessionAccepted", "session_record", "start_session"]


@dataclass(frozen=True, slots=True)
class SessionAccepted:
    """The session, as recorded."""

    session_id: str
    created_at: str
    replayed: bool = False


def session_record(
    session_id: str,
    user_id: str,
    product_id: str | None,
    product: ProductInfo,
    format_name: str,
    media_type: str,
    **extra: Any,
) -> dict[str, Any]:
    """The ``SessionStarted`` payload of an ``ad_workflow`` conversation, whoever starts it.

    The Ad Forge API, a guided ChatKit thread and an AG-UI thread record the same shape;
    ``extra`` adds the starter's own keys (``requestHash``, ``source``).
    """
    return {
        "sessionId": session_id,
        "userId": user_id,
        "productId": product_id,
        "product": product.model_dump(mode="json", by_alias=True),
        "format": format_name,
        "mediaType": media_type,
        "graph": "ad_workflow",
        **extra,
    }


async def start_session(
    services: Services,
    user: User,
    *,
    product_id: str,
    format_name: str,
    media_type: Literal["video", "image"],
    idempotency_key: str | None = None,
) -> SessionAccepted:
    """Record a new ``ad_workflow`` session; nothing runs until its first message.

    Raises:
        ApiError: 404 for an unknown product, 422 for a format or media type not on offer or a
            key reused with another request.
    """
    digest = request_hash({"p": product_id, "f": format_name.casefold(), "m": media_type})
    session_id = (
        "sess-" + keyed_id("k", user.id, "sessions", idempotency_key).removeprefix("k-")
        if idempotency_key
        else f"sess-{secrets.token_hex(8)}"
    )
    started_id = event_id(session_id, EventType.SESSION_STARTED)
    found = await replayed(services.store, started_id, digest, thread_id=session_id)
    if found is not None:
        return SessionAccepted(session_id, found.created_at, replayed=True)
    format_name = check_format(format_name, media_type).name
    product = await services.products.find(user.id, product_id)
    if product is None:
        raise not_found("product", product_id)
    data = session_record(
        session_id, user.id, product_id, product, format_name, media_type, requestHash=digest
    )
    recorded = await services.store.append(
        session_id, [event(session_id, EventType.SESSION_STARTED, data)]
    )
    if not recorded:  # a concurrent twin with the same key recorded it first
        twin = await services.store.find(started_id)
        assert twin is not None
        return SessionAccepted(session_id, twin.created_at, replayed=True)
    await services.projections.wait_for(recorded[0].position)
    return SessionAccepted(session_id, recorded[0].created_at)
