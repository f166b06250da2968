"""Drive the real ChatOpenAI and AsyncOpenAI clients against the fake OpenAI server.

These tests pin the fake's wire format to what the production clients parse, so other
tests can trust that "works against the fake" means "speaks OpenAI's protocol".
"""

from __future__ import annotations

import base64
import io
import operator
import socket
import threading
from collections.abc import Iterator, Sequence
from functools import reduce
from typing import Any

import httpx
import openai
import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from PIL import Image
from pydantic import BaseModel

from tests.fakes import (
    FakeError,
    FakeImageReply,
    FakeOpenAI,
    FakeScript,
    FakeText,
    FakeToolCall,
    FakeToolCalls,
    FakeUsage,
    fail_then,
    moderation_blocked,
    running_fake_openai,
    schema_responder,
    scripted,
)

CHAT = "/v1/chat/completions"
IMAGES = "/v1/images/generations"


class AdCopy(BaseModel):
    headline: str
    body: str
    score: int


@tool
def get_weather(city: str) -> str:
    """Return the weather for a city."""
    return f"sunny in {city}"


def ad_copy(request: dict[str, Any]) -> dict[str, Any]:
    return {"headline": "Glow safely", "body": "No sun needed.", "score": 7}


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    # One server per test: a fresh port also sidesteps langchain-openai's httpx client cache,
    # which is keyed by base_url and would otherwise carry connections across event loops.
    with running_fake_openai() as server:
        yield server


def chat(fake: FakeOpenAI, **kwargs: Any) -> ChatOpenAI:
    options: dict[str, Any] = {"timeout": 10, "max_retries": 0}
    options.update(kwargs)
    return ChatOpenAI(model="gpt-4.1", base_url=fake.base_url, api_key="sk-local", **options)


def merged(chunks: Sequence[Any]) -> AIMessageChunk:
    message = reduce(operator.add, chunks)
    assert isinstance(message, AIMessageChunk)
    return message


async def test_ainvoke_returns_text_and_sends_openai_request(fake: FakeOpenAI) -> None:
    fake.script.chat = scripted([FakeText("Hello from the fake.")])

    reply = await chat(fake).ainvoke("Say hello")

    assert reply.content == "Hello from the fake."
    assert reply.response_metadata["finish_reason"] == "stop"
    assert reply.response_metadata["id"].startswith("chatcmpl-")
    [request] = fake.requests
    assert (request.method, request.path) == ("POST", CHAT)
    assert request.headers["authorization"] == "Bearer sk-local"
    assert request.body["model"] == "gpt-4.1"
    assert request.body["stream"] is False
    assert request.body["messages"] == [{"role": "user", "content": "Say hello"}]


async def test_astream_text_arrives_in_several_chunks(fake: FakeOpenAI) -> None:
    fake.script.chat = scripted([FakeText("One two three four five.")])

    chunks = [chunk async for chunk in chat(fake).astream("count")]

    assert len([c for c in chunks if c.content]) == 5
    message = merged(chunks)
    assert message.content == "One two three four five."
    assert message.response_metadata["finish_reason"] == "stop"
    assert fake.bodies()[0]["stream"] is True


async def test_bind_tools_non_streaming_parses_tool_calls(fake: FakeOpenAI) -> None:
    call = FakeToolCall("get_weather", {"city": "Paris"}, id="call_weather1")
    fake.script.chat = scripted([FakeToolCalls((call,))])

    reply = await chat(fake).bind_tools([get_weather]).ainvoke("Weather in Paris?")

    assert reply.tool_calls == [
        {
            "name": "get_weather",
            "args": {"city": "Paris"},
            "id": "call_weather1",
            "type": "tool_call",
        }
    ]
    assert reply.response_metadata["finish_reason"] == "tool_calls"
    [tool_spec] = fake.bodies()[0]["tools"]
    assert tool_spec["type"] == "function"
    assert tool_spec["function"]["name"] == "get_weather"


async def test_bind_tools_streaming_merges_fragmented_parallel_calls(fake: FakeOpenAI) -> None:
    calls = (
        FakeToolCall("get_weather", {"city": "Paris"}, id="call_a"),
        FakeToolCall("get_weather", {"city": "Oslo, Norway"}, id="call_b"),
    )
    fake.script.chat = scripted([FakeToolCalls(calls)])

    chunks = [c async for c in chat(fake).bind_tools([get_weather]).astream("Two cities?")]

    # Arguments really arrive in fragments, so this proves the `index` merging works.
    fragments = [tc for c in chunks for tc in getattr(c, "tool_call_chunks", []) if tc["args"]]
    assert len(fragments) > 2
    message = merged(chunks)
    assert [(t["id"], t["name"], t["args"]) for t in message.tool_calls] == [
        ("call_a", "get_weather", {"city": "Paris"}),
        ("call_b", "get_weather", {"city": "Oslo, Norway"}),
    ]
    assert message.invalid_tool_calls == []
    assert message.response_metadata["finish_reason"] == "tool_calls"


