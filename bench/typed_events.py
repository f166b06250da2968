"""What typed event payloads cost the projections, per event, against the same fold with no parse.

Records real offline conversations in-process (Ad Forge image sessions through the guide's flow,
ChatKit assistant turns), then folds the whole log through the server's projections (sessions,
assets, ChatKit) the way ``rebuild`` does: records read fresh from SQLite, so every payload is
parsed once (``payload_of`` caches the model on the shared record). The baseline, in the same
run, folds the same records with their parse already cached: the difference is the parse.
Also printed: the cost of ``event()`` (validation at construction) per event, and of the read.

Run: ``.venv/bin/python bench/typed_events.py [--sessions 3] [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.app import create_app
from server.core.event_types import EVENT_TYPES
from server.core.eventlog import RecordedEvent
from server.core.events import event
from server.core.projections.gallery import AssetsProjection
from server.core.projections.sessions import SessionsProjection
from server.protocols.chatkit import ChatKitProjection
from server.settings import Settings


def _post(client: TestClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = client.post(path, json=body)
    assert answer.status_code < 300, answer.text
    return dict(answer.json())


def _card(frames: list[dict[str, Any]], type_: str) -> dict[str, Any]:
    return dict(next(f["data"] for f in frames if f["type"] == type_))


def _image_session(client: TestClient) -> None:
    sid = _post(client, "/api/chat/sessions", {"productId": "1", "mediaType": "image"})["sessionId"]

    def turn(message: str) -> list[dict[str, Any]]:
        body = _post(client, f"/api/chat/sessions/{sid}/messages", {"message": message})
        return list(body["messages"])

    persona = _card(turn("Generate ads"), "audience_group")["audiences"][0]
    angle = _card(turn(f"Selected persona: {persona['name']}"), "marketing_angle")["angles"][0]
    scripts = _card(turn(f"Selected angle: {angle['title']}"), "psychology_selection")
    job = _post(
        client, f"/api/chat/sessions/{sid}/video", {"scriptId": scripts["concepts"][0]["id"]}
    )
    while client.get(f"/api/jobs/{job['jobId']}").json().get("status") != "completed":
        time.sleep(0.1)


def _assistant_thread(client: TestClient) -> None:
    text: dict[str, Any] = {"attachments": [], "inference_options": {}}
    created = client.post(
        "/chatkit",
        json={
            "type": "threads.create",
            "params": {"input": {"content": [{"type": "input_text", "text": "Hi!"}], **text}},
        },
    )
    thread_id = created.text.split('"thread":{"id":"', 1)[1].split('"', 1)[0]
    for said in ("Aurora Cold Brew Concentrate", "Clean and minimal", "Warm and upbeat"):
        client.post(
            "/chatkit",
            json={
                "type": "threads.add_user_message",
                "params": {
                    "thread_id": thread_id,
                    "input": {"content": [{"type": "input_text", "text": said}], **text},
                },
            },
        )


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _fold(events: Sequence[RecordedEvent]) -> None:
    for projection in (SessionsProjection(), AssetsProjection(), ChatKitProjection()):
        view: Any = projection.initial()
        for recorded in events:
            view = projection.apply(view, recorded)


def main() -> None:
    """Record the conversations, then print the per-event costs."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(ADFORGE_DATA_DIR=Path(tmp), ADFORGE_MODEL="offline:adforge-creative-1")
        app = create_app(settings)
        with TestClient(app) as client:
            for _ in range(args.sessions):
                _image_session(client)
                _assistant_thread(client)
            portal, store = client.portal, app.state.services.store
            assert portal is not None

            def fresh() -> list[RecordedEvent]:
                return list(portal.call(store.read_all))

            events = fresh()
            n = len(events)
            read = _best(args.repeat, fresh)
            colds, warms = [], []
            for _ in range(args.repeat):  # interleaved, so both see the same machine
                batch = fresh()
                colds.append(_best(1, partial(_fold, batch)))  # parses as it reads
                warms.append(_best(1, partial(_fold, batch)))  # the same, parse cached
            cold, warm = min(colds), min(warms)
            parse = _best(
                args.repeat,
                lambda: [EVENT_TYPES.parse(e.type, e.schema_version, e.data) for e in events],
            )
            build = _best(
                args.repeat,
                lambda: [event(e.thread_id, e.type, e.data, e.event_id) for e in events],
            )
    us = 1e6 / n
    print(f"{n} events recorded by {args.sessions} image sessions + assistant threads")
    print(f"{'read from SQLite (json.loads, upcast)':<48}{read * us:8.1f} µs/event")
    print(f"{'parse and validate (EventTypeRegistry.parse)':<48}{parse * us:8.1f} µs/event")
    print(f"{'3 projections, payloads already parsed':<48}{warm * us:8.1f} µs/event")
    print(f"{'3 projections, parsing as they read':<48}{cold * us:8.1f} µs/event")
    print(f"{'  ratio cold / warm':<48}{cold / warm:8.2f} x")
    print(f"{'event() with validation':<48}{build * us:8.1f} µs/event")


if __name__ == "__main__":
    main()
