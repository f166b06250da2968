"""``ad_workflow`` end to end with the offline engine and a real SQLite checkpointer."""

from __future__ import annotations

from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.errors import is_invalid_resume
from langgraph.types import Command
from pydantic import ValidationError

from graph.workflow import build_workflow
from tests.helpers import advance, thread

PERSONA_FIELDS = {
    "id",
    "name",
    "avatar",
    "label",
    "category",
    "labelColor",
    "age",
    "ageRange",
    "gender",
    "location",
    "description",
    "traits",
    "keyTraits",
    "painPoints",
    "desires",
    "features",
}
ANGLE_FIELDS = {"id", "title", "score", "description", "metrics", "reason"}
CONCEPT_FIELDS = {
    "id",
    "title",
    "score",
    "description",
    "hook",
    "fullScript",
    "callToAction",
    "visualDirection",
    "metrics",
}
START = {"product_id": "1", "format": "Hybrid Format", "media_type": "video"}


def _completed(job: dict[str, Any]) -> dict[str, Any]:
    return {
        "jobId": job["jobId"],
        "status": "completed",
        "result": {
            "kind": job["kind"],
            "url": f"/media/{job['jobId']}.mp4",
            "thumbnailUrl": f"/media/{job['jobId']}.jpg",
            "duration": 21.5,
            "format": "mp4",
            "resolution": job["resolution"],
        },
    }


@pytest.fixture
def workflow(saver: AsyncSqliteSaver) -> Any:
    return build_workflow().compile(checkpointer=saver)


async def test_video_flow_runs_through_every_interrupt(workflow: Any) -> None:
    cfg = thread("wf-video")
    [persona_pick] = await advance(workflow, START, cfg)
    assert persona_pick.value["kind"] == "persona_selection"
    state = (await workflow.aget_state(cfg)).values
    personas = state["personas"]
    assert len(personas) == 4
    for persona in personas:
        assert PERSONA_FIELDS <= persona.keys()
        assert persona["label"] == persona["category"] and persona["age"] == persona["ageRange"]
        assert persona["traits"] == persona["keyTraits"] and persona["painPoints"]
    assert state["product"]["name"] == "Sérum autobronzant progressif"
    assert state["generation"]["personas"] == {
        "model": "offline:adforge-creative-1",
        "offline": True,
    }
    assert [o["id"] for o in persona_pick.value["options"]] == ["aud-1", "aud-2", "aud-3", "aud-4"]
    assert persona_pick.response_schema is not None

    [angle_pick] = await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg)
    state = (await workflow.aget_state(cfg)).values
    assert angle_pick.value["kind"] == "angle_selection"
    assert state["selected_persona"]["id"] == "aud-1"
    assert len(state["persona_impact"]) >= 20
    assert 2 <= len(state["angles"]) <= 3
    for angle in state["angles"]:
        assert ANGLE_FIELDS <= angle.keys()
        assert set(angle["metrics"]) == {"emotion", "proof", "differentiation"}
        assert 0 <= float(angle["score"]) <= 10

    [script_pick] = await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg)
    state = (await workflow.aget_state(cfg)).values
    assert script_pick.value["kind"] == "script_selection"
    assert script_pick.value["action"] == "generate_video"
    for concept in state["concepts"]:
        assert CONCEPT_FIELDS <= concept.keys()
        assert concept["score"].endswith("/10")
        assert set(concept["metrics"]) == {"hook", "mechanism", "believability", "cta"}

    choice = {"optionId": "psych-1", "action": "generate_video", "avatarId": "avatar-female-45"}
    [media_wait] = await advance(workflow, Command(resume=choice), cfg)
    job = media_wait.value["job"]
    assert media_wait.value["kind"] == "media_job"
    assert job["kind"] == "video" and job["resolution"] == "1080x1920"
    assert job["avatarId"] == "avatar-female-45" and job["script"]["hook"]
    assert job["jobId"].startswith("job-")

    assert await advance(workflow, Command(resume=_completed(job)), cfg) == []
    state = (await workflow.aget_state(cfg)).values
    assert state["step"] == "completed"
    asset = state["asset"]
    assert asset["kind"] == "video" and asset["videos"][0]["url"].endswith(".mp4")
    assert (
        asset["product"] == "Sérum autobronzant progressif" and asset["sourceSession"] == "wf-video"
    )


