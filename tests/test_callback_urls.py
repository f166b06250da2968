"""The SSRF guard on ``callbackUrl`` (issue 13): the server calls public http(s) hosts only.

Measured before: ``callbackUrl`` on ``POST …/video`` was POSTed to any host, private addresses
included. Now the URL is checked when it is accepted (a 422, no job) and again before each
delivery (DNS may answer differently by then); ``ADFORGE_ALLOW_PRIVATE_CALLBACKS`` lifts the
address rule for local receivers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.jobs import WebhookPolicy, deliver
from tests._processes import AdForgeServer, adforge_server
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.http_flows import to_scripts
from tools.urls import UnsafeUrlError, check_public_url

REFUSED = [
    "ftp://example.com/hook",
    "file:///etc/passwd",
    "gopher://example.com/",
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",  # resolved: loopback
    "http://10.1.2.3/hook",
    "http://192.168.0.10/hook",
    "http://172.16.5.4/hook",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "http://0.0.0.0/hook",
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://user:pass@93.184.215.14/hook",
    "http://no-such-host.invalid/hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_callback_urls_to_private_hosts_or_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrlError):
        check_public_url(url, allow_private=False)


def test_a_public_address_is_accepted() -> None:
    assert check_public_url("https://93.184.215.14/hook", allow_private=False)


def test_the_setting_allows_private_hosts_but_never_other_schemes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ADFORGE_ALLOW_PRIVATE_CALLBACKS", "1")
    assert check_public_url("http://127.0.0.1:9/hook")
    with pytest.raises(UnsafeUrlError):
        check_public_url("file:///etc/passwd")


async def test_delivery_checks_the_url_again_and_sends_nothing_to_a_private_host() -> None:
    with WebhookReceiver(statuses=[]) as receiver:
        async with httpx.AsyncClient() as client:
            result = await deliver(
                client, receiver.url, {"a": 1}, secret=None, policy=WebhookPolicy(), event_id="e"
            )
    assert result == (False, 0) and receiver.deliveries == []


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdForgeServer]:
    tmp: Path = tmp_path_factory.mktemp("callbacks")
    with adforge_server(tmp / "data", tmp / "server.log") as running:
        yield running


@pytest.mark.integration
@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "ftp://example.com/x"])
def test_callback_url_ssrf_a_private_callback_is_422_and_queues_no_job(
    server: AdForgeServer, url: str
) -> None:
    with httpx.Client(base_url=server.base_url, timeout=60) as api:
        sid, script_id = to_scripts(api)
        answer = api.post(
            f"/api/chat/sessions/{sid}/video", json={"scriptId": script_id, "callbackUrl": url}
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["details"][0]["field"] == "body.callbackUrl"
        session = api.get(f"/api/chat/sessions/{sid}").json()
        assert session["pendingChoice"]["kind"] == "script_selection"  # nothing started
        assert session["activeRunId"] is None
