"""The ChatKit protocol (``POST /chatkit``) over AdForge's runs and event log.

Module map: ``preflight`` (parse and check a request, prepare its turn) → ``server``
(openai-chatkit's ``ChatKitServer`` subclass) → ``store`` (ChatKit's ``Store`` as event appends
and projection reads) and ``stream`` (start a run, fold the log into stream events); the fold
itself is ``fold`` (+ ``items``, ``widgets``), kept current by ``projection``; ``choices`` and
``retry`` turn choice answers and retries into runs. ``context`` holds the per-request state.

openai-chatkit's widget module defines classes deprecated since 1.4, and merely importing it
emits ``DeprecationWarning`` s. The package is imported here once with exactly that warning
silenced, before any submodule imports from it, so the server (and a test suite that turns
warnings into errors) imports cleanly. Modules outside this package import openai-chatkit's names
from here (``StreamingResult``, ``NotFoundError``), never from ``chatkit`` directly, which would
import it first and unsilenced.
"""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="Direct usage of named widget classes", category=DeprecationWarning
    )
    import chatkit.types
    import chatkit.widgets  # noqa: F401

from typing import TYPE_CHECKING, Any

from chatkit.store import NotFoundError

from server.protocols.chatkit.parsing import REQUEST_TYPES
from server.protocols.chatkit.preflight import prepare
from server.protocols.chatkit.projection import PROJECTION_NAME, ChatKitProjection

if TYPE_CHECKING:
    from chatkit.server import StreamingResult

    from server.protocols.chatkit.server import AdForgeChatKitServer


def __getattr__(name: str) -> Any:
    """``AdForgeChatKitServer`` and ``StreamingResult`` on first use.

    ``chatkit.server`` imports the OpenAI Agents SDK (about 0.8 s); the projection, which the
    server needs at start-up, does not. Deferring it keeps ``make run`` (and every server a test
    starts) that much quicker; the first ``POST /chatkit`` pays it once.
    """
    if name == "AdForgeChatKitServer":
        from server.protocols.chatkit.server import AdForgeChatKitServer

        return AdForgeChatKitServer
    if name == "StreamingResult":
        from chatkit.server import StreamingResult

        return StreamingResult
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "PROJECTION_NAME",
    "REQUEST_TYPES",
    "AdForgeChatKitServer",
    "ChatKitProjection",
    "NotFoundError",
    "StreamingResult",
    "prepare",
]
