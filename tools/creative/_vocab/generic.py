"""The fallback vocabulary for products no category matches.

It carries no category words of its own: every template leans on the product's name, noun and
features, so an unmatched product still gets copy about itself rather than about nothing.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["GENERIC"]

GENERIC = Vocabulary(
    key="generic",
    markers=(),
    noun="product",
    topic="everyday essentials",
    action="see for yourself",
    archetypes=(
        archetype(
            "Practical Value Seekers|30-50|*|nationwide",
            "Research before buying and want a {noun} that clearly earns its price.",
            "research-driven|value-conscious|reads reviews|loyal once convinced",
            "Products that overpromise and underdeliver|Hidden costs after purchase|Too many "
            "near-identical options",
            "Clear value for money|Honest, specific information|A purchase they will not regret",
            "price|value|last",
        ),
        archetype(
            "Curious Early Adopters|22-38|*|major metros",
            "Love finding something new before their friends do, and share what they find.",
            "trend-aware|social|experimental|design-sensitive",
            "The same old options everywhere|Launches that are all hype|Missing out on good finds",
            "Being first to something good|A story worth sharing|Products with real personality",
            "new|first|design",
        ),
        archetype(
            "Busy Professionals|28-45|*|urban centres",
            "Short on time and happy to pay for anything that makes a busy week simpler.",
            "time-pressed|decisive|quality-minded|mobile shoppers",
            "Too many decisions in a day|Products that take effort to get right|Time wasted on "
            "poor purchases",
            "Something that just works|Time saved every week|Reliable quality",
            "fast|easy|simple|quick",
        ),
        archetype(
            "Quality-First Loyalists|35-60|*|suburban",
            "Buy fewer, better things and stick with brands that prove themselves.",
            "discerning|loyal|patient|detail-oriented",
            "Products that wear out too soon|Corners cut on materials|Brands that change what "
            "people loved",
            "Durable, well-made products|Brands with integrity|Consistency over time",
            "quality|made|craft|durable",
        ),
        archetype(
            "Thoughtful Gift Buyers|28-55|*|nationwide",
            "Look for gifts that feel personal and considered, and remember who gave what.",
            "generous|occasion-driven|plans ahead|design-sensitive",
            "Generic gifts nobody uses|Last-minute shopping stress|Not knowing what to choose",
            "A gift that feels considered|Easy choosing and delivery|Something genuinely useful",
            "gift|design|package",
        ),
        archetype(
            "Local Community Supporters|25-55|*|local area",
            "Prefer independent businesses and want their money to stay in the neighbourhood.",
            "community-minded|loyal|word-of-mouth sharer|values service",
            "Faceless chains everywhere|Not knowing what is available nearby|Impersonal service",
            "Supporting independent businesses|Personal service|Being part of a community",
            "local|independent|community|small",
        ),
    ),
    angles=(
        angle(
            "The Everyday Upgrade",
            "Position {short} as the small upgrade that makes an ordinary day better for "
            "{persona}: {feature}, with no learning curve.",
            "Small upgrades feel low-risk and easy to say yes to. The everyday framing makes "
            "the benefit easy to picture.",
            (8.5, 8.0, 8.2),
        ),
        angle(
            "What Makes {Short} Different",
            "Put the difference up front: {feature} and {feature2}, said plainly, so {persona} "
            "can compare in seconds.",
            "Clear differentiation shortens the decision. Plain language reads as confidence.",
            (8.0, 8.9, 9.0),
        ),
        angle(
            "Made for {Audience}",
            "Make {short} unmistakably for {audience}, with {feature} front and centre and "
            "nothing that feels generic.",
            "People trust what is clearly made for them. Specificity beats broad appeal in a "
            "crowded feed.",
            (8.7, 8.1, 8.9),
            "@audience",
        ),
        angle(
            "The Detail People Notice",
            "Zoom in on one detail, {feature}, and let it stand for the care behind {short}, "
            "answering the wish for {desire}.",
            "One concrete detail is more believable than a list of adjectives. It invites a "
            "closer look.",
            (8.8, 8.2, 8.6),
        ),
        angle(
            "Worth Telling Friends About",
            "Make {short} a find worth sharing, with {outcome} as the payoff {persona} will "
            "want to talk about.",
            "Shareability extends reach beyond paid media. The framing gives people a reason "
            "to pass it on.",
            (9.0, 7.5, 8.1),
        ),
    ),
    outcomes=bars(
        "something that just works|a small upgrade to the everyday|a better way to get it done"
    ),
    moments=bars("a busy weekday|a slow weekend|the moment it matters most"),
    tips=bars(
        "decide what matters most to you before comparing options, then judge everything against that"
    ),
    ctas=bars("Learn More|Shop Now|Get Started"),
    style="bright, modern lifestyle photography",
    scenes=Scenes(
        hero="{short} on a clean, light surface with soft natural shadows",
        lifestyle="{someone} using {short} in a bright, lived-in everyday setting",
        detail="a close-up of the {noun} showing materials and finish in sharp focus",
        flatlay="{short} arranged with a few everyday essentials on a neutral background",
        palette="warm white, soft grey and one bold accent colour",
    ),
    benefit="something that just works",
    proof="every day",
)
