"""The pagination query parameters every list route shares, with bounds.

An unbounded ``offset`` reaches SQLite, whose integers stop at 2**63 - 1, and a larger one raised
``OverflowError`` (a 500, found by a schema-driven fuzzer); bounded here, it is a 422 that the
OpenAPI schema documents.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

__all__ = ["MAX_OFFSET", "MAX_PAGE_SIZE", "Limit", "Offset"]

MAX_OFFSET = 1_000_000
"""The largest ``offset`` accepted; far beyond any one user's products or assets."""
MAX_PAGE_SIZE = 100

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Entries to skip")]