async def test_structured_output_json_schema(fake: FakeOpenAI) -> None:
    fake.script.chat = schema_responder({"AdCopy": ad_copy})

    result = await chat(fake).with_structured_output(AdCopy, method="json_schema").ainvoke("Ad!")

    assert result == AdCopy(headline="Glow safely", body="No sun needed.", score=7)
    response_format = fake.bodies()[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "AdCopy"


# langchain-openai 1.7.3 `_astream` calls `model_dump()` on the SDK's parsed stream events, which
# warns because the SDK types `parsed` as None (langchain-ai/langchain#35538; the fix covered only
# the non-streaming path). It is client-side and happens against api.openai.com too.
@pytest.mark.filterwarnings("ignore:Pydantic serializer warnings:UserWarning")
async def test_structured_output_json_schema_streaming(fake: FakeOpenAI) -> None:
    fake.script.chat = schema_responder({"AdCopy": ad_copy})
    structured = chat(fake).with_structured_output(AdCopy, method="json_schema")

    results = [item async for item in structured.astream("Ad!")]

    assert results[-1] == AdCopy(headline="Glow safely", body="No sun needed.", score=7)
    assert fake.bodies()[0]["stream"] is True


async def test_structured_output_function_calling(fake: FakeOpenAI) -> None:
    fake.script.chat = schema_responder({"AdCopy": ad_copy})

    structured = chat(fake).with_structured_output(AdCopy, method="function_calling")
    result = await structured.ainvoke("Ad!")

    assert result == AdCopy(headline="Glow safely", body="No sun needed.", score=7)
    body = fake.bodies()[0]
    assert body["tool_choice"] == {"type": "function", "function": {"name": "AdCopy"}}
    assert "response_format" not in body


async def test_schema_responder_reports_unknown_schema(fake: FakeOpenAI) -> None:
    fake.script.chat = schema_responder({"Other": ad_copy})

    with pytest.raises(openai.InternalServerError, match="no mapping for 'AdCopy'"):
        await chat(fake, max_retries=2).with_structured_output(AdCopy).ainvoke("Ad!")
    assert len(fake.requests) == 1  # x-should-retry: false stops the SDK retrying


async def test_stream_usage_fills_usage_metadata(fake: FakeOpenAI) -> None:
    usage = FakeUsage(prompt_tokens=12, completion_tokens=3)
    fake.script.chat = scripted([FakeText("Short answer here", usage=usage)])

    chunks = [c async for c in chat(fake, stream_usage=True).astream("q")]

    assert merged(chunks).usage_metadata == {
        "input_tokens": 12,
        "output_tokens": 3,
        "total_tokens": 15,
        "input_token_details": {"audio": 0, "cache_read": 0},
        "output_token_details": {"audio": 0, "reasoning": 0},
    }
    assert fake.bodies()[0]["stream_options"] == {"include_usage": True}


async def test_non_streaming_reports_usage(fake: FakeOpenAI) -> None:
    fake.script.chat = scripted([FakeText("x", usage=FakeUsage(5, 2))])

    reply = await chat(fake).ainvoke("q")

    assert reply.usage_metadata is not None
    assert (reply.usage_metadata["input_tokens"], reply.usage_metadata["output_tokens"]) == (5, 2)


@pytest.mark.parametrize(("max_retries", "succeeds"), [(2, True), (1, False)])
async def test_rate_limit_retries(fake: FakeOpenAI, max_retries: int, succeeds: bool) -> None:
    fake.script.chat = fail_then(2, 429, then=scripted([FakeText("finally")]))
    llm = chat(fake, max_retries=max_retries)

    if succeeds:
        assert (await llm.ainvoke("q")).content == "finally"
    else:
        with pytest.raises(openai.RateLimitError) as caught:
            await llm.ainvoke("q")
        assert caught.value.code == "rate_limit_exceeded"
    assert len(fake.bodies()) == max_retries + 1


async def test_server_error_then_success(fake: FakeOpenAI) -> None:
    fake.script.chat = fail_then(1, 500, then=scripted([FakeText("recovered")]))

    reply = await chat(fake, max_retries=1).ainvoke("q")

    assert reply.content == "recovered"
    assert len(fake.requests) == 2


async def test_error_reply_while_streaming_raises_before_stream(fake: FakeOpenAI) -> None:
    teapot = FakeError(418, "I'm a teapot", "invalid_request_error", code="teapot")
    fake.script.chat = scripted([teapot])

    with pytest.raises(openai.APIStatusError) as caught:
        _ = [c async for c in chat(fake).astream("q")]
    assert caught.value.status_code == 418
    assert caught.value.code == "teapot"


async def test_delayed_reply_trips_the_client_timeout(fake: FakeOpenAI) -> None:
    fake.script.chat = scripted([FakeText("too late", delay=1.0)])

    with pytest.raises(openai.APITimeoutError):
        await chat(fake, timeout=0.2).ainvoke("q")


async def test_exhausted_script_fails_fast_with_clear_message(fake: FakeOpenAI) -> None:
    fake.script.chat = scripted([FakeText("only one")])
    llm = chat(fake, max_retries=2)
    await llm.ainvoke("first")

    with pytest.raises(openai.InternalServerError, match="fake script exhausted"):
        await llm.ainvoke("second")
    assert len(fake.requests) == 2


async def test_responder_crash_is_reported(fake: FakeOpenAI) -> None:
    def broken(request: dict[str, Any]) -> FakeText:
        raise KeyError("missing")

    fake.script.chat = broken

    with pytest.raises(openai.InternalServerError, match="fake responder raised KeyError"):
        await chat(fake, max_retries=2).ainvoke("q")
    assert [type(e) for e in fake.errors] == [KeyError]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Basic c2stbG9jYWw="}],
    ids=["missing", "empty-bearer", "not-bearer"],
)
async def test_unauthenticated_request_gets_openai_401(
    fake: FakeOpenAI, headers: dict[str, str]
) -> None:
    body = {"model": "gpt-4.1", "messages": [{"role": "user", "content": "q"}]}
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{fake.base_url}/chat/completions", json=body, headers=headers
        )

    assert response.status_code == 401
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error"
    assert "API key" in error["message"]
    assert fake.bodies() == [body]  # rejected requests are still recorded


