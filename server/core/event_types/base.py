"""The base of every event payload model: the stored keys, strictly, and a schema version.

Field names are snake_case in Python and camelCase in the log (the stored JSON never changes):
models validate by alias only, so a payload built with ``message_id`` instead of ``messageId`` is
refused rather than stored under the wrong key. Unknown keys are refused too: a typo in a
producer is a bug caught when the event is built, before anything is written. Validation is strict
(no ``"3"`` → ``3``), so a payload that validates is stored exactly as it was given.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["ErrorInfo", "EventPayload", "OwnedPayload", "Shape"]


class Shape(BaseModel):
    """Strict, frozen, camelCase-keyed: the config of payloads and of the parts they nest."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
        extra="forbid",
        frozen=True,
        strict=True,
    )

    def wire(self) -> dict[str, Any]:
        """As stored: camelCase keys, only the keys it was given."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class EventPayload(Shape):
    """One event type's payload; ``type_name`` is the stored type, ``schema_version`` its shape."""

    type_name: ClassVar[str]
    """The name stored in the log's ``type`` column (``EventType``)."""
    schema_version: ClassVar[int] = 1
    """The newest payload shape; older rows are upcast to it on read (style.md guideline 6)."""


class OwnedPayload(EventPayload):
    """A payload that names the user who owns the thread (the gallery learns owners from it)."""

    user_id: str


class ErrorInfo(Shape):
    """A failure as clients see it: code, message, and whether trying again may help."""

    code: str
    message: str
    retryable: bool
