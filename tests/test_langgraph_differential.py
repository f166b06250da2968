"""The same ``langgraph_sdk`` script against ``langgraph dev`` and against AdForge: equal frames.

Both servers run the same graphs offline; the script streams the workflow to the persona choice
and resumes it to the angle choice. Compared: the sequence of ``values`` and ``updates`` frames
(event names and payloads, interrupts included) modulo ids, timestamps and the frame ``id``s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langgraph_sdk import get_client

from tests._processes import adforge_server, free_port, running
from tests.test_langgraph_dev import OFFLINE_DEV_ENV, _langgraph_cli

pytestmark = [pytest.mark.integration, pytest.mark.slow]
_VOLATILE = re.compile(r"^(timestamp|.*_at)$")
"""Keys whose values are clock readings."""


def _normal(value: Any) -> Any:
    """``value`` without clock readings and interrupt ids (they derive from random task ids)."""
    if isinstance(value, dict):
        if "__interrupt__" in value:
            pending = [{k: v for k, v in i.items() if k != "id"} for i in value["__interrupt__"]]
            value = {**value, "__interrupt__": pending}
        return {k: _normal(v) for k, v in value.items() if not _VOLATILE.match(k)}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


async def _script(base_url: str) -> list[tuple[str, Any]]:
    client = get_client(url=base_url, timeout=60)
    tid = (await client.threads.create())["thread_id"]
    seen: list[tuple[str, Any]] = []
    start = {"product_id": "1", "media_type": "video"}
    for body in ({"input": start}, {"command": {"resume": {"optionId": "aud-2"}}}):
        async for part in client.runs.stream(
            tid, "ad_workflow", stream_mode=["values", "updates"], **body
        ):
            if part.event in ("values", "updates"):
                seen.append((part.event, _normal(part.data)))
    await client.http.client.aclose()
    return seen


@pytest.fixture(scope="module")
def dev_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("dev")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [_langgraph_cli(), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    args += ["--config", "langgraph.json"]
    with running(
        args, ready_url=f"{base}/ok", env=OFFLINE_DEV_ENV, log=tmp / "dev.log", timeout=120
    ):
        yield base


async def test_adforge_streams_the_frames_langgraph_dev_streams(
    dev_url: str, tmp_path: Path
) -> None:
    reference = await _script(dev_url)
    with adforge_server(tmp_path / "data", tmp_path / "server.log") as server:
        ours = await _script(server.base_url)
    assert [e for e, _ in ours] == [e for e, _ in reference]
    assert ours == reference
