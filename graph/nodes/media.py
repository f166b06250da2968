"""The media step: record a render request, wait for it at an interrupt, save the result.

A node must not hold a run open while a provider renders for minutes (design.md, "Waiting on slow
work"). ``submit_media_job`` records the request under an idempotent job id and ends its superstep;
``await_media`` interrupts until whoever runs jobs resumes the thread with the outcome. A failed job
sends the marketer back to the script choice with the error shown.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, interrupt
from pydantic import create_model

from graph.nodes._common import current_context, thread_id_of
from graph.progress import report_status
from graph.state import WorkflowState
from tools.assets import AssetRecord
from tools.compliance import parse_placements, review
from tools.creative.ad_copy import AdCopy, static_ad_copy
from tools.creative.models import word_count
from tools.ids import stable_id
from tools.jobs import (
    MediaJobOutcome,
    MediaJobRequest,
    ScriptParts,
    estimate_seconds,
    media_job_id,
)

__all__ = ["await_media", "save_asset", "script_parts", "submit_media_job"]

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().casefold()


def script_parts(concept: dict[str, Any]) -> ScriptParts:
    """Split a concept's full script into hook, body beats and call to action."""
    sentences = [s.strip() for s in _SENTENCE.split(concept.get("fullScript", "")) if s.strip()]
    hook = concept.get("hook") or (sentences[0] if sentences else concept["title"])
    cta = concept["callToAction"]
    skip = {_normalised(hook), _normalised(cta)}
    body = [s for s in sentences if _normalised(s) not in skip]
    return ScriptParts(hook=hook, body=body[:4] or [concept["description"]], cta=cta)


def _ad_copy(state: WorkflowState, placements: tuple[str, ...]) -> tuple[AdCopy, dict[str, Any]]:
    """The static ad's copy for the chosen concept, and the copy gate's verdict on it."""
    concept = state["selected_concept"] or {}
    product = state["product"]
    angle = (state.get("selected_angle") or {}).get("title", "")
    copy = static_ad_copy(concept, product["name"], angle=angle, placements=placements)
    verdict = review(
        "ad",
        copy.to_wire(),
        product=product["name"],
        category=product.get("category", ""),
        placements=placements,
    )
    accepted = (concept.get("compliance") or {}).get("acknowledgedBy")
    if verdict["status"] == "blocked" and accepted:
        verdict["acknowledgedBy"] = accepted
    return copy, verdict


def submit_media_job(state: WorkflowState, config: RunnableConfig) -> dict[str, Any]:
    """Record the render request; its id makes a second submission a no-op.

    The image prints the ad copy written for the reader (``static_ad_copy``), never the
    strategy note; the same copy and its verdict go on to the gallery asset.
    """
    concept = state["selected_concept"] or {}
    request = state["media_request"] or {}
    copy, verdict = _ad_copy(state, parse_placements(current_context().placements))
    kind: Literal["video", "image"] = (
        "video" if request.get("action") == "generate_video" else "image"
    )
    thread_id = thread_id_of(config)
    words = word_count(concept.get("fullScript", ""))
    job = MediaJobRequest(
        job_id=media_job_id(
            thread_id, concept["id"], kind, request["resolution"], request.get("avatarId")
        ),
        kind=kind,
        thread_id=thread_id,
        concept_id=concept["id"],
        product_name=state["product"]["name"],
        title=concept["title"],
        script=script_parts(concept),
        headline=copy.headline,
        primary_text=copy.primary_text,
        call_to_action=copy.call_to_action,
        compliance=verdict,
        resolution=request["resolution"],
        avatar_id=request.get("avatarId"),
        estimated_seconds=estimate_seconds(kind, words),
    )
    label = "Generating your AI Video..." if kind == "video" else "Generating your static ad..."
    report_status(label, step="media_generation", estimated_time=f"{job.estimated_seconds}s")
    return {
        "media_job": job.model_dump(mode="json", by_alias=True),
        "media_error": None,
        "media_result": None,
        "step": "media_generation",
    }


def _outcome_schema(job_id: str) -> type[MediaJobOutcome]:
    """Only the outcome of the job being waited for is a valid answer."""
    job_type: Any = Literal[job_id]
    return create_model("MediaJobOutcomeAnswer", __base__=MediaJobOutcome, job_id=(job_type, ...))


def await_media(state: WorkflowState) -> Command[Literal["save_asset", "choose_concept"]]:
    """Wait for the job's outcome (rejected and still pending if it names another job)."""
    job = state["media_job"] or {}
    outcome = interrupt(
        {
            "kind": "media_job",
            "step": "media_generation",
            "message": f"Rendering {job.get('kind', 'media')} for “{job.get('title')}”.",
            "job": job,
        },
        response_schema=_outcome_schema(str(job.get("jobId"))),
    )
    if outcome.status == "failed":
        assert outcome.error is not None
        error = outcome.error.model_dump(mode="json", by_alias=True) | {"jobId": outcome.job_id}
        return Command(
            goto="choose_concept",
            update={"media_error": error, "media_job": None, "step": "script_selection"},
        )
    assert outcome.result is not None
    return Command(
        goto="save_asset",
        update={"media_result": outcome.result.model_dump(mode="json", by_alias=True)},
    )


def save_asset(state: WorkflowState, config: RunnableConfig) -> dict[str, Any]:
    """Save the finished ad as a gallery asset, named after its job so a re-run overwrites it."""
    job = state["media_job"] or {}
    result = state["media_result"] or {}
    concept = state["selected_concept"] or {}
    angle = state.get("selected_angle") or {}
    video = result.get("kind") == "video"
    asset = AssetRecord(
        id=stable_id("asset", thread_id_of(config), job.get("jobId")),
        kind="video" if video else "image",
        product=state["product"]["name"],
        style=state.get("format", "Hybrid Format"),
        tone=concept.get("title", "Concept"),
        pitch=angle.get("title", "Angle"),
        headline=job.get("headline") or concept.get("title", "Ad"),
        primary_text=job.get("primaryText") or concept.get("fullScript", ""),
        call_to_action=job.get("callToAction") or concept.get("callToAction", "Learn more"),
        compliance=job.get("compliance"),
        image_prompts=[concept.get("visualDirection", "")],
        images=[] if video else [result["url"]],
        videos=[result] if video else [],
        source_session=thread_id_of(config),
        offline=bool(result.get("offline")),
    )
    return {"asset": asset.to_wire(), "step": "completed"}