async def test_chat_openai_with_empty_bearer_raises_authentication_error(fake: FakeOpenAI) -> None:
    # h11 refuses a header value with trailing whitespace, so "Bearer" stands in for an empty key.
    llm = chat(fake, default_headers={"Authorization": "Bearer"})

    with pytest.raises(openai.AuthenticationError):
        await llm.ainvoke("q")


async def test_wrong_api_key_is_rejected_when_a_key_is_required(fake: FakeOpenAI) -> None:
    fake.reset(FakeScript(api_key="sk-expected"))

    with pytest.raises(openai.AuthenticationError) as caught:
        await chat(fake).ainvoke("q")
    assert caught.value.code == "invalid_api_key"


async def test_models_list_and_retrieve(fake: FakeOpenAI) -> None:
    fake.script.models = ("gpt-4.1", "gpt-image-2", "house-model")
    async with openai.AsyncOpenAI(base_url=fake.base_url, api_key="sk-local", timeout=10) as client:
        listed = [m.id async for m in client.models.list()]
        retrieved = await client.models.retrieve("house-model")
        with pytest.raises(openai.NotFoundError):
            await client.models.retrieve("gpt-0")

    assert listed == ["gpt-4.1", "gpt-image-2", "house-model"]
    assert retrieved.id == "house-model"


async def test_unknown_path_is_openai_404(fake: FakeOpenAI) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(
            f"{fake.base_url}/videos", json={}, headers={"Authorization": "Bearer sk"}
        )

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Invalid URL (POST /v1/videos)"


async def images_generate(fake: FakeOpenAI, **kwargs: Any) -> openai.types.ImagesResponse:
    async with openai.AsyncOpenAI(
        base_url=fake.base_url, api_key="sk-local", timeout=10, max_retries=0
    ) as client:
        result = await client.images.generate(**kwargs)
    assert isinstance(result, openai.types.ImagesResponse)
    return result


async def test_image_generation_returns_real_png_of_requested_size(fake: FakeOpenAI) -> None:
    result = await images_generate(
        fake, model="gpt-image-2", prompt="A bottle on a beach", size="1088x1920", quality="low"
    )

    assert result.data is not None
    b64 = result.data[0].b64_json
    assert b64 is not None
    picture = Image.open(io.BytesIO(base64.b64decode(b64)))
    assert (picture.format, picture.size) == ("PNG", (1088, 1920))
    assert (result.size, result.output_format, result.quality) == ("1088x1920", "png", "low")
    assert result.usage is not None and result.usage.output_tokens > 0
    assert fake.bodies(IMAGES)[0]["prompt"] == "A bottle on a beach"


