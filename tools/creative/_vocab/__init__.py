"""The category vocabularies, one module per category, and the order they are matched in.

Narrow vocabularies come before broad ones so a tie on marker words resolves to the more specific
one (a self-tanning serum is "selftan", not generic "beauty").
"""

from __future__ import annotations

from tools.creative._lexicon import Vocabulary
from tools.creative._vocab.beauty import BEAUTY
from tools.creative._vocab.food import FOOD
from tools.creative._vocab.generic import GENERIC
from tools.creative._vocab.selftan import SELF_TAN
from tools.creative._vocab.software import SOFTWARE
from tools.creative._vocab.sportswear import SPORTSWEAR
from tools.creative._vocab.supplement import SUPPLEMENT

__all__ = ["GENERIC", "VOCABULARIES"]

VOCABULARIES: tuple[Vocabulary, ...] = (
    SELF_TAN,
    SUPPLEMENT,
    BEAUTY,
    FOOD,
    SPORTSWEAR,
    SOFTWARE,
)
