"""ChatKit widgets for what the log shows: workflow choices, media renders, queued images.

Widgets are plain dicts in ChatKit's wire shape (camelCase props), not ``chatkit.widgets`` classes:
those classes are deprecated since openai-chatkit 1.4 (construction warns) in favour of templates,
and a dict is what the projection stores anyway. Every dict here validates against the strict
widget classes (the tests check it), so the client renders them as it would the classes.

A pending choice is a Card with one ``Choose`` button per option, each dispatching
``CHOOSE_ACTION`` with ``{"interruptId", "optionId"}``: the action names the interrupt it answers,
so a click on a stale card (the choice was answered elsewhere or regenerated) is refused rather
than applied to a different question. Answered and superseded cards drop their buttons.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = [
    "CHOOSE_ACTION",
    "ChoiceState",
    "choice_card",
    "image_request_card",
    "media_card",
]

CHOOSE_ACTION = "adforge.choose"
"""The action type of a choice button (``threads.custom_action`` / ``sync_custom_action``)."""

ChoiceState = Literal["pending", "chosen", "superseded"]

_HEADINGS = {
    "persona_selection": "Choose your audience",
    "angle_selection": "Choose a marketing angle",
    "script_selection": "Choose a script",
}
_BUTTONS = {"generate_video": "Generate video", "generate_image": "Generate image"}


def _text(value: str, **props: Any) -> dict[str, Any]:
    return {"type": "Text", "value": value, **props}


def _details(kind: str, option: dict[str, Any]) -> list[dict[str, Any]]:
    """What a marketer needs to pick: the proposal's own fields, per step."""
    lines: list[dict[str, Any]] = []
    if description := option.get("description"):
        lines.append(_text(str(description), size="sm", color="secondary"))
    if kind == "persona_selection":
        facts = [option.get(k) for k in ("age", "gender", "location") if option.get(k)]
        if facts:
            lines.append(_text(" · ".join(str(f) for f in facts), size="xs", color="tertiary"))
    elif kind == "angle_selection":
        metrics = option.get("metrics") or {}
        scores = ", ".join(f"{k} {v}" for k, v in metrics.items())
        lines.append(_text(f"Score {option.get('score', '?')} ({scores})", size="xs"))
    elif kind == "script_selection":
        script = option.get("fullScript") or option.get("hook") or ""
        lines.append({"type": "Markdown", "value": f"**Script:** {script}"})
    return lines


def _option_block(
    kind: str,
    request: dict[str, Any],
    option: dict[str, Any],
    *,
    interrupt_id: str,
    state: ChoiceState,
    chosen_id: str | None,
) -> dict[str, Any]:
    label = str(option.get("label") or option.get("name") or option.get("title") or option["id"])
    header: list[dict[str, Any]] = [_text(label, weight="semibold")]
    if kind == "persona_selection" and option.get("category"):
        header.append({"type": "Badge", "label": str(option["category"]), "color": "info"})
    header.append({"type": "Spacer"})
    if state == "pending":
        header.append(
            {
                "type": "Button",
                "label": _BUTTONS.get(str(request.get("action")), "Choose"),
                "style": "primary",
                "size": "sm",
                "onClickAction": {
                    "type": CHOOSE_ACTION,
                    "payload": {"interruptId": interrupt_id, "optionId": option["id"]},
                    "handler": "server",
                    "loadingBehavior": "container",
                    "streaming": True,
                },
            }
        )
    elif option["id"] == chosen_id:
        header.append({"type": "Badge", "label": "Chosen", "color": "success"})
    return {
        "type": "Col",
        "gap": 1,
        "children": [
            {"type": "Row", "gap": 2, "align": "center", "children": header},
            *_details(kind, option),
        ],
    }


