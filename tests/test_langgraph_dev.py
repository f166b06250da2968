"""``langgraph dev`` loads langgraph.json and runs both graphs offline, driven over its REST API."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import httpx
import pytest

from tests._processes import free_port, running

OFFLINE_DEV_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "LANGGRAPH_NO_VERSION_CHECK": "true",
    "LANGSMITH_TRACING": "false",
}


def _langgraph_cli() -> str:
    cli = Path(sys.executable).with_name("langgraph")
    found = str(cli) if cli.exists() else shutil.which("langgraph")
    assert found, "langgraph-cli is a dev dependency: run `make test` to install it"
    return found


@pytest.mark.integration
@pytest.mark.slow
def test_langgraph_dev_runs_both_graphs_offline(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [_langgraph_cli(), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    args += ["--config", "langgraph.json"]
    with (
        running(
            args, ready_url=f"{base}/ok", env=OFFLINE_DEV_ENV, log=tmp_path / "dev.log", timeout=120
        ),
        httpx.Client(base_url=base, timeout=60) as api,
    ):
        graphs = {a["graph_id"] for a in api.post("/assistants/search", json={"limit": 10}).json()}
        assert graphs == {"ad_workflow", "ad_assistant"}

        wf_thread = api.post("/threads", json={}).json()["thread_id"]
        run = {"assistant_id": "ad_workflow", "input": {"product_id": "1", "media_type": "video"}}
        values = api.post(f"/threads/{wf_thread}/runs/wait", json=run).json()
        [pending] = values["__interrupt__"]
        assert pending["value"]["kind"] == "persona_selection"
        assert len(values["personas"]) == 4 and values["generation"]["personas"]["offline"] is True

        resume = {"assistant_id": "ad_workflow", "command": {"resume": {"optionId": "aud-2"}}}
        values = api.post(f"/threads/{wf_thread}/runs/wait", json=resume).json()
        assert values["__interrupt__"][0]["value"]["kind"] == "angle_selection"
        state = api.get(f"/threads/{wf_thread}/state").json()
        assert (
            state["next"] == ["choose_angle"]
            and state["values"]["selected_persona"]["id"] == "aud-2"
        )

        chat_thread = api.post("/threads", json={}).json()["thread_id"]
        turn = {
            "assistant_id": "ad_assistant",
            "input": {"messages": [{"role": "user", "content": "Hello"}]},
        }
        values = api.post(f"/threads/{chat_thread}/runs/wait", json=turn).json()
        reply = values["messages"][-1]
        assert reply["type"] == "ai" and "product" in reply["content"].lower()
    log = (tmp_path / "dev.log").read_text()
    assert "Traceback" not in log, log[-3000:]
