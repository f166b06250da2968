"""Supplement vocabulary.

The FTC expects randomized human trials behind health claims, so these angles sell habit,
format and label transparency (things a product page can show) and never an outcome. The midlife
persona is described in the third person, the way Meta's personal-attributes rule allows.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["SUPPLEMENT"]

SUPPLEMENT = Vocabulary(
    key="supplement",
    markers=bars(
        "probiotic|probiotics|supplement|supplements|vitamin|vitamins|capsule|capsules|gummies"
        "|collagen|protein powder|magnesium|omega|wellness|health|nutrition|prebiotic"
        "|multivitamin|microbiome"
    ),
    noun="daily supplement",
    topic="daily supplements",
    action="start your routine",
    archetypes=(
        archetype(
            "Routine-Driven Wellness Planners|28-45|*|urban and suburban",
            "Build their day around small, consistent habits and want a {noun} that is simple to "
            "take and honest about what it does.",
            "habit-builder|label-reader|organised|long-term thinker",
            "A crowded supplement shelf with no clear routine|Formulas that need refrigeration "
            "or extra fuss|Vague labels that never name what is inside",
            "One simple daily habit|Transparent, named ingredients|A format that travels well",
            "daily|capsule|strain|shelf|vegan",
        ),
        archetype(
            "Midlife Wellness Rethinkers|45-60|Female|nationwide",
            "Navigating perimenopause and menopause and rethinking routines that no longer fit, "
            "with an eye on long-term wellbeing.",
            "evidence-seeking|long-term wellbeing focus|brand-skeptical|values straight talk",
            "Routines that stopped fitting this stage of life|Skepticism after products that "
            "overpromised|Ingredient lists that are hard to decode",
            "A routine built for this stage of life|Straight talk about what a product does and "
            "does not do|Quality ingredients from a brand that explains itself",
            "strain|daily|quality",
        ),
        archetype(
            "Busy Working Moms|30-45|Female|suburban",
            "Keep a whole household running and need their own routine to take seconds, not "
            "research.",
            "time-starved|practical|value-conscious|mobile-first",
            "No time to research supplements|Routines that fall apart on hectic mornings|A "
            "budget stretched across the whole family",
            "Something that sits beside the morning coffee|Fewer decisions in the day|Fair "
            "value per day",
            "one|day|daily|shelf",
        ),
        archetype(
            "Plant-Based Label Readers|22-38|*|major metros",
            "Check every label for animal-derived ingredients and fillers, and reward brands that "
            "are specific.",
            "values-led|research-heavy|community-minded|vocal online",
            "Hidden animal-derived ingredients in capsules|Green claims with nothing behind "
            "them|Fillers with no purpose",
            "A fully vegan formula|A short, readable label|A brand with clear sourcing",
            "vegan|strain|lactobacillus",
        ),
        archetype(
            "Frequent Travelers|27-45|*|major airport hubs",
            "Spend weeks on the road each year and want routines that survive hotel rooms and "
            "time zones.",
            "on-the-go|organised|premium-leaning|minimal packer",
            "Routines that fall apart on the road|Supplements that need a fridge|Bulky bottles "
            "in a carry-on",
            "Shelf-stable capsules that travel|A steady routine across time zones|Compact, "
            "fuss-free packaging",
            "shelf|refrigeration|vegan",
        ),
        archetype(
            "Active Lifestyle Regulars|25-40|*|urban",
            "Train several times a week and think about nutrition as part of how they feel day "
            "to day.",
            "fitness-focused|data-driven|community-oriented|early adopter",
            "Routines built around training but not the rest of the day|Supplement stacks that "
            "feel excessive|Hype-heavy marketing",
            "A simple base for the rest of the routine|Something that fits training and rest "
            "days|Clear, specific ingredient information",
            "daily|strain|one",
        ),
    ),
    angles=(
        angle(
            "Consistency Over Quick Fixes",
            "Skip the hype and sell the habit: {feature}, taken as part of a routine {persona} "
            "can actually keep.",
            "Habit framing is credible because it promises a routine, not a result. It fits "
            "{persona}, who want {desire}.",
            (8.4, 8.9, 8.3),
        ),
        angle(
            "Named Strains, Nothing Hidden",
            "Put the label up front: {feature} and {feature2}, explained in plain words for "
            "{persona} who are done with {pain}.",
            "Specificity reads as honesty in a category full of vague promises. It earns trust "
            "before asking for the sale.",
            (8.0, 9.3, 8.9),
            "strain|lactobacillus|bifido|ingredient",
        ),
        angle(
            "Fits Beside the Morning Coffee",
            "Show {short} slotting into a moment that already exists, the first coffee of the "
            "day, so the routine costs {persona} no extra effort.",
            "Attaching a new habit to an old one is the most believable promise a supplement "
            "can make. It is easy to picture and easy to start.",
            (8.6, 8.2, 8.7),
        ),
        angle(
            "No Fridge, No Fuss",
            "Make the format the hero: {feature}, at home, at work or in a carry-on, for "
            "{persona} whose days rarely stay in one place.",
            "A practical difference is easy to prove on camera. It separates {short} from "
            "formulas that need refrigeration.",
            (7.9, 8.9, 9.0),
            "shelf|refrigerat",
        ),
        angle(
            "Made for Every Stage",
            "Speak to life stages without labelling anyone: a routine designed to fit changing "
            "needs, with {feature} and nothing to decode.",
            "Inclusive framing widens reach and stays within personal-attribute rules. It "
            "respects an audience tired of being talked down to.",
            (8.8, 7.9, 8.6),
        ),
    ),
    outcomes=bars(
        "a simple daily routine that sticks|one less thing to think about|a routine that feels manageable"
    ),
    moments=bars("the first coffee of the morning|the morning of a work trip|a Monday reset"),
    tips=bars(
        "take it at the same time each day, next to something you already do, like your first "
        "glass of water"
    ),
    ctas=bars("Shop Now|Start Your Routine|Learn More"),
    style="clean, airy wellness lifestyle",
    scenes=Scenes(
        hero="the {short} bottle on a sunlit kitchen counter beside a glass of water",
        lifestyle="{someone} taking a capsule with a glass of water at a bright kitchen counter",
        detail="a few capsules in a small ceramic dish, soft morning shadows",
        flatlay="the bottle with a water glass, a paper planner and a sprig of eucalyptus",
        palette="sage green, cream and soft white",
    ),
    benefit="a simple daily routine",
    proof="one capsule a day",
)
