"""Checkpoint bytes written per conversation turn of ``ad_assistant``, up to 50 turns.

Compares the shipped state (messages in a ``DeltaChannel``: each checkpoint stores only that
step's new messages) with the same graph using the classic ``add_messages`` channel (each
checkpoint stores the whole history), in the same run on the same machine. Bytes are counted in
the SQLite saver's own tables, so the figures are the real on-disk payload, not an estimate.

Run: ``make bench`` or ``.venv/bin/python bench/checkpoint_growth.py [--turns 50]``.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from dataclasses import dataclass
from itertools import chain, cycle, islice
from pathlib import Path
from typing import Annotated, Any

from langchain_core.messages import AnyMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.prebuilt import ToolNode
from langgraph.runtime import Runtime
from typing_extensions import TypedDict

from graph.assistant import build_assistant, respond, route_after_model
from graph.assistant_tools import ASSISTANT_TOOLS
from graph.context import Context
from graph.state import append_by_id, merge_dicts
from server.core.persistence import open_checkpointer

BRIEF = [
    "Hi",
    "Aurora Cold Brew Concentrate",
    "Clean and minimal",
    "Warm and upbeat",
    "Cafe-quality coffee at home in ten seconds",
    "Yes, go ahead",
]
FOLLOW_UPS = [
    "Make it more playful",
    "Shorter headline please",
    "Change the tone to bold",
    "Switch to dark mode",
    "Make it more premium",
    "Switch to light mode",
]


class FullHistoryState(TypedDict, total=False):
    """The baseline: identical to AssistantState except the messages channel keeps full copies."""

    messages: Annotated[list[AnyMessage], add_messages]
    theme: str | None
    assets: Annotated[dict[str, dict[str, Any]], merge_dicts]
    latest_asset_id: str | None
    pending_images: list[str]
    image_requests: Annotated[list[dict[str, Any]], append_by_id]


def _full_history_builder() -> Any:
    # The shipped node functions, re-registered without their type hints: LangGraph reads a node's
    # state annotation as its input schema, which would clash with this state's messages channel.
    async def respond_full(state: Any, runtime: Runtime[Context]) -> Any:
        return await respond(state, runtime)

    def route_full(state: Any) -> Any:
        return route_after_model(state)

    builder = StateGraph(FullHistoryState, context_schema=Context)
    builder.add_node("respond", respond_full)
    builder.add_node("tools", ToolNode(ASSISTANT_TOOLS))
    builder.add_edge(START, "respond")
    builder.add_conditional_edges("respond", route_full, ["tools", END])
    builder.add_edge("tools", "respond")
    return builder


@dataclass(frozen=True, slots=True)
class Growth:
    """Bytes the saver stored for one turn, and in total so far."""

    turn: int
    turn_bytes: int
    total_bytes: int


async def _stored_bytes(conn: Any, thread_id: str) -> int:
    total = 0
    for sql in (
        "SELECT COALESCE(SUM(LENGTH(checkpoint) + LENGTH(metadata)), 0) FROM checkpoints WHERE thread_id = ?",
        "SELECT COALESCE(SUM(LENGTH(value)), 0) FROM writes WHERE thread_id = ?",
    ):
        async with conn.execute(sql, (thread_id,)) as cursor:
            row = await cursor.fetchone()
            total += int(row[0])
    return total


async def measure(turns: int, *, delta: bool, db: Path) -> list[Growth]:
    """Play ``turns`` user turns on one thread; return the stored bytes of each turn."""
    builder = build_assistant() if delta else _full_history_builder()
    async with open_checkpointer(db) as saver:
        graph = builder.compile(checkpointer=saver)
        config: Any = {"configurable": {"thread_id": "growth"}}
        growth: list[Growth] = []
        previous = 0
        for number, text in enumerate(islice(chain(BRIEF, cycle(FOLLOW_UPS)), turns), start=1):
            await graph.ainvoke(
                {"messages": [HumanMessage(text)]}, config, context=Context(), durability="sync"
            )
            total = await _stored_bytes(saver.conn, "growth")
            growth.append(Growth(number, total - previous, total))
            previous = total
        return growth


async def _main(turns: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shipped = await measure(turns, delta=True, db=Path(tmp) / "delta.sqlite")
        baseline = await measure(turns, delta=False, db=Path(tmp) / "full.sqlite")
    print(f"ad_assistant checkpoint bytes per turn (offline model, {turns} turns, SQLite)")
    print(f"{'turn':>5} {'DeltaChannel':>14} {'add_messages':>14} {'ratio':>7}")
    for mark in sorted({1, 10, 25, turns} & set(range(1, turns + 1))):
        s, b = shipped[mark - 1], baseline[mark - 1]
        print(
            f"{mark:>5} {s.turn_bytes:>14,} {b.turn_bytes:>14,} {s.turn_bytes / b.turn_bytes:>7.2f}"
        )
    print(
        f"{'total':>5} {shipped[-1].total_bytes:>14,} {baseline[-1].total_bytes:>14,} "
        f"{shipped[-1].total_bytes / baseline[-1].total_bytes:>7.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=50)
    asyncio.run(_main(parser.parse_args().turns))
