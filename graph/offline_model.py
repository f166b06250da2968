"""The offline creative engine as a LangChain chat model.

Wrapping the deterministic engine in ``BaseChatModel`` keeps one code path through the graphs:
nodes call ``with_structured_output`` and ``bind_tools`` exactly as they do with ``ChatOpenAI``,
the ``messages`` stream mode sees tokens, and tests can swap either for a scripted fake. The engine
reads the same ``<brief>`` JSON block the prompt gives a real model, never hidden side channels.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from langchain_core.tools import BaseTool
from pydantic import BaseModel

from graph.prompts import read_brief
from tools.creative import dialogue, engine

__all__ = ["OFFLINE_ASKED_KEY", "OfflineCreativeModel"]

OFFLINE_ASKED_KEY = "adforge_asked"
"""additional_kwargs key on offline AI messages: which brief field the reply asked for."""


def _last_human_text(messages: Sequence[BaseMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message.text
    raise ValueError("the offline engine needs a human message carrying a <brief> block")


def _to_turns(messages: Sequence[BaseMessage]) -> list[dialogue.Turn]:
    turns: list[dialogue.Turn] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            turns.append(dialogue.Turn(role="user", text=message.text))
        elif isinstance(message, AIMessage):
            calls = tuple(
                dialogue.ToolCallRequest(name=c["name"], args=c["args"])  # type: ignore[arg-type]
                for c in message.tool_calls
            )
            asked = message.additional_kwargs.get(OFFLINE_ASKED_KEY)
            turns.append(
                dialogue.Turn(role="assistant", text=message.text, tool_calls=calls, asked=asked)
            )
        elif isinstance(message, ToolMessage):
            try:
                result = json.loads(message.text)
            except ValueError:
                result = {"text": message.text}
            turns.append(
                dialogue.Turn(
                    role="tool",
                    text=message.text,
                    tool_name=message.name,
                    tool_result=result if isinstance(result, dict) else {"value": result},
                )
            )
    return turns


class OfflineCreativeModel(BaseChatModel):
    """Deterministic local model: structured creative steps and the ad-assistant dialogue."""

    model_name: str = "offline:adforge-creative-1"
    latency_ms: int = 0
    """Simulated thinking time per call, for benchmarks and crash tests; 0 in normal use."""

    @property
    def _llm_type(self) -> str:
        return "adforge-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "offline": True}

    # --- tool-calling dialogue -----------------------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Accept tools like a real model; the dialogue policy knows the three ad tools by name."""
        names = [getattr(t, "name", getattr(t, "__name__", "")) for t in tools]
        return self.bind(tool_names=names, **kwargs)

    def _reply(self, messages: list[BaseMessage]) -> AIMessage:
        action = dialogue.next_action(_to_turns(messages))
        calls = [
            ToolCall(
                name=call.name,
                args=dict(call.args),
                id=f"call_{uuid.uuid5(uuid.NAMESPACE_URL, f'{len(messages)}:{i}:{call.name}').hex[:24]}",
            )
            for i, call in enumerate(action.tool_calls)
        ]
        return AIMessage(
            content=action.text,
            tool_calls=calls,
            additional_kwargs={OFFLINE_ASKED_KEY: action.asked} if action.asked else {},
            response_metadata={"model_name": self.model_name, "offline": True},
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        return ChatResult(generations=[ChatGeneration(message=self._reply(messages))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        """Stream the reply word by word so chat frontends see tokens arrive, as with a real model."""
        reply = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
        assert isinstance(reply, AIMessage)
        words = reply.text.split(" ")
        for i, word in enumerate(words):
            piece = word if i == len(words) - 1 else word + " "
            if piece:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece, id=reply.id))
                if run_manager:
                    run_manager.on_llm_new_token(piece, chunk=chunk)
                yield chunk
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                id=reply.id,
                tool_call_chunks=[
                    {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": i}
                    for i, c in enumerate(reply.tool_calls)
                ],
                additional_kwargs=reply.additional_kwargs,
                response_metadata=reply.response_metadata,
                chunk_position="last",
            )
        )

    # --- structured creative steps -------------------------------------------------------------

    def with_structured_output(
        self,
        schema: dict[str, Any] | type,
        *,
        include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Answer a structured request from the ``<brief>`` block, as JSON a real model would send."""
        latency = self.latency_ms / 1000

        def _answer(value: LanguageModelInput) -> dict[str, Any]:
            messages = self._convert_input(value).to_messages()
            brief = read_brief(_last_human_text(messages))
            produced = engine.generate(brief)
            parsed = produced.model_dump(mode="json", by_alias=True)
            raw = AIMessage(
                content=json.dumps(parsed, ensure_ascii=False),
                response_metadata={"model_name": self.model_name, "offline": True},
            )
            return {"raw": raw, "parsed": parsed, "parsing_error": None}

        async def _aanswer(value: LanguageModelInput) -> dict[str, Any]:
            if latency:
                await asyncio.sleep(latency)
            return _answer(value)

        runnable: Runnable[LanguageModelInput, dict[str, Any]] = RunnableLambda(
            _answer, afunc=_aanswer, name="OfflineCreativeEngine"
        )
        if include_raw:
            return runnable
        return runnable | RunnableLambda(lambda out: out["parsed"])
