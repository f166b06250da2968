"""Sportswear and active-gear vocabulary.

``{activity}`` is the sport found in the product's text ("trail running", "yoga"), so the same
personas read right for a trail shoe and a yoga mat. Spec numbers (grams, millimetres) are this
category's proof, so the weight angle only appears when the product states a weight.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["ACTIVITIES", "SPORTSWEAR"]

ACTIVITIES = bars(
    "trail running|running|hiking|yoga|pilates|cycling|climbing|bouldering|strength training"
    "|training|gym|tennis|padel|golf|swimming|football|soccer|basketball|skiing|surfing"
    "|crossfit|walking"
)

SPORTSWEAR = Vocabulary(
    key="sportswear",
    markers=bars(
        "sportswear|shoe|shoes|sneaker|sneakers|running|runner|runners|trail|athletic|apparel"
        "|leggings|activewear|gym|fitness|yoga|cycling|hiking|boots|jersey|workout|sports"
        "|training|climbing"
    ),
    noun="performance gear",
    topic="training gear",
    action="find your fit",
    archetypes=(
        archetype(
            "Weekend {Activity} Regulars|28-45|*|outdoor-access suburbs",
            "Fit {activity} around work and family, and spend Saturday mornings chasing longer "
            "outings.",
            "committed|community-minded|gear-curious|plans weekends around sport",
            "Gear that feels heavy by the last hour|Sore feet after longer sessions|Kit that "
            "wears out after one season",
            "Comfort that lasts the whole session|Confidence on varied ground|Gear that keeps up "
            "with bigger plans",
            "light|g|plate|lug|comfort",
        ),
        archetype(
            "Masters Athletes|40-60|*|nationwide",
            "Still training seriously after 40, and choose gear for protection and support as "
            "much as for speed.",
            "experienced|disciplined|research-driven|brand-loyal when earned",
            "Aches that linger after hard sessions|Gear designed for twenty-somethings|Having "
            "to slow down on technical ground",
            "Protection without extra weight|Training consistency week after week|Gear that "
            "respects experience",
            "plate|protect|cushion|support",
        ),
        archetype(
            "Sustainability-Minded Athletes|25-40|*|urban",
            "Care about what their kit is made of and want performance without the "
            "environmental guilt.",
            "values-led|reads materials lists|repairs before replacing|community advocate",
            "Performance gear built from virgin plastics|Short product lifespans|Vague "
            "sustainability claims",
            "Recycled or lower-impact materials|Gear that lasts|Brands that publish specifics",
            "recycl|durable|material",
        ),
        archetype(
            "Race-Day Competitors|24-40|*|major metros",
            "Chase personal bests, read spec sheets and count grams.",
            "goal-driven|data-obsessed|early adopter|competitive",
            "Extra weight they can feel in the last kilometres|Slipping on loose or wet "
            "ground|Gear that lets them down on race day",
            "Every gram saved|Grip they can trust at speed|A spec sheet that backs up the "
            "marketing",
            "g|lug|light|grip",
        ),
        archetype(
            "Beginner Movers|22-40|*|suburban",
            "New to {activity} and building a habit; they want gear that makes the first months "
            "comfortable and confidence-building.",
            "motivated|budget-aware|advice-seeking|social learner",
            "Not knowing which gear actually matters|Blisters and discomfort that kill "
            "motivation|Feeling out of place at the start",
            "Comfort from the first session|Simple advice on what to buy|Gear that grows with them",
            "comfort|light|easy",
        ),
        archetype(
            "Gear-Obsessed Reviewers|25-45|*|online-first",
            "Compare specs, watch long reviews and post their own; their opinion travels far in "
            "{activity} communities.",
            "detail-oriented|vocal online|early access seeker|skeptical of hype",
            "Marketing fluff with no numbers|Gear that does not match its spec sheet|Small "
            "updates sold as revolutions",
            "Hard numbers and honest trade-offs|Details worth geeking out over|Early access to "
            "new gear",
            "g|mm|plate|lug|recycl",
        ),
    ),
    angles=(
        angle(
            "Lighter Every Mile",
            "Lead with the weight: {weight} on a scale next to the usual option, so {persona} "
            "feel the difference before they lace up.",
            "A number on a scale is proof nobody can argue with. Weight is the spec {persona} "
            "feel most in the last hour.",
            (8.4, 9.3, 8.8),
            "@weight",
        ),
        angle(
            "Built for the Technical Stuff",
            "Show {short} on the terrain that worries people: {feature} and {feature2} doing the "
            "work, so {persona} can focus on the line, not their feet.",
            "Demonstrating capability where it matters most builds trust fast. It separates "
            "{short} from gear sold on looks.",
            (8.9, 8.7, 8.8),
        ),
        angle(
            "Performance Without the Waste",
            "Pair performance with material honesty: {feature}, with the specifics published, "
            "for {persona} who are done with {pain}.",
            "Specific material facts beat vague green language. They give values-led buyers a "
            "reason to switch.",
            (8.3, 8.5, 9.1),
            "recycl|renewable|bio-based|organic|sustainab",
        ),
        angle(
            "Longer Days, Happier Feet",
            "Sell the long day out: comfort that holds up in hour four, so {persona} stop "
            "putting up with {pain}.",
            "Comfort late in the day is the benefit people remember. It turns a spec into a "
            "feeling.",
            (9.0, 7.8, 8.2),
        ),
        angle(
            "From First Session to Finish Line",
            "Make {short} the gear that grows with {persona}: comfortable from the first "
            "session, capable when the plans get bigger.",
            "Progress is the core emotion of sport. Matching gear to the journey widens the "
            "audience without losing credibility.",
            (8.6, 7.7, 8.0),
        ),
    ),
    outcomes=bars(
        "more confident footing on every outing|comfort that lasts the whole session|gear that "
        "keeps up with bigger goals"
    ),
    moments=bars(
        "an early Saturday {activity} session|the last hour of a long day out|race morning"
    ),
    tips=bars("break new gear in over two or three shorter sessions before your longest outing"),
    ctas=bars("Shop Now|Find Your Fit|Gear Up"),
    style="dynamic outdoor action photography",
    scenes=Scenes(
        hero="{short} on a textured rock surface in crisp early-morning light",
        lifestyle="{someone} mid-stride during {activity}, golden-hour light, natural motion blur",
        detail="a close-up of the {noun} construction and materials in sharp focus",
        flatlay="{short} laid out with a water bottle, a sports watch and a folded map",
        palette="forest green, slate and burnt orange",
    ),
    benefit="comfort that lasts",
    proof="every session",
)
