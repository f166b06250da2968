"""Offline presenter avatars: the marketplace a fresh install can offer with no avatar provider.

The guide's video request names a presenter by id (``avatar-female-45``). With no avatar-video
provider configured, these are the presenters on offer; the offline storyboard renderer shows the
chosen one as a badge labelled "AI presenter". Each preview is a small SVG drawn from the avatar's
own data, so no image files ship with the project and nothing is fetched from the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

__all__ = ["OFFLINE_AVATARS", "Avatar", "avatar_preview_svg", "find_avatar"]


@dataclass(frozen=True, slots=True)
class Avatar:
    """A presenter the marketer can pick for a video ad."""

    id: str
    name: str
    gender: str
    age_range: str
    style: str
    color: str
    """Background of the preview, so presenters are told apart at a glance."""

    @property
    def initials(self) -> str:
        """Up to two initials of the name, drawn on the preview."""
        return "".join(part[0] for part in self.name.split()[:2]).upper()


OFFLINE_AVATARS: tuple[Avatar, ...] = (
    Avatar("avatar-female-45", "Claire", "Female", "40-50", "Warm expert", "#7C5CFF"),
    Avatar("avatar-female-28", "Maya", "Female", "25-32", "Casual creator", "#FF5C8A"),
    Avatar("avatar-female-62", "Helen", "Female", "58-66", "Trusted advisor", "#FFB020"),
    Avatar("avatar-male-35", "Daniel", "Male", "30-40", "Confident coach", "#06E8DC"),
    Avatar("avatar-male-24", "Leo", "Male", "20-27", "Energetic reviewer", "#3DA5FF"),
    Avatar("avatar-male-55", "Robert", "Male", "50-60", "Calm professional", "#4CC38A"),
    Avatar("avatar-nonbinary-30", "Sam", "Non-binary", "26-34", "Friendly explainer", "#F07E3C"),
)


def find_avatar(avatar_id: str) -> Avatar | None:
    """Return the offline avatar with this id, or None."""
    return next((a for a in OFFLINE_AVATARS if a.id == avatar_id), None)


def avatar_preview_svg(avatar: Avatar, size: int = 256) -> str:
    """A square SVG portrait placeholder: initials on the avatar's colour, labelled offline."""
    half = size // 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" role="img" aria-label="{escape(avatar.name)}, AI presenter">'
        f'<rect width="{size}" height="{size}" rx="{size // 8}" fill="{avatar.color}"/>'
        f'<circle cx="{half}" cy="{size * 2 // 5}" r="{size // 5}" fill="#ffffff" '
        'fill-opacity="0.9"/>'
        f'<text x="{half}" y="{size * 2 // 5 + size // 14}" font-family="sans-serif" '
        f'font-size="{size // 6}" font-weight="700" text-anchor="middle" '
        f'fill="{avatar.color}">{escape(avatar.initials)}</text>'
        f'<text x="{half}" y="{size * 4 // 5}" font-family="sans-serif" font-size="{size // 11}" '
        f'text-anchor="middle" fill="#ffffff">{escape(avatar.name)}</text>'
        f'<text x="{half}" y="{size * 9 // 10}" font-family="sans-serif" '
        f'font-size="{size // 18}" text-anchor="middle" fill="#ffffff">AI presenter · offline</text>'
        "</svg>"
    )
