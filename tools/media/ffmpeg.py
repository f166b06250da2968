"""Locating and driving the ffmpeg binary that ships with ``imageio-ffmpeg``.

Why this binary: ``imageio-ffmpeg`` is a pip dependency that carries a static ffmpeg build with
libx264, so encoding works on a fresh machine with nothing but the package registry (the system
``ffmpeg`` package is only needed for ``ffprobe`` in the tests). ``IMAGEIO_FFMPEG_EXE`` overrides
the path, as documented by imageio-ffmpeg.

Why a writer class: frames are produced in Python and streamed as raw RGB on stdin, so nothing the
size of the video is ever held in memory or written as images to disk. The writer owns the three
things that are easy to get wrong with a long-running pipe: a deadline (a watchdog kills ffmpeg, so
a hung encoder cannot block a ``write`` forever), stderr captured to a file (a full stderr pipe
would deadlock the encoder), and an atomic finish (output goes to a hidden temporary name and is
renamed only after ffmpeg exits cleanly).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

import imageio_ffmpeg

from tools.media.errors import MediaRenderError

__all__ = ["EncoderSettings", "RawVideoWriter", "ffmpeg_exe"]

STDERR_TAIL_CHARS = 2000


def ffmpeg_exe() -> str:
    """Path of the ffmpeg executable, or :class:`MediaRenderError` if there is none."""
    try:
        path = str(imageio_ffmpeg.get_ffmpeg_exe())
    except (RuntimeError, OSError) as exc:
        raise MediaRenderError(f"ffmpeg not found (imageio-ffmpeg): {exc}") from exc
    return path


@dataclass(frozen=True, slots=True)
class EncoderSettings:
    """Output encoding; the defaults are what ad platforms accept everywhere.

    H.264 High in yuv420p with ``+faststart`` (the index at the front so playback starts before
    the download ends) and BT.709 tags, so players do not shift the colours of an HD frame.
    ``silent_audio`` adds a silent AAC track: some upload checks and players expect an audio
    stream in an ad video, and it costs a few kilobytes.
    """

    video_codec: str = "libx264"
    preset: str = "veryfast"
    crf: int = 23
    pix_fmt: str = "yuv420p"
    silent_audio: bool = True
    audio_bitrate: str = "64k"
    extra_args: tuple[str, ...] = ()


class RawVideoWriter:
    """Stream raw ``rgb24`` frames into an MP4 at ``out_path``; use as a context manager.

    On a clean exit from the ``with`` block the file is finalised (ffmpeg waited for, exit code
    checked, temporary file renamed); on an exception ffmpeg is killed and the temporary file is
    removed, so ``out_path`` is either complete or untouched.
    """

    def __init__(
        self,
        out_path: Path,
        *,
        width: int,
        height: int,
        fps: int,
        duration_s: float,
        timeout_s: float,
        settings: EncoderSettings | None = None,
        executable: str | None = None,
    ) -> None:
        self.out_path = out_path
        self.width, self.height, self.fps = width, height, fps
        self.duration_s = duration_s
        self.timeout_s = timeout_s
        self.settings = settings or EncoderSettings()
        self._executable = executable
        self._tmp_path = out_path.with_name(f".{out_path.name}.{uuid.uuid4().hex[:12]}.part")
        self._proc: subprocess.Popen[bytes] | None = None
        self._stderr: IO[bytes] | None = None
        self._watchdog: threading.Timer | None = None
        self._timed_out = threading.Event()

    @property
    def frame_bytes(self) -> int:
        """Size of one raw frame; every ``write`` must be exactly this long."""
        return self.width * self.height * 3

    def command(self) -> list[str]:
        """The ffmpeg argument list (exposed for logging and tests)."""
        s = self.settings
        # The silent source is bounded at the input so ffmpeg never stops reading video early.
        duration = f"{self.duration_s:.6f}"
        audio_in = ["-f", "lavfi", "-t", duration, "-i", "anullsrc=r=48000:cl=stereo"]
        cmd = [
            self._executable or ffmpeg_exe(),
            *("-hide_banner", "-nostats", "-loglevel", "error", "-y"),
            *("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{self.width}x{self.height}"),
            *("-framerate", str(self.fps), "-i", "pipe:0"),
            *(audio_in if s.silent_audio else []),
            *("-map", "0:v:0", *(("-map", "1:a:0") if s.silent_audio else ())),
            *("-vf", f"scale=out_color_matrix=bt709:out_range=tv,format={s.pix_fmt}"),
            *("-c:v", s.video_codec, "-preset", s.preset, "-crf", str(s.crf)),
            *("-pix_fmt", s.pix_fmt),
            *("-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"),
            *(("-c:a", "aac", "-b:a", s.audio_bitrate) if s.silent_audio else ()),
            *("-movflags", "+faststart"),
            *s.extra_args,
            *("-f", "mp4", str(self._tmp_path)),
        ]
        return cmd

    def __enter__(self) -> RawVideoWriter:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.finish()
        else:
            self.abort()
            self._cleanup()

    def start(self) -> None:
        """Launch ffmpeg and arm the watchdog."""
        self.out_path.parent.mkdir(parents=True, exist_ok=True)
        command = self.command()
        self._stderr = tempfile.TemporaryFile()
        try:
            self._proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._stderr
            )
        except OSError as exc:
            self._cleanup()
            raise MediaRenderError(f"cannot start ffmpeg ({command[0]}): {exc}") from exc
        self._watchdog = threading.Timer(self.timeout_s, self._on_timeout)
        self._watchdog.daemon = True
        self._watchdog.start()

    def _on_timeout(self) -> None:
        self._timed_out.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()

    def write(self, frame: bytes) -> None:
        """Send one frame; raises :class:`MediaRenderError` if ffmpeg has died or timed out."""
        if self._proc is None or self._proc.stdin is None:
            raise MediaRenderError("RawVideoWriter.write() before start()")
        if len(frame) != self.frame_bytes:
            raise ValueError(f"frame is {len(frame)} bytes, expected {self.frame_bytes}")
        try:
            self._proc.stdin.write(frame)
        except (BrokenPipeError, ValueError, OSError) as exc:
            self.abort()
            raise self._failure("ffmpeg stopped reading frames") from exc

    def finish(self) -> None:
        """Close the input, wait for ffmpeg, check it and move the file into place."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise MediaRenderError("RawVideoWriter.finish() before start()")
        try:
            proc.stdin.close()
        except OSError:
            pass  # a dead encoder is reported from its exit code below
        try:
            code = proc.wait(timeout=self.timeout_s)
        except subprocess.TimeoutExpired:
            self._timed_out.set()
            self.abort()
            raise self._failure("ffmpeg did not finish") from None
        if code != 0 or self._timed_out.is_set():
            self.abort()
            raise self._failure(f"ffmpeg exited with code {code}")
        try:
            os.chmod(self._tmp_path, 0o644)
            os.replace(self._tmp_path, self.out_path)
        except OSError as exc:
            self.abort()
            raise MediaRenderError(f"cannot move the video into place: {exc}") from exc
        self._cleanup()

    def abort(self) -> None:
        """Kill ffmpeg if it is running and remove the temporary output (idempotent)."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:  # pragma: no cover - kill does not hang on Linux
                pass
        if proc is not None and proc.stdin is not None and not proc.stdin.closed:
            try:
                proc.stdin.close()
            except OSError:
                pass
        self._tmp_path.unlink(missing_ok=True)
        self._cleanup(keep_stderr=True)

    def _failure(self, what: str) -> MediaRenderError:
        reason = f"timed out after {self.timeout_s:g} s" if self._timed_out.is_set() else what
        tail = self._stderr_tail()
        message = f"{reason}; stderr tail:\n{tail}" if tail else reason
        self._cleanup()
        return MediaRenderError(message)

    def _stderr_tail(self) -> str:
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.flush()
        self._stderr.seek(0, os.SEEK_END)
        size = self._stderr.tell()
        self._stderr.seek(max(0, size - STDERR_TAIL_CHARS))
        return self._stderr.read().decode("utf-8", errors="replace").strip()

    def _cleanup(self, *, keep_stderr: bool = False) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
        if self._stderr is not None and not keep_stderr:
            self._stderr.close()
