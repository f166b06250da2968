"""The copy gate's verdict as cards, frames and assets carry it (built in ``tools.compliance``)."""

from __future__ import annotations

from typing import Literal

from server.http.schemas import ApiModel

__all__ = ["CompliancePublic", "FindingPublic", "FindingSpanPublic"]


class FindingSpanPublic(ApiModel):
    """Where the offending words are: offsets into the field's text, and the words."""

    start: int
    end: int
    text: str


class FindingPublic(ApiModel):
    """One problem: rule, severity, field, span, a plain-language reason, a suggested rewrite."""

    rule_id: str
    severity: Literal["block", "warn"]
    field: str
    span: FindingSpanPublic
    reason: str
    rewrite: str | None


class CompliancePublic(ApiModel):
    """A card's verdict: ``blocked`` copy is never shown as clean or rendered unacknowledged."""

    status: Literal["clean", "warn", "blocked"]
    findings: list[FindingPublic]
    placements: list[str]
    checked_by: str
    acknowledged_by: str | None = None
