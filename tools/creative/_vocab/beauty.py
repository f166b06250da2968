"""General beauty and skincare vocabulary (anything cosmetic that is not self-tan).

Angles sell routine, texture and transparency; none promise to fix a flaw, which keeps them clear
of Meta's personal health and appearance rules.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["BEAUTY"]

BEAUTY = Vocabulary(
    key="beauty",
    markers=bars(
        "beauty|skincare|skin care|serum|moisturiser|moisturizer|cleanser|makeup|make-up"
        "|lipstick|mascara|cosmetic|cosmetics|perfume|haircare|shampoo|conditioner|nail|spa"
        "|face mask|toner|lip balm|cream|lotion|balm|skin|shea butter|body wash|soap|scrub"
    ),
    noun="skincare product",
    topic="skincare",
    action="find your routine",
    archetypes=(
        archetype(
            "Skincare Minimalists|28-45|*|major metros",
            "Have pared their routine back to a few products that earn their place, and want a "
            "{noun} that does one job well.",
            "edit-focused|quality over quantity|ingredient-aware|loyal",
            "A bathroom shelf full of half-used products|Routines with too many steps|Marketing "
            "that promises everything",
            "Fewer, better products|A routine that takes minutes|Visible care without complication",
            "lightweight|simple|hydrat|fast",
        ),
        archetype(
            "Ingredient-Savvy Enthusiasts|22-35|*|urban",
            "Research actives, watch creator reviews and compare labels before buying anything "
            "new.",
            "research-heavy|creator-influenced|early adopter|vocal online",
            "Vague ingredient claims|Formulas that feel heavy or sticky|Paying for packaging "
            "instead of formula",
            "Clear, named ingredients|Textures that layer well|Products worth recommending",
            "acid|ingredient|formula|fragrance",
        ),
        archetype(
            "Comfort-First Shoppers|25-50|*|nationwide",
            "Patch-test everything and avoid harsh fragrances; they will pay more for comfort and "
            "gentleness.",
            "careful|loyal once trusted|reads reviews|gentle-formula seekers",
            "Fragrances that feel harsh|Products that leave skin tight|Trial-and-error purchases "
            "that end up in a drawer",
            "Gentle, comfortable formulas|Short ingredient lists|Confidence before buying",
            "fragrance|gentle|hydrat|free",
        ),
        archetype(
            "Time-Poor Professionals|30-45|*|urban centres",
            "Start early, finish late, and want a {noun} that works in the two minutes they have.",
            "efficiency-driven|polished|values quality|mobile shoppers",
            "Mornings with no time for long routines|Products that need to dry before makeup|A "
            "tired look by the afternoon",
            "Two-minute routines|Looking put-together on camera|Products that layer under makeup",
            "fast|dry|lightweight",
        ),
        archetype(
            "Clean Beauty Converts|25-40|Female|suburban",
            "Switched to cleaner formulas and refillable packaging, and expect brands to show "
            "their work.",
            "values-led|label-reader|community-minded|eco-conscious",
            "Green claims with nothing behind them|Excess plastic packaging|Ingredients nobody "
            "can pronounce",
            "Transparent sourcing|Less packaging waste|Formulas that still perform",
            "plant|vegan|natural|recycl",
        ),
        archetype(
            "Thoughtful Gift Buyers|30-55|*|nationwide",
            "Shop for partners, friends and family, and want beauty gifts that feel personal and "
            "easy to give.",
            "generous|occasion-driven|design-sensitive|plans ahead",
            "Generic gift sets nobody uses|Guessing at shades and preferences|Last-minute "
            "shopping stress",
            "A gift that feels considered|Something anyone can use|Beautiful packaging",
            "light|gift|design",
        ),
    ),
    angles=(
        angle(
            "Fewer Steps, Better Routine",
            "Promise an edit, not an addition: {short} replaces a step for {persona} with "
            "{feature}, so the routine gets shorter, not longer.",
            "Minimalism motivates more than novelty on a crowded shelf. It also makes the "
            "product easy to try.",
            (8.4, 8.3, 8.9),
        ),
        angle(
            "Ingredients Out Loud",
            "Lead with what is in the bottle: {feature} and {feature2}, named plainly for "
            "{persona} who are done with {pain}.",
            "Specific ingredients read as honesty. That earns trust with an audience that "
            "checks labels.",
            (7.9, 9.2, 8.7),
        ),
        angle(
            "The Texture Moment",
            "Open on the texture, the pour and the finish, and let the sensory detail of "
            "{short} sell the experience before a word of copy.",
            "Sensory close-ups stop the scroll in beauty feeds. They show quality instead of "
            "claiming it.",
            (9.0, 7.8, 8.6),
        ),
        angle(
            "Your Routine, Upgraded",
            "Position {short} as the small upgrade that makes the whole routine feel better, "
            "answering the wish for {desire} without a new regime.",
            "Upgrades feel low-risk compared with switching routines. The framing suits "
            "{persona}, who guard their time.",
            (8.6, 8.0, 8.1),
        ),
        angle(
            "Quiet Confidence",
            "Sell how it feels to have {outcome}: subtle, personal and part of the day, never "
            "about fixing a flaw.",
            "Positive framing stays clear of negative self-perception rules. It builds a "
            "feeling people want to return to.",
            (9.1, 7.5, 8.3),
        ),
    ),
    outcomes=bars(
        "skin that feels comfortable all day|a fresh, put-together look|a routine that feels "
        "like time for yourself"
    ),
    moments=bars(
        "a slow Sunday morning|the five minutes before leaving the house|the evening wind-down"
    ),
    tips=bars("apply to slightly damp skin so a little product spreads further"),
    ctas=bars("Shop Now|Discover More|Find Your Routine"),
    style="minimal, light-filled beauty editorial",
    scenes=Scenes(
        hero="the {noun} on a frosted glass shelf with soft window light",
        lifestyle="{someone} applying a light {noun} at a bathroom mirror in morning light",
        detail="a macro swatch of the {noun} texture on a clean glass surface",
        flatlay="the {noun} with a folded cotton towel, a smooth stone and fresh eucalyptus",
        palette="blush, ivory and soft grey",
    ),
    benefit="a comfortable, simple routine",
    proof="a few uses",
)
