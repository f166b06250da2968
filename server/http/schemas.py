"""Request and response models of the Ad Forge HTTP API.

Python code uses snake_case; the wire uses the camelCase of the integration guide. Every model
derives from ``ApiModel`` so both spellings are accepted on input (``populate_by_name``) and
FastAPI's ``response_model`` serialises by alias, which keeps ``/docs`` and the JSON identical.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = ["ApiModel", "ErrorDetail", "ErrorPublic"]


class ApiModel(BaseModel):
    """Base of every API schema: camelCase JSON, snake_case attributes."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class ErrorDetail(ApiModel):
    """One problem of a rejected request, e.g. a missing or malformed field."""

    field: str = Field(description='Where the problem is, e.g. "body.name" or "query.limit"')
    message: str
    type: str = Field(description='Pydantic\'s error type, e.g. "missing"')


class ErrorPublic(ApiModel):
    """The one error shape of the Ad Forge API (design invariant 10)."""

    type: Literal["error"] = "error"
    message: str
    code: str = Field(description='Stable and machine-readable, e.g. "not_found"')
    retryable: bool = Field(description="True when the same request may succeed later")
    details: list[ErrorDetail] | None = Field(
        default=None, description="Per-field problems of a 422 invalid_request"
    )

    def to_json(self) -> dict[str, Any]:
        """The body sent to the client; ``details`` only when there are any."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)
