"""Self-tan vocabulary.

Self-tanners are cosmetics without sunscreen (FDA 21 CFR 740.19), so nothing here mentions sun
protection, and the angles stay positive: no "fix pale skin" framing, which trips Meta's
negative self-perception review.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["SELF_TAN"]

SELF_TAN = Vocabulary(
    key="selftan",
    markers=bars(
        "self-tan|self-tanning|self-tanner|tan|tanning|tanner|autobronzant|bronzer|bronzing|dha"
        "|sunless|gradual tan"
    ),
    noun="self-tanning serum",
    topic="self-tan",
    action="start your glow",
    archetypes=(
        archetype(
            "Year-Round Glow Seekers|25-40|Female|major metros",
            "Want a healthy-looking glow outside summer without sunbathing or salon visits, and "
            "choose beauty products from creator recommendations and ingredient lists.",
            "glow-focused|trend-aware|ingredient-curious|routine-driven",
            "A washed-out look in the winter months|Salon spray tans that cost too much to keep "
            "up|Tanners that turn patchy within days",
            "A believable glow all year|A routine that slots into evening skincare|Colour that "
            "fades evenly",
            "glow|natural|buildable|hydrat",
        ),
        archetype(
            "Self-Tan First-Timers|18-29|Female|nationwide",
            "Curious about self-tan but put off by stories of streaks and orange palms; they want "
            "a {noun} that is hard to get wrong.",
            "cautious|tutorial-watching|budget-aware|social-first",
            "Fear of orange streaks before a big event|Confusing mitts, mousses and wash-off "
            "times|A biscuit smell that lingers on the sheets",
            "A foolproof first application|A subtle, buildable result|Clear how-to guidance",
            "streak|buildable|orange|fragrance|smell",
        ),
        archetype(
            "Time-Poor Professionals|30-45|Female|urban centres",
            "Juggle long workdays and want to look rested on video calls and at events without "
            "adding steps to an already tight routine.",
            "efficiency-driven|polished|loyal once convinced|values quality",
            "No time for salon appointments|Formulas that take ages to dry before getting "
            "dressed|A dull, tired-looking complexion by Friday",
            "A routine that takes two minutes|Looking fresh on camera and in meetings|No "
            "transfer onto clothes",
            "fast|drying|face|lightweight",
        ),
        archetype(
            "Skincare-First Minimalists|35-55|Female|suburban",
            "Gave up sunbathing years ago for the sake of their skin but miss having colour; they "
            "judge every product by how skin feels the next morning.",
            "ingredient-literate|skin-comfort focused|skeptical of hype|repeat buyer",
            "Tanners that leave skin dry or tight|Heavy fragrances that feel harsh|Uneven colour "
            "on the face",
            "Skincare feel with a tan result|Hydrated, comfortable skin|Colour without hours in "
            "the sun",
            "hyaluronic|hydrat|fragrance|face",
        ),
        archetype(
            "Holiday and Event Planners|22-35|Female|coastal cities",
            "Plan their glow around weddings, trips and big nights out, and shop a few days "
            "ahead of the date.",
            "plans ahead|photo-conscious|social|occasion-driven",
            "Last-minute tans that look streaky in photos|Colour that fades patchily "
            "mid-trip|Transfer onto light outfits",
            "Photo-ready colour by the big day|An even fade|Confidence in every picture",
            "days|glow|streak|natural",
        ),
        archetype(
            "Low-Fuss Grooming Men|25-45|Male|major metros",
            "Want to look healthier and less tired without looking tanned, and skip anything that "
            "feels complicated or heavily perfumed.",
            "low-maintenance|discreet|practical|results-focused",
            "Products marketed only to women|Fear of an obvious fake-tan look|Greasy, "
            "slow-drying textures",
            "Subtle colour nobody clocks as product|One-step, no-fuss use|A lightweight, "
            "quick-absorbing feel",
            "lightweight|fast|natural|fragrance",
        ),
    ),
    angles=(
        angle(
            "Glow Without the Guesswork",
            "A gradual {noun} that builds colour over {duration}, so {persona} can stop putting up "
            "with {pain} and decide exactly how deep the glow goes.",
            "Gradual build turns the biggest fear in self-tan, getting it wrong, into control. "
            "It speaks straight to {persona}, who want {desire}.",
            (9.1, 8.4, 8.8),
        ),
        angle(
            "Skincare That Happens to Tan",
            "Position {short} as a skincare step first: {feature} in a lightweight formula, "
            "with a natural-looking glow as the visible bonus.",
            "Framing the glow as skincare lowers the risk people feel in trying self-tan. It "
            "also stands apart from mousses sold purely on colour.",
            (8.3, 8.6, 9.2),
        ),
        angle(
            "No More Orange Moments",
            "Name the orange cast and streaks everyone has seen, then show the even, natural "
            "undertone of {short} build from one application to the next.",
            "Calling out a shared bad memory earns instant recognition. Showing the even result "
            "supplies the proof the promise needs.",
            (9.3, 8.0, 8.5),
        ),
        angle(
            "Holiday Colour, Any Month",
            "Sell the feeling of coming back from a trip, on an ordinary Tuesday: {outcome} from "
            "{short}, built at home over {duration}.",
            "Aspiration converts when the reward is concrete and close. The at-home routine "
            "makes it feel attainable for {persona}.",
            (9.0, 7.6, 8.2),
        ),
        angle(
            "Two Minutes, Then Get Dressed",
            "Lead with speed: {feature}, no waiting around in a towel, and {short} fits the "
            "evening routine {persona} already have.",
            "Time is the hidden cost of self-tan. Removing it answers the objection before it "
            "is raised.",
            (8.2, 8.8, 8.4),
            "fast|dry|quick|minute",
        ),
    ),
    outcomes=bars(
        "a natural-looking glow|holiday colour without the holiday|an even, buildable glow"
    ),
    moments=bars(
        "the week before a holiday|a Sunday evening skincare routine|the days before a wedding"
    ),
    tips=bars(
        "exfoliate the night before and go lightly on elbows, knees and ankles|wash your hands "
        "straight after applying and let the formula set before you get dressed"
    ),
    ctas=bars("Shop Now|Get Your Glow|Start Your Glow"),
    style="soft, sunlit editorial beauty",
    scenes=Scenes(
        hero="a slim {noun} bottle on a pale travertine bathroom shelf, warm side light",
        lifestyle="{someone} smoothing a light serum onto a forearm at a bright bathroom vanity",
        detail="a single clear drop of the {noun} on glass, showing the lightweight texture",
        flatlay="the {noun} with a linen towel, a glass of water and a sprig of dried grasses",
        palette="warm sand, bronze and soft white",
    ),
    benefit="a buildable natural glow",
    proof="a few days",
)
