"""Products a marketer adds, stored per user next to the demo catalog.

The demo catalog (``tools.catalog``) is shipped data every user sees; products added through
``POST /api/products`` belong to the user who added them (design invariant 11) and live in the
same SQLite file as the checkpoints and the event log, on a connection of their own so a slow
graph write never blocks a catalog read. ``find`` is what the stateless generate routes and the
session routes use to turn a ``productId`` into a product: the user's own first, then the demo.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import aiosqlite

from server.core.errors import invalid, not_found
from server.core.migrations import migrate_connection
from server.core.persistence import connect_sqlite
from tools.catalog import DEMO_PRODUCTS, find_product
from tools.creative.models import ProductInfo

__all__ = [
    "CatalogEntry",
    "ProductSource",
    "ProductStore",
    "open_product_store",
    "resolve_product",
]

ProductSource = Literal["demo", "custom"]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A product and where it comes from: the shipped demo catalog or the user's own."""

    product: ProductInfo
    source: ProductSource


class ProductStore:
    """The ``products`` table on one aiosqlite connection; the caller owns the connection."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn
        self._write_lock = asyncio.Lock()

    async def setup(self) -> None:
        """Migrate the file's schema (``server.core.migrations``); safe on every start."""
        await migrate_connection(self._conn)

    async def add(self, user_id: str, product: ProductInfo) -> ProductInfo:
        """Store a new product for ``user_id`` under a fresh ``prod-<hex>`` id and return it."""
        stored = product.model_copy(update={"id": f"prod-{secrets.token_hex(8)}"})
        data = stored.model_dump_json(by_alias=True)
        created_at = datetime.now(UTC).isoformat()
        async with self._write_lock:
            await self._conn.execute(
                "INSERT INTO products (id, user_id, data, created_at) VALUES (?, ?, ?, ?)",
                (stored.id, user_id, data, created_at),
            )
            await self._conn.commit()
        return stored

    async def get(self, user_id: str, product_id: str) -> ProductInfo | None:
        """The user's own product with this id; None for unknown ids and other users' ids."""
        async with self._conn.execute(
            "SELECT data FROM products WHERE id = ? AND user_id = ?", (product_id, user_id)
        ) as cursor:
            row = await cursor.fetchone()
        return ProductInfo.model_validate(json.loads(row[0])) if row else None

    async def entry(self, user_id: str, product_id: str) -> CatalogEntry | None:
        """Resolve a ``productId`` the way every route does: the user's own, then the demo."""
        own = await self.get(user_id, product_id)
        if own is not None:
            return CatalogEntry(own, "custom")
        demo = find_product(product_id)
        return CatalogEntry(demo, "demo") if demo is not None else None

    async def find(self, user_id: str, product_id: str) -> ProductInfo | None:
        """The product a ``productId`` names for this user, or None (unknown or not theirs)."""
        found = await self.entry(user_id, product_id)
        return found.product if found else None

    async def count(self, user_id: str) -> int:
        """How many products the user added."""
        async with self._conn.execute(
            "SELECT COUNT(*) FROM products WHERE user_id = ?", (user_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def page(
        self, user_id: str, *, limit: int, offset: int
    ) -> tuple[list[CatalogEntry], int]:
        """One page of the user's catalog (demo products first, then theirs in the order added).

        Returns:
            The entries of the page and the total number of entries across all pages.
        """
        demo = [CatalogEntry(p, "demo") for p in DEMO_PRODUCTS[offset : offset + limit]]
        total = len(DEMO_PRODUCTS) + await self.count(user_id)
        remaining = limit - len(demo)
        if remaining <= 0:
            return demo, total
        async with self._conn.execute(
            "SELECT data FROM products WHERE user_id = ? ORDER BY rowid LIMIT ? OFFSET ?",
            (user_id, remaining, max(0, offset - len(DEMO_PRODUCTS))),
        ) as cursor:
            rows = await cursor.fetchall()
        own = [CatalogEntry(ProductInfo.model_validate(json.loads(r[0])), "custom") for r in rows]
        return demo + own, total


@asynccontextmanager
async def open_product_store(
    path: Path, *, busy_timeout_ms: int = 30_000
) -> AsyncIterator[ProductStore]:
    """A ready ``ProductStore`` on its own connection to ``path``, closed on exit."""
    conn = await connect_sqlite(path, busy_timeout_ms=busy_timeout_ms)
    try:
        store = ProductStore(conn)
        await store.setup()
        yield store
    finally:
        await conn.close()


async def resolve_product(
    store: ProductStore, user_id: str, product_id: str | None, text: str | None
) -> tuple[str | None, ProductInfo]:
    """A conversation's product: an id, a catalog name, else the text describes a new one.

    ``"Aurora Cold Brew: a coffee concentrate for busy mornings"`` is a product named before the
    colon and described after it; the id is None for a product described in the conversation.

    Raises:
        ApiError: 404 for an unknown id, 422 when neither an id nor a description is given.
    """
    if product_id:
        found = await store.find(user_id, product_id)
        if found is None:
            raise not_found("product", product_id)
        return product_id, found
    query = (text or "").strip()
    if not query:
        raise invalid(
            "name the product: a catalog id ('1') or a description "
            "('Aurora Cold Brew: a coffee concentrate for busy mornings')"
        )
    found = await store.find(user_id, query)
    if found is not None:
        return query, found
    for demo in DEMO_PRODUCTS:
        if demo.name.casefold() == query.casefold():
            return demo.id, demo
    name, _, description = query.partition(":")
    return None, ProductInfo(name=name.strip()[:200], description=description.strip() or query)
