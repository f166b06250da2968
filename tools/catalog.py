"""The demo product catalog and the ad formats, shipped so a fresh install has something to work on.

Product "1" is the integration guide's "Sérum autobronzant progressif". The catalog is data, not a
store: the server persists marketer-added products itself and falls back to these.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tools.creative.models import ProductInfo

__all__ = ["AD_FORMATS", "DEMO_PRODUCTS", "AdFormat", "find_format", "find_product"]


DEMO_PRODUCTS: tuple[ProductInfo, ...] = (
    ProductInfo(
        id="1",
        name="Sérum autobronzant progressif",
        description=(
            "A lightweight gradual self-tanning serum for face and body. Plant-derived DHA builds a "
            "natural-looking glow over 3-5 days, with hyaluronic acid to keep skin hydrated. "
            "Streak-free, fragrance-light, no orange undertone."
        ),
        category="Beauty / Self-tan",
        benefits=[
            "Buildable natural glow in 3-5 days",
            "Hydrating hyaluronic acid base",
            "Streak-free, fast-drying texture",
            "Light fragrance, no biscuit smell",
        ],
        price="€29",
    ),
    ProductInfo(
        id="2",
        name="Flora Balance Daily Probiotic",
        description=(
            "A daily women's probiotic capsule with lactobacillus strains, designed to support a "
            "balanced microbiome as part of a daily routine. Vegan, no refrigeration needed."
        ),
        category="Health / Supplements",
        benefits=["Lactobacillus strains", "One capsule a day", "Shelf-stable, vegan"],
        price="$34",
    ),
    ProductInfo(
        id="3",
        name="Aurora Cold Brew Concentrate",
        description=(
            "Small-batch cold brew coffee concentrate, steeped 18 hours. Mix one part with three "
            "parts water or milk for a smooth, low-acid coffee at home in ten seconds."
        ),
        category="Food & Beverage",
        benefits=["Low acidity", "Ten-second preparation", "Makes 16 cups per bottle"],
        price="$18",
    ),
    ProductInfo(
        id="4",
        name="StrideLite Trail Runner",
        description=(
            "A lightweight trail running shoe with a rock plate, 5 mm lugs and a recycled mesh "
            "upper. 260 g per shoe, built for technical terrain and long days."
        ),
        category="Sportswear",
        benefits=["260 g per shoe", "Rock plate", "Recycled mesh upper"],
        price="$139",
    ),
    ProductInfo(
        id="5",
        name="LedgerLeaf",
        description=(
            "Bookkeeping app for freelancers: snap receipts, auto-categorise expenses, send "
            "invoices and see the tax you owe each quarter."
        ),
        category="Software / SaaS",
        benefits=["Receipt capture", "Automatic categories", "Quarterly tax estimate"],
        price="$12/month",
    ),
)


@dataclass(frozen=True, slots=True)
class AdFormat:
    """A creative format the marketer picks before the workflow starts."""

    name: str
    description: str
    media_types: tuple[str, ...] = ("video", "image")
    aspect_ratios: tuple[str, ...] = field(default=("9:16", "1:1", "4:5"))


AD_FORMATS: tuple[AdFormat, ...] = (
    AdFormat("Hybrid Format", "Presenter talking to camera, cut with product B-roll and captions."),
    AdFormat(
        "UGC Testimonial", "Creator-style selfie video with a personal story arc.", ("video",)
    ),
    AdFormat("Problem-Solution", "Open on the pain point, reveal the product as the turn."),
    AdFormat("Product Demo", "Hands-on demonstration with feature call-outs.", ("video",)),
    AdFormat("Static Carousel", "Square and portrait still ads with headline and CTA.", ("image",)),
)


def find_product(product_id: str) -> ProductInfo | None:
    """Return the demo product with this id, or None."""
    return next((p for p in DEMO_PRODUCTS if p.id == product_id), None)


def find_format(name: str) -> AdFormat | None:
    """Return the format with this name (case-insensitive), or None."""
    wanted = name.strip().casefold()
    return next((f for f in AD_FORMATS if f.name.casefold() == wanted), None)
