"""The Agent Protocol on AdForge's own server, driven by the official ``langgraph_sdk``.

A real ``python -m server`` (uvicorn, SQLite) with two users' API keys; the SDK sends them as
``x-api-key``. Offline engine with a small latency, so runs last long enough to be double-texted.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from langgraph_sdk.errors import ConflictError, NotFoundError

from tests._processes import AdForgeServer, adforge_server
from tests.sse_client import read_until

pytestmark = pytest.mark.integration
ALICE, BOB = "sk-alice-1", "sk-bob-1"
NAMESPACE_GRAPH = uuid.UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")
START = {"product_id": "1", "media_type": "video"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp = tmp_path_factory.mktemp("langgraph")
    env = {"ADFORGE_API_KEYS": f"{ALICE}:alice,{BOB}:bob", "ADFORGE_OFFLINE_LATENCY_MS": "150"}
    with adforge_server(tmp / "data", tmp / "server.log", **env) as s:
        yield s


@pytest.fixture
async def client(server: AdForgeServer) -> AsyncIterator[LangGraphClient]:
    lg = get_client(url=server.base_url, api_key=ALICE, timeout=60)
    yield lg
    await lg.http.client.aclose()


@pytest.fixture
async def bob(server: AdForgeServer) -> AsyncIterator[LangGraphClient]:
    lg = get_client(url=server.base_url, api_key=BOB, timeout=60)
    yield lg
    await lg.http.client.aclose()


async def _stream(client: LangGraphClient, thread_id: str, **kwargs: Any) -> list[Any]:
    return [part async for part in client.runs.stream(thread_id, "ad_workflow", **kwargs)]


async def _refused(call: Awaitable[Any]) -> int:
    """The status of a request the server must refuse (``runs.wait`` raises httpx's error)."""
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await call
    return refused.value.response.status_code


def _pending(parts: list[Any]) -> dict[str, Any]:
    [last] = [p for p in parts if p.event == "values" and "__interrupt__" in p.data][-1:]
    interrupt: dict[str, Any] = last.data["__interrupt__"][0]
    return interrupt


async def test_info_and_system_assistants(client: LangGraphClient, server: AdForgeServer) -> None:
    info = httpx.get(f"{server.base_url}/info").json()
    assert tuple(map(int, info["version"].split("."))) >= (0, 4, 35) and "flags" in info
    assert httpx.get(f"{server.base_url}/ok").json() == {"ok": True}
    found = await client.assistants.search(metadata={"created_by": "system"}, limit=10)
    ids = {a["graph_id"]: a["assistant_id"] for a in found}
    assert ids == {g: str(uuid.uuid5(NAMESPACE_GRAPH, g)) for g in ("ad_workflow", "ad_assistant")}
    assert await client.assistants.count(graph_id="ad_assistant") == 1
    assert (await client.assistants.get("ad_workflow"))["assistant_id"] == ids["ad_workflow"]
    drawn = await client.assistants.get_graph(ids["ad_workflow"], xray=True)
    assert {"choose_persona", "choose_angle"} <= {n["id"] for n in drawn["nodes"]}
    schemas = await client.assistants.get_schemas(ids["ad_assistant"])
    assert "messages" in schemas["state_schema"]["properties"]
    assert await client.assistants.get_subgraphs(ids["ad_workflow"]) == {}
    with pytest.raises(NotFoundError):
        await client.assistants.get("no_such_graph")


async def test_workflow_streams_to_each_choice_and_resumes_to_the_media_step(
    client: LangGraphClient,
) -> None:
    thread = await client.threads.create(metadata={"purpose": "walkthrough"})
    tid = thread["thread_id"]
    parts = await _stream(client, tid, input=START, stream_mode=["values", "updates", "custom"])
    assert parts[0].event == "metadata" and parts[0].data["run_id"]
    assert all(p.id for p in parts)  # every frame is resumable
    assert any(p.event == "custom" for p in parts)
    assert any(p.event == "updates" and "propose_personas" in p.data for p in parts)
    persona = _pending(parts)
    assert persona["value"]["kind"] == "persona_selection"
    assert (await client.threads.get(tid))["status"] == "interrupted"
    state = await client.threads.get_state(tid)
    assert state["next"] == ["choose_persona"] and len(state["values"]["personas"]) == 4

    kinds = []
    for answer in ({"optionId": "aud-2"}, None, None):
        pending = _pending(parts) if answer is None else persona
        option = answer or {"optionId": pending["value"]["options"][0]["id"]}
        parts = await _stream(client, tid, command={"resume": option})
        kinds.append(_pending(parts)["value"]["kind"])
    assert kinds == ["angle_selection", "script_selection", "media_job"]
    state = await client.threads.get_state(tid)
    assert state["values"]["selected_persona"]["id"] == "aud-2"
    assert state["values"]["media_job"]

    history = await client.threads.get_history(tid, limit=100)
    assert len(history) > 4 and history[0]["checkpoint"] == state["checkpoint"]
    runs = await client.runs.list(tid)
    assert [r["status"] for r in runs] == ["success"] * 4
    assert {r["assistant_id"] for r in runs} == {str(uuid.uuid5(NAMESPACE_GRAPH, "ad_workflow"))}
    found = await client.threads.search(metadata={"purpose": "walkthrough"})
    assert [t["thread_id"] for t in found] == [tid]


async def test_a_run_forked_from_an_older_checkpoint_takes_another_path(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    await _stream(client, tid, input=START)
    await _stream(client, tid, command={"resume": {"optionId": "aud-2"}})
    history = await client.threads.get_history(tid, limit=100)
    [at_persona] = [h for h in history if h["next"] == ["choose_persona"]][:1]
    older = at_persona["parent_checkpoint"]["checkpoint_id"]
    before = await client.threads.get_state(tid, checkpoint_id=older)
    assert before["next"] == ["propose_personas"] or not before["values"].get("personas")
    parts = await _stream(client, tid, input=None, checkpoint_id=older)  # a new branch from there
    assert _pending(parts)["value"]["kind"] == "persona_selection"
    parts = await _stream(client, tid, command={"resume": {"optionId": "aud-3"}})
    assert _pending(parts)["value"]["kind"] == "angle_selection"
    state = await client.threads.get_state(tid)
    assert state["values"]["selected_persona"]["id"] == "aud-3"
    branch = await client.threads.get_history(tid, limit=100)
    assert {h["checkpoint"]["checkpoint_id"] for h in history} < {
        h["checkpoint"]["checkpoint_id"] for h in branch
    } | {h["checkpoint"]["checkpoint_id"] for h in history}
    copied = await client.threads.update_state(  # Studio's "Re-run from here"
        tid, None, as_node="__copy__", checkpoint_id=at_persona["checkpoint"]["checkpoint_id"]
    )
    head = await client.threads.get_state(tid)
    assert head["checkpoint"]["checkpoint_id"] == copied["checkpoint"]["checkpoint_id"]
    assert head["next"] == ["choose_persona"] and head["values"]["personas"]
    original = await client.threads.get_state(
        tid, checkpoint_id=history[0]["checkpoint"]["checkpoint_id"]
    )
    assert original["values"]["selected_persona"]["id"] == "aud-2"  # the old branch is intact


async def test_join_stream_from_the_middle_gets_exactly_the_later_frames(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(
        tid, "ad_workflow", input=START, stream_mode=["values", "updates", "custom"]
    )
    assert run["status"] in ("pending", "running")
    everything = [p async for p in client.runs.join_stream(tid, run["run_id"], last_event_id="-1")]
    assert everything[0].event == "metadata"
    middle = len(everything) // 2
    later = [
        p
        async for p in client.runs.join_stream(
            tid, run["run_id"], last_event_id=everything[middle].id
        )
    ]
    assert [(p.event, p.id, p.data) for p in later] == [
        (p.event, p.id, p.data) for p in everything[middle + 1 :]
    ]
    assert (await client.runs.get(tid, run["run_id"]))["status"] == "success"
    with pytest.raises(httpx.HTTPStatusError) as refused:  # an id from another server
        async for _ in client.runs.join_stream(tid, run["run_id"], last_event_id="1795263476238-0"):
            pass
    assert refused.value.response.status_code == 400
    on_thread = []
    async for part in await client.threads.join_stream(tid, last_event_id="-1"):
        on_thread.append(part)
        if part.event == "metadata" and part.data.get("status") == "run_done":
            break
    assert [(p.event, p.data) for p in on_thread[:-1]] == [(p.event, p.data) for p in everything]
    assert on_thread[-1].data == {"status": "run_done", "run_id": run["run_id"]}
    joined = await client.runs.join(tid, run["run_id"])
    assert joined["__interrupt__"][0]["value"]["kind"] == "persona_selection"


async def _double_text(client: LangGraphClient, strategy: Any) -> tuple[str, str, str]:
    """A second run sent while the first runs: (thread, first run, second run), both ended."""
    tid = (await client.threads.create())["thread_id"]
    first = await client.runs.create(tid, "ad_workflow", input=START)
    second = await client.runs.create(tid, "ad_workflow", input=START, multitask_strategy=strategy)
    await client.runs.join(tid, second["run_id"])
    return tid, first["run_id"], second["run_id"]


async def test_multitask_reject_enqueue_interrupt_rollback(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    first = await client.runs.create(tid, "ad_workflow", input=START)
    with pytest.raises(ConflictError):
        await client.runs.create(tid, "ad_workflow", input=START, multitask_strategy="reject")
    queued = await client.runs.create(
        tid, "ad_workflow", command={"resume": {"optionId": "aud-1"}}, multitask_strategy="enqueue"
    )
    assert queued["status"] == "pending"
    done = await client.runs.join(tid, queued["run_id"])
    assert done["selected_persona"]["id"] == "aud-1"
    assert (await client.runs.get(tid, first["run_id"]))["status"] == "success"

    tid, first, second = await _double_text(client, "interrupt")
    assert (await client.runs.get(tid, first))["status"] == "interrupted"
    assert (await client.runs.get(tid, second))["status"] == "success"

    tid, first, second = await _double_text(client, "rollback")
    with pytest.raises(NotFoundError):
        await client.runs.get(tid, first)
    assert [r["run_id"] for r in await client.runs.list(tid)] == [second]


async def test_cancel_stops_a_run(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "ad_workflow", input=START)
    await client.runs.cancel(tid, run["run_id"], wait=True)
    assert (await client.runs.get(tid, run["run_id"]))["status"] == "interrupted"
    assert (await client.threads.get(tid))["status"] == "interrupted"


async def test_messages_tuple_streams_the_assistants_tokens(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    turn = {"messages": [{"role": "user", "content": "Hello"}]}
    parts = [
        p
        async for p in client.runs.stream(
            tid, "ad_assistant", input=turn, stream_mode=["messages-tuple", "values"]
        )
    ]
    chunks = [p.data[0]["content"] for p in parts if p.event == "messages"]
    assert len(chunks) >= 1
    state = await client.threads.get_state(tid)
    reply = state["values"]["messages"][-1]
    assert reply["type"] == "ai" and "".join(chunks) == reply["content"]


async def test_owners_and_bad_input(client: LangGraphClient, bob: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    with pytest.raises(NotFoundError):
        await bob.threads.get(tid)
    with pytest.raises(NotFoundError):
        await bob.threads.get_state(tid)
    assert tid not in {t["thread_id"] for t in await bob.threads.search(limit=100)}
    both = client.runs.wait(tid, "ad_workflow", input=START, command={"resume": 1})
    assert await _refused(both) == 400
    assert await _refused(client.runs.wait(tid, "no_such_graph", input=START)) == 404
    assert await _refused(client.runs.wait(str(uuid.uuid4()), "ad_workflow", input=START)) == 404
    assert await client.runs.list(tid) == []  # refused runs left no trace
    hijack = bob.runs.wait(tid, "ad_workflow", input=START, if_not_exists="create")
    assert await _refused(hijack) == 409  # implicit creation never takes another's thread
    assert await client.runs.list(tid) == []
    fresh = str(uuid.uuid4())
    made = await bob.runs.wait(fresh, "ad_workflow", input=START, if_not_exists="create")
    assert made["__interrupt__"][0]["value"]["kind"] == "persona_selection"
    assert (await bob.threads.get(fresh))["status"] == "interrupted"
    with pytest.raises(NotFoundError):
        await client.threads.get(fresh)
    await client.runs.wait(tid, "ad_workflow", input=START)
    nope = {"resume": {"optionId": "nope"}}
    bad = await client.runs.wait(tid, "ad_workflow", command=nope, raise_error=False)
    assert isinstance(bad, dict) and "ValidationError" in bad["__error__"]["message"]
    thread = await client.threads.get(tid)
    assert thread["status"] == "error"
    state = await client.threads.get_state(tid)
    assert state["next"] == ["choose_persona"] and state["interrupts"]


def test_studio_text_plain_json_and_private_network_preflight(server: AdForgeServer) -> None:
    studio = "https://smith.langchain.com"
    with httpx.Client(base_url=server.base_url) as http:
        answer = http.post(
            "/assistants/search",
            content='{"limit": 10, "offset": 0, "metadata": {"created_by": "system"}}',
            headers={"Content-Type": "text/plain", "x-api-key": ALICE, "Origin": studio},
        )
        assert answer.status_code == 200 and len(answer.json()) == 2
        assert answer.headers["access-control-allow-origin"] == studio
        preflight = http.options(
            "/threads/search",
            headers={
                "Origin": studio,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-api-key,content-type",
                "Access-Control-Request-Private-Network": "true",
            },
        )
        missing = http.get("/assistants/nope", headers={"x-api-key": ALICE, "Origin": studio})
        assert (
            missing.status_code == 404 and missing.headers["access-control-allow-origin"] == studio
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-private-network"] == "true"
        assert preflight.headers["access-control-allow-origin"] == studio


async def test_one_conversation_on_every_protocol(
    client: LangGraphClient, server: AdForgeServer
) -> None:
    """An Ad Forge session is a thread here, and a run started here is a turn there."""
    auth = {"Authorization": f"Bearer {ALICE}"}
    with httpx.Client(base_url=server.base_url, headers=auth, timeout=60) as api:
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        turn = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})
        assert turn.status_code == 200, turn.text
        state = await client.threads.get_state(sid)  # the web-app turn, in the thread's state
        assert state["next"] == ["choose_persona"] and len(state["values"]["personas"]) == 4
        assert (await client.threads.get(sid))["status"] == "interrupted"
        assert sid in {t["thread_id"] for t in await client.threads.search(limit=1000)}
        [web_run] = await client.runs.list(sid)
        assert web_run["status"] == "success"
        parts = await _stream(client, sid, command={"resume": {"optionId": "aud-2"}})
        assert _pending(parts)["value"]["kind"] == "angle_selection"
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as events:
            seen = read_until(events, "marketing_angle")  # the Agent Protocol run's cards
        assert [f.data["type"] for f in seen].count("audience_group") == 1


async def test_thread_patch_update_state_copy_and_delete(client: LangGraphClient) -> None:
    tid = (await client.threads.create(metadata={"team": "a"}))["thread_id"]
    await _stream(client, tid, input=START)
    patched = await client.threads.update(tid, metadata={"stage": "personas"})
    assert patched["metadata"]["team"] == "a" and patched["metadata"]["stage"] == "personas"
    assert [
        t["thread_id"] for t in await client.threads.search(metadata={"stage": "personas"})
    ] == [tid]
    assert tid in {
        t["thread_id"] for t in await client.threads.search(status="interrupted", limit=100)
    }
    assert await client.threads.count(metadata={"team": "a", "stage": "personas"}) == 1
    again = await client.threads.create(thread_id=tid, if_exists="do_nothing")
    assert again["thread_id"] == tid
    with pytest.raises(ConflictError):
        await client.threads.create(thread_id=tid)
    written = await client.threads.update_state(tid, {"audience_hint": "runners"})
    state = await client.threads.get_state(tid)
    assert state["checkpoint"]["checkpoint_id"] == written["checkpoint"]["checkpoint_id"]
    assert state["values"]["audience_hint"] == "runners"
    copy = await client.threads.copy(tid)
    copied = await client.threads.get_state(copy["thread_id"])
    assert copied["values"] == state["values"] and copied["next"] == state["next"]
    assert len(await client.threads.get_history(copy["thread_id"], limit=100)) == len(
        await client.threads.get_history(tid, limit=100)
    )
    await client.threads.delete(tid)
    with pytest.raises(NotFoundError):
        await client.threads.get(tid)


async def test_tasks_checkpoints_and_debug_modes(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    parts = await _stream(client, tid, input=START, stream_mode=["tasks", "checkpoints", "debug"])
    events = [p.event for p in parts]
    assert events[0] == "metadata" and "values" not in events
    tasks = [p.data for p in parts if p.event == "tasks"]
    assert [t["name"] for t in tasks] == ["resolve_product", "propose_personas"]
    checkpoints = [p.data for p in parts if p.event == "checkpoints"]
    assert checkpoints[-1]["next"] == ["choose_persona"]
    assert checkpoints[-1]["config"]["configurable"]["thread_id"] == tid
    debug = {p.data["type"] for p in parts if p.event == "debug"}
    assert debug == {"checkpoint", "task_result"}
    history = await client.threads.get_history(tid, limit=100)
    ids = {h["checkpoint"]["checkpoint_id"] for h in history}
    assert {c["config"]["configurable"]["checkpoint_id"] for c in checkpoints} <= ids


async def test_a_bad_key_is_refused_and_a_disconnect_can_cancel(
    client: LangGraphClient, server: AdForgeServer
) -> None:
    stranger = get_client(url=server.base_url, api_key="sk-unknown", timeout=60)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await stranger.threads.search()
    assert refused.value.response.status_code == 401
    await stranger.http.client.aclose()
    tid = (await client.threads.create())["thread_id"]
    body = {"assistant_id": "ad_workflow", "input": START, "on_disconnect": "cancel"}
    headers = {"x-api-key": ALICE}
    async with (
        httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as http,
        http.stream("POST", f"/threads/{tid}/runs/stream", json=body) as response,
    ):
        run_id = response.headers["content-location"].rsplit("/", 1)[-1]
        async for line in response.aiter_lines():
            if line.startswith("event: metadata"):
                break  # leave while the run is still running
    joined = await client.runs.join(tid, run_id)
    assert "__interrupt__" not in joined
    assert (await client.runs.get(tid, run_id))["status"] == "interrupted"


async def test_a_run_is_replayable_after_a_restart(tmp_path: Path) -> None:
    """Frames come from the log and the checkpoints, not from memory: a new process replays them."""
    modes = ["values", "updates", "custom"]
    with adforge_server(tmp_path / "data", tmp_path / "first.log") as first:
        lg = get_client(url=first.base_url, timeout=60)
        tid = (await lg.threads.create())["thread_id"]
        before = [
            p async for p in lg.runs.stream(tid, "ad_workflow", input=START, stream_mode=modes)
        ]
        await lg.http.client.aclose()
    run_id = before[0].data["run_id"]
    with adforge_server(tmp_path / "data", tmp_path / "second.log") as second:
        lg = get_client(url=second.base_url, timeout=60)
        after = [
            p async for p in lg.runs.join_stream(tid, run_id, last_event_id="-1", stream_mode=modes)
        ]
        assert (await lg.runs.get(tid, run_id))["status"] == "success"
        await lg.http.client.aclose()
    assert [(p.event, p.id, p.data) for p in after] == [(p.event, p.id, p.data) for p in before]


async def test_command_update_writes_state_then_runs_on(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    await _stream(client, tid, input=START)
    parts = await _stream(client, tid, command={"update": {"audience_hint": "marathon runners"}})
    assert _pending(parts)["value"]["kind"] == "persona_selection"
    state = await client.threads.get_state(tid)
    assert state["values"]["audience_hint"] == "marathon runners"
    assert state["next"] == ["choose_persona"]
    assert [r["status"] for r in await client.runs.list(tid)] == ["success", "success"]
