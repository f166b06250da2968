"""The copy gate's blocking rules as a yes/no filter for the offline engine's own sentences.

The rules live in ``tools.compliance``; this keeps the small string-list API the offline engine
uses to drop a candidate sentence before it is ever written, so the engine and the gate applied
to every card can never disagree about what blocks.
"""

from __future__ import annotations

from tools.compliance.claims import check_text

__all__ = ["compliance_issues"]


def compliance_issues(text: str, *, product_category: str = "") -> list[str]:
    """List the blocking compliance problems in a piece of copy; empty when none matched.

    Args:
        text: Any copy: a hook, a script, primary text, an image prompt.
        product_category: The product's category. Only a real sunscreen may talk about sun
            protection; every other product, and a self-tanner above all, must not imply it.

    Returns:
        One line per blocking finding, naming the rule and quoting the offending words.
    """
    issues = [
        f'{f.rule_id}: "{f.text}" ({f.reason})'
        for f in check_text(text, "text", category=product_category)
        if f.severity == "block"
    ]
    return list(dict.fromkeys(issues))
