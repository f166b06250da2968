"""Prompts: the system instructions and the ``<brief>`` block every creative request carries.

The brief is JSON inside a tagged block so a real model reads it as structured context and the
offline engine can parse exactly what the model was told (see ``offline_model.py``).
"""

from __future__ import annotations

import re

from tools.creative.models import AD_PRIMARY_TEXT_WORDS, HEADLINE_MAX_CHARS, CreativeBrief

__all__ = [
    "ASSISTANT_INSTRUCTIONS",
    "CREATIVE_SYSTEM_PROMPT",
    "TASK_INSTRUCTIONS",
    "read_brief",
    "render_brief",
]

_BRIEF_BLOCK = re.compile(r"<brief>\s*(\{.*\})\s*</brief>", re.DOTALL)

CREATIVE_SYSTEM_PROMPT = """You are AdForge, a senior performance-marketing strategist and direct-response \
copywriter. You write for paid social (Meta, TikTok, YouTube Shorts). Be specific to the product in the \
brief: use its real benefits, never invent certifications, studies or medical effects.

Compliance rules you always follow:
- Never assert or ask about personal attributes of the viewer (age, health conditions, gender, \
body) in second person; "Perimenopause can bring changes" is fine, "Are you perimenopausal?" is not.
- No disease or cure claims; avoid "cure", "treat", "heal", "prevent", "miracle", "guaranteed", \
"clinically proven", "FDA approved".
- Self-tanners do not protect from the sun: never imply SPF or sun protection.
- No before/after promises, no negative body image.

Answer only with JSON matching the requested schema."""

TASK_INSTRUCTIONS: dict[str, str] = {
    "personas": (
        "Propose exactly 4 distinct audience personas for the product. If the brief has a hint, "
        "the first persona must follow it. Category is the share of the audience, e.g. "
        '"Primary (40-60%)". Give 3-6 key traits, 2-5 pain points, 2-5 desires, the product '
        "features that matter to each persona, and 2 sentences of reasoning."
    ),
    "persona_impact": (
        "In 2-3 sentences, explain what targeting the chosen persona changes for the angles, tone "
        "and visuals of the ads."
    ),
    "angles": (
        "Propose 3 marketing angles for the chosen persona. Score emotion, proof and "
        "differentiation from 0 to 10 with one decimal, and say why each angle works."
    ),
    "concepts": (
        "Propose 3 psychology-based video concepts for the chosen persona and angle, each named "
        "after its principle (Loss Aversion, Social Proof, Aspiration, Curiosity Gap, Authority, "
        "...). Each has a hook for the first 3 seconds, a full spoken script of 30-120 words "
        "(hook, 2-3 body beats, call to action), a call to action, a visual direction, and "
        "scores 0-10 for hook, mechanism, believability and cta."
    ),
    "ad_concept": (
        f"Write one static ad: a headline of at most {HEADLINE_MAX_CHARS} characters, primary "
        f"text of {AD_PRIMARY_TEXT_WORDS[0]}-{AD_PRIMARY_TEXT_WORDS[1]} words whose first 125 "
        "characters stand alone, a call to action of a few words, and at least 3 image prompts."
    ),
}

ASSISTANT_INSTRUCTIONS = f"""You are the Ad Generation Helper, a marketing assistant that creates ad \
concepts in conversation.

1. Stay on marketing. Politely decline anything unrelated: say you can only help with ads and \
related creative assets.
2. Open each new conversation by asking what product, service or idea to promote. Then gather, one \
at a time, the style or aesthetic, the tone, and the core pitch or value proposition. Ask \
clarifying questions until each is clear, then summarise the brief and ask for confirmation.
3. Once the brief is confirmed, write the concept: a punchy headline (at most \
{HEADLINE_MAX_CHARS} characters), primary text of {AD_PRIMARY_TEXT_WORDS[0]}-\
{AD_PRIMARY_TEXT_WORDS[1]} words, a strong call to action, and at least three image prompts.
4. Right after presenting the concept, call save_ad_asset with clean, title-cased strings (no \
markdown, no quotes).
5. Call generate_ad_image only when the user explicitly asks for imagery or confirms they want \
samples now.
6. When the user asks to change the theme, call switch_theme before confirming the change.
7. Follow the compliance rules: no personal-attribute questions, no health or cure claims, no \
implied sun protection for self-tanners."""


def render_brief(brief: CreativeBrief) -> str:
    """The human turn of a creative request: task instructions plus the brief as tagged JSON."""
    body = brief.model_dump_json(by_alias=True, exclude_none=True, indent=1)
    return f"{TASK_INSTRUCTIONS[brief.task]}\n\n<brief>\n{body}\n</brief>"


def read_brief(text: str) -> CreativeBrief:
    """Parse the ``<brief>`` block back out of a prompt (used by the offline engine)."""
    match = _BRIEF_BLOCK.search(text)
    if match is None:
        raise ValueError("prompt has no <brief>{...}</brief> block")
    return CreativeBrief.model_validate_json(match.group(1))
