"""Who calls the Agent Protocol: the server's API keys, also as ``x-api-key`` (what the SDK sends).

``langgraph_sdk`` puts its key in ``x-api-key``; browsers and the other protocols use
``Authorization: Bearer``. Both map through the same ``ADFORGE_API_KEYS`` table as every other
route (``server.http.auth.user_for_token``), so a user is the same user on every protocol.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from server.http.auth import User, parse_api_keys, user_for_token

__all__ = ["AgentUser", "agent_user"]


def agent_user(
    request: Request,
    x_api_key: Annotated[str | None, Header(alias="x-api-key")] = None,
    authorization: Annotated[str | None, Header()] = None,
) -> User:
    """The caller; 401 when keys are configured and neither header carries a known one."""
    keys = parse_api_keys(request.app.state.runtime.settings.api_keys)
    token = x_api_key
    if token is None and authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return user_for_token(keys, token)


AgentUser = Annotated[User, Depends(agent_user)]
