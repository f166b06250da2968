"""ChatKit thread items as wire dicts, and their conversion to ``chatkit.types`` models.

The projection stores items as JSON-shaped dicts (cheap to copy, equal after a rebuild); models
are built only when a response or stream event is sent. Two details of that conversion:

* Widgets become ``DynamicWidgetRoot`` rather than being validated through the ``WidgetRoot``
  union, whose strict member classes are deprecated and warn on construction.
* Media and avatar paths are made absolute with the request's base URL: the ChatKit client runs
  in an iframe on another origin, where ``/media/...`` would resolve against the wrong host.
"""

from __future__ import annotations

import re
from typing import Any

from chatkit.types import ThreadItem, WidgetItem
from chatkit.widgets import DynamicWidgetRoot
from pydantic import TypeAdapter

__all__ = [
    "OFFLINE_SOURCE_ID",
    "assistant_message",
    "client_tool_call",
    "item_model",
    "reasoning",
    "structured_choice",
    "user_message",
    "widget",
]

OFFLINE_SOURCE_ID = "adforge-offline-engine"
"""Entity annotation marking text written by the offline engine (design invariant 9)."""

_ITEM: TypeAdapter[ThreadItem] = TypeAdapter(ThreadItem)
_MARKDOWN_LINK = re.compile(r"\]\((/[^)\s]*)\)")


def _base(item_type: str, thread_id: str, item_id: str, created_at: str) -> dict[str, Any]:
    return {"id": item_id, "thread_id": thread_id, "created_at": created_at, "type": item_type}


def user_message(
    thread_id: str,
    item_id: str,
    created_at: str,
    text: str,
    *,
    content: list[dict[str, Any]] | None = None,
    quoted_text: str | None = None,
) -> dict[str, Any]:
    """What the user sent; ``content`` keeps ChatKit tags when the message came from ChatKit."""
    item = _base("user_message", thread_id, item_id, created_at)
    item["content"] = content or [{"type": "input_text", "text": text}]
    item["attachments"] = []
    item["inference_options"] = {}
    if quoted_text:
        item["quoted_text"] = quoted_text
    return item


def assistant_message(
    thread_id: str, item_id: str, created_at: str, text: str, *, offline: bool = False
) -> dict[str, Any]:
    """Assistant text; offline text carries an entity annotation that says so."""
    annotations: list[dict[str, Any]] = []
    if offline:
        annotations.append(
            {
                "type": "annotation",
                "index": len(text),
                "source": {
                    "type": "entity",
                    "id": OFFLINE_SOURCE_ID,
                    "title": "Written by AdForge's offline creative engine (no model configured)",
                    "label": "offline",
                    "inline_label": "offline",
                },
            }
        )
    item = _base("assistant_message", thread_id, item_id, created_at)
    item["content"] = [{"type": "output_text", "text": text, "annotations": annotations}]
    return item


def widget(thread_id: str, item_id: str, created_at: str, root: dict[str, Any]) -> dict[str, Any]:
    """A widget item."""
    return {**_base("widget", thread_id, item_id, created_at), "widget": root}


def client_tool_call(
    thread_id: str,
    item_id: str,
    created_at: str,
    *,
    call_id: str,
    name: str,
    arguments: dict[str, Any],
) -> dict[str, Any]:
    """A pending client tool call (the browser answers with ``add_client_tool_output``)."""
    item = _base("client_tool_call", thread_id, item_id, created_at)
    item |= {"status": "pending", "call_id": call_id, "name": name, "arguments": arguments}
    return item


def structured_choice(
    thread_id: str,
    item_id: str,
    created_at: str,
    request: dict[str, Any],
    *,
    interrupt_id: str,
    answer: str | None = None,
    skipped: bool = False,
) -> dict[str, Any]:
    """A workflow choice as a ``structured_input`` item; the input id is the interrupt id."""
    question: dict[str, Any] = {
        "type": "multiple_choice",
        "id": interrupt_id,
        "question": str(request.get("message") or "Choose one"),
        "options": [{"value": str(o.get("label") or o["id"])} for o in request.get("options", [])],
        "multiple": False,
    }
    status = "pending"
    if answer is not None:
        question["answer"] = {"values": [answer], "skipped": False}
        status = "answered"
    elif skipped:
        question["answer"] = {"values": [], "skipped": True}
        status = "answered"
    item = _base("structured_input", thread_id, item_id, created_at)
    return item | {"status": status, "inputs": [question]}


def reasoning(thread_id: str, item_id: str, created_at: str, lines: list[str]) -> dict[str, Any]:
    """The workflow's reasoning for a proposal, as a collapsed reasoning workflow."""
    tasks = [
        {"type": "thought", "content": str(line), "status_indicator": "complete"} for line in lines
    ]
    item = _base("workflow", thread_id, item_id, created_at)
    item["workflow"] = {
        "type": "reasoning",
        "tasks": tasks,
        "summary": {"title": "Why these options", "icon": "lightbulb"},
        "expanded": False,
    }
    return item


def _absolutize(value: Any, base_url: str) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            if key == "src" and isinstance(inner, str) and inner.startswith("/"):
                out[key] = base_url + inner
            elif key == "value" and value.get("type") == "Markdown" and isinstance(inner, str):
                out[key] = _MARKDOWN_LINK.sub(lambda m: f"]({base_url}{m.group(1)})", inner)
            else:
                out[key] = _absolutize(inner, base_url)
        return out
    if isinstance(value, list):
        return [_absolutize(v, base_url) for v in value]
    return value


def item_model(item: dict[str, Any], base_url: str = "") -> ThreadItem:
    """The ``chatkit.types`` model of a stored item, with local URLs made absolute."""
    if item["type"] == "widget":
        root = _absolutize(item["widget"], base_url.rstrip("/")) if base_url else item["widget"]
        return WidgetItem(
            id=item["id"],
            thread_id=item["thread_id"],
            created_at=item["created_at"],
            widget=DynamicWidgetRoot.model_validate(root),
            copy_text=item.get("copy_text"),
        )
    return _ITEM.validate_python(item)
