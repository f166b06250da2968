"""The server with HEYGEN_API_KEY set, against the local fake of HeyGen's v3 API: the avatar
marketplace lists HeyGen's presenters and the guide's video job renders through HeyGen, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests._processes import adforge_server
from tests.fakes.heygen_server import DEFAULT_LOOKS, FakeHeyGen, make_fake_media
from tests.http_flows import to_scripts
from tests.media_probe import ffprobe, video_stream
from tests.sse_client import read_until


@pytest.fixture(scope="module")
def heygen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeHeyGen]:
    with FakeHeyGen(make_fake_media(tmp_path_factory.mktemp("heygen-media"))) as fake:
        yield fake


@pytest.mark.integration
def test_videos_render_through_heygen_when_its_key_is_set(
    tmp_path: Path, heygen: FakeHeyGen
) -> None:
    env = {
        "HEYGEN_API_KEY": heygen.api_key,
        "HEYGEN_BASE_URL": heygen.url,
        "HEYGEN_POLL_INTERVAL_S": "0.05",
    }
    with (
        adforge_server(tmp_path / "data", tmp_path / "server.log", **env) as server,
        httpx.Client(base_url=server.base_url, timeout=120) as api,
    ):
        avatars = api.get("/api/avatars/marketplace").json()["data"]
        assert {a["provider"] for a in avatars} == {"heygen"}
        assert {a["offline"] for a in avatars} == {False}
        assert len(avatars) == len(DEFAULT_LOOKS)
        presenter = avatars[0]["id"]

        sid, script_id = to_scripts(api)
        job_id = api.post(
            f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id, "avatar": presenter}
        ).json()["jobId"]
        with api.stream("GET", f"/api/chat/sessions/{sid}/events") as response:
            result = read_until(response, "video_result")[-1].data["data"]
        record = api.get(f"/api/jobs/{job_id}").json()
        assert record["status"] == "completed" and record["provider"] == "heygen"
        assert result["offline"] is False

        path = tmp_path / "heygen.mp4"
        path.write_bytes(api.get(result["videoUrl"]).content)
        assert video_stream(ffprobe(path))["codec_name"] == "h264"
        assert api.get(result["thumbnailUrl"]).headers["content-type"] == "image/jpeg"

    assert heygen.submissions == 1
    [submitted] = heygen.calls("POST", "/v3/videos")
    assert submitted.headers["x-api-key"] == heygen.api_key
    assert presenter.encode() in submitted.body
