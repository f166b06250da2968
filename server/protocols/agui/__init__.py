"""The AG-UI protocol (1.0): CopilotKit and other AG-UI clients run AdForge's conversations.

A thin adapter (design invariant 8) over the core's commands and the event log: requests become
``send_message`` / ``answer_choice`` / an ``ad_assistant`` turn (``commands``), log events become
AG-UI events (``translate``, ``conversation``), encoded with the official ``ag-ui-protocol``
package and streamed over SSE (``stream``, ``route``).
"""

from __future__ import annotations

from server.protocols.agui.route import router

__all__ = ["router"]
