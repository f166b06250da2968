"""The guide's workflow-specific endpoints: the creative steps without a session.

``/api/personas/generate``, ``/api/angles/generate`` and ``/api/scripts/generate`` run one step of
the ``ad_workflow`` graph's creative work directly: the same brief, the same structured generation
with validation and retries, the same wire objects. Nothing is stored; the caller carries its
earlier choices in the request. ``/api/videos/generate`` hands a script to the media job system.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, status

from graph.models import load_chat_model, parse_model_spec
from graph.steps import Proposal, propose
from graph.structured import CreativeGenerationError
from server.core.products import ProductStore
from server.http.auth import CurrentUser, User
from server.http.deps import ProductStoreDep, RuntimeDep, ServicesDep
from server.http.errors import ERROR_RESPONSES, ApiError, not_found
from server.http.schemas import ErrorPublic
from server.protocols.adforge.generate_schemas import (
    AnglePublic,
    AnglesGenerate,
    AudienceGroupPublic,
    ConceptPublic,
    GenerateBase,
    GenerationPublic,
    MarketingAnglePublic,
    PersonaPublic,
    PersonasGenerate,
    PsychologySelectionPublic,
    ScriptsGenerate,
    VideoCreate,
    VideoJobPublic,
)
from server.settings import Settings
from tools.creative.models import CreativeBrief, CreativeTask, ProductInfo

__all__ = ["router"]

log = logging.getLogger(__name__)


_GENERATION_ERRORS: dict[int | str, dict[str, object]] = {
    **ERROR_RESPONSES,
    502: {"model": ErrorPublic, "description": "The model could not write valid content; retry"},
}

router = APIRouter(prefix="/api", tags=["generate"], responses=_GENERATION_ERRORS)


async def _product(body: GenerateBase, user: User, store: ProductStore) -> ProductInfo:
    if body.product is not None:
        return body.product.to_product()
    product_id = body.product_id or ""
    found = await store.find(user.id, product_id)
    if found is None:
        raise not_found("product", product_id)
    return found


async def _brief(
    task: CreativeTask, body: GenerateBase, user: User, store: ProductStore
) -> CreativeBrief:
    return CreativeBrief(
        task=task,
        product=await _product(body, user, store),
        format=body.format,
        media_type=body.media_type,
        hint=body.hint,
        persona=body.persona_wire() if isinstance(body, AnglesGenerate) else None,
        angle=body.angle_wire() if isinstance(body, ScriptsGenerate) else None,
    )


def _is_provider_error(error: Exception) -> bool:
    # Deferred import: the offline path never loads the OpenAI client.
    import openai

    return isinstance(error, openai.OpenAIError)


async def _propose(settings: Settings, brief: CreativeBrief) -> Proposal:
    """Run the workflow's own proposal step; model failures become retryable 502s, not 500s."""
    try:
        return await propose(load_chat_model(settings.model_spec), brief)
    except CreativeGenerationError as error:
        log.warning("stateless %s generation failed: %s", brief.task, error)
        raise ApiError(
            502, "ai_generation_error", f"AI generation failed: {error}", retryable=True
        ) from error
    except Exception as error:
        if not _is_provider_error(error):
            raise
        log.warning("stateless %s generation: model provider error: %s", brief.task, error)
        raise ApiError(
            502, "ai_provider_error", f"the model provider failed: {error}", retryable=True
        ) from error


def _generation(settings: Settings) -> GenerationPublic:
    spec = parse_model_spec(settings.model_spec)
    return GenerationPublic(model=str(spec), offline=spec.offline)


@router.post(
    "/personas/generate",
    response_model=AudienceGroupPublic,
    summary="Generate four audience personas for a product",
)
async def generate_personas(
    body: PersonasGenerate, user: CurrentUser, store: ProductStoreDep, runtime: RuntimeDep
) -> AudienceGroupPublic:
    """The ``audience_group`` message of the workflow's first step; ``hint`` steers the set."""
    brief = await _brief("personas", body, user, store)
    proposal = await _propose(runtime.settings, brief)
    return AudienceGroupPublic.model_validate(
        {
            "data": {
                "productName": brief.product.name,
                "audiences": [PersonaPublic.model_validate(option) for option in proposal.options],
                "reasoning": proposal.reasoning,
                "generation": _generation(runtime.settings),
            }
        }
    )


@router.post(
    "/angles/generate",
    response_model=MarketingAnglePublic,
    summary="Generate marketing angles for a product and a persona",
)
async def generate_angles(
    body: AnglesGenerate, user: CurrentUser, store: ProductStoreDep, runtime: RuntimeDep
) -> MarketingAnglePublic:
    """The ``marketing_angle`` message: two or three scored angles for the persona."""
    brief = await _brief("angles", body, user, store)
    proposal = await _propose(runtime.settings, brief)
    return MarketingAnglePublic.model_validate(
        {
            "data": {
                "productName": brief.product.name,
                "personaName": body.persona_wire()["name"],
                "angles": [AnglePublic.model_validate(option) for option in proposal.options],
                "reasoning": proposal.reasoning,
                "generation": _generation(runtime.settings),
            }
        }
    )


@router.post(
    "/scripts/generate",
    response_model=PsychologySelectionPublic,
    summary="Generate psychology-based scripts for a persona and an angle",
)
async def generate_scripts(
    body: ScriptsGenerate, user: CurrentUser, store: ProductStoreDep, runtime: RuntimeDep
) -> PsychologySelectionPublic:
    """The ``psychology_selection`` message: concepts with full script, CTA and visual direction."""
    brief = await _brief("concepts", body, user, store)
    proposal = await _propose(runtime.settings, brief)
    return PsychologySelectionPublic.model_validate(
        {
            "data": {
                "productName": brief.product.name,
                "formatName": brief.format,
                "concepts": [ConceptPublic.model_validate(option) for option in proposal.options],
                "reasoning": proposal.reasoning,
                "generation": _generation(runtime.settings),
            }
        }
    )


@router.post(
    "/videos/generate",
    response_model=VideoJobPublic,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Queue a video render of a script (no session needed)",
)
async def generate_video(
    body: VideoCreate, user: CurrentUser, services: ServicesDep
) -> VideoJobPublic:
    """Queue the render as a durable media job; poll ``GET /api/jobs/{jobId}`` for the result.

    The same request twice answers the same job (renders are idempotent by their inputs).
    """
    if body.avatar_id is not None and body.avatar_id not in {
        a.id for a in await services.worker.video.list_avatars()
    }:
        raise not_found("avatar", body.avatar_id)
    record = await services.worker.submit_standalone_video(
        user.id, body.script.to_parts(), body.product_name, body.resolution, body.avatar_id
    )
    return VideoJobPublic(
        job_id=record.job_id,
        status="running" if record.status == "in_progress" else record.status,
        estimated_time=f"{record.estimated_seconds}s",
    )
