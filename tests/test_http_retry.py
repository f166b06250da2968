"""The one outbound retry policy (tools/http_retry.py): which answers are retried, how long it
waits, and that Retry-After wins — for returned responses and for SDK errors that carry one."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

from tools.http_retry import RETRY_STATUSES, RetryPolicy, retry_after_s

FAST = RetryPolicy(attempts=3, base_delay_s=0.0, max_delay_s=0.0, retry_after_cap_s=0.0)
REQUEST = httpx.Request("POST", "https://api.example.test/v1/things")


def answer(status: int, **headers: str) -> httpx.Response:
    return httpx.Response(status, headers=headers, request=REQUEST)


class StatusError(Exception):
    """Stands in for ``openai.APIStatusError``: an exception carrying the response."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


async def test_not_now_answers_are_retried_and_the_first_good_one_returned() -> None:
    answers = [answer(503), answer(429), answer(200)]
    calls: list[int] = []

    async def attempt() -> httpx.Response:
        calls.append(1)
        return answers[len(calls) - 1]

    response = await FAST.call(attempt)

    assert response.status_code == 200 and len(calls) == 3


async def test_a_refusal_is_final_and_exhausted_retries_return_the_last_answer() -> None:
    seen: list[int] = []

    async def refused() -> httpx.Response:
        seen.append(400)
        return answer(400)

    async def always_busy() -> httpx.Response:
        seen.append(503)
        return answer(503)

    assert (await FAST.call(refused)).status_code == 400
    assert (await FAST.call(always_busy)).status_code == 503
    assert seen == [400, 503, 503, 503]


async def test_retry_false_makes_one_try_only() -> None:
    seen: list[int] = []

    async def busy() -> httpx.Response:
        seen.append(1)
        return answer(503)

    assert (await FAST.call(busy, retry=False)).status_code == 503 and seen == [1]


async def test_errors_carrying_a_response_are_retried_by_status_then_reraised() -> None:
    seen: list[int] = []

    async def sdk_call() -> httpx.Response:
        seen.append(1)
        raise StatusError(answer(429))

    with pytest.raises(StatusError):
        await FAST.call(sdk_call)
    assert len(seen) == FAST.attempts


async def test_transport_errors_are_retried_and_other_exceptions_are_not() -> None:
    seen: list[str] = []

    async def flaky() -> httpx.Response:
        seen.append("connect")
        if len(seen) < 2:
            raise httpx.ConnectError("refused", request=REQUEST)
        return answer(200)

    async def bug() -> httpx.Response:
        seen.append("bug")
        raise ValueError("not an HTTP problem")

    assert (await FAST.call(flaky)).status_code == 200
    with pytest.raises(ValueError):
        await FAST.call(bug)
    assert seen == ["connect", "connect", "bug"]


async def test_extra_statuses_are_retried_only_where_asked() -> None:
    seen: list[int] = []

    async def in_progress() -> httpx.Response:
        seen.append(1)
        return answer(409) if len(seen) == 1 else answer(200)

    assert (await FAST.call(in_progress)).status_code == 409
    seen.clear()
    assert (await FAST.call(in_progress, extra_statuses=(409,))).status_code == 200


def test_retry_after_wins_when_longer_up_to_the_cap() -> None:
    policy = RetryPolicy(base_delay_s=0.5, max_delay_s=8.0, retry_after_cap_s=60.0)

    assert policy.delay(1, "30") == 30.0
    assert policy.delay(1, "600") == 60.0  # capped
    assert 0.25 <= policy.delay(1, None) <= 0.5  # equal jitter on 0.5 s
    assert 4.0 <= policy.delay(10, "1") <= 8.0  # backoff capped at max_delay_s, longer than 1 s


def test_retry_after_reads_seconds_and_http_dates() -> None:
    later = email.utils.formatdate(time.time() + 120, usegmt=True)

    assert retry_after_s("7") == 7.0
    assert 100 <= (retry_after_s(later) or 0) <= 120
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def test_the_not_now_statuses() -> None:
    assert {408, 425, 429, 500, 502, 503, 504} == RETRY_STATUSES
    assert not {400, 401, 402, 403, 404, 409, 410, 422} & RETRY_STATUSES


async def test_x_should_retry_overrides_the_status() -> None:
    seen: list[int] = []

    async def told_not_to() -> httpx.Response:
        seen.append(1)
        return answer(500, **{"x-should-retry": "false"})

    assert (await FAST.call(told_not_to)).status_code == 500 and seen == [1]
