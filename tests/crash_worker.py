"""A separate process that runs ``ad_workflow`` on a SQLite file, logging node starts and ends.

Used by test_crash_recovery.py, which SIGKILLs it mid-step and resumes in a fresh process. Usage:
``python -m tests.crash_worker DB THREAD_ID start|resume LOG``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langgraph.types import Command

from graph.context import Context
from graph.workflow import build_workflow
from server.core.persistence import open_checkpointer


class NodeLog(BaseCallbackHandler):
    """Appends ``start <node>`` / ``end <node>`` lines, fsynced, so a killed process leaves a true log."""

    run_inline = True

    def __init__(self, path: Path) -> None:
        self.path = path
        self.nodes: dict[UUID, str] = {}

    def _write(self, line: str) -> None:
        with self.path.open("a") as log:
            log.write(line + "\n")
            log.flush()
            os.fsync(log.fileno())

    def on_chain_start(self, serialized: Any, inputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        node = (kwargs.get("metadata") or {}).get("langgraph_node")
        if node and kwargs.get("name") == node:
            self.nodes[run_id] = node
            self._write(f"start {node}")

    def on_chain_end(self, outputs: Any, *, run_id: UUID, **kwargs: Any) -> None:
        if (node := self.nodes.pop(run_id, None)) is not None:
            self._write(f"end {node}")


async def main(db: Path, thread_id: str, phase: str, log: Path) -> None:
    async with open_checkpointer(db) as saver:
        workflow = build_workflow().compile(checkpointer=saver)
        config: Any = {"configurable": {"thread_id": thread_id}, "callbacks": [NodeLog(log)]}
        inputs: list[Any] = (
            [{"product_id": "1", "media_type": "video"}, Command(resume={"optionId": "aud-1"})]
            if phase == "start"
            else [None]
        )
        for payload in inputs:
            await workflow.ainvoke(payload, config, context=Context(), durability="sync")
        snapshot = await workflow.aget_state(config)
        print(
            json.dumps(
                {"next": list(snapshot.next), "angles": len(snapshot.values.get("angles", []))}
            )
        )


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])))
