"""Static ad renderer: exact sizes, valid files, text inside the safe zones, determinism."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tools.media import PLATFORM_SIZES, StaticAdSpec, compose_over_background, render_static_ad
from tools.media.fonts import clear_font_cache, font_source, load_face
from tools.media.layout import ELLIPSIS, box_within, fit_text, safe_zone
from tools.media.palette import contrast_ratio, palette_from_seed

HEADLINE = "Made for every stage of your glow"
PRIMARY = (
    "Perimenopause can bring changes. Sérum autobronzant progressif builds a natural, even tan "
    "over a few days — no streaks, no orange tint, just skin that looks rested. Apply after your "
    "shower, let it dry, and get on with your day."
)
LONG = " ".join(["Unbelievably-long-compound-words and extraordinarily verbose sentences"] * 30)


def make_spec(size: str, **overrides: object) -> StaticAdSpec:
    width, height = PLATFORM_SIZES[size]
    fields: dict[str, object] = {
        "headline": HEADLINE,
        "primary_text": PRIMARY,
        "call_to_action": "Shop the serum",
        "product_name": "Sérum autobronzant progressif",
        "width": width,
        "height": height,
        "seed": "sess-abc-123/psych-1",
    }
    fields.update(overrides)
    return StaticAdSpec(**fields)  # type: ignore[arg-type]


def overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("image_format", ["png", "jpeg"])
@pytest.mark.parametrize("size", sorted(PLATFORM_SIZES))
def test_each_size_renders_a_valid_file_of_exact_size(
    tmp_path: Path, size: str, image_format: str
) -> None:
    spec = make_spec(size, image_format=image_format)
    out = tmp_path / f"ad.{image_format}"
    result = render_static_ad(spec, out)

    assert result.path == out
    assert (result.width, result.height) == PLATFORM_SIZES[size]
    assert result.content_type == f"image/{image_format}"
    with Image.open(out) as image:
        image.verify()
    with Image.open(out) as image:
        assert image.size == PLATFORM_SIZES[size]
        assert image.format == image_format.upper()
        assert image.mode == "RGB"
    assert [p.name for p in tmp_path.iterdir()] == [out.name], "temporary file left behind"


@pytest.mark.parametrize("size", sorted(PLATFORM_SIZES))
def test_every_text_box_lies_inside_the_safe_zone(tmp_path: Path, size: str) -> None:
    result = render_static_ad(make_spec(size), tmp_path / "ad.png")
    zone = safe_zone(result.width, result.height)

    assert len(result.text_boxes) == len(result.text_roles) == 6
    for role, box in zip(result.text_roles, result.text_boxes, strict=True):
        assert box_within(box, zone), f"{role} {box} outside safe zone {zone}"
        assert box[2] > box[0] and box[3] > box[1], f"{role} is empty"


def test_story_safe_zone_is_the_reels_band() -> None:
    assert safe_zone(1080, 1920) == (65, 269, 1015, 1248)
    left, top, right, bottom = safe_zone(1080, 1350)
    assert 0.06 * 1080 <= left <= 0.08 * 1080 and 0.06 * 1350 <= top <= 0.08 * 1350


@pytest.mark.parametrize(
    "dimensions", [*sorted(PLATFORM_SIZES.values()), (200, 200), (400, 200), (200, 356)]
)
def test_long_copy_never_overflows(tmp_path: Path, dimensions: tuple[int, int]) -> None:
    spec = make_spec(
        "square",
        width=dimensions[0],
        height=dimensions[1],
        headline=LONG,
        primary_text=LONG,
        call_to_action=LONG[:120],
        product_name=LONG[:90],
        brand_label=LONG[:80],
    )
    result = render_static_ad(spec, tmp_path / "ad.png")
    zone = safe_zone(result.width, result.height)

    boxes = dict(zip(result.text_roles, result.text_boxes, strict=True))
    for role, box in boxes.items():
        assert box_within(box, zone), f"{role} {box} outside safe zone {zone}"
    roles = list(boxes)
    for i, first in enumerate(roles):
        for second in roles[i + 1 :]:
            assert not overlaps(boxes[first], boxes[second]), f"{first} overlaps {second}"


def test_fit_text_truncates_with_an_ellipsis_and_stays_in_its_box() -> None:
    block = fit_text(LONG, max_width=500, max_height=200, max_size=60, min_size=20, max_lines=6)

    assert block.truncated
    assert block.lines[-1].endswith(ELLIPSIS)
    assert block.width <= 500 and block.height <= 200
    canvas = Image.new("L", (500, 200))
    for index, line in enumerate(block.lines):
        left, _, right, _ = ImageDraw.Draw(canvas).textbbox(
            (0, index * block.line_height), line, font=block.face.font, anchor="la"
        )
        assert right - min(0, left) <= 500


def test_fit_text_keeps_short_text_whole_at_the_largest_size() -> None:
    block = fit_text("Shop now", max_width=800, max_height=200, max_size=64, min_size=20)

    assert block.lines == ("Shop now",)
    assert block.face.size == 64 and not block.truncated


def test_same_spec_gives_identical_bytes(tmp_path: Path) -> None:
    first = render_static_ad(make_spec("portrait"), tmp_path / "a.png")
    second = render_static_ad(make_spec("portrait"), tmp_path / "b.png")
    other = render_static_ad(make_spec("portrait", seed="another"), tmp_path / "c.png")

    assert first.path.read_bytes() == second.path.read_bytes()
    assert first.text_boxes == second.text_boxes
    assert other.path.read_bytes() != first.path.read_bytes()


def test_offline_label_is_drawn_only_when_asked(tmp_path: Path) -> None:
    labelled = render_static_ad(make_spec("story"), tmp_path / "a.png")
    plain = render_static_ad(make_spec("story", offline_label=False), tmp_path / "b.png")

    assert "offline_label" in labelled.text_roles
    tag = labelled.text_boxes[labelled.text_roles.index("offline_label")]
    assert box_within(tag, safe_zone(1080, 1920))
    assert "offline_label" not in plain.text_roles
    assert len(plain.text_boxes) == len(labelled.text_boxes) - 1
    with Image.open(labelled.path) as a, Image.open(plain.path) as b:
        assert a.crop(tag).tobytes() != b.crop(tag).tobytes(), "tag pixels not drawn"


def test_compose_over_a_provider_image_covers_the_frame(tmp_path: Path) -> None:
    photo = Image.new("RGB", (1536, 1024), (240, 236, 228))
    ImageDraw.Draw(photo).ellipse((200, 100, 900, 800), fill=(30, 120, 200))
    buffer = io.BytesIO()
    photo.save(buffer, format="PNG")

    for size in sorted(PLATFORM_SIZES):
        spec = make_spec(size, image_format="jpeg")
        result = compose_over_background(buffer.getvalue(), spec, tmp_path / f"{size}.jpg")
        with Image.open(result.path) as image:
            assert image.size == PLATFORM_SIZES[size] and image.format == "JPEG"
        zone = safe_zone(result.width, result.height)
        assert all(box_within(box, zone) for box in result.text_boxes)
    # An Image works as well as bytes.
    result = compose_over_background(photo, make_spec("square"), tmp_path / "img.png")
    assert result.content_type == "image/png"


@pytest.mark.parametrize("seed", [f"concept-{i}" for i in range(24)])
def test_palette_text_is_readable(seed: str) -> None:
    palette = palette_from_seed(seed)

    for background in palette.backgrounds:
        assert contrast_ratio(palette.text, background) >= 7.0
        assert contrast_ratio(palette.muted_text, background) >= 4.5
    assert contrast_ratio(palette.on_accent, palette.accent) >= 4.5
    assert palette_from_seed(seed) == palette


@pytest.fixture
def builtin_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ADFORGE_MEDIA_FONTS", "builtin")
    clear_font_cache()
    yield
    monkeypatch.delenv("ADFORGE_MEDIA_FONTS")
    clear_font_cache()


def test_vendored_font_is_used_by_default() -> None:
    assert font_source() == "vendored"
    assert load_face(40, bold=True).font.getname() == ("DejaVu Sans", "Bold")


@pytest.mark.usefixtures("builtin_font")
def test_builtin_font_fallback_renders_inside_the_safe_zone(tmp_path: Path) -> None:
    assert font_source() == "builtin"
    face = load_face(40, bold=True)
    assert face.stroke_width > 0, "bold is imitated with a stroke"
    assert face.prepare("Sérum — prêt") == "Serum - pret", "missing glyphs are folded"

    for size in sorted(PLATFORM_SIZES):
        result = render_static_ad(make_spec(size), tmp_path / f"{size}.png")
        zone = safe_zone(result.width, result.height)
        assert all(box_within(box, zone) for box in result.text_boxes)


def test_invalid_spec_is_rejected() -> None:
    with pytest.raises(ValueError, match="width"):
        make_spec("square", width=10)
    with pytest.raises(ValueError, match="image_format"):
        make_spec("square", image_format="gif")
