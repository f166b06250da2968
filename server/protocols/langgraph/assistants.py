"""Assistants: one system assistant per graph, with the id langgraph-api gives it.

langgraph-api registers every graph of ``langgraph.json`` as an assistant whose id is
``uuid5(NAMESPACE_GRAPH, graph_id)`` (``langgraph_api/graph.py``), ``metadata.created_by`` =
``"system"``. AdForge serves the same two graphs, so Studio, the SDK and ``RemoteGraph`` find the
same ids here as under ``langgraph dev``; a run names its assistant by that id or by the graph
name. AdForge has no user-made assistants: the graphs' configuration is the server's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid5

from fastapi import APIRouter, Query
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel, Field, create_model

from server.core.errors import invalid, not_found
from server.http.deps import ServicesDep
from server.protocols.langgraph.auth import AgentUser
from server.protocols.langgraph.studio import StudioRoute
from server.protocols.langgraph.wire import jsonable

__all__ = ["GRAPH_IDS", "assistant_id_of", "graph_of_assistant", "router"]

NAMESPACE_GRAPH = UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8")
"""langgraph-api's namespace for system assistant ids (``langgraph_api.graph.NAMESPACE_GRAPH``)."""
GRAPH_IDS = ("ad_workflow", "ad_assistant")
_CREATED = datetime(2026, 1, 1, tzinfo=UTC).isoformat()
"""System assistants exist as long as the graphs do; one fixed date keeps responses stable."""

router = APIRouter(tags=["langgraph: assistants"], route_class=StudioRoute)

Graph = CompiledStateGraph[Any, Any, Any, Any]


def assistant_id_of(graph_id: str) -> str:
    """The system assistant id of ``graph_id``."""
    return str(uuid5(NAMESPACE_GRAPH, graph_id))


_BY_ID = {assistant_id_of(g): g for g in GRAPH_IDS}


def graph_of_assistant(assistant_id: str) -> str:
    """The graph an assistant id or graph name stands for; 404 when it is neither."""
    if assistant_id in GRAPH_IDS:
        return assistant_id
    if assistant_id in _BY_ID:
        return _BY_ID[assistant_id]
    raise not_found("assistant", assistant_id)


def _assistant(graph_id: str) -> dict[str, Any]:
    return {
        "assistant_id": assistant_id_of(graph_id),
        "graph_id": graph_id,
        "name": graph_id,
        "description": None,
        "config": {},
        "context": {},
        "metadata": {"created_by": "system"},
        "version": 1,
        "created_at": _CREATED,
        "updated_at": _CREATED,
    }


class AssistantSearch(BaseModel):
    """``POST /assistants/search`` and ``/count``."""

    metadata: dict[str, Any] = Field(default_factory=dict)
    graph_id: str | None = None
    name: str | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


def _matching(body: AssistantSearch) -> list[dict[str, Any]]:
    found = []
    for graph_id in GRAPH_IDS:
        item = _assistant(graph_id)
        if body.graph_id not in (None, graph_id):
            continue
        if body.name and body.name.lower() not in graph_id.lower():
            continue
        if any(item["metadata"].get(k) != v for k, v in body.metadata.items()):
            continue
        found.append(item)
    return found


@router.post("/assistants/search")
async def search_assistants(_: AgentUser, body: AssistantSearch) -> list[dict[str, Any]]:
    """The system assistants matching the filters."""
    return _matching(body)[body.offset : body.offset + body.limit]


@router.post("/assistants/count")
async def count_assistants(_: AgentUser, body: AssistantSearch) -> int:
    """How many system assistants match the filters."""
    return len(_matching(body))


def _graph(services: ServicesDep, assistant_id: str) -> Graph:
    return services.runs.graphs[graph_of_assistant(assistant_id)]


@router.get("/assistants/{assistant_id}")
async def get_assistant(_: AgentUser, assistant_id: str) -> dict[str, Any]:
    """One system assistant, by id or graph name."""
    return _assistant(graph_of_assistant(assistant_id))


def _xray(raw: str | None) -> bool | int:
    if raw in (None, "", "false", "False"):
        return False
    if raw in ("true", "True"):
        return True
    try:
        depth = int(str(raw))
    except ValueError:
        depth = 0
    if depth <= 0:
        raise invalid("xray must be true, false or a positive depth", code="invalid_xray")
    return depth


@router.get("/assistants/{assistant_id}/graph")
async def get_assistant_graph(
    services: ServicesDep,
    _: AgentUser,
    assistant_id: str,
    xray: Annotated[str | None, Query()] = None,
) -> dict[str, Any]:
    """The graph's drawable form (nodes and edges), as ``langgraph dev`` serves it."""
    drawn = (await _graph(services, assistant_id).aget_graph(xray=_xray(xray))).to_json()
    for node in drawn.get("nodes", []):
        if isinstance(data := node.get("data"), dict):
            data.pop("id", None)
    result: dict[str, Any] = jsonable(drawn)
    return result


def _state_schema(graph: Graph) -> dict[str, Any]:
    """Every output channel with its update type (langgraph-api's ``_state_jsonschema``)."""
    fields: dict[str, Any] = {}
    for key in graph.stream_channels_list:
        kind = getattr(graph.channels[key], "UpdateType", Any)
        try:
            create_model(key, root=(kind, None)).model_json_schema()
            fields[key] = (kind, None)
        except Exception:  # a channel type pydantic cannot describe: shown as any
            fields[key] = (Any, None)
    model: type[BaseModel] = create_model(graph.get_name("State"), **fields)
    return model.model_json_schema()


def schemas_of(graph_id: str, graph: Graph) -> dict[str, Any]:
    """Input, output, state and context JSON schemas of a graph."""
    return {
        "graph_id": graph_id,
        "input_schema": graph.get_input_jsonschema(),
        "output_schema": graph.get_output_jsonschema(),
        "state_schema": _state_schema(graph),
        "config_schema": None,
        "context_schema": graph.get_context_jsonschema(),
    }


@router.get("/assistants/{assistant_id}/schemas")
async def get_assistant_schemas(
    services: ServicesDep, _: AgentUser, assistant_id: str
) -> dict[str, Any]:
    """The graph's schemas (also by graph name, where langgraph dev insists on the uuid)."""
    graph_id = graph_of_assistant(assistant_id)
    return schemas_of(graph_id, services.runs.graphs[graph_id])


@router.get("/assistants/{assistant_id}/subgraphs")
@router.get("/assistants/{assistant_id}/subgraphs/{namespace}")
async def get_assistant_subgraphs(
    services: ServicesDep,
    _: AgentUser,
    assistant_id: str,
    namespace: str | None = None,
    recurse: bool = False,
) -> dict[str, Any]:
    """The graph's subgraphs by namespace with their schemas (AdForge's graphs have none)."""
    graph_id = graph_of_assistant(assistant_id)
    graph = services.runs.graphs[graph_id]
    found: dict[str, Any] = {}
    async for ns, sub in graph.aget_subgraphs(namespace=namespace, recurse=recurse):
        found[ns] = schemas_of(graph_id, sub)  # type: ignore[arg-type]
    return found
