"""The copy compliance and placement gate applied to every piece of generated copy.

``review`` / ``attach`` give a card its ``compliance`` object; ``check_text`` runs the content
rules on one string; ``fit_text`` fits copy to a placement limit at a clause boundary.
"""

from __future__ import annotations

from tools.compliance.claims import check_text
from tools.compliance.findings import GATE_VERSION, Finding, Severity, Status, blocked, status_of
from tools.compliance.gate import CardKind, attach, review, review_findings
from tools.compliance.placements import (
    DEFAULT_PLACEMENTS,
    PLACEMENTS,
    Placement,
    fit_text,
    parse_placements,
)

__all__ = [
    "DEFAULT_PLACEMENTS",
    "GATE_VERSION",
    "PLACEMENTS",
    "CardKind",
    "Finding",
    "Placement",
    "Severity",
    "Status",
    "attach",
    "blocked",
    "check_text",
    "fit_text",
    "parse_placements",
    "review",
    "review_findings",
    "status_of",
]
