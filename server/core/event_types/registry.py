"""Event type name → payload model and newest version, wired with the log's upcasters.

Writing: ``validate`` checks a payload against its type's model before the event exists, so a
malformed event is a bug raised at construction and nothing is written. Reading: rows are upcast
on read by the store's ``UpcasterRegistry``; ``parse`` does the same for a payload of any stored
version, then validates it against the newest model. The two registries must agree on the newest
version of every type: a model at version 3 needs upcasters from 1 to 3.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from server.core.event_types.base import EventPayload
from server.core.eventlog import UpcasterError, UpcasterRegistry

__all__ = ["EventTypeRegistry", "UnknownEventTypeError"]


class UnknownEventTypeError(LookupError):
    """An event type no model is registered for (a producer's typo, or a missing module)."""


class EventTypeRegistry:
    """Payload models by stored type name; ``upcasters`` bring old payloads to their version."""

    def __init__(
        self, upcasters: UpcasterRegistry, models: Iterable[type[EventPayload]] = ()
    ) -> None:
        self.upcasters = upcasters
        self._models: dict[str, type[EventPayload]] = {}
        for model in models:
            self.register(model)

    def register(self, model: type[EventPayload]) -> None:
        """Add ``model`` under its ``type_name``; refuses a duplicate or a version mismatch."""
        name = model.type_name
        if name in self._models:
            raise ValueError(f"event type {name!r} already has a model")
        self._check_version(model)
        self._models[name] = model

    def _check_version(self, model: type[EventPayload]) -> None:
        reached = self.upcasters.latest(model.type_name) or 1
        if reached != model.schema_version:
            raise UpcasterError(
                f"{model.__name__} is version {model.schema_version} but the upcasters of "
                f"{model.type_name!r} reach version {reached}"
            )

    @property
    def types(self) -> frozenset[str]:
        """Every registered type name."""
        return frozenset(self._models)

    def model_for(self, type_: str) -> type[EventPayload]:
        """The payload model of ``type_``."""
        try:
            return self._models[type_]
        except KeyError:
            raise UnknownEventTypeError(f"no payload model for event type {type_!r}") from None

    def latest_version(self, type_: str) -> int:
        """The version new events of ``type_`` are written with."""
        return self.model_for(type_).schema_version

    def validate(self, type_: str, data: Mapping[str, Any]) -> EventPayload:
        """``data`` as a new event of ``type_`` (newest version); ``ValidationError`` if malformed."""
        return self.model_for(type_).model_validate(data)

    def parse(self, type_: str, version: int, data: Mapping[str, Any]) -> EventPayload:
        """A stored payload of ``version``: upcast to the newest version, then validated."""
        model = self.model_for(type_)
        self._check_version(model)  # an upcaster registered after the model must still agree
        if version == model.schema_version:  # what the store returns: already upcast
            return model.model_validate(data)
        reached, upcast = self.upcasters.upcast(type_, version, dict(data))
        if reached != model.schema_version:
            raise UpcasterError(
                f"{type_!r} v{version} upcasts to v{reached}, the model is v{model.schema_version}"
            )
        return model.model_validate(upcast)