async def test_image_flow_makes_a_static_ad_job(workflow: Any) -> None:
    cfg = thread("wf-image")
    start = {
        "product": {
            "name": "Harbor Bakery",
            "description": "Sourdough and pastries baked daily in Leith.",
        },
        "media_type": "image",
    }
    await advance(workflow, start, cfg)
    await advance(workflow, Command(resume={"optionId": "aud-2"}), cfg)
    [script_pick] = await advance(workflow, Command(resume={"optionId": "ang-2"}), cfg)
    assert script_pick.value["action"] == "generate_image"
    with pytest.raises(ValidationError):  # a video action does not fit an image session
        await advance(
            workflow, Command(resume={"optionId": "psych-1", "action": "generate_video"}), cfg
        )
    [media_wait] = await advance(
        workflow,
        Command(
            resume={"optionId": "psych-2", "action": "generate_image", "resolution": "1080x1350"}
        ),
        cfg,
    )
    job = media_wait.value["job"]
    assert job["kind"] == "image" and job["resolution"] == "1080x1350"
    assert len(job["headline"]) <= 40
    outcome = {
        "jobId": job["jobId"],
        "status": "completed",
        "result": {
            "kind": "image",
            "url": "/media/a.png",
            "format": "png",
            "resolution": "1080x1350",
        },
    }
    await advance(workflow, Command(resume=outcome), cfg)
    asset = (await workflow.aget_state(cfg)).values["asset"]
    assert asset["kind"] == "image" and asset["images"] == ["/media/a.png"]


@pytest.mark.parametrize(
    "bad_answer",
    [
        {"optionId": "aud-9"},
        {"personaId": "aud-1"},
        {"freeText": ""},
        {"optionId": "aud-1", "freeText": "x"},
    ],
)
async def test_invalid_selection_is_rejected_and_stays_answerable(
    workflow: Any, bad_answer: dict[str, Any]
) -> None:
    cfg = thread("wf-invalid")
    [pending] = await advance(workflow, START, cfg)
    with pytest.raises(ValidationError) as rejected:
        await advance(workflow, Command(resume=bad_answer), cfg)
    assert is_invalid_resume(rejected.value)
    snapshot = await workflow.aget_state(cfg)
    assert snapshot.next == ("choose_persona",)
    assert [i.id for i in snapshot.interrupts] == [pending.id]
    [angle_pick] = await advance(workflow, Command(resume={"optionId": "aud-3"}), cfg)
    assert angle_pick.value["kind"] == "angle_selection"
    assert (await workflow.aget_state(cfg)).values["selected_persona"]["id"] == "aud-3"


async def test_free_text_at_the_persona_step_regenerates_personas(workflow: Any) -> None:
    cfg = thread("wf-free-text")
    [first] = await advance(workflow, START, cfg)
    before = (await workflow.aget_state(cfg)).values["personas"]
    hint = "I want to target women experiencing menopause"
    [second] = await advance(workflow, Command(resume={"freeText": hint}), cfg)
    after = (await workflow.aget_state(cfg)).values
    assert second.value["kind"] == "persona_selection" and second.id != first.id
    assert after["audience_hint"] == hint
    assert [p["name"] for p in after["personas"]] != [p["name"] for p in before]
    first_persona = after["personas"][0]
    assert first_persona["gender"].lower().startswith("f")
    assert "menopaus" in (first_persona["name"] + first_persona["description"]).lower()


async def test_failed_media_job_returns_to_the_script_choice(workflow: Any) -> None:
    cfg = thread("wf-failed-job")
    await advance(workflow, START, cfg)
    await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg)
    await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg)
    [media_wait] = await advance(
        workflow, Command(resume={"optionId": "psych-1", "action": "generate_video"}), cfg
    )
    job_id = media_wait.value["job"]["jobId"]
    with pytest.raises(ValidationError):  # an outcome for another job is not accepted
        await advance(
            workflow,
            Command(
                resume={
                    "jobId": "job-other",
                    "status": "failed",
                    "error": {"code": "x", "message": "y"},
                }
            ),
            cfg,
        )
    failure = {
        "jobId": job_id,
        "status": "failed",
        "error": {"code": "render_failed", "message": "ffmpeg exited 1", "retryable": True},
    }
    [again] = await advance(workflow, Command(resume=failure), cfg)
    assert again.value["kind"] == "script_selection"
    assert again.value["mediaError"]["code"] == "render_failed"
    assert again.value["mediaError"]["jobId"] == job_id


async def test_unknown_product_id_is_a_clear_error(workflow: Any) -> None:
    from graph.nodes.creative import UnknownProductError

    with pytest.raises(UnknownProductError, match="no product with id '404'"):
        await advance(workflow, {"product_id": "404"}, thread("wf-404"))


async def test_same_choice_in_two_threads_names_different_jobs(workflow: Any) -> None:
    async def job_id(thread_id: str) -> str:
        cfg = thread(thread_id)
        await advance(workflow, START, cfg)
        await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg)
        await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg)
        [wait] = await advance(
            workflow, Command(resume={"optionId": "psych-1", "action": "generate_video"}), cfg
        )
        return str(wait.value["job"]["jobId"])

    first, second, first_again = await job_id("t-a"), await job_id("t-b"), await job_id("t-a2")
    assert len({first, second, first_again}) == 3
