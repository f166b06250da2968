"""AG-UI against a real ``python -m server`` (uvicorn) over HTTP, driven by the official client.

``tests/node/agui_flow.mjs`` runs ``@ag-ui/client``'s ``HttpAgent`` (npm, installed by ``make``'s
dev stamp from ``tests/node/package-lock.json``): the guided flow to the persona interrupt, a bad
resume, the resume, then an ``ad_assistant`` brief whose answer saves the ad and switches the
theme. The client's own verifier rejects any out-of-order event, so a run that completes is a
valid AG-UI run; the summary it prints is asserted here. The rejoin stream is checked over raw
HTTP: it replays a run from the log exactly as ``POST /agui`` streamed it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests._processes import ROOT, AdForgeServer, adforge_server
from tests.agui_wire import check_runs, events_of, parse_frames, run_input, user

pytestmark = pytest.mark.integration

ALICE = {"Authorization": "Bearer sk-alice"}
SCRIPT = ROOT / "tests" / "node" / "agui_flow.mjs"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp = tmp_path_factory.mktemp("agui-node")
    with adforge_server(
        tmp / "data",
        tmp / "server.log",
        ADFORGE_MODEL="offline:adforge-creative-1",
        ADFORGE_API_KEYS="sk-alice:alice,sk-bob:bob",
    ) as running:
        yield running


def node_flow(base_url: str) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None, "Node.js is needed (the machine's node, Node 20+)"
    assert (ROOT / "tests/node/node_modules/@ag-ui/client").is_dir(), "run make (npm ci)"
    done = subprocess.run(
        [node, str(SCRIPT), base_url, "sk-alice"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary: dict[str, Any] = json.loads(done.stdout)
    return summary


def test_the_official_client_runs_the_guided_flow_and_an_assistant_answer(
    server: AdForgeServer,
) -> None:
    flow = node_flow(server.base_url)
    personas = flow["toPersonas"]
    assert "thrown" not in personas and personas["error"] is None
    assert personas["types"][0] == "RUN_STARTED" and personas["types"][-1] == "RUN_FINISHED"
    assert "audience_group" in personas["custom"] and "on_interrupt" in personas["custom"]
    [interrupt] = personas["interrupts"]
    assert interrupt["reason"] == "input_required" and interrupt["id"] == flow["interruptId"]
    assert personas["state"]["step"] == "persona_selection"
    assert personas["state"]["choice"]["interruptId"] == flow["interruptId"]

    bad = flow["badResume"]
    assert bad["types"] == ["RUN_STARTED", "STATE_SNAPSHOT", "RUN_ERROR"]
    assert bad["error"]["code"] == "unknown_option"
    assert bad["state"]["choice"]["interruptId"] == flow["interruptId"]  # still pending

    resumed = flow["resumed"]
    assert resumed["error"] is None and "marketing_angle" in resumed["custom"]
    assert resumed["state"]["selections"]["persona"]["id"] == flow["optionId"]
    [angle] = resumed["interrupts"]
    assert angle["metadata"]["adforge"]["kind"] == "angle_selection"
    assert resumed["text"]  # the persona's impact, as a streamed text message

    saved = flow["saved"]
    assert saved["tools"] == ["save_ad_asset"] and len(saved["results"]) == 1
    assert "Headline" in saved["text"]
    [with_call] = [m for m in saved["messages"] if m["toolCalls"]]
    assert with_call["toolCalls"] == ["save_ad_asset"]
    assert any(m["role"] == "tool" for m in saved["messages"])
    assert len(saved["state"]["assets"]) == 1
    gallery = httpx.get(f"{server.base_url}/assets", headers=ALICE).json()["assets"]
    assert [a["id"] for a in gallery] == saved["state"]["assets"]

    themed = flow["themed"]
    assert themed["tools"] == ["switch_theme"] and themed["state"]["theme"] == "dark"

    # The thread the client created over AG-UI is an Ad Forge session too.
    session = httpx.get(
        f"{server.base_url}/api/chat/sessions/{flow['guidedThread']}", headers=ALICE
    )
    assert session.status_code == 200
    chosen = [option["id"] for option in session.json()["selections"].values()]
    assert chosen == [flow["optionId"]]
    foreign = httpx.get(
        f"{server.base_url}/api/chat/sessions/{flow['guidedThread']}",
        headers={"Authorization": "Bearer sk-bob"},
    )
    assert foreign.status_code == 404


def _rejoin(base_url: str, thread_id: str, last_event_id: int) -> str:
    """The rejoin stream from ``last_event_id`` until its first run ends (it never ends itself)."""
    body = ""
    headers = {**ALICE, "Last-Event-ID": str(last_event_id)}
    url = f"{base_url}/agui/threads/{thread_id}/events"
    with httpx.stream("GET", url, headers=headers, timeout=30) as response:
        assert response.status_code == 200
        for line in response.iter_lines():
            body += line + "\n"
            if line.startswith("data: ") and '"type":"RUN_FINISHED"' in line:
                return body + "\n"
    raise AssertionError("the rejoin stream ended")


def _comparable(event: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in event.items() if k not in ("runId", "metadata", "timestamp")}


def test_a_dropped_client_rejoins_the_run_from_the_log(server: AdForgeServer) -> None:
    body = run_input(
        "rejoin-1", "run-1", messages=[user("m1", "Generate ads")], state={"productId": "2"}
    )
    live = httpx.post(f"{server.base_url}/agui/ad_workflow", json=body, headers=ALICE, timeout=60)
    assert live.status_code == 200
    frames = parse_frames(live.text)
    events_of(live.text)  # one valid run
    seqs = [seq for seq, _ in frames if seq is not None]
    assert seqs == sorted(seqs) and len(seqs) == len(frames)  # every frame names its log event

    replayed = parse_frames(_rejoin(server.base_url, "rejoin-1", seqs[0] - 1))
    check_runs([e for _, e in replayed])
    assert [_comparable(e) for _, e in replayed] == [_comparable(e) for _, e in frames]
    assert [s for s, _ in replayed] == seqs

    middle = seqs[len(seqs) // 2]
    tail = parse_frames(_rejoin(server.base_url, "rejoin-1", middle))
    after = [_comparable(e) for s, e in frames if s is not None and s > middle]
    assert [_comparable(e) for _, e in tail] == after

    bad = httpx.get(
        f"{server.base_url}/agui/threads/rejoin-1/events",
        headers={**ALICE, "Last-Event-ID": "99999"},
    )
    assert bad.status_code == 409 and bad.json()["code"] == "cursor_ahead"
