"""Long threads stay flat: the bytes a turn adds do not grow with the thread's length."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.checkpoint_growth import measure


@pytest.mark.slow
async def test_bytes_per_turn_stay_flat_over_fifty_turns(tmp_path: Path) -> None:
    growth = await measure(50, delta=True, db=tmp_path / "delta.sqlite")
    baseline = await measure(50, delta=False, db=tmp_path / "full.sqlite")
    late = max(g.turn_bytes for g in growth[40:])
    early = max(g.turn_bytes for g in growth[6:16])
    assert late <= 1.5 * early, [g.turn_bytes for g in growth]
    # the classic channel grows with history; that is the quadratic growth the delta avoids
    assert baseline[-1].turn_bytes > 3 * growth[-1].turn_bytes
