"""Static ads print ad copy written for the reader, the same in the image and in the asset.

The offline flow runs to the saved asset for each image placement size; the composer then renders
the job's copy at that size and its layout record (the words drawn per role) is read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.types import Command

from graph.workflow import build_workflow
from tests.helpers import advance, thread
from tools.catalog import DEMO_PRODUCTS
from tools.creative.ad_copy import static_ad_copy
from tools.jobs import IMAGE_RESOLUTIONS, parse_resolution
from tools.media.static_ad import StaticAdSpec, render_static_ad

B2B = {
    "name": "TallyDesk for Accounting Firms",
    "description": "Practice management software for accounting firms.",
    "category": "Management SaaS",
    "benefits": ["client portal", "time tracking"],
    "price": "$1,500/month",
}


def _completed(job: dict[str, Any]) -> dict[str, Any]:
    result = {"kind": "image", "url": f"/media/{job['jobId']}.png", "format": "png"}
    return {
        "jobId": job["jobId"],
        "status": "completed",
        "result": result | {"resolution": job["resolution"]},
    }


async def _asset(workflow: Any, start: dict[str, Any], tid: str, size: str, pick: str) -> Any:
    cfg = thread(tid)
    await advance(workflow, start, cfg)
    await advance(workflow, Command(resume={"optionId": "aud-1"}), cfg)
    await advance(workflow, Command(resume={"optionId": "ang-1"}), cfg)
    answer = {"optionId": pick, "action": "generate_image", "resolution": size}
    await advance(workflow, Command(resume=answer), cfg)
    job = (await workflow.aget_state(cfg)).values["media_job"]
    await advance(workflow, Command(resume=_completed(job)), cfg)
    return job, (await workflow.aget_state(cfg)).values


@pytest.mark.parametrize("size", IMAGE_RESOLUTIONS)
@pytest.mark.parametrize("pick", ["psych-1", "psych-2", "psych-3"])
async def test_rendered_text_equals_the_assets_copy_at_every_size(
    saver: AsyncSqliteSaver, tmp_path: Path, size: str, pick: str
) -> None:
    workflow = build_workflow().compile(checkpointer=saver)
    for index, start in enumerate(({"product_id": "1"}, {"product": B2B})):
        start = {**start, "media_type": "image"}
        job, state = await _asset(workflow, start, f"ad-{size}-{pick}-{index}", size, pick)
        asset, concept = state["asset"], state["selected_concept"]
        assert asset["primaryText"] != concept["description"], "no strategy note as ad copy"
        assert (asset["headline"], asset["primaryText"], asset["callToAction"]) == (
            job["headline"],
            job["primaryText"],
            job["callToAction"],
        )
        assert "…" not in asset["headline"] + asset["primaryText"] + asset["callToAction"]
        assert len(asset["headline"]) <= 40 and len(asset["primaryText"]) <= 125
        assert asset["compliance"]["status"] != "blocked"
        width, height = parse_resolution(size)
        spec = StaticAdSpec(
            headline=job["headline"],
            primary_text=job["primaryText"],
            call_to_action=job["callToAction"],
            product_name=job["productName"],
            width=width,
            height=height,
            seed=job["jobId"],
        )
        rendered = render_static_ad(spec, tmp_path / f"{index}-{size}.png")
        assert rendered.truncated == ()
        assert rendered.text["headline"] == asset["headline"]
        assert rendered.text["primary_text"] == asset["primaryText"]
        assert rendered.text["call_to_action"] == asset["callToAction"]
        assert rendered.text["product_name"] == job["productName"].upper()


def test_product_names_are_never_cut_in_the_headline() -> None:
    concept = {
        "hook": "Here's exactly what is inside Sérum autobronzant progressif, ingredient by ingredient.",
        "fullScript": "Here's exactly what is inside. Nothing hidden. Read the label with us.",
        "callToAction": "Read the full label",
    }
    for product in DEMO_PRODUCTS:
        copy = static_ad_copy(concept, product.name)
        assert not copy.headline.endswith("…")
        assert product.name in copy.headline or copy.headline in concept["hook"]
