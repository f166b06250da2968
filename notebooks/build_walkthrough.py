"""Writes walkthrough.ipynb (kept as source so the notebook's cells are reviewable as code).

Run: ``.venv/bin/python notebooks/build_walkthrough.py``. The test suite executes the notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS = [
    new_markdown_cell(
        "# AdForge `ad_workflow`, step by step\n\n"
        "This notebook builds the guided ad workflow with the **offline** creative engine (no API "
        "key, no network), streams it to its first interrupt, answers every choice, renders the "
        "video with the offline storyboard renderer, and looks at the state and the checkpoint "
        "history stored in SQLite."
    ),
    new_code_cell(
        "import contextlib, sys, tempfile, textwrap\n"
        "from pathlib import Path\n"
        "\n"
        "ROOT = Path.cwd().parent if Path.cwd().name == 'notebooks' else Path.cwd()\n"
        "sys.path.insert(0, str(ROOT))\n"
        "\n"
        "from langgraph.types import Command\n"
        "from graph.context import Context\n"
        "from graph.models import OFFLINE_MODEL_SPEC\n"
        "from graph.workflow import build_workflow\n"
        "from server.core.persistence import open_checkpointer\n"
        "\n"
        "workdir = Path(tempfile.mkdtemp(prefix='adforge-notebook-'))\n"
        "stack = contextlib.AsyncExitStack()\n"
        "saver = await stack.enter_async_context(open_checkpointer(workdir / 'walkthrough.sqlite'))\n"
        "workflow = build_workflow().compile(checkpointer=saver)\n"
        "config = {'configurable': {'thread_id': 'notebook-1'}}\n"
        "context = Context(model=OFFLINE_MODEL_SPEC)\n"
        "print('model:', context.model)"
    ),
    new_markdown_cell(
        "## 1. Stream to the first interrupt\n\n"
        "`custom` events are the transient `status_update`s; `updates` are what each node wrote. "
        "The run stops at `choose_persona`, which is waiting for a selection."
    ),
    new_code_cell(
        "async def advance(payload):\n"
        "    pending = []\n"
        "    async for mode, chunk in workflow.astream(payload, config, context=context,\n"
        "                                             stream_mode=['custom', 'updates'], durability='sync'):\n"
        "        if mode == 'custom':\n"
        "            print('  status:', chunk['data']['label'])\n"
        "        elif '__interrupt__' in chunk:\n"
        "            pending.extend(chunk['__interrupt__'])\n"
        "        else:\n"
        "            print('  node finished:', ', '.join(chunk))\n"
        "    return pending\n"
        "\n"
        "[pick] = await advance({'product_id': '1', 'format': 'Hybrid Format', 'media_type': 'video'})\n"
        "print(pick.value['kind'], '->', pick.value['message'])\n"
        "state = (await workflow.aget_state(config)).values\n"
        "for p in state['personas']:\n"
        "    print(f\"{p['id']}  {p['name']:<32} {p['ageRange']:>6}  {p['label']}\")\n"
        "print('labelled offline:', state['generation']['personas'])"
    ),
    new_markdown_cell(
        "## 2. Answer every choice\n\n"
        "A selection is `Command(resume=...)` validated against the interrupt's response schema: "
        "an unknown id is rejected and the choice stays pending."
    ),
    new_code_cell(
        "from pydantic import ValidationError\n"
        "try:\n"
        "    await advance(Command(resume={'optionId': 'aud-42'}))\n"
        "except ValidationError as rejected:\n"
        "    print('rejected:', rejected.errors()[0]['msg'])\n"
        "print('still waiting at:', (await workflow.aget_state(config)).next)\n"
        "\n"
        "[pick] = await advance(Command(resume={'optionId': 'aud-1'}))\n"
        "state = (await workflow.aget_state(config)).values\n"
        "print('\\nimpact:', state['persona_impact'])\n"
        "for a in state['angles']:\n"
        "    print(f\"{a['id']}  {a['title']}  score {a['score']}  {a['metrics']}\")"
    ),
    new_code_cell(
        "[pick] = await advance(Command(resume={'optionId': 'ang-1'}))\n"
        "state = (await workflow.aget_state(config)).values\n"
        "for c in state['concepts']:\n"
        "    print(f\"{c['id']}  {c['title']:<18} {c['score']}  hook: {c['hook']}\")\n"
        "print('\\nfull script of psych-1:')\n"
        "print(textwrap.fill(state['concepts'][0]['fullScript'], 96))"
    ),
    new_markdown_cell(
        "## 3. The media job\n\n"
        "Choosing a script records a render request with an idempotent job id and waits at "
        "another interrupt. The server's worker pool would render it; here we call the offline "
        "storyboard renderer ourselves and resume with the outcome."
    ),
    new_code_cell(
        "[wait] = await advance(Command(resume={'optionId': 'psych-1', 'action': 'generate_video'}))\n"
        "job = wait.value['job']\n"
        "print(job['jobId'], job['kind'], job['resolution'], 'estimated', job['estimatedSeconds'], 's')\n"
        "\n"
        "from tools.media.storyboard import ScriptBeats, VideoSpec, render_storyboard_video\n"
        "beats = ScriptBeats(hook=job['script']['hook'], body=tuple(job['script']['body']),\n"
        "                    call_to_action=job['script']['cta'], product_name=job['productName'])\n"
        "video = render_storyboard_video(beats, VideoSpec(width=1080, height=1920, fps=12, seed=job['jobId']),\n"
        "                                workdir, job['jobId'])\n"
        "print('rendered', video.path.name, f'{video.width}x{video.height}', round(video.duration_s, 1), 's')"
    ),
    new_code_cell(
        "outcome = {'jobId': job['jobId'], 'status': 'completed', 'result': {\n"
        "    'kind': 'video', 'url': video.path.as_uri(), 'thumbnailUrl': video.thumbnail_path.as_uri(),\n"
        "    'duration': video.duration_s, 'format': 'mp4', 'resolution': f'{video.width}x{video.height}'}}\n"
        "assert await advance(Command(resume=outcome)) == []\n"
        "final = await workflow.aget_state(config)\n"
        "asset = final.values['asset']\n"
        "print('step:', final.values['step'], '| next:', final.next)\n"
        "print('asset', asset['id'], asset['kind'], asset['headline'])"
    ),
    new_markdown_cell(
        "## 4. Checkpoint history\n\n"
        "With `durability='sync'` every superstep is on disk before the next starts, which is what "
        "lets a crashed process resume without re-running completed steps."
    ),
    new_code_cell(
        "history = [s async for s in workflow.aget_state_history(config)]\n"
        "for snap in reversed(history):\n"
        "    meta = snap.metadata or {}\n"
        "    print(f\"step {meta.get('step'):>3}  {meta.get('source'):<6} next={list(snap.next)}\")\n"
        "print(len(history), 'checkpoints')\n"
        "await stack.aclose()"
    ),
]


def main() -> None:
    notebook = new_notebook(cells=CELLS)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, Path(__file__).with_name("walkthrough.ipynb"))


if __name__ == "__main__":
    main()
