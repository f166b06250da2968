"""The offline creative engine: valid, product-specific, hint-steered, compliant, deterministic."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from random import Random
from typing import Any

import pytest

from tools.catalog import DEMO_PRODUCTS
from tools.copy_checks import compliance_issues
from tools.creative.engine import (
    OFFLINE_MODEL_NAME,
    generate,
    write_ad_concept,
    write_angles,
    write_concepts,
    write_persona_impact,
    write_personas,
)
from tools.creative.models import (
    AdConceptDraft,
    AngleSet,
    ConceptSet,
    CreativeBrief,
    PersonaImpact,
    PersonaSet,
    ProductInfo,
    angle_to_wire,
    persona_to_wire,
    word_count,
)

TYPED = (
    ProductInfo(
        name="Sunrise Bakery",
        description="Artisan sourdough bakery in Portland, fresh bread baked daily, organic flour.",
    ),
    ProductInfo(name="PetPal GPS Collar", description="Helps dog owners track their pets live."),
    ProductInfo(name="Glowy"),
)
PRODUCTS = (*DEMO_PRODUCTS, *TYPED)
HINTS = (None, "I want to target women experiencing menopause", "runners over 40")
ROOT = Path(__file__).resolve().parents[1]


def _id(product: ProductInfo) -> str:
    return product.name.split()[0]


def brief(product: ProductInfo, task: str = "personas", **fields: Any) -> CreativeBrief:
    return CreativeBrief(task=task, product=product, **fields)


def all_outputs(product: ProductInfo, hint: str | None = None) -> dict[str, Any]:
    """Every task for one product, chained the way the graph chains them."""
    personas = write_personas(brief(product, hint=hint))
    persona = persona_to_wire(personas.personas[0], 0)
    angles = write_angles(brief(product, "angles", hint=hint, persona=persona))
    angle = angle_to_wire(angles.angles[0], 0)
    return {
        "personas": personas,
        "persona_impact": write_persona_impact(brief(product, "persona_impact", persona=persona)),
        "angles": angles,
        "concepts": write_concepts(brief(product, "concepts", persona=persona, angle=angle)),
        "ad_concept": write_ad_concept(
            brief(product, "ad_concept", style="minimal pastel", tone="playful", pitch="easy")
        ),
    }


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_every_task_validates_against_its_model(product: ProductInfo) -> None:
    outputs = all_outputs(product)
    expected = {
        "personas": PersonaSet,
        "persona_impact": PersonaImpact,
        "angles": AngleSet,
        "concepts": ConceptSet,
        "ad_concept": AdConceptDraft,
    }
    for task, draft in outputs.items():
        assert type(draft) is expected[task]
        assert type(draft).model_validate(draft.model_dump()) == draft
    assert len(outputs["personas"].personas) == 4
    assert len(outputs["angles"].angles) == 3
    assert len(outputs["concepts"].concepts) == 3
    assert 3 <= len(outputs["ad_concept"].image_prompts) <= 4


@pytest.mark.parametrize("product", PRODUCTS[:5], ids=_id)
def test_generate_dispatches_on_the_task(product: ProductInfo) -> None:
    assert generate(brief(product)) == write_personas(brief(product))
    assert generate(brief(product, "angles")) == write_angles(brief(product, "angles"))
    assert generate(brief(product, "concepts")) == write_concepts(brief(product, "concepts"))
    assert isinstance(generate(brief(product, "persona_impact")), PersonaImpact)
    assert isinstance(generate(brief(product, "ad_concept")), AdConceptDraft)
    assert OFFLINE_MODEL_NAME == "adforge-creative-1"


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_same_brief_same_output(product: ProductInfo) -> None:
    first = {k: v.model_dump() for k, v in all_outputs(product, HINTS[1]).items()}
    second = {k: v.model_dump() for k, v in all_outputs(product, HINTS[1]).items()}
    assert first == second


def test_output_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import json; from tools.catalog import DEMO_PRODUCTS; "
        "from tools.creative.engine import generate; from tools.creative.models import CreativeBrief; "
        "print(json.dumps([generate(CreativeBrief(task=t, product=p, hint='runners over 40'))"
        ".model_dump() for p in DEMO_PRODUCTS for t in ('personas', 'angles', 'concepts', "
        "'ad_concept')], sort_keys=True))"
    )
    runs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        runs.append(json.loads(done.stdout))
    assert runs[0] == runs[1]


def test_different_products_get_different_personas_angles_and_scripts() -> None:
    names, titles, hooks = [], [], []
    for product in DEMO_PRODUCTS:
        outputs = all_outputs(product)
        names.append(frozenset(p.name for p in outputs["personas"].personas))
        titles.append(frozenset(a.title for a in outputs["angles"].angles))
        hooks.append(frozenset(c.hook for c in outputs["concepts"].concepts))
    for group in (names, titles, hooks):
        for i, left in enumerate(group):
            for right in group[i + 1 :]:
                assert not left & right, (left, right)


@pytest.mark.parametrize("product", DEMO_PRODUCTS, ids=_id)
def test_copy_uses_the_products_own_words(product: ProductInfo) -> None:
    outputs = all_outputs(product)
    text = " ".join(strings({k: v.model_dump() for k, v in outputs.items()})).lower()
    short = product.name.split()[0].lower()
    assert short in text
    assert any(b.lower() in text for b in product.benefits)
    for persona in outputs["personas"].personas:
        assert persona.features and set(persona.features) <= set(product.benefits)


def test_a_menopause_hint_steers_the_first_persona() -> None:
    plain = write_personas(brief(DEMO_PRODUCTS[0]))
    steered = write_personas(brief(DEMO_PRODUCTS[0], hint=HINTS[1]))
    first = steered.personas[0]
    assert "menopause" in first.name.lower()
    assert first.gender == "Female"
    low, high = (int(x) for x in re.findall(r"\d{2}", first.age_range))
    assert 40 <= low and high <= 65
    assert first.category.startswith("Primary")
    assert [p.name for p in plain.personas] != [p.name for p in steered.personas]
    assert "menopause" in steered.reasoning[0].lower()


@pytest.mark.parametrize(
    ("hint", "name", "age", "gender"),
    [
        ("runners over 40", "Runners Over 40", "40+", None),
        ("men in their 30s who cycle to work", None, "30-39", "Male"),
        ("Gen Z students", "Gen Z Students", "18-27", None),
        ("I'd like to target new moms", "New Moms", "25-40", "Female"),
    ],
)
def test_hints_set_name_age_and_gender(
    hint: str, name: str | None, age: str, gender: str | None
) -> None:
    first = write_personas(brief(DEMO_PRODUCTS[3], hint=hint)).personas[0]
    if name:
        assert first.name == name
    assert first.age_range == age
    if gender:
        assert first.gender == gender


def test_a_question_shaped_hint_still_steers_but_is_never_quoted() -> None:
    personas = write_personas(brief(DEMO_PRODUCTS[1], hint="Are you perimenopausal? target them"))
    assert personas.personas[0].name == "Women in Perimenopause"
    assert all(not compliance_issues(t) for t in strings(personas.model_dump()))


@pytest.mark.parametrize("hint", HINTS)
@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_generated_copy_has_no_compliance_issues(product: ProductInfo, hint: str | None) -> None:
    outputs = all_outputs(product, hint)
    for task, draft in outputs.items():
        for text in strings(draft.model_dump()):
            assert compliance_issues(text, product_category=product.category) == [], (task, text)


def test_a_banned_claim_in_the_product_data_never_reaches_the_copy() -> None:
    product = ProductInfo(
        name="Acme Miracle Cream",
        description="Cures acne guaranteed. A rich night cream with shea butter and SPF 30.",
    )
    for draft in all_outputs(product, "Are you perimenopausal?").values():
        for text in strings(draft.model_dump()):
            assert compliance_issues(text) == [], text


@pytest.mark.parametrize(
    "bad",
    [
        "Are you perimenopausal?",
        "Cures acne guaranteed",
        "Tan safely with built-in sun protection",
        "Struggling with bloating?",
        "Clinically proven and FDA approved.",
        "Your menopause symptoms, handled.",
        "Fights yeast infections naturally.",
        "A miracle glow with SPF 15.",
    ],
)
def test_compliance_issues_flags_known_bad_copy(bad: str) -> None:
    assert compliance_issues(bad)


@pytest.mark.parametrize(
    "good",
    [
        "Perimenopause can bring changes. Flora Balance is designed to fit your routine.",
        "This product does not contain a sunscreen and does not protect against sunburn.",
        "Treat yourself to fresh bread on Saturday.",
        "Are you ready for a smoother morning?",
        "Made for every stage.",
    ],
)
def test_compliance_issues_passes_compliant_copy(good: str) -> None:
    assert compliance_issues(good) == []


def test_only_a_sunscreen_may_talk_about_spf() -> None:
    assert compliance_issues("Broad-spectrum SPF 50 for daily wear.")
    assert not compliance_issues("Broad-spectrum SPF 50.", product_category="Sunscreen")


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_scores_are_plausible_one_decimal_and_varied(product: ProductInfo) -> None:
    outputs = all_outputs(product)
    scores = [v for a in outputs["angles"].angles for v in a.metrics.model_dump().values()]
    scores += [v for c in outputs["concepts"].concepts for v in c.metrics.model_dump().values()]
    assert all(5.5 <= s <= 9.8 and round(s, 1) == s for s in scores)
    assert len(set(scores)) >= 5
    angle_scores = [a.score for a in outputs["angles"].angles]
    assert angle_scores == sorted(angle_scores, reverse=True)


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_scripts_run_hook_to_cta_in_15_to_30_seconds(product: ProductInfo) -> None:
    concepts = all_outputs(product)["concepts"].concepts
    assert len({c.title for c in concepts}) == 3
    for concept in concepts:
        assert 30 <= word_count(concept.full_script) <= 120
        assert concept.full_script.startswith(concept.hook)
        assert concept.full_script.rstrip(".").endswith(concept.call_to_action)
        assert "?" not in concept.hook


def test_concepts_follow_the_chosen_persona_and_angle() -> None:
    product = DEMO_PRODUCTS[2]
    personas = write_personas(brief(product)).personas
    angles = write_angles(brief(product, "angles", persona=persona_to_wire(personas[1], 1)))
    angle = angle_to_wire(angles.angles[1], 1)
    concepts = write_concepts(
        brief(product, "concepts", persona=persona_to_wire(personas[1], 1), angle=angle)
    )
    title = angles.angles[1].title
    assert all(title in c.description for c in concepts.concepts)
    assert all(personas[1].name.lower() in c.description.lower() for c in concepts.concepts)
    other = write_angles(brief(product, "angles", persona=persona_to_wire(personas[2], 2)))
    assert other.model_dump() != angles.model_dump()


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_reasoning_is_two_sentences(product: ProductInfo) -> None:
    outputs = all_outputs(product)
    for key in ("personas", "angles", "concepts"):
        reasoning = outputs[key].reasoning
        assert len(reasoning) == 2 and all(r.endswith(".") for r in reasoning)


def test_persona_impact_names_the_persona_and_its_pain() -> None:
    persona = persona_to_wire(write_personas(brief(DEMO_PRODUCTS[4])).personas[0], 0)
    impact = write_persona_impact(brief(DEMO_PRODUCTS[4], "persona_impact", persona=persona))
    assert persona["name"] in impact.explanation
    assert persona["painPoints"][0].lower() in impact.explanation.lower()


def test_persona_impact_accepts_a_sparse_guide_persona() -> None:
    persona = {"id": "aud-1", "name": "Women Perimenopausal", "age": "45-65", "gender": "Female"}
    impact = write_persona_impact(brief(DEMO_PRODUCTS[0], "persona_impact", persona=persona))
    assert "Women Perimenopausal (45-65)" in impact.explanation


@pytest.mark.parametrize("product", PRODUCTS, ids=_id)
def test_ad_concept_fits_the_placement_limits(product: ProductInfo) -> None:
    for tone in ("playful", "bold", "warm", "luxurious", "calm", "professional", "zany"):
        draft = write_ad_concept(brief(product, "ad_concept", tone=tone, pitch="easy mornings"))
        assert len(draft.headline) <= 40
        assert 45 <= word_count(draft.primary_text) <= 80
        assert len(draft.primary_text.split(".")[0]) <= 125


def test_ad_concept_uses_style_tone_and_pitch() -> None:
    product = DEMO_PRODUCTS[2]
    playful = write_ad_concept(
        brief(
            product, "ad_concept", style="retro diner", tone="playful", pitch="café taste at home"
        )
    )
    calm = write_ad_concept(brief(product, "ad_concept", style="retro diner", tone="calm"))
    assert "café taste at home" in playful.primary_text
    assert all("retro diner" in p for p in playful.image_prompts)
    assert playful.primary_text != calm.primary_text


def test_revisions_change_what_they_ask_for() -> None:
    product = DEMO_PRODUCTS[3]
    base = brief(product, "ad_concept", tone="playful", pitch="grip on every descent")
    original = write_ad_concept(base)
    shorter = write_ad_concept(base.model_copy(update={"revision": "shorter headline"}))
    assert len(shorter.headline) < len(original.headline)
    assert shorter.primary_text == original.primary_text
    bold = write_ad_concept(base.model_copy(update={"revision": "make it more bold"}))
    assert bold.primary_text != original.primary_text
    priced = write_ad_concept(base.model_copy(update={"revision": "mention the price"}))
    assert "$139" in priced.primary_text
    tighter = write_ad_concept(base.model_copy(update={"revision": "make the copy shorter"}))
    assert word_count(tighter.primary_text) <= word_count(original.primary_text)


def test_unusual_products_still_validate() -> None:
    odd = (
        ProductInfo(name="X" * 200, description="word " * 300),
        ProductInfo(name="Tidy Inbox", description="An email app.", category="Software"),
        ProductInfo(name="Nordic Wool Socks", description="Merino hiking socks.", price="NOK 199"),
    )
    for product in odd:
        for draft in all_outputs(product, "dog owners under 35").values():
            assert type(draft).model_validate(draft.model_dump()) == draft


WORDS = (
    "serum shoe app coffee bakery candle yoga vitamin probiotic tan glow socks tea chocolate wool "
    "organic vegan recycled 18 hours 3-5 days 250 g per pair with and for freelancers women men "
    "runners lightweight daily premium natural cream cures guaranteed miracle SPF sunscreen"
).split()


@pytest.mark.parametrize("seed", range(4))
def test_random_products_always_validate_and_stay_compliant(seed: int) -> None:
    rng = Random(seed)
    for _ in range(12):
        product = ProductInfo(
            name=" ".join(rng.choice(WORDS).title() for _ in range(rng.randint(1, 4))),
            description=". ".join(
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
                for _ in range(rng.randint(0, 3))
            ),
            category=rng.choice(["", "Beauty", "Health / Supplements", "Sportswear", "Home"]),
            benefits=[
                rng.choice(WORDS) + " " + rng.choice(WORDS) for _ in range(rng.randint(0, 3))
            ],
            price=rng.choice([None, "$20", "€15"]),
        )
        hint = rng.choice([None, "women over 50", "are you pregnant?", "x", "busy dads"])
        for draft in all_outputs(product, hint).values():
            for text in strings(draft.model_dump()):
                assert compliance_issues(text, product_category=product.category) == [], text
