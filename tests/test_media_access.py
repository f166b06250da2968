"""``/media`` behind the owner rule: signed, expiring URLs in every answer (issue 13).

Measured before: ``GET /media/...`` served a user's files with no key, a wrong key and to another
user, with ``Cache-Control: public``. Now a real server with two API keys renders one of alice's
static ads; its URL reaches her signed (job result, frames, assets), the file is served to a
plain ``<img>``-style request under that signature only, ranges still work, and a signature that
has expired, or was made for another user or file, is refused.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.http.media_urls import MediaSigner, load_media_secret
from tests._processes import adforge_server
from tests.http_flows import rendered_job
from tests.sse_client import frames as frames_of

pytestmark = pytest.mark.integration

SECRET = "test-media-secret"
ALICE = {"Authorization": "Bearer sk-a"}
BOB = {"Authorization": "Bearer sk-b"}


@dataclass(frozen=True)
class Rendered:
    base_url: str
    session_id: str
    job: dict[str, object]
    image_url: str


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rendered]:
    tmp = tmp_path_factory.mktemp("media")
    env = {"ADFORGE_API_KEYS": "sk-a:alice,sk-b:bob", "ADFORGE_MEDIA_SECRET": SECRET}
    with (
        adforge_server(tmp / "data", tmp / "server.log", **env) as server,
        httpx.Client(base_url=server.base_url, headers=ALICE, timeout=60) as api,
    ):
        sid, job = rendered_job(api)
        yield Rendered(server.base_url, sid, job, str(job["result"]["url"]))  # type: ignore[index]


def _bare(url: str) -> str:
    return urlsplit(url).path


def test_media_urls_in_job_results_are_signed_for_their_owner(rendered: Rendered) -> None:
    query = parse_qs(urlsplit(rendered.image_url).query)
    assert _bare(rendered.image_url).startswith(f"/media/{rendered.session_id}/")
    assert query["u"] == ["alice"] and query["exp"][0].isdigit() and len(query["sig"][0]) == 64


def test_media_urls_in_frames_and_assets_are_signed(rendered: Rendered) -> None:
    with httpx.Client(base_url=rendered.base_url, headers=ALICE, timeout=60) as api:
        [asset] = api.get("/assets", params={"sessionId": rendered.session_id}).json()["assets"]
        history = api.get(f"/api/chat/sessions/{rendered.session_id}/context").json()["history"]
        with api.stream(
            "GET", f"/api/chat/sessions/{rendered.session_id}/events", params={"lastEventId": 0}
        ) as stream:
            media = None
            for frame in frames_of(stream):
                if frame.data and frame.data.get("type") == "static_ad_result":
                    media = frame.data["data"]["imageUrl"]
                    break
    assert "sig=" in asset["images"][0] and _bare(asset["images"][0]) == _bare(rendered.image_url)
    assert "sig=" in str(history) and "/media/" in str(history)
    assert media is not None and "sig=" in media


def test_a_signed_url_serves_the_file_to_a_plain_img_request_privately(rendered: Rendered) -> None:
    answer = httpx.get(rendered.base_url + rendered.image_url)  # no Authorization, like <img>
    assert answer.status_code == 200 and answer.headers["content-type"] in (
        "image/png",
        "image/jpeg",
    )
    assert answer.headers["cache-control"].startswith("private")
    assert "public" not in answer.headers["cache-control"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_range_requests_still_work_on_signed_urls(rendered: Rendered) -> None:
    whole = httpx.get(rendered.base_url + rendered.image_url).content
    part = httpx.get(rendered.base_url + rendered.image_url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole)}"


@pytest.mark.parametrize("headers", [{}, ALICE, BOB, {"Authorization": "Bearer wrong"}])
def test_media_is_public_no_more_an_unsigned_url_is_404(
    rendered: Rendered, headers: dict[str, str]
) -> None:
    answer = httpx.get(rendered.base_url + _bare(rendered.image_url), headers=headers)
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_an_api_client_must_be_the_user_the_url_was_signed_for(rendered: Rendered) -> None:
    assert httpx.get(rendered.base_url + rendered.image_url, headers=ALICE).status_code == 200
    assert httpx.get(rendered.base_url + rendered.image_url, headers=BOB).status_code == 404


def test_a_signature_for_another_user_or_file_is_404(rendered: Rendered) -> None:
    path, query = _bare(rendered.image_url), urlsplit(rendered.image_url).query
    as_bob = query.replace("u=alice", "u=bob")
    other_file = path.rsplit("/", 1)[0] + "/other.png"
    altered = query[:-1] + ("1" if query.endswith("0") else "0")  # one hex digit of sig differs
    for url in (f"{path}?{as_bob}", f"{other_file}?{query}", f"{path}?{altered}"):
        assert httpx.get(rendered.base_url + url).status_code == 404, url


def test_a_leaked_url_expires(rendered: Rendered) -> None:
    signer = MediaSigner(SECRET.encode(), ttl_s=60)
    path = _bare(rendered.image_url)
    leaked = signer.sign(path, "alice", now=time.time() - 3 * 60)  # expired a minute ago
    answer = httpx.get(rendered.base_url + leaked)
    assert answer.status_code == 403 and answer.json()["code"] == "media_url_expired"
    fresh = signer.sign(path, "alice")
    assert httpx.get(rendered.base_url + fresh).status_code == 200


def test_bob_gets_no_signed_url_to_alices_files(rendered: Rendered) -> None:
    with httpx.Client(base_url=rendered.base_url, headers=BOB, timeout=60) as api:
        assert api.get(f"/api/jobs/{rendered.job['jobId']}").status_code == 404
        assert api.get("/assets").json()["count"] == 0
        events = api.get(f"/api/chat/sessions/{rendered.session_id}/events")
        assert events.status_code == 404 and "/media/" not in events.text


def test_the_media_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = load_media_secret(None, tmp_path)
    assert len(first) == 64 and load_media_secret(None, tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "media-secret").st_mode)
    assert mode == 0o600
    assert load_media_secret("configured", tmp_path) == b"configured"


def test_signatures_expire_between_one_and_two_ttls() -> None:
    signer = MediaSigner(b"k", ttl_s=100)
    url = signer.sign("/media/t/a.png", "alice", now=1_000)
    path, query = url.split("?")
    assert signer.check(path, query, now=1_099) is None
    assert signer.check(path, query, now=1_201) == "expired"
    assert signer.check("/media/t/b.png", query, now=1_099) == "invalid"
