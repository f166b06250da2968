"""Recovering a fork (a ChatKit retry) that a crash interrupted: it is redone from its fork point.

A retry runs from an earlier checkpoint (``RunRequest.checkpoint_id``). If the process dies
after the retry's ``RunStarted`` but before it wrote a checkpoint, recovery must start from the
same fork point again — not from the thread's head, where the old answer still stands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from graph.models import OFFLINE_MODEL_SPEC
from graph.workflow import build_workflow
from server.core.eventlog import EventStore
from server.core.events import EventType, event
from server.core.persistence import open_checkpointer
from server.core.runs import RUN_ID_KEY, RunManager, RunRequest
from tools.catalog import find_product


async def test_a_crashed_fork_is_redone_from_its_fork_point(tmp_path: Path) -> None:
    database = tmp_path / "adforge.sqlite"
    config: Any = {"configurable": {"thread_id": "t1"}}
    product = find_product("1")
    assert product is not None
    async with open_checkpointer(database) as saver, EventStore.open(database) as store:
        graph = build_workflow().compile(checkpointer=saver)
        runs = RunManager(store, graph, model=OFFLINE_MODEL_SPEC)
        start = RunRequest(
            thread_id="t1",
            user_id="u",
            kind="start",
            payload={"product": product.model_dump(mode="json", by_alias=True)},
        )
        await runs.wait(runs.submit(start).run_id, timeout=60)
        fork = await graph.aget_state(config)  # waits for the persona choice
        [choice] = fork.interrupts
        first = choice.value["options"][0]["id"]
        answer = RunRequest(
            thread_id="t1",
            user_id="u",
            kind="resume",
            payload={"optionId": first},
            interrupt_id=choice.id,
        )
        await runs.wait(runs.submit(answer).run_id, timeout=60)
        answered = await graph.aget_state(config)
        assert answered.values["selected_persona"]["id"] == first

        # A retry of that answer (ChatKit's retry_after_item: the same choice answered again from
        # the checkpoint before it) was recorded as started when the process died: no checkpoint
        # of its own, no terminal event.
        crashed = {
            "runId": "run-retry",
            "kind": "resume",
            "payload": {"optionId": first},
            "userId": "u",
            "interruptId": choice.id,
            "productName": product.name,
            "graph": "ad_workflow",
            "checkpointId": fork.config["configurable"]["checkpoint_id"],
        }
        await store.append(
            "t1", [event("t1", EventType.RUN_STARTED, crashed, "run-retry", run_id="run-retry")]
        )

        restarted = RunManager(store, graph, model=OFFLINE_MODEL_SPEC)
        assert await restarted.recover() == 1
        await restarted.wait("run-retry", timeout=60)
        head = await graph.aget_state(config)
        assert head.metadata is not None and head.metadata[RUN_ID_KEY] == "run-retry"
        assert [i.value["kind"] for i in head.interrupts] == ["angle_selection"]
        lineage: list[str] = []
        step = head
        while step.parent_config is not None:  # walk the new head's ancestors
            step = await graph.aget_state(step.parent_config)
            lineage.append(step.config["configurable"]["checkpoint_id"])
        fork_id = fork.config["configurable"]["checkpoint_id"]
        old_head = answered.config["configurable"]["checkpoint_id"]
        assert fork_id in lineage and old_head not in lineage  # a new branch from the fork point
