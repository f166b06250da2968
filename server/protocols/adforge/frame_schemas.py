"""The chat frames of the Ad Forge streams, as models: one per message type of the guide.

``server.protocols.adforge.frames.to_frame`` builds the frames as plain dicts; these models describe them
for ``/docs`` and for tests, which validate every frame a session emits against ``ChatFrame``
(tests/test_frame_schemas.py). A frame is ``{"type", "messageId", "data"}``, except that the two
response markers carry no ``data`` and an error carries ``message``, ``code`` and ``retryable`` at
the top level. Persona, angle and concept cards reuse the models of the stateless generate routes:
the workflow emits the same wire objects.

OpenAPI: the streaming routes' response class (sse_starlette's) declares no media type, so FastAPI
would file a ``responses={200: {"model": ChatFrame}}`` under ``application/json``.
``frame_responses`` writes the ``text/event-stream`` content itself, with ``$ref`` s to the frame
models; FastAPI registers those components through ``MessagesPublic``, the JSON answer that
``POST .../messages`` declares, so the document stays self-contained without an OpenAPI hook
(tests/test_frame_schemas.py checks that every ``$ref`` resolves).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from server.http.schemas import ApiModel
from server.protocols.adforge.generate_schemas import (
    AnglePublic,
    ConceptPublic,
    GenerationPublic,
    PersonaPublic,
)

__all__ = [
    "AiResponseCompleteFrame",
    "AiResponseStartFrame",
    "AudienceGroupFrame",
    "ChatFrame",
    "ErrorFrame",
    "MarketingAngleFrame",
    "MessagesPublic",
    "PsychologySelectionFrame",
    "ReasoningFrame",
    "SelectionRequiredFrame",
    "SelectionSummaryFrame",
    "StaticAdResultFrame",
    "StatusUpdateFrame",
    "TextFrame",
    "UserMessageFrame",
    "VideoResultFrame",
    "chat_frame_schema",
    "frame_responses",
]

SelectionLabel = Literal["Target", "Angle", "Script"]
"""The badge of a choice: persona, angle, script."""

ChoiceKind = Literal["persona_selection", "angle_selection", "script_selection"]
"""The choices a session can wait for (``kind`` and ``step`` of ``selection_required``)."""


# --- data of each message type -----------------------------------------------------------------


class StatusStep(ApiModel):
    """One progress line; only the keys that have a value are sent."""

    label: str = Field(description='e.g. "Analyzing marketing angles for ..."')
    status: Literal["loading", "completed", "failed", "cancelled"]
    estimated_time: str | None = Field(default=None, description='e.g. "2-3min" or "40s"')
    progress: float | None = None
    job_id: str | None = Field(default=None, description="Set on a render's progress")


class StatusUpdateData(StatusStep):
    """The current step flattened, plus ``steps`` as in the guide's examples."""

    step: str | None = Field(
        default=None,
        description='The workflow step, e.g. "persona_selection"; absent on a render\'s status',
    )
    steps: list[StatusStep]


class ReasoningData(ApiModel):
    """Why the model proposed what it did."""

    reasoning: list[str]


class AudienceGroupFrameData(ApiModel):
    """The persona cards of a product."""

    product_name: str
    audiences: list[PersonaPublic]
    generation: GenerationPublic | None = Field(description="Which model wrote the personas")


class MarketingAngleFrameData(ApiModel):
    """The angle cards for the chosen persona."""

    angles: list[AnglePublic]


class PsychologySelectionFrameData(ApiModel):
    """The psychology concepts (scripts) for the chosen persona and angle."""

    product_name: str
    format_name: str
    concepts: list[ConceptPublic]


class SelectionSummaryData(ApiModel):
    """The badge of a choice the workflow accepted."""

    is_selection: Literal[True]
    label: SelectionLabel
    value: str = Field(description="The chosen persona's name, angle's or script's title")
    option_id: str | None = Field(description='e.g. "aud-1", "ang-2", "psych-1"')


class TextData(ApiModel):
    """Plain assistant text, e.g. how the chosen persona shapes what follows."""

    content: str


class UserMessageData(ApiModel):
    """What the user sent; a choice also carries its badge."""

    content: str
    is_selection: Literal[True] | None = None
    label: SelectionLabel | None = None
    value: str | None = None


class ChoiceOption(ApiModel):
    """One option of a pending choice."""

    id: str
    label: str


class MediaError(ApiModel):
    """Why the last render failed; the script choice is offered again."""

    code: str
    message: str
    retryable: bool
    job_id: str


class SelectionRequiredData(ApiModel):
    """The choice the session now waits for (answer it with a message or ``.../video``)."""

    kind: ChoiceKind
    step: ChoiceKind
    message: str
    options: list[ChoiceOption]
    allow_free_text: bool
    product: str = Field(description="The product's name")
    action: Literal["generate_video", "generate_image"] | None = Field(
        default=None, description="Script choice only: the render that answering starts"
    )
    resolutions: list[str] | None = Field(default=None, description="Script choice only")
    media_error: MediaError | None = Field(
        default=None, description="Script choice only: set when the last render failed"
    )
    interrupt_id: str


class VideoResultData(ApiModel):
    """A finished video."""

    product_name: str
    extra_info: str = Field(description='The rounded duration, e.g. "21s"')
    video_url: str
    thumbnail_url: str | None
    duration: float = Field(description="Seconds")
    format: str = Field(description='e.g. "mp4"')
    resolution: str = Field(description='e.g. "1080x1920"')
    offline: bool = Field(description="True when rendered by the local offline renderer")


