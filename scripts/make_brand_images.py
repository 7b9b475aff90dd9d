"""Draw the integration's brand images (custom_components/connected_car/brand/).

Run with the project's venv: `.venv/bin/python scripts/make_brand_images.py`.
HA 2026.3+ serves these for custom integrations; older versions ignore them.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND_DIR = Path(__file__).parent.parent / "custom_components/connected_car/brand"
BLUE = (3, 169, 244, 255)  # Home Assistant's primary blue
DARK = (22, 39, 56, 255)
WHITE = (255, 255, 255, 255)


def draw_icon(size: int, body: tuple[int, ...], detail: tuple[int, ...]) -> Image.Image:
    """Draw a car with a signal arc above it, on a transparent square."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        return (int(x0 * size), int(y0 * size), int(x1 * size), int(y1 * size))

    width = max(2, size // 20)
    for radius in (0.12, 0.22):  # the car talks to the home
        draw.arc(
            box(0.5 - radius, 0.30 - radius, 0.5 + radius, 0.30 + radius),
            220,
            320,
            fill=body,
            width=width,
        )
    draw.rounded_rectangle(box(0.06, 0.56, 0.94, 0.80), radius=size // 16, fill=body)
    draw.polygon(
        [
            (0.22 * size, 0.58 * size),
            (0.32 * size, 0.40 * size),
            (0.68 * size, 0.40 * size),
            (0.80 * size, 0.58 * size),
        ],
        fill=body,
    )
    draw.polygon(
        [
            (0.30 * size, 0.57 * size),
            (0.36 * size, 0.45 * size),
            (0.48 * size, 0.45 * size),
            (0.48 * size, 0.57 * size),
        ],
        fill=detail,
    )
    draw.polygon(
        [
            (0.52 * size, 0.57 * size),
            (0.52 * size, 0.45 * size),
            (0.65 * size, 0.45 * size),
            (0.72 * size, 0.57 * size),
        ],
        fill=detail,
    )
    for x in (0.26, 0.74):
        draw.ellipse(box(x - 0.10, 0.70, x + 0.10, 0.90), fill=detail)
        draw.ellipse(box(x - 0.055, 0.745, x + 0.055, 0.855), fill=body)
    return image


def main() -> None:
    """Write icon, dark icon and their @2x variants."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    for suffix, size in (("", 256), ("@2x", 512)):
        draw_icon(size, BLUE, DARK).save(BRAND_DIR / f"icon{suffix}.png", optimize=True)
        draw_icon(size, BLUE, WHITE).save(
            BRAND_DIR / f"dark_icon{suffix}.png", optimize=True
        )


if __name__ == "__main__":
    main()
