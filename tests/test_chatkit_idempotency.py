"""ChatKit's ``threads.add_user_message`` with an ``Idempotency-Key``: a retry records nothing.

A ChatKit client that lost the stream of a message it sent and sends it again with the same key
gets that turn's stream again — the same items, replayed from the log — and the thread gains no
second message and no second run; the same key with another text is a 422.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.core.events import EventType
from tests.test_chatkit_api import create, items
from tests.test_chatkit_wire import (
    WIDGET_DEPRECATION,
    assert_error,
    offline_client,
    stream_events,
    user_input,
)

pytestmark = pytest.mark.filterwarnings(WIDGET_DEPRECATION)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    yield from offline_client(tmp_path_factory, "chatkit-keys")


def _say(client: TestClient, thread_id: str, text: str, key: str) -> Any:
    body = {
        "type": "threads.add_user_message",
        "params": {"thread_id": thread_id, "input": user_input(text)},
    }
    return client.post("/chatkit", json=body, headers={"Idempotency-Key": key})


def _count(client: TestClient, thread_id: str, type_: str) -> int:
    services = client.app.state.services  # type: ignore[attr-defined]
    events = client.portal.call(services.store.read_thread, thread_id)
    return sum(1 for e in events if e.type == type_)


def test_a_retried_message_replays_its_turn_and_records_nothing(client: TestClient) -> None:
    thread_id, _ = create(client, "Hi, I sell oat-milk lattes at my cafe")
    first = _say(client, thread_id, "A cozy, friendly tone please", "ck-retry-1")
    assert first.status_code == 200, first.text
    recorded = (
        _count(client, thread_id, EventType.USER_MESSAGE_SENT),
        _count(client, thread_id, EventType.RUN_STARTED),
    )
    again = _say(client, thread_id, "A cozy, friendly tone please", "ck-retry-1")
    assert again.status_code == 200, again.text

    def done(events: list[dict[str, Any]]) -> list[tuple[str, str, Any]]:
        # created_at of the user's item is ChatKit's clock live and the log's on replay
        return [
            (e["item"]["id"], e["item"]["type"], e["item"].get("content"))
            for e in events
            if e["type"] == "thread.item.done"
        ]

    assert done(stream_events(again.text)) == done(stream_events(first.text))
    assert (
        _count(client, thread_id, EventType.USER_MESSAGE_SENT),
        _count(client, thread_id, EventType.RUN_STARTED),
    ) == recorded
    user_items = [i for i in items(client, thread_id) if i["type"] == "user_message"]
    assert len(user_items) == 2  # the thread's first message and this one, once

    other = _say(client, thread_id, "A bold tone instead", "ck-retry-1")
    assert_error(other, 422, "idempotency_key_reused")
