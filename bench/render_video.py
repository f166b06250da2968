"""Benchmark: render a 20 s 1080x1920 storyboard video three times and report speed vs real time.

Run with ``python bench/render_video.py`` (``make bench`` once the lead wires it in). A ratio below
1.0 means the offline renderer is faster than real time. No assertions: machine load varies.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.media.storyboard import ScriptBeats, VideoSpec, render_storyboard_video

DURATION_S = 20.0
RUNS = 3
BEATS = ScriptBeats(
    hook="Wait — if your glow fades by Wednesday, your routine is working against you.",
    body=(
        "Most self-tanners go on in one thick coat, then streak as your skin renews.",
        "Sérum autobronzant progressif builds colour a little each day.",
        "Apply after your shower, let it dry, and get dressed.",
    ),
    call_to_action="Start your progressive glow today",
    product_name="Sérum autobronzant progressif",
    presenter_name="Camille Laurent",
)


def main() -> None:
    spec = VideoSpec(width=1080, height=1920, fps=30, duration_s=DURATION_S, seed="bench")
    print(f"storyboard video {spec.width}x{spec.height} @ {spec.fps} fps, {DURATION_S:g} s")
    print(f"{'run':>3}  {'render_s':>9}  {'x real time':>11}  {'size_MB':>8}")
    timings: list[float] = []
    with tempfile.TemporaryDirectory(prefix="adforge-bench-") as tmp:
        for run in range(1, RUNS + 1):
            started = time.perf_counter()
            result = render_storyboard_video(BEATS, spec, Path(tmp), f"bench-{run}")
            elapsed = time.perf_counter() - started
            timings.append(elapsed)
            size_mb = result.path.stat().st_size / 1e6
            print(f"{run:>3}  {elapsed:>9.2f}  {elapsed / DURATION_S:>11.2f}  {size_mb:>8.2f}")
    mean = sum(timings) / len(timings)
    print(f"{'avg':>3}  {mean:>9.2f}  {mean / DURATION_S:>11.2f}")


if __name__ == "__main__":
    main()
