"""What the copy gate reports: findings with a rule, a severity, a span, a reason and a rewrite.

A finding is a value object so the same shape travels everywhere the copy goes: on the cards of
the guided flow, in the event log, in gallery assets and in the model's retry prompt. ``block``
means the copy must not be shown as clean or rendered without an explicit acknowledgement;
``warn`` means a human should look (a superlative to substantiate, an 18+ targeting setting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "GATE_VERSION",
    "Finding",
    "Severity",
    "Status",
    "blocked",
    "report",
    "status_of",
]

Severity = Literal["block", "warn"]
"""``block``: breaks a platform or consumer-protection rule; ``warn``: needs a human look."""

Status = Literal["clean", "warn", "blocked"]
"""The overall verdict on a card: the most severe of its findings."""

GATE_VERSION = "adforge-copy-gate/1"
"""Named in every report, so a stored verdict says which rules produced it."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one field of the copy."""

    rule_id: str
    severity: Severity
    field: str
    start: int
    end: int
    text: str
    reason: str
    rewrite: str | None = None

    def to_wire(self) -> dict[str, Any]:
        """The camelCase JSON shape cards, events and the web app carry."""
        return {
            "ruleId": self.rule_id,
            "severity": self.severity,
            "field": self.field,
            "span": {"start": self.start, "end": self.end, "text": self.text},
            "reason": self.reason,
            "rewrite": self.rewrite,
        }

    def describe(self) -> str:
        """One line for a log or a model's retry prompt."""
        hint = f' Suggested rewrite: "{self.rewrite}".' if self.rewrite else ""
        return f'{self.field}: [{self.rule_id}] "{self.text}" — {self.reason}.{hint}'


def status_of(findings: Iterable[Finding]) -> Status:
    """``blocked`` if any finding blocks, ``warn`` if any warns, else ``clean``."""
    severities = {f.severity for f in findings}
    return "blocked" if "block" in severities else "warn" if severities else "clean"


def blocked(findings: Iterable[Finding]) -> list[Finding]:
    """Only the findings that block."""
    return [f for f in findings if f.severity == "block"]


def report(findings: Iterable[Finding], placements: Iterable[str]) -> dict[str, Any]:
    """The ``compliance`` object attached to a card: verdict, findings and what was checked."""
    unique = list(dict.fromkeys(findings))
    return {
        "status": status_of(unique),
        "findings": [f.to_wire() for f in unique],
        "placements": list(placements),
        "checkedBy": GATE_VERSION,
        "acknowledgedBy": None,
    }
