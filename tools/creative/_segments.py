"""The life stages, occupations and lifestyles an audience hint can name, and what each implies.

One row per segment, ``;``-separated: regular expression; persona label; typical age range;
gender (blank when the segment implies none); an "about" clause that does not restate the label;
a trait; a pain; a desire; comma-separated focus stems for ranking product features. Pains are
written about the segment, never as the reader's condition, so they are safe to reuse in copy.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SEGMENTS", "Segment"]


@dataclass(frozen=True, slots=True)
class Segment:
    """A life stage, occupation or lifestyle a hint can name, with what it implies."""

    pattern: str
    label: str
    age: str | None
    gender: str | None
    about: str
    trait: str
    pain: str
    desire: str
    focus: tuple[str, ...]


def _row(row: str) -> Segment:
    pattern, label, age, gender, about, trait, pain, desire, focus = (
        part.strip() for part in row.split(";")
    )
    return Segment(
        pattern, label, age or None, gender or None, about, trait, pain, desire,
        tuple(focus.split(",")),
    )  # fmt: skip


_ROWS = (
    "perimenopaus\\w*; Women in Perimenopause; 40-55; Female; who are finding that familiar "
    "routines no longer fit; values straight talk; Products and messages that ignore this "
    "stage of life; Routines that respect this stage of life; gentle,hydrat,daily",
    "menopaus\\w*|midlife women; Women in Menopause; 45-60; Female; who are rethinking "
    "routines that no longer fit this stage of life; evidence-seeking; Marketing that "
    "overlooks women in midlife; Products made with this stage of life in mind; "
    "hydrat,gentle,quality",
    "pregnan\\w*|expecting|mums?-to-be|moms?-to-be; Expectant Mothers; 25-40; Female; who "
    "are reading every label more carefully than ever; label-reader; Uncertainty about "
    "which products suit this stage; Clear, reassuring ingredient information; "
    "gentle,ingredient,fragrance",
    "new (?:moms?|mums?|mothers?)|postpartum; New Moms; 25-40; Female; who are adjusting to"
    " life with a newborn and have almost no time for themselves; time-starved; Zero time "
    "for themselves; Small routines that take seconds; fast,quick,easy",
    "new (?:dads?|fathers?); New Dads; 25-40; Male; who are adjusting to life with a "
    "newborn and short on sleep and time; time-starved; No time for anything beyond the "
    "baby; Things that just work; fast,easy",
    "\\b(?:moms|mums|mothers)\\b; Moms; 30-45; Female; who keep a household running and "
    "usually put their own needs last; time-starved; No time left for themselves; Something"
    " that fits around family life; fast,easy,daily",
    "\\b(?:dads|fathers)\\b; Dads; 30-50; Male; who juggle work and family and want fewer, "
    "better choices; practical; Too little time to research purchases; Things that just "
    "work; easy,durable",
    "\\bparents?\\b; Parents; 30-45; ; who juggle work, school runs and everything in "
    "between; organised; Days with no slack in them; Anything that saves a few minutes; "
    "fast,easy",
    "college|students?|universit\\w*; Students; 18-24; ; who balance classes, part-time work"
    " and a tight budget; budget-aware; Tight budgets; Affordable quality; price,value",
    "young professionals?; Young Professionals; 24-34; ; who are building careers and "
    "routines at the same time; ambitious; Busy weeks with little downtime; Small wins that"
    " make the week easier; fast,quality",
    "retire\\w*|seniors?|older adults|pensioners?; Active Retirees; 60+; ; who have more "
    "time and clear opinions about what is worth buying; discerning; Products that assume "
    "they are not the audience; Quality and service that respect experience; "
    "quality,comfort",
    "runners?|running|marathon\\w*|joggers?; Runners; ; ; who fit training around work and "
    "family; goal-driven; Anything that slows training down; Performance that keeps up with"
    " their goals; light,comfort,g,lug",
    "hikers?|hiking|outdoors\\w*|backpack\\w*; Hikers; ; ; who spend weekends on the trail; "
    "adventurous; Gear and routines that fail outdoors; Reliability far from home; "
    "durable,light,grip",
    "cyclists?|cycling|bikers?; Cyclists; ; ; who ride to work or for sport; disciplined; "
    "Kit that lets them down mid-ride; Comfort over long distances; light,comfort",
    "\\bgym\\b|lifters?|fitness|crossfit; Gym Regulars; ; ; who train several times a week; "
    "disciplined; Routines that break on busy weeks; Consistency week after week; "
    "daily,comfort",
    "yoga|yogis?|pilates; Yoga Practitioners; ; ; who value calm, balance and mindful "
    "routines; mindful; Products that feel rushed or harsh; Routines that feel calm; "
    "natural,gentle,comfort",
    "athletes?; Athletes; ; ; who train with clear goals in mind; competitive; Anything "
    "that costs them performance; Gear and routines that keep up; light,g,performance",
    "freelanc\\w*|self-employed|contractors?; Freelancers; 25-45; ; who run their own "
    "business and juggle client work with admin; self-reliant; Admin that eats into paid "
    "time; More time for the work they love; automatic,invoice,capture,estimate",
    "small business\\w*|business owners?|entrepreneurs?|founders?; Small Business Owners; "
    "30-55; ; who wear every hat in the business; resourceful; Too many jobs for too few "
    "hours; Tools and products that pay for themselves; automatic,dashboard,value",
    "remote workers?|work(?:ing)? from home|\\bwfh\\b; Remote Workers; 25-45; ; who work from"
    " home and blur the line between work and life; self-directed; Days that blur together;"
    " Small rituals that structure the day; daily,quick,comfort",
    "nurses?|shift workers?|doctors?|paramedics?; Shift Workers; 25-50; ; who work long "
    "shifts at odd hours; resilient; Irregular schedules that break routines; Routines that"
    " survive long shifts; fast,daily,shelf",
    "teachers?|educators?; Teachers; 25-55; ; who give all day and have little left for "
    "themselves; caring; Long days with no breaks; Something just for them; easy,daily",
    "travell?ers?|travel\\w*|nomads?; Frequent Travelers; 27-45; ; who spend weeks on the "
    "road each year; on-the-go; Routines that fall apart on the road; Things that travel "
    "well; shelf,light,compact",
    "brides?|weddings?|grooms?|engaged; Couples Planning a Wedding; 25-35; ; who are "
    "counting down to the big day; occasion-driven; Pressure to be ready for the day; "
    "Confidence on the day; days,glow,natural",
    "gamers?|gaming; Gamers; 18-34; ; who spend long sessions at a screen; digital-native; "
    "Long sessions that leave them drained; Products that fit the setup; fast,comfort",
    "creators?|influencers?|youtubers?; Content Creators; 20-35; ; who film, edit and post "
    "on a tight schedule; camera-ready; Looking and sounding good on a deadline; Tools and "
    "products that look good on camera; fast,glow,quality",
    "vegans?|plant-based|vegetarians?; Plant-Based Shoppers; ; ; who check every label for "
    "animal-derived ingredients; values-led; Hidden animal-derived ingredients; Fully vegan"
    " products; vegan,plant,natural",
    "(?:pet|dog|cat) owners?|dog lovers?|cat lovers?; Pet Owners; ; ; whose routines "
    "revolve around their animals; devoted; Products that do not fit life with pets; Things"
    " that make life with pets easier; durable,easy",
    "eco\\w*|sustainab\\w*|environment\\w*|green shoppers; Eco-Conscious Shoppers; ; ; who "
    "weigh the footprint of everything they buy; values-led; Green claims with nothing "
    "behind them; Lower-impact choices that still perform; recycl,vegan,natural",
    "budget|frugal|deal[- ]seekers?|bargain; Budget-Conscious Shoppers; ; ; who compare "
    "prices before every purchase; value-driven; Paying for hype; Real value for money; "
    "price,value,per",
    "luxury|premium|high[- ]end; Premium Shoppers; ; ; who pay more for quality and "
    "experience; discerning; Products that feel mass-market; Quality they can feel; "
    "quality,craft",
    "busy professionals?|professionals?|office workers?|executives?; Busy Professionals; "
    "28-45; ; who fill long workdays and guard their spare time; time-pressed; Routines "
    "that take too long; Things that save time; fast,quick,easy",
)

SEGMENTS: tuple[Segment, ...] = tuple(_row(row) for row in _ROWS)