async def test_image_generation_honours_format_colour_and_n(fake: FakeOpenAI) -> None:
    fake.script.images = scripted([FakeImageReply(color=(10, 20, 30))])

    result = await images_generate(
        fake, model="gpt-image-2", prompt="p", size="1024x1280", output_format="jpeg", n=2
    )

    assert result.data is not None and len(result.data) == 2
    picture = Image.open(io.BytesIO(base64.b64decode(result.data[1].b64_json or "")))
    assert (picture.format, picture.size) == ("JPEG", (1024, 1280))
    red, green, blue = picture.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
    assert abs(red - 10) + abs(green - 20) + abs(blue - 30) < 12


async def test_moderation_blocked_raises_bad_request(fake: FakeOpenAI) -> None:
    fake.script.images = scripted([moderation_blocked()])

    with pytest.raises(openai.BadRequestError) as caught:
        await images_generate(fake, model="gpt-image-2", prompt="blocked", size="1024x1024")

    assert caught.value.code == "moderation_blocked"
    assert caught.value.type == "image_generation_user_error"
    assert "safety system" in caught.value.message


@pytest.mark.parametrize(
    ("model", "size", "fragment"),
    [
        ("gpt-image-2", "1080x1920", "multiples of 16 (nearest valid: 1088x1920)"),
        ("gpt-image-2", "512x1600", "between 1:3 and 3:1"),
        ("gpt-image-2", "4096x2304", "maximum size is 3840x2160"),
        ("gpt-image-2", "2304x2304", "maximum size is 3840x2160"),
        ("gpt-image-2", "big", "'auto' or 'WIDTHxHEIGHT'"),
        ("gpt-image-1.5", "1088x1920", "'1024x1536'"),
    ],
)
async def test_invalid_image_size_is_400(
    fake: FakeOpenAI, model: str, size: str, fragment: str
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        await images_generate(fake, model=model, prompt="p", size=size)

    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_value"
    assert caught.value.param == "size"
    assert fragment in caught.value.message


@pytest.mark.parametrize(
    ("extra", "status", "code", "param"),
    [
        ({"watermark": True}, 400, "unknown_parameter", "watermark"),
        ({"response_format": "b64_json"}, 400, "unknown_parameter", "response_format"),
        ({"style": "vivid"}, 400, "unknown_parameter", "style"),
        ({"model": None}, 400, "missing_required_parameter", "model"),
        ({"model": "gpt-image-1"}, 404, "model_not_found", None),
        ({"model": "dall-e-3"}, 404, "model_not_found", None),
        ({"quality": "xhigh"}, 400, "invalid_value", "quality"),
        ({"quality": "hd"}, 400, "invalid_value", "quality"),
        ({"n": 11}, 400, "invalid_value", "n"),
        ({"output_format": "gif"}, 400, "invalid_value", "output_format"),
    ],
)
def test_undocumented_image_requests_are_refused(
    fake: FakeOpenAI, extra: dict[str, Any], status: int, code: str, param: str | None
) -> None:
    body = {"model": "gpt-image-2", "prompt": "p", "size": "1024x1024", **extra}
    body = {k: v for k, v in body.items() if v is not None}

    answer = httpx.post(
        f"{fake.base_url}/images/generations",
        json=body,
        headers={"Authorization": "Bearer sk-local"},
        timeout=10,
    )

    assert answer.status_code == status, answer.text
    error = answer.json()["error"]
    assert (error["code"], error.get("param")) == (code, param)


async def test_quality_xhigh_is_documented_for_the_2_5_models_only(fake: FakeOpenAI) -> None:
    result = await images_generate(
        fake, model="gpt-image-2.5-sunburst", prompt="p", size="1024x1024", quality="xhigh"
    )

    assert result.quality == "xhigh"


@pytest.mark.parametrize("size", ["3840x2160", "2160x3840", "720x2160", "auto"])
async def test_valid_edge_sizes_are_accepted(fake: FakeOpenAI, size: str) -> None:
    result = await images_generate(fake, model="gpt-image-2", prompt="p", size=size)

    assert result.data is not None
    picture = Image.open(io.BytesIO(base64.b64decode(result.data[0].b64_json or "")))
    assert picture.size == ((1024, 1024) if size == "auto" else tuple(map(int, size.split("x"))))


def test_server_stops_cleanly_and_releases_its_port() -> None:
    before = {t.ident for t in threading.enumerate()}
    with running_fake_openai() as fake:
        port = fake.port
        assert port is not None
        assert httpx.get(
            f"{fake.base_url}/models", headers={"Authorization": "Bearer k"}
        ).is_success
        assert any(t.name == "fake-openai" for t in threading.enumerate())

    assert {t.ident for t in threading.enumerate()} <= before
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), 1):
        pass
    with pytest.raises(RuntimeError, match="not running"):
        _ = fake.base_url
