"""Chat Completions wire format: full response bodies, stream chunks and SSE framing.

The shapes follow what api.openai.com sends (ids, `object`, `created`, `model`,
`choices[].index`, `logprobs`, `finish_reason`, `usage`, `system_fingerprint`) rather than
the bare minimum `ChatOpenAI` tolerates, so code tested against the fake also copes with
fields the real service adds. Streaming follows the real order: a role chunk, content or
tool-call deltas (every tool-call delta carries `index`), a finish chunk with an empty delta,
an optional usage chunk with empty `choices`, then `data: [DONE]`.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .openai_replies import FakeText, FakeToolCall, FakeToolCalls, FakeUsage, new_id

SYSTEM_FINGERPRINT = "fp_fake0openai"
_TOKEN = re.compile(r"\s*\S+|\s+")
ARGUMENT_FRAGMENTS = 4


@dataclass(frozen=True)
class CompletionMeta:
    """Per-response identity shared by every chunk of one completion."""

    id: str
    created: int
    model: str

    @classmethod
    def for_request(cls, request: dict[str, Any]) -> CompletionMeta:
        """Fresh id and timestamp; the model echoes what the client asked for."""
        return cls(new_id("chatcmpl-", 29), int(time.time()), str(request.get("model", "")))


def sse(payload: dict[str, Any] | str) -> bytes:
    """One server-sent event in OpenAI's framing: `data: <compact json>\\n\\n`."""
    data = payload if isinstance(payload, str) else json.dumps(payload, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


def split_tokens(text: str) -> list[str]:
    """Split text into word-ish tokens that keep their leading space, like BPE output."""
    return _TOKEN.findall(text)


def split_fragments(text: str, parts: int = ARGUMENT_FRAGMENTS) -> list[str]:
    """Split JSON text into `parts` roughly equal fragments (never empty ones)."""
    size = max(1, math.ceil(len(text) / parts))
    return [text[i : i + size] for i in range(0, len(text), size)]


def estimate_tokens(text: str) -> int:
    """Rough token count (4 characters per token); only needs to be plausible and stable."""
    return max(1, math.ceil(len(text) / 4))


def usage_body(request: dict[str, Any], reply: FakeText | FakeToolCalls) -> dict[str, Any]:
    """OpenAI's `usage` object, from the reply's override or a length-based estimate."""
    usage = reply.usage or FakeUsage(
        prompt_tokens=estimate_tokens(json.dumps(request.get("messages", []))),
        completion_tokens=estimate_tokens(_completion_text(reply)),
    )
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.prompt_tokens + usage.completion_tokens,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def completion_body(
    request: dict[str, Any], reply: FakeText | FakeToolCalls, meta: CompletionMeta
) -> dict[str, Any]:
    """A complete `chat.completion` object for `stream: false`."""
    message: dict[str, Any] = {"role": "assistant", "refusal": None, "annotations": []}
    if isinstance(reply, FakeText):
        message["content"] = reply.content
        finish_reason = reply.finish_reason
    else:
        message["content"] = reply.content
        message["tool_calls"] = [_full_tool_call(call) for call in reply.calls]
        finish_reason = "tool_calls"
    return {
        "id": meta.id,
        "object": "chat.completion",
        "created": meta.created,
        "model": meta.model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": finish_reason}
        ],
        "usage": usage_body(request, reply),
        "service_tier": "default",
        "system_fingerprint": SYSTEM_FINGERPRINT,
    }


def completion_chunks(
    request: dict[str, Any], reply: FakeText | FakeToolCalls, meta: CompletionMeta
) -> Iterator[dict[str, Any]]:
    """The `chat.completion.chunk` objects of one streamed answer, in wire order."""
    include_usage = bool((request.get("stream_options") or {}).get("include_usage"))

    def chunk(choices: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": meta.id,
            "object": "chat.completion.chunk",
            "created": meta.created,
            "model": meta.model,
            "service_tier": "default",
            "system_fingerprint": SYSTEM_FINGERPRINT,
            "choices": choices,
        }
        if include_usage:
            body["usage"] = None  # OpenAI sends an explicit null until the final usage chunk
        body.update(extra)
        return body

    def choice(delta: dict[str, Any], finish_reason: str | None = None) -> list[dict[str, Any]]:
        return [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}]

    if isinstance(reply, FakeText):
        yield chunk(choice({"role": "assistant", "content": "", "refusal": None}))
        for token in split_tokens(reply.content):
            yield chunk(choice({"content": token}))
        finish_reason = reply.finish_reason
    else:
        deltas = list(_tool_call_deltas(reply))
        deltas[0] = {"role": "assistant", "content": None, "refusal": None, **deltas[0]}
        for delta in deltas:
            yield chunk(choice(delta))
        finish_reason = "tool_calls"
    yield chunk(choice({}, finish_reason))
    if include_usage:
        yield chunk([], usage=usage_body(request, reply))


def _tool_call_deltas(reply: FakeToolCalls) -> Iterator[dict[str, Any]]:
    """Content tokens first, then per call a header delta and its argument fragments."""
    if reply.content:
        for token in split_tokens(reply.content):
            yield {"content": token}
    for index, call in enumerate(reply.calls):
        header = {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        yield {"tool_calls": [header]}
        for fragment in split_fragments(call.arguments_json):
            yield {"tool_calls": [{"index": index, "function": {"arguments": fragment}}]}


def _full_tool_call(call: FakeToolCall) -> dict[str, Any]:
    return {
        "id": call.id,
        "type": "function",
        "function": {"name": call.name, "arguments": call.arguments_json},
    }


def _completion_text(reply: FakeText | FakeToolCalls) -> str:
    if isinstance(reply, FakeText):
        return reply.content
    return (reply.content or "") + "".join(c.name + c.arguments_json for c in reply.calls)