class StaticAdResultData(ApiModel):
    """A finished static image ad."""

    product_name: str
    image_url: str
    format: str = Field(description='e.g. "png"')
    resolution: str = Field(description='e.g. "1080x1080"')
    offline: bool = Field(description="True when rendered by the local offline renderer")


class SwitchThemeData(ApiModel):
    """The theme the chat asked for, and the line to show for it."""

    theme: Literal["light", "dark"]
    content: str = Field(description='e.g. "Switched to dark mode."')


# --- frames ------------------------------------------------------------------------------------


class AiResponseStartFrame(ApiModel):
    """An assistant response begins; its frames share this ``messageId``."""

    type: Literal["ai_response_start"]
    message_id: str


class AiResponseCompleteFrame(ApiModel):
    """The assistant response with this ``messageId`` is over (also after an error)."""

    type: Literal["ai_response_complete"]
    message_id: str


class StatusUpdateFrame(ApiModel):
    """Progress of the current step (hidden in the guide's UI)."""

    type: Literal["status_update"]
    message_id: str
    data: StatusUpdateData


class ReasoningFrame(ApiModel):
    """The model's reasons (hidden in the guide's UI)."""

    type: Literal["reasoning"]
    message_id: str
    data: ReasoningData


class AudienceGroupFrame(ApiModel):
    """Persona cards."""

    type: Literal["audience_group"]
    message_id: str
    data: AudienceGroupFrameData


class MarketingAngleFrame(ApiModel):
    """Marketing-angle cards."""

    type: Literal["marketing_angle"]
    message_id: str
    data: MarketingAngleFrameData


class PsychologySelectionFrame(ApiModel):
    """Psychology concept cards with their full scripts."""

    type: Literal["psychology_selection"]
    message_id: str
    data: PsychologySelectionFrameData


class VideoResultFrame(ApiModel):
    """The rendered video ad."""

    type: Literal["video_result"]
    message_id: str
    data: VideoResultData


class StaticAdResultFrame(ApiModel):
    """The rendered static image ad."""

    type: Literal["static_ad_result"]
    message_id: str
    data: StaticAdResultData


class SelectionSummaryFrame(ApiModel):
    """A choice was accepted; ``messageId`` is ``sel-<seq>``."""

    type: Literal["selection_summary"]
    message_id: str
    data: SelectionSummaryData


class TextFrame(ApiModel):
    """Assistant text."""

    type: Literal["text"]
    message_id: str
    data: TextData


class ErrorFrame(ApiModel):
    """A failed run or render, in the API's one error shape; no ``data``."""

    type: Literal["error"]
    message_id: str | None = Field(description="The failed render's message; null for a run")
    message: str
    code: str = Field(description='e.g. "ai_generation_error", "run_failed", "render_failed"')
    retryable: bool


class UserMessageFrame(ApiModel):
    """A message the user sent (replays show the whole conversation)."""

    type: Literal["user_message"]
    message_id: str
    data: UserMessageData


class SelectionRequiredFrame(ApiModel):
    """The session waits for a choice; ``messageId`` is the interrupt id."""

    type: Literal["selection_required"]
    message_id: str
    data: SelectionRequiredData


class SwitchThemeFrame(ApiModel):
    """The marketer asked for the light or dark theme ("switch to dark mode"): apply it."""

    type: Literal["switch_theme"]
    message_id: str
    data: SwitchThemeData


ChatFrame = Annotated[
    AiResponseStartFrame
    | StatusUpdateFrame
    | ReasoningFrame
    | AudienceGroupFrame
    | MarketingAngleFrame
    | PsychologySelectionFrame
    | VideoResultFrame
    | StaticAdResultFrame
    | SelectionSummaryFrame
    | TextFrame
    | ErrorFrame
    | AiResponseCompleteFrame
    | UserMessageFrame
    | SelectionRequiredFrame
    | SwitchThemeFrame,
    Field(discriminator="type"),
]
"""One chat frame: an SSE ``data:`` line, an item of ``messages``, a WebSocket frame (+ ``seq``)."""


class MessagesPublic(ApiModel):
    """``POST .../messages`` without ``Accept: text/event-stream``: the turn's frames at its end."""

    session_id: str
    run_id: str
    messages: list[ChatFrame]


# --- OpenAPI -----------------------------------------------------------------------------------

_REF_TEMPLATE = "#/components/schemas/{model}"
_SSE_DESCRIPTION = (
    "`text/event-stream`: each `data:` is one ChatFrame JSON, `id:` is the session seq "
    "(resume with `Last-Event-ID`); log events without a chat frame are sent as `id:` + comment."
)


def chat_frame_schema() -> dict[str, Any]:
    """``ChatFrame``'s JSON schema, its ``$ref`` s pointing into the OpenAPI components."""
    schema = TypeAdapter(ChatFrame).json_schema(mode="serialization", ref_template=_REF_TEMPLATE)
    schema.pop("$defs", None)
    return {"title": "ChatFrame", **schema}


def frame_responses(*, json_reply: bool = False) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a route streaming ChatFrames; ``json_reply`` adds ``MessagesPublic``."""
    response: dict[str, Any] = {
        "description": _SSE_DESCRIPTION,
        "content": {"text/event-stream": {"schema": chat_frame_schema()}},
    }
    if json_reply:
        response["model"] = MessagesPublic
        response["description"] += (
            " `application/json` (without `Accept: text/event-stream`): the turn's frames once it"
            " has ended."
        )
    return {200: response}
