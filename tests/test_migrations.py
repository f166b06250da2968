"""Schema versions: a database made before versions existed upgrades in place and keeps every row.

``fixtures/adforge-schema-v1.sqlite`` was made by the server of branch ``core`` at bc3c586, the
last commit whose stores created their own tables: ``python -m server`` on an empty data dir, a
product added, one session with one turn, a second session walked to its scripts and a video job
rendered to completion (offline), then the file copied, switched to ``journal_mode=DELETE``,
``page_size=1024`` and VACUUMed. Its ``user_version`` is 0; it also holds LangGraph's checkpoints.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.core import migrations
from server.core.eventlog import EventStore
from server.core.migrations import (
    LATEST_VERSION,
    MIGRATIONS,
    Migration,
    MigrationError,
    SchemaTooNewError,
    migrate,
)
from server.core.products import open_product_store
from server.jobs import open_job_store
from tests._processes import ROOT, free_port, running

FIXTURE = Path(__file__).parent / "fixtures" / "adforge-schema-v1.sqlite"
V1_TABLES = ["events", "projection_positions", "retention", "media_jobs", "products"]
SAVER_TABLES = ["checkpoints", "writes"]
FIXTURE_JOB = "job-0273cf3c71d55fed"
FIXTURE_PRODUCT = "prod-6c0e478c77d4a5b0"
FIXTURE_SESSIONS = {"sess-46e71e74becb6de2": 11, "sess-fac419fd61446cd9": 58}  # id → events


@pytest.fixture
def v1_file(tmp_path: Path) -> Path:
    """A copy of the fixture (the committed file is never opened for writing)."""
    path = tmp_path / "data" / "adforge.sqlite"
    path.parent.mkdir()
    shutil.copyfile(FIXTURE, path)
    return path


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def user_version(path: Path) -> int:
    return int(query(path, "PRAGMA user_version")[0][0])


def snapshot(path: Path, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    return {t: query(path, f"SELECT * FROM {t} ORDER BY rowid") for t in tables}


def schema(path: Path) -> list[tuple[Any, ...]]:
    return query(path, "SELECT type, name, sql FROM sqlite_master ORDER BY name")


# --- the fixture from before versions ---------------------------------------------------------


async def test_the_v1_fixture_upgrades_in_place_and_keeps_every_row(v1_file: Path) -> None:
    assert user_version(v1_file) == 0
    before = snapshot(v1_file, V1_TABLES + SAVER_TABLES)
    assert len(before["events"]) == sum(FIXTURE_SESSIONS.values())
    assert len(before["media_jobs"]) == len(before["products"]) == 1
    tables_before = schema(v1_file)

    # Step 1 finds its tables already there and only records the version; step 2 adds its own.
    assert await migrate(v1_file) == [1, 2]

    assert user_version(v1_file) == LATEST_VERSION == 2
    assert snapshot(v1_file, V1_TABLES + SAVER_TABLES) == before
    assert set(tables_before) <= set(schema(v1_file))
    plan = query(
        v1_file, "EXPLAIN QUERY PLAN SELECT 1 FROM events WHERE run_id = 'r' AND type = 't'"
    )
    assert any("events_run_type" in str(row) for row in plan)  # step 2's index is used
    async with EventStore.open(v1_file) as store:
        for session_id, count in FIXTURE_SESSIONS.items():
            assert [e.seq for e in await store.read_thread(session_id)] == list(range(1, count + 1))
    async with open_job_store(v1_file) as jobs:
        job = await jobs.get(FIXTURE_JOB)
        assert job is not None and job.status == "completed" and job.result is not None
    async with open_product_store(v1_file) as products:
        product = await products.get("local", FIXTURE_PRODUCT)
        assert product is not None and product.name == "Fixture Kettle"


@pytest.mark.integration
def test_a_server_on_the_upgraded_fixture_shows_and_continues_its_conversations(
    v1_file: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {"PORT": str(port), "ADFORGE_DATA_DIR": str(v1_file.parent)}
    with running(
        [sys.executable, "-m", "server"],
        ready_url=f"{url}/health",
        env=env,
        log=tmp_path / "server.log",
    ):
        api = httpx.Client(base_url=url, timeout=60)
        # The projections folded the old log: both sessions, at the steps they had reached.
        sessions = {s["sessionId"]: s for s in api.get("/api/chat/sessions").json()["data"]}
        assert set(sessions) == set(FIXTURE_SESSIONS)
        first, second = FIXTURE_SESSIONS
        assert sessions[first]["currentStep"] == "persona_selection"
        assert sessions[second]["currentStep"] == "completed"
        history = api.get(f"/api/chat/sessions/{second}/context").json()["history"]
        assert any(m["type"] == "video_result" for m in history)
        assert api.get(f"/api/jobs/{FIXTURE_JOB}").json()["status"] == "completed"
        assert api.get(f"/api/products/{FIXTURE_PRODUCT}").json()["name"] == "Fixture Kettle"
        # The old checkpoints and the old log carry on together: the pending choice answers.
        choice = api.get(f"/api/chat/sessions/{first}").json()["pendingChoice"]
        persona = choice["options"][0]
        reply = api.post(
            f"/api/chat/sessions/{first}/messages",
            json={"message": f"Selected persona: {persona['label']}"},
        )
        assert reply.status_code == 200, reply.text
        assert "marketing_angle" in [m["type"] for m in reply.json()["messages"]]
    assert user_version(v1_file) == LATEST_VERSION


# --- idempotence, fresh files, concurrency ----------------------------------------------------


async def test_migrating_again_or_opening_the_stores_again_changes_nothing(v1_file: Path) -> None:
    await migrate(v1_file)
    migrated = schema(v1_file)

    assert await migrate(v1_file) == []
    async with EventStore.open(v1_file), open_job_store(v1_file), open_product_store(v1_file):
        pass
    assert schema(v1_file) == migrated
    assert user_version(v1_file) == LATEST_VERSION


async def test_a_store_opened_on_a_new_file_gets_every_step(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    async with open_job_store(path):
        pass

    assert user_version(path) == LATEST_VERSION
    names = {name for _, name, _ in schema(path)}
    assert {*V1_TABLES, "events_run_type", "events_no_update", "events_no_delete"} <= names


STEP_LOG = (
    Migration(
        3,
        "a slow step that must not run twice",
        "CREATE TABLE step_log (step INTEGER NOT NULL);\n"
        "CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
        " WHERE i < 200000) SELECT i FROM n;\n"
        "INSERT INTO step_log VALUES (3);\n",
    ),
    Migration(4, "a second counted step", "INSERT INTO step_log VALUES (4);\n"),
)


def _migrate_after(barrier: Any, path: Path, results: Any) -> None:
    barrier.wait()
    results.put(asyncio.run(migrate(path, steps=MIGRATIONS + STEP_LOG)))


def test_processes_migrating_one_file_at_once_apply_each_step_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(3), context.Queue()
    workers = [
        context.Process(target=_migrate_after, args=(barrier, path, results)) for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0, 0, 0]

    applied = sorted(step for _ in workers for step in results.get(timeout=5))
    assert applied == [1, 2, 3, 4]
    assert query(path, "SELECT step FROM step_log ORDER BY rowid") == [(3,), (4,)]
    assert query(path, "SELECT COUNT(*) FROM filler") == [(200000,)]
    assert user_version(path) == 4


# --- refusals and failures ----------------------------------------------------------------------


@pytest.fixture
def newer_file(v1_file: Path) -> Iterator[Path]:
    conn = sqlite3.connect(v1_file)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    yield v1_file


async def test_a_file_from_a_newer_adforge_is_refused_untouched(newer_file: Path) -> None:
    before = schema(newer_file)

    with pytest.raises(SchemaTooNewError, match=r"schema version 3, newer than this AdForge") as e:
        await migrate(newer_file)
    assert str(newer_file) in str(e.value)
    with pytest.raises(SchemaTooNewError):
        async with EventStore.open(newer_file):
            pass

    assert schema(newer_file) == before
    assert user_version(newer_file) == LATEST_VERSION + 1


@pytest.mark.integration
def test_the_server_refuses_to_start_on_a_newer_file(newer_file: Path) -> None:
    env = {"PORT": str(free_port()), "ADFORGE_DATA_DIR": str(newer_file.parent)}
    done = subprocess.run(
        [sys.executable, "-m", "server"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode != 0
    assert "newer than this AdForge knows (2)" in done.stdout + done.stderr
    assert user_version(newer_file) == LATEST_VERSION + 1


async def test_a_failing_step_rolls_back_and_leaves_the_version(v1_file: Path) -> None:
    await migrate(v1_file)
    broken = Migration(
        3, "half a step", "CREATE TABLE half (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    )

    with pytest.raises(MigrationError, match=r"step 3 \(half a step\) failed.*no_such_table"):
        await migrate(v1_file, steps=(*MIGRATIONS, broken))

    assert user_version(v1_file) == LATEST_VERSION
    assert query(v1_file, "SELECT name FROM sqlite_master WHERE name = 'half'") == []
    fixed = Migration(3, "the whole step", "CREATE TABLE half (x INTEGER);\n")
    assert await migrate(v1_file, steps=(*MIGRATIONS, fixed)) == [3]


# --- the next step: a column on media_jobs --------------------------------------------------------


async def test_a_later_step_adds_a_media_jobs_column_and_the_jobs_keep_working(
    v1_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the release that needs a new ``media_jobs`` column will do: append one step."""
    column = Migration(
        3,
        "media job priority",
        "ALTER TABLE media_jobs ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;\n",
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, column))
    before = snapshot(v1_file, ["media_jobs"])["media_jobs"]

    async with open_job_store(v1_file) as jobs:
        old = await jobs.get(FIXTURE_JOB)
        new = await jobs.create(
            "job-after", user_id="u", session_id="s", kind="video", estimated_seconds=5
        )

    assert user_version(v1_file) == 3
    assert old is not None and old.status == "completed" and new.status == "queued"
    rows = query(v1_file, "SELECT * FROM media_jobs ORDER BY rowid")
    assert rows[0] == (*before[0], 0)  # every old value kept, the new column at its default
    assert rows[1][0] == "job-after" and rows[1][-1] == 0
