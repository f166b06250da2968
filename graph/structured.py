"""Structured generation with validation after the fact, retries, and a clear final error.

OpenAI's strict JSON schema cannot express word counts, score ranges or headline lengths, so the
model's JSON is validated against the pydantic draft afterwards. A failing answer is sent back with
the validation errors for another try; after the last try the step fails with an error that names
the task and what was wrong, which the server turns into a retryable error message.

A valid answer can still break ad policy. ``review`` (the copy gate, see ``graph.steps``) names
what blocks; such an answer is sent back once with the findings, and whatever the model answers
then is returned as it is: the caller shows what is still blocked with its findings, never
silently as clean.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from graph.prompts import CREATIVE_SYSTEM_PROMPT, render_brief
from tools.creative.models import CreativeBrief

__all__ = ["CreativeGenerationError", "generate_structured"]

log = logging.getLogger(__name__)

DraftT = TypeVar("DraftT", bound=BaseModel)


class CreativeGenerationError(RuntimeError):
    """A model could not produce valid content for a step after every attempt."""

    def __init__(self, task: str, attempts: int, problems: list[str]) -> None:
        self.task = task
        self.attempts = attempts
        self.problems = problems
        summary = "; ".join(problems[-3:])
        super().__init__(
            f"the model could not write valid {task} after {attempts} attempts: {summary}"
        )


def _response_format(schema: type[BaseModel]) -> dict[str, Any]:
    return {"name": schema.__name__, "schema": schema.model_json_schema(by_alias=True)}


def _method_kwargs(model: BaseChatModel) -> dict[str, Any]:
    # ChatOpenAI takes a method; other chat models (and test fakes) take none.
    try:
        from langchain_openai.chat_models.base import BaseChatOpenAI
    except ImportError:  # pragma: no cover - langchain-openai is a hard dependency
        return {}
    return {"method": "json_schema"} if isinstance(model, BaseChatOpenAI) else {}


def _describe(error: ValidationError | Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc']) or 'answer'}: {e['msg']}" for e in error.errors()
        ]
    return [str(error)]


async def generate_structured(
    model: BaseChatModel,
    schema: type[DraftT],
    brief: CreativeBrief,
    *,
    attempts: int = 3,
    review: Callable[[DraftT], list[str]] | None = None,
) -> DraftT:
    """Ask ``model`` for ``schema`` given ``brief``; validate, retry with feedback, or raise.

    ``review`` lists the policy problems of a valid answer; the first answer with any is sent
    back once with them (one extra request, not counted against ``attempts``).
    """
    structured = model.with_structured_output(
        _response_format(schema), include_raw=True, **_method_kwargs(model)
    )
    messages: list[BaseMessage] = [
        SystemMessage(CREATIVE_SYSTEM_PROMPT),
        HumanMessage(render_brief(brief)),
    ]
    problems: list[str] = []
    reviewed = review is None
    fallback: DraftT | None = None  # a valid but blocked answer, kept if the retry fails
    attempt = 0
    while attempt < attempts:
        attempt += 1
        out = await structured.ainvoke(messages)
        assert isinstance(out, dict)
        raw = out.get("raw")
        try:
            if out.get("parsing_error") is not None:
                raise out["parsing_error"]
            if out.get("parsed") is None:
                raise ValueError("the model returned no JSON")
            draft = schema.model_validate(out["parsed"])
        except (ValidationError, ValueError, TypeError) as error:
            found = _describe(error)
            problems.extend(found)
            log.warning("%s attempt %d/%d invalid: %s", brief.task, attempt, attempts, found)
            _send_back(messages, raw, "Your answer failed validation", found)
            continue
        if reviewed or review is None:
            return draft
        reviewed, fallback = True, draft
        blocked = review(draft)
        if not blocked:
            return draft
        log.info("%s: %d blocked findings sent back to the model", brief.task, len(blocked))
        _send_back(messages, raw, "Your answer breaks ad policy (rewrite these)", blocked)
        attempt -= 1  # the policy round-trip is extra, not a failed attempt
    if fallback is not None:
        return fallback
    raise CreativeGenerationError(brief.task, attempts, problems)


def _send_back(messages: list[BaseMessage], raw: Any, lead: str, found: list[str]) -> None:
    if isinstance(raw, AIMessage):
        messages.append(AIMessage(content=raw.text or str(raw.content)))
    messages.append(
        HumanMessage(f"{lead}:\n- " + "\n- ".join(found) + "\nReturn the complete corrected JSON.")
    )
