"""The one exception the media renderers raise for failures outside the caller's control."""

from __future__ import annotations

__all__ = ["MediaRenderError"]


class MediaRenderError(RuntimeError):
    """Rendering failed: ffmpeg missing, crashed, timed out, or rejected its arguments.

    Callers (graph nodes, the server's job runner) catch this one type to report a failed render
    without guessing at ``OSError``/``subprocess`` details; the message carries the tail of
    ffmpeg's stderr so the cause is visible in logs and job events.
    """
