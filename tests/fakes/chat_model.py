"""A scripted chat model at the LangChain interface (no HTTP), for unit tests of graph logic.

Each call pops the next scripted ``AIMessage``; ``with_structured_output`` works through
``bind_tools`` exactly as BaseChatModel implements it, so a script of tool-call replies exercises
the real parsing and the graph's validation-and-retry loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from pydantic import PrivateAttr


class ScriptedChatModel(BaseChatModel):
    """Replies from a list, recording every prompt it was given."""

    replies: list[AIMessage]
    _calls: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted-test-model"

    @property
    def calls(self) -> list[list[BaseMessage]]:
        return self._calls

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        return self.bind(**kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._calls.append(list(messages))
        if not self.replies:
            raise AssertionError("ScriptedChatModel ran out of replies")
        return ChatResult(generations=[ChatGeneration(message=self.replies.pop(0))])


def tool_reply(name: str, args: dict[str, Any], call_id: str = "call_1") -> AIMessage:
    """An AI message calling one tool (how structured output arrives via function calling)."""
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])
