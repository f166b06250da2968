"""One settings tree: what a ``.env`` in the working directory says reaches the model and providers.

The servers here run as real processes in a directory holding only a ``.env`` (the test process's
environment has no provider variables: conftest's ``isolated_env``), and talk to the local fakes
of OpenAI and HeyGen, which refuse a missing or wrong key as the real APIs do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.models import (
    DEFAULT_OPENAI_MODEL,
    OFFLINE_MODEL_SPEC,
    default_model_spec,
    load_chat_model,
)
from tests._processes import adforge_server, free_port, process_env
from tests.fakes import FakeOpenAI, FakeScript, running_fake_openai, schema_responder
from tests.fakes.heygen_server import DEFAULT_LOOKS, FakeHeyGen
from tools.image_providers import image_provider
from tools.settings import AdForgeSettings, SettingsError, load_settings, read_settings
from tools.video_providers import OfflineVideoProvider, video_provider

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "openai_structured.json").read_text())
DOTENV_KEY = "sk-from-dotenv-7f3a"


def _write_dotenv(directory: Path, **values: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [f"{name}={value}" for name, value in values.items()]
    (directory / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


@pytest.fixture
def strict_openai() -> Iterator[FakeOpenAI]:
    """The OpenAI fake answering the workflow's structured calls, for DOTENV_KEY only."""
    replies = {name: (lambda _r, n=name: FIXTURES[n]) for name in FIXTURES if name[0] != "_"}
    with running_fake_openai(
        FakeScript(chat=schema_responder(replies), api_key=DOTENV_KEY)
    ) as fake:
        yield fake


@pytest.mark.integration
def test_an_openai_key_only_in_dotenv_reaches_chatopenai(
    tmp_path: Path, strict_openai: FakeOpenAI
) -> None:
    cwd = _write_dotenv(
        tmp_path / "cwd", OPENAI_API_KEY=DOTENV_KEY, OPENAI_BASE_URL=strict_openai.base_url
    )
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", cwd=cwd) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as api,
    ):
        health = api.get("/health").json()
        assert (health["model"], health["offline"]) == (DEFAULT_OPENAI_MODEL, False)
        sid = api.post("/api/chat/sessions", json={"productId": "1"}).json()["sessionId"]
        reply = api.post(f"/api/chat/sessions/{sid}/messages", json={"message": "Generate ads"})

    assert reply.status_code == 200, reply.text
    [card] = [m["data"] for m in reply.json()["messages"] if m["type"] == "audience_group"]
    names = [persona["name"] for persona in FIXTURES["PersonaSet"]["personas"]]
    assert [audience["name"] for audience in card["audiences"]] == names
    chats = [r for r in strict_openai.requests if r.path == "/v1/chat/completions"]
    assert chats, "the model was never called"
    assert {r.headers["authorization"] for r in chats} == {f"Bearer {DOTENV_KEY}"}


@pytest.mark.integration
def test_a_heygen_key_only_in_dotenv_lists_heygen_looks(tmp_path: Path) -> None:
    with FakeHeyGen(tmp_path / "heygen-media") as heygen:
        cwd = _write_dotenv(
            tmp_path / "cwd", HEYGEN_API_KEY=heygen.api_key, HEYGEN_BASE_URL=heygen.url
        )
        with (
            adforge_server(tmp_path / "data", tmp_path / "server.log", cwd=cwd) as server,
            httpx.Client(base_url=server.base_url, timeout=60) as api,
        ):
            avatars = api.get("/api/avatars/marketplace").json()["data"]
        looks = heygen.calls("GET", "/v3/avatars/looks")

    assert {a["provider"] for a in avatars} == {"heygen"}
    assert len(avatars) == len(DEFAULT_LOOKS)
    assert [r.headers.get("x-api-key") for r in looks] == [heygen.api_key]


@pytest.mark.integration
def test_no_dotenv_and_no_variables_means_offline(tmp_path: Path) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", cwd=cwd) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as api,
    ):
        health = api.get("/health").json()
        avatars = api.get("/api/avatars/marketplace").json()["data"]
    assert (health["model"], health["offline"]) == (OFFLINE_MODEL_SPEC, True)
    assert avatars and {a["offline"] for a in avatars} == {True}


@pytest.mark.integration
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("HEYGEN_TIMEOUT_S", "soon"),
        ("ADFORGE_MODEL_MAX_RETRIES", "many"),
        ("ADFORGE_MEDIA_FONTS", "comic"),
    ],
)
def test_a_malformed_value_in_dotenv_stops_the_start_naming_it(
    tmp_path: Path, name: str, value: str
) -> None:
    cwd = _write_dotenv(tmp_path / "cwd", **{name: value})
    env = {"PORT": str(free_port()), "ADFORGE_DATA_DIR": str(tmp_path / "data")}
    started = subprocess.run(
        [sys.executable, "-m", "server"],
        cwd=cwd,
        env=process_env(env, cwd),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode != 0
    assert name in started.stderr and repr(value) in started.stderr
    assert not (tmp_path / "data" / "adforge.sqlite").exists(), "refused before opening anything"


async def test_langgraph_dev_reads_the_same_dotenv_through_the_same_loader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``langgraph dev`` imports graph/ without the server: the model still gets the .env key."""
    with running_fake_openai(FakeScript(api_key=DOTENV_KEY)) as fake:
        monkeypatch.chdir(
            _write_dotenv(tmp_path, OPENAI_API_KEY=DOTENV_KEY, OPENAI_BASE_URL=fake.base_url)
        )
        assert default_model_spec() == DEFAULT_OPENAI_MODEL
        reply = await load_chat_model(default_model_spec()).ainvoke("hello")
        [request] = fake.requests
    assert reply.content == "echo: hello"
    assert request.headers["authorization"] == f"Bearer {DOTENV_KEY}"
    assert load_settings() is load_settings(), "read once"


def test_the_process_environment_wins_over_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_dotenv(tmp_path, HEYGEN_API_KEY="from-file", ADFORGE_VIDEO_FPS="12")
    monkeypatch.setenv("HEYGEN_API_KEY", "from-process")
    tree = read_settings(tmp_path / ".env")
    assert tree.heygen.api_key is not None
    assert tree.heygen.api_key.get_secret_value() == "from-process"
    assert tree.media.video_fps == 12


def test_an_empty_tree_builds_offline_providers() -> None:
    tree = AdForgeSettings.from_mapping({})
    assert default_model_spec(tree.model) == OFFLINE_MODEL_SPEC
    assert image_provider(tree.images, tree.model).offline is True
    video = video_provider(tree.heygen, offline_fps=tree.media.video_fps)
    assert isinstance(video, OfflineVideoProvider)


def test_every_malformed_value_is_named() -> None:
    with pytest.raises(SettingsError) as raised:
        AdForgeSettings.from_mapping(
            {
                "ADFORGE_MODEL_TIMEOUT_S": "-1",
                "ADFORGE_VIDEO_FPS": "120",
                "ADFORGE_IMAGE_PROVIDER": "dalle",
                "HEYGEN_POLL_INTERVAL_S": "soon",
            }
        )
    message = str(raised.value)
    for name in (
        "ADFORGE_MODEL_TIMEOUT_S",
        "ADFORGE_VIDEO_FPS",
        "ADFORGE_IMAGE_PROVIDER",
        "HEYGEN_POLL_INTERVAL_S",
    ):
        assert name in message
