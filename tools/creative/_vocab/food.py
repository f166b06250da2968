"""Food and beverage vocabulary.

``{core}`` is the product's own food word found in its text ("cold brew", "sourdough"), so a
coffee concentrate and a bakery share the personas' shape but not their words.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["CORES", "FOOD"]

CORES = bars(
    "cold brew|coffee|espresso|matcha|tea|kombucha|sourdough|bread|pastries|croissants|cake"
    "|cookies|chocolate|juice|smoothies|pizza|burgers|tacos|ramen|granola|hot sauce|wine|beer"
    "|cider|ice cream|snacks|honey|olive oil|pasta"
)

FOOD = Vocabulary(
    key="food",
    markers=bars(
        "food|beverage|drink|drinks|coffee|cold brew|espresso|tea|bakery|bread|sourdough|cafe"
        "|café|restaurant|snack|snacks|chocolate|juice|kombucha|wine|beer|pizza|kitchen|meal"
        "|meals|sauce|granola|ice cream|catering|brewery|roastery|deli|pastry|pastries"
    ),
    noun="small-batch product",
    topic="food and drink",
    action="taste the difference",
    archetypes=(
        archetype(
            "Everyday {Core} Devotees|25-44|*|urban",
            "For them, {core} is a daily ritual, and they notice straight away when quality slips.",
            "ritual-driven|quality-conscious|brand-loyal|shares favourites",
            "Paying café prices every single day|Settling for {core} that never tastes as good "
            "as it should|Quality that changes from one day to the next",
            "Reliably great {core} at home|A small daily ritual worth looking forward to|Quality "
            "that justifies the price",
            "small-batch|low|smooth|fresh|quality",
        ),
        archetype(
            "Busy Morning Commuters|24-40|*|major metros",
            "Out of the door before eight and unwilling to compromise on what they eat and "
            "drink, as long as it takes no time.",
            "time-pressed|routine-driven|convenience-seeking|mobile-first",
            "Mornings too rushed for anything made from scratch|Queues that eat into the "
            "commute|Grab-and-go options that disappoint",
            "Something good in seconds|No prep and no clean-up|A better start to the day",
            "second|minute|quick|ready|prep",
        ),
        archetype(
            "Weekend Hosts|28-50|*|suburban",
            "Love having friends round and want food and drink that impresses without hours in "
            "the kitchen.",
            "sociable|generous|presentation-minded|plans ahead",
            "Hosting that leaves no time to enjoy the guests|Store-bought options that feel "
            "generic|Serving something nobody remembers",
            "Crowd-pleasing quality with little effort|Something worth talking about|More time "
            "at the table",
            "cups|serv|batch|share",
        ),
        archetype(
            "Ingredient-Conscious Shoppers|25-45|*|nationwide",
            "Read labels, prefer short ingredient lists and small producers, and avoid anything "
            "overly processed.",
            "label-reader|values craft|health-aware|loyal to makers",
            "Long ingredient lists full of additives|Mass-produced products with no story|Sugar "
            "hidden in everyday staples",
            "Simple, recognisable ingredients|Knowing how it is made|Small-batch quality",
            "small-batch|organic|low|natural|steep",
        ),
        archetype(
            "Budget-Smart Households|30-50|*|suburban",
            "Compare cost per serving and want quality without paying premium prices every day.",
            "value-driven|planner|bulk buyer|deal-aware",
            "Daily spending that quietly adds up|Bulk buys that go stale|Paying extra for "
            "packaging and branding",
            "Better value per serving|Quality that lasts the week|Fewer impulse purchases",
            "cups|per|makes|bottle|value",
        ),
        archetype(
            "Local Flavour Explorers|22-38|*|urban",
            "Hunt down independent makers and new flavours, and share their finds with friends "
            "and followers.",
            "adventurous|social|supports independents|trend-spotter",
            "Chains that all taste the same|Hard-to-find small producers|Trends with no "
            "substance behind them",
            "Discovering something new|Supporting independent makers|Finds worth sharing",
            "small-batch|artisan|local|craft",
        ),
    ),
    angles=(
        angle(
            "Café Quality, Kitchen Speed",
            "Give {persona} the café version of {core} at home: {feature}, ready before the "
            "kettle would have boiled.",
            "It removes the trade-off between quality and convenience in one line. The home "
            "setting makes the saving obvious without a number.",
            (8.9, 8.3, 8.6),
            "coffee|tea|brew|espresso|matcha|latte|drink|beverage|juice|smoothie",
        ),
        angle(
            "Made the Slow Way",
            "Tell the craft story: small batches and {duration} of patience, so {persona} get depth "
            "of flavour without doing any of the waiting.",
            "Process details are proof people can taste. They justify the price without "
            "discounting.",
            (8.5, 8.8, 8.9),
            "@duration",
        ),
        angle(
            "The Value Math",
            "Do the maths on screen: {price} for {yield}, set against what {persona} spend on "
            "{core} in a normal week.",
            "Concrete arithmetic beats vague value claims. It reframes the price as a saving.",
            (7.9, 9.2, 8.5),
            "@yield",
        ),
        angle(
            "A Better Start to the Day",
            "Anchor {short} to the first ten minutes of the morning, the moment {persona} decide "
            "how the day will go, and show {outcome}.",
            "Morning rituals are emotionally charged and repeated daily. Owning one builds "
            "habit and loyalty.",
            (9.0, 7.6, 8.0),
        ),
        angle(
            "Taste the Difference Side by Side",
            "Put {short} next to the usual option and let {feature} speak for itself: no big "
            "claims, just a difference people can see and taste.",
            "Side-by-side comparisons feel fair and confident. They invite trial instead of "
            "asking for trust.",
            (8.5, 8.8, 8.9),
        ),
        angle(
            "Bring It to the Table",
            "Frame {short} as the thing guests ask about: {feature}, made to share, so {persona} "
            "spend less time preparing and more time at the table.",
            "Social moments give food a story beyond taste. Guests become the proof.",
            (8.8, 7.9, 8.4),
        ),
    ),
    outcomes=bars(
        "a smoother start to the morning|something genuinely good in minutes|a small daily "
        "ritual worth slowing down for"
    ),
    moments=bars(
        "the first ten minutes of the morning|a slow Saturday brunch|the mid-afternoon break"
    ),
    tips=bars("taste it on its own first, before adding anything, to get to know the flavour"),
    ctas=bars("Order Now|Shop Now|Taste the Difference"),
    style="warm, natural-light food photography",
    scenes=Scenes(
        hero="{short} on a sunlit wooden kitchen counter with soft morning shadows",
        lifestyle="{someone} enjoying {core} at a sunny kitchen table, relaxed morning mood",
        detail="a close-up of {core} with rich texture and natural highlights",
        flatlay="{short} with fresh ingredients, a linen napkin and ceramic tableware",
        palette="warm browns, cream and terracotta",
    ),
    benefit="small-batch quality",
    proof="hours of slow preparation",
)
