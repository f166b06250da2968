"""The default image provider: the offline static-ad composer, no network and no key.

Why it is the default: a fresh install, the test suite and an outage must still produce a
reviewable ad (design invariant 9). The composer in :mod:`tools.media.static_ad` paints a
background from the request's idempotency key, lays headline, primary text and call to action
inside the placement's safe zone at the exact requested size, and stamps the "Offline render"
tag so nobody ships a placeholder by mistake. Output is deterministic: the same request gives
the same bytes, so a re-run job rewrites an identical file.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from PIL import ImageDraw

from tools.image_providers.base import GeneratedImage, ImageProviderError, ImageRequest, output_path
from tools.media import MediaRenderError, render_static_ad, safe_zone
from tools.media.layout import draw_text_block, fit_text, inset
from tools.media.palette import paint_background, palette_from_seed
from tools.media.static_ad import draw_offline_tag, save_image_atomic

__all__ = ["OFFLINE_IMAGE_MODEL", "OfflineImageProvider"]

OFFLINE_IMAGE_MODEL = "static-ad-composer"
"""The ``model`` recorded for offline images."""


class OfflineImageProvider:
    """Renders finished ads locally with Pillow (see the module docstring)."""

    name = "offline"
    model = OFFLINE_IMAGE_MODEL
    offline = True

    async def generate(self, request: ImageRequest, dest: Path) -> GeneratedImage:
        """Render ``request`` into ``dest`` in a worker thread (Pillow work is CPU-bound)."""
        try:
            return await asyncio.to_thread(self._render, request, output_path(request, dest))
        except (MediaRenderError, OSError) as error:
            raise ImageProviderError(
                "image_render_failed", f"offline render failed: {error}", retryable=False
            ) from error

    def _render(self, request: ImageRequest, out: Path) -> GeneratedImage:
        if not request.has_copy:
            return self._render_preview(request, out)
        spec = request.ad_spec(offline_label=True)
        rendered = render_static_ad(spec, out)
        return GeneratedImage(
            path=rendered.path,
            width=rendered.width,
            height=rendered.height,
            content_type=rendered.content_type,
            provider=self.name,
            model=self.model,
            offline=True,
            text_roles=rendered.text_roles,
            text_boxes=rendered.text_boxes,
        )

    def _render_preview(self, request: ImageRequest, out: Path) -> GeneratedImage:
        """No copy yet: the background, the offline tag and the prompt as a caption.

        The composer always draws a call-to-action button, which would be an empty pill here;
        a picture request without copy should show what was asked for, clearly marked offline.
        """
        size = (request.width, request.height)
        palette = palette_from_seed(request.idempotency_key)
        canvas = paint_background(size, palette, request.idempotency_key)
        draw = ImageDraw.Draw(canvas)
        zone = safe_zone(*size)
        unit = min(size)
        tag = draw_offline_tag(
            draw,
            palette,
            (zone[2], zone[1]),
            (zone[2] - zone[0]) // 2,
            max(12, round(unit * 0.026)),
        )
        area = inset(zone, round(unit * 0.03))
        caption = fit_text(
            request.prompt,
            max_width=area[2] - area[0],
            max_height=area[3] - tag[3] - round(unit * 0.06),
            max_size=round(unit * 0.05),
            min_size=max(11, round(unit * 0.028)),
            max_lines=10,
            spacing=1.25,
        )
        top = tag[3] + max(0, (area[3] - tag[3] - caption.height) // 2)
        box = draw_text_block(draw, caption, (area[0], top, area[2]), palette.text, align="center")
        save_image_atomic(canvas.convert("RGB"), out, request.image_format)
        drawn = [("offline_label", tag)] + ([("prompt", box)] if box[2] > box[0] else [])
        return GeneratedImage(
            path=out,
            width=request.width,
            height=request.height,
            content_type=f"image/{request.image_format}",
            provider=self.name,
            model=self.model,
            offline=True,
            text_roles=tuple(role for role, _ in drawn),
            text_boxes=tuple(box for _, box in drawn),
        )
