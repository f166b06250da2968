"""A sidecar JSON beside each paid image, so a re-run finds it instead of paying again.

Why: a job worker can crash after the provider answered and the file was written but before the
job row was marked completed; the recovered job re-runs ``generate`` with the same idempotency
key (design invariant 2). The sidecar records a fingerprint of everything that shaped the image
(prompt, copy, size, model, provider parameters); when it matches and the image is still there
the stored result is returned and no request is sent. A changed request under the same key
simply regenerates and overwrites both files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from tools.image_providers.base import GeneratedImage, ImageRequest

__all__ = ["fingerprint", "load_generated", "store_generated"]

_VERSION = 1


def fingerprint(request: ImageRequest, **parameters: str | None) -> str:
    """A stable hash of ``request`` plus the provider ``parameters`` that affect the picture."""
    material = {"request": asdict(request), "parameters": parameters, "version": _VERSION}
    encoded = json.dumps(material, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def _sidecar(image_path: Path) -> Path:
    return image_path.with_name(image_path.name + ".json")


def load_generated(image_path: Path, expected: str) -> GeneratedImage | None:
    """The stored result for ``image_path`` if its fingerprint is ``expected``, else None."""
    try:
        data: dict[str, Any] = json.loads(_sidecar(image_path).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("fingerprint") != expected or not image_path.is_file():
        return None
    try:
        image: dict[str, Any] = data["image"]
        return GeneratedImage(
            path=image_path,
            width=int(image["width"]),
            height=int(image["height"]),
            content_type=str(image["content_type"]),
            provider=str(image["provider"]),
            model=str(image["model"]),
            offline=bool(image["offline"]),
            revised_prompt=image.get("revised_prompt"),
            source_size=image.get("source_size"),
            text_roles=tuple(image.get("text_roles", ())),
            text_boxes=tuple(
                (int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in image.get("text_boxes", ())
            ),
        )
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def store_generated(image: GeneratedImage, fingerprint_: str) -> None:
    """Write the sidecar for ``image`` atomically (after the image itself is in place)."""
    record = asdict(image)
    record["path"] = image.path.name
    payload = json.dumps({"fingerprint": fingerprint_, "image": record}, indent=2)
    sidecar = _sidecar(image.path)
    fd, tmp = tempfile.mkstemp(prefix=f".{sidecar.name}.", suffix=".part", dir=sidecar.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        os.replace(tmp, sidecar)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