def choice_card(
    request: dict[str, Any],
    proposals: list[dict[str, Any]],
    *,
    interrupt_id: str,
    state: ChoiceState = "pending",
    chosen_id: str | None = None,
    offline: bool = False,
) -> dict[str, Any]:
    """A workflow choice: the interrupt's options, detailed from the proposal they came from."""
    kind = str(request.get("kind"))
    by_id = {str(p.get("id")): p for p in proposals}
    options = [{**by_id.get(str(o["id"]), {}), **o} for o in request.get("options") or []]
    status = {
        "pending": {"text": "Pick one, or type a message for new options", "icon": "sparkle"},
        "chosen": {"text": "Chosen", "icon": "check-circle"},
        "superseded": {"text": "Replaced by new options", "icon": "reload"},
    }[state]
    if offline:
        status = {**status, "text": f"{status['text']} · offline engine"}
    children: list[dict[str, Any]] = [
        {"type": "Title", "value": _HEADINGS.get(kind, "Choose"), "size": "sm"},
        _text(str(request.get("message") or ""), size="sm", color="secondary"),
    ]
    for option in options:
        children.append({"type": "Divider", "spacing": 2})
        children.append(
            _option_block(
                kind, request, option, interrupt_id=interrupt_id, state=state, chosen_id=chosen_id
            )
        )
    return {"type": "Card", "size": "lg", "status": status, "children": children}


def media_card(
    job: dict[str, Any],
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The render a workflow waits for: in progress, then the video or image, or the failure."""
    video = job.get("kind") == "video"
    title = str(job.get("title") or ("Your video ad" if video else "Your static ad"))
    if error is not None:
        return {
            "type": "Card",
            "status": {"text": "Render failed", "icon": "bug"},
            "children": [
                {"type": "Title", "value": title, "size": "sm"},
                _text(str(error.get("message") or "The render failed."), color="danger"),
                _text("Pick a script again to retry.", size="sm", color="secondary"),
            ],
        }
    if result is None:
        label = "Generating your AI video…" if video else "Generating your static ad…"
        return {
            "type": "Card",
            "status": {"text": label, "icon": "play" if video else "images"},
            "children": [
                {"type": "Title", "value": title, "size": "sm"},
                _text(f"About {job.get('estimatedSeconds', '?')} s", size="sm", color="secondary"),
            ],
        }
    offline = " · offline render" if result.get("offline", True) else ""
    facts = [str(result.get(k)) for k in ("resolution", "format") if result.get(k)]
    children: list[dict[str, Any]] = [{"type": "Title", "value": title, "size": "sm"}]
    if result.get("kind") == "video":
        if result.get("thumbnailUrl"):
            children.append(
                {"type": "Image", "src": result["thumbnailUrl"], "alt": title, "fit": "contain"}
            )
        facts.insert(0, f"{round(float(result.get('duration') or 0))} s")
        children.append({"type": "Markdown", "value": f"[Watch the video]({result['url']})"})
    else:
        children.append({"type": "Image", "src": result["url"], "alt": title, "fit": "contain"})
        children.append({"type": "Markdown", "value": f"[Open the image]({result['url']})"})
    children.append(_text(" · ".join(facts), size="xs", color="tertiary"))
    return {
        "type": "Card",
        "status": {"text": f"Ready{offline}", "icon": "check-circle"},
        "children": children,
    }


def image_request_card(
    prompt: str,
    size: str,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An image ``generate_ad_image`` queued, then the rendered image or why it failed."""
    children: list[dict[str, Any]] = [_text(prompt, size="sm")]
    status = {"text": "Image queued", "icon": "images"}
    if result is not None:
        offline = " · offline render" if result.get("offline", True) else ""
        status = {"text": f"Ready{offline}", "icon": "check-circle"}
        children.append({"type": "Image", "src": result["url"], "alt": prompt, "fit": "contain"})
        children.append({"type": "Markdown", "value": f"[Open the image]({result['url']})"})
    elif error is not None:
        status = {"text": "Image failed", "icon": "bug"}
        children.append(_text(str(error.get("message") or "The image failed."), color="danger"))
    children.append(_text(size, size="xs", color="tertiary"))
    return {"type": "Card", "status": status, "children": children}
