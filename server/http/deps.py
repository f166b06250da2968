"""FastAPI dependencies as ``Annotated`` aliases: what the lifespan opened, per request."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from server.core.products import ProductStore
from server.core.runtime import ServerRuntime
from server.core.services import Services

__all__ = [
    "ProductStoreDep",
    "RuntimeDep",
    "ServicesDep",
    "get_product_store",
    "get_runtime",
    "get_services",
]


def get_runtime(request: Request) -> ServerRuntime:
    """The resources the lifespan opened."""
    runtime: ServerRuntime = request.app.state.runtime
    return runtime


def get_services(request: Request) -> Services:
    """The services the lifespan opened."""
    services: Services = request.app.state.services
    return services


def get_product_store(request: Request) -> ProductStore:
    """The product store the lifespan opened (``app.state.products``)."""
    store = getattr(request.app.state, "products", None)
    if not isinstance(store, ProductStore):
        raise RuntimeError(
            "the product store is not open: the lifespan must set app.state.products"
        )
    return store


RuntimeDep = Annotated[ServerRuntime, Depends(get_runtime)]
ServicesDep = Annotated[Services, Depends(get_services)]
ProductStoreDep = Annotated[ProductStore, Depends(get_product_store)]
