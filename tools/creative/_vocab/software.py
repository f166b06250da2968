"""Software and app vocabulary.

Software buyers weigh time saved and set-up effort, so the angles quantify the payoff and remove
adoption fear. ``{audience}`` is the product's stated audience ("freelancers") when it has one.
"""

from __future__ import annotations

from tools.creative._lexicon import Scenes, Vocabulary, angle, archetype, bars

__all__ = ["SOFTWARE"]

SOFTWARE = Vocabulary(
    key="software",
    markers=bars(
        "software|saas|app|apps|platform|dashboard|automation|api|cloud|invoice|invoices"
        "|invoicing|bookkeeping|crm|analytics|plugin|extension|scheduling|accounting"
    ),
    noun="app",
    topic="business admin",
    action="get started",
    archetypes=(
        archetype(
            "Solo Operators|26-45|*|nationwide",
            "Independent {audience} who run every part of the business themselves and lose "
            "evenings to admin.",
            "self-reliant|time-conscious|pragmatic|mobile-first",
            "Admin that eats into billable hours|Spreadsheets that break at the worst "
            "moment|Never quite knowing where the numbers stand",
            "Admin done in minutes|A clear view of the numbers|More time for paid work",
            "automatic|capture|estimate|invoice|dashboard",
            budget="small",
        ),
        archetype(
            "Spreadsheet Switchers|28-45|*|urban",
            "Have outgrown a patchwork of spreadsheets and email threads, and are ready for one "
            "proper tool.",
            "organised|process-minded|cautious adopter|detail-focused",
            "Copy-pasting between spreadsheets|Version chaos and lost files|Manual work that "
            "invites mistakes",
            "One place for everything|Automation for repetitive tasks|An easy move from "
            "spreadsheets",
            "automatic|categor|sync|import",
        ),
        archetype(
            "Time-Strapped Founders|30-45|*|major metros",
            "Juggle product, sales and hiring, and only adopt tools that pay for themselves "
            "within a week.",
            "decisive|ROI-driven|impatient with setup|networked",
            "Tools that need weeks of setup|Context-switching across too many apps|Surprises at "
            "the end of the quarter",
            "Set-up in an afternoon|Fewer tools, more done|Early warning on the numbers",
            "quarter|estimate|dashboard|report",
            budget="small",
        ),
        archetype(
            "Side-Hustle Builders|22-35|*|online-first",
            "Run a growing side business around a day job and need the admin to happen on a "
            "phone in spare minutes.",
            "ambitious|mobile-native|budget-aware|learns from creators",
            "Admin squeezed into late nights|Receipts lost in pockets and inboxes|Worry about "
            "getting the paperwork wrong",
            "Quick wins on mobile|Confidence the paperwork is right|A tool that grows with the "
            "business",
            "receipt|snap|mobile|capture",
            budget="small",
        ),
        archetype(
            "Detail-Driven Planners|35-55|*|suburban",
            "Like to plan ahead, read the documentation and want precise control over how their "
            "{noun} works.",
            "methodical|documentation-reader|risk-averse|loyal",
            "Black-box tools that hide how numbers are calculated|Last-minute surprises|Poor "
            "export options",
            "Transparent calculations|Planning that looks ahead|Clean exports and reports",
            "estimate|report|categor",
        ),
        archetype(
            "Growing Team Leads|28-45|*|major metros",
            "Lead small teams that have outgrown ad-hoc processes and need shared visibility "
            "without enterprise complexity.",
            "collaborative|process-builder|budget holder|pragmatic",
            "Information trapped in one person's head|Tools built for enterprises|Onboarding "
            "that takes forever",
            "Shared visibility|A tool people actually use|Simple permissions",
            "team|share|dashboard",
        ),
        archetype(
            "Finance Controllers|35-55|*|mid-size companies",
            "Own the month-end close at a company with several entities and answer to auditors "
            "and a CFO who want the numbers on day three, not day ten.",
            "exacting|audit-minded|deadline-driven|process owner",
            "A close that drags on for two weeks|Reconciliations done by hand in spreadsheets"
            "|Audit requests that take days to answer",
            "A faster, calmer close|Reconciliations that match themselves|An audit trail ready "
            "before anyone asks",
            "close|reconcil|audit|accrual|report",
            budget="team",
        ),
        archetype(
            "Accounting Firm Partners|40-60|*|regional firms",
            "Run a practice with a dozen or more staff and many clients, and weigh every tool by "
            "billable hours recovered and client experience.",
            "commercially minded|client-focused|careful buyer|team builder",
            "Staff hours lost to chasing clients for documents|Work-in-progress no one can see"
            "|Busy seasons that burn the team out",
            "Visible work-in-progress|Clients who send documents on time|A calmer busy season",
            "client|portal|practice|time|firm",
            budget="team",
        ),
        archetype(
            "Operations Directors|35-55|*|multi-site businesses",
            "Choose the systems a whole department works in, and need a rollout that sticks "
            "without a consultant on site.",
            "systems thinker|budget holder|change manager|pragmatic",
            "Rollouts that stall after the pilot|Data scattered across disconnected tools"
            "|Reporting that needs a specialist",
            "One system people actually adopt|Reporting anyone can read|Clear permissions and "
            "controls",
            "team|report|permission|dashboard|integrat",
            budget="team",
        ),
    ),
    angles=(
        angle(
            "Hours Back Every Week",
            "Quantify the payoff: {feature} and {feature2} take the repetitive work off the "
            "plate of {persona}, so evenings go back to paid work or to nothing at all.",
            "Time saved is the benefit software buyers can picture in their own week. It makes "
            "the price feel small.",
            (8.7, 8.6, 8.2),
        ),
        angle(
            "From Spreadsheet Chaos to One Screen",
            "Show the before as a tangle of tabs and the after as one clean {short} screen; the "
            "relief is the message for {persona} tired of {pain}.",
            "A visual contrast explains the product in two seconds. Relief is a stronger emotion "
            "than delight for admin tools.",
            (8.9, 8.1, 8.7),
        ),
        angle(
            "Know Your Numbers at a Glance",
            "Sell clarity: {feature} gives {persona} a straight answer about where things "
            "stand, before it turns into a problem.",
            "Uncertainty is the real pain behind admin. Clarity is a promise the product can "
            "show on screen.",
            (8.3, 8.8, 8.5),
        ),
        angle(
            "Set Up Before the Coffee Cools",
            "Remove the adoption fear: sign up, connect, and see {feature} working in minutes, "
            "not weeks.",
            "Set-up effort is the biggest silent objection to new software. Answering it early "
            "lifts trial rates.",
            (8.1, 8.2, 8.6),
        ),
        angle(
            "Built for {Audience}, Not Enterprises",
            "Make {short} unmistakably for {audience}: no enterprise jargon, no bloated "
            "features, just {feature} and {feature2}.",
            "Specific audiences trust tools made for them. It turns a feature list into belonging.",
            (8.6, 8.0, 9.2),
            "@audience",
        ),
    ),
    outcomes=bars(
        "admin finished before lunch|a clear view of the numbers|evenings free of paperwork"
    ),
    moments=bars("the end of the month|the Sunday-night admin session|the week before a deadline"),
    tips=bars("block fifteen minutes every Friday to clear the week's admin, so nothing piles up"),
    ctas=bars("Get Started|Sign Up|See How It Works"),
    style="clean, modern product UI photography",
    scenes=Scenes(
        hero="the {short} dashboard on a laptop screen on a tidy desk, soft daylight",
        lifestyle="{someone} working on a laptop and phone at a bright café table, relaxed",
        detail="a close-up of the {short} interface on a phone screen, crisp UI detail",
        flatlay="a laptop, a phone showing {short}, a notebook and a coffee cup on a light desk",
        palette="leaf green, white and charcoal",
    ),
    benefit="less time on admin",
    proof="minutes a day",
)
