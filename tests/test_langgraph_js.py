"""The official JS client ``@langchain/langgraph-sdk`` streams a run on AdForge and rejoins it.

``tests/js/package.json`` (and its lock) pin the client; the test installs it with the machine's
npm when ``node_modules`` is missing, then runs ``stream_and_rejoin.mjs`` with Node.js.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._processes import AdForgeServer, adforge_server

pytestmark = pytest.mark.integration
JS = Path(__file__).with_name("js")
KEY = "sk-js-1"


def _installed() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, "Node.js and npm are needed for the JS client test"
    if not (JS / "node_modules" / "@langchain" / "langgraph-sdk").exists():
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=JS, check=True
        )
    return Path(node)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp = tmp_path_factory.mktemp("langgraph-js")
    with adforge_server(tmp / "data", tmp / "server.log", ADFORGE_API_KEYS=f"{KEY}:js") as s:
        yield s


def test_the_js_client_streams_a_run_and_rejoins_it_from_the_middle(
    server: AdForgeServer,
) -> None:
    node = _installed()
    done = subprocess.run(
        [str(node), "stream_and_rejoin.mjs", server.base_url, KEY],
        cwd=JS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["events"][0] == "metadata" and summary["interrupt"] == "persona_selection"
    assert all(summary["ids"])
    assert summary["rejoinedIds"] == summary["ids"][summary["middle"] + 1 :]
