"""The status and band colours stay apart under colour-vision deficiency simulation."""

import itertools
import math

import pytest

from core import palette

# Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB.
CVD = {
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}


def linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(color: str, kind: str | None) -> tuple[float, float, float]:
    rgb = [linear(c) for c in palette.rgb(color)]
    if kind:
        m = CVD[kind]
        rgb = [min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    return tuple(rgb)


def lab(rgb) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def closest_pair(colors: dict[str, str], kind: str | None) -> tuple[float, str, str]:
    return min((math.dist(lab(simulate(colors[a], kind)), lab(simulate(colors[b], kind))), a, b)
               for a, b in itertools.combinations(colors, 2))


def contrast(a: str, b: str) -> float:
    def luminance(color):
        r, g, b_ = (linear(c) for c in palette.rgb(color))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("kind", [None, "deuteranopia", "protanopia", "tritanopia"])
def test_statuses_stay_apart(kind):
    distance, a, b = closest_pair(palette.STATUS_COLORS, kind)
    assert distance >= 18, f"{a} and {b} are only ΔE {distance:.1f} apart under {kind}"
    if kind in ("deuteranopia", "protanopia"):
        assert distance >= 30, f"{a}/{b}: ΔE {distance:.1f} under {kind}"


@pytest.mark.parametrize("kind", [None, "deuteranopia", "protanopia", "tritanopia"])
def test_bands_stay_apart(kind):
    distance, a, b = closest_pair(palette.BAND_COLORS, kind)
    assert distance >= 15, f"{a} and {b} are only ΔE {distance:.1f} apart under {kind}"


def test_the_old_green_red_pair_would_fail():
    """The check can fail: the former found/broken colours collapse under deuteranopia."""
    distance, *_ = closest_pair({"found": "#2e7d32", "broken": "#c62828"}, "deuteranopia")
    assert distance < 30


def test_text_on_every_colour_is_readable():
    for status, color in palette.STATUS_COLORS.items():
        assert contrast(color, palette.STATUS_TEXT_COLORS[status]) >= 4.5, status
    for band, color in palette.BAND_COLORS.items():
        assert contrast(color, palette.BAND_TEXT_COLORS[band]) >= 4.5, band


def test_every_status_has_its_own_glyph():
    assert set(palette.STATUS_GLYPHS) == set(palette.STATUS_COLORS)
    assert len(set(palette.STATUS_GLYPHS.values())) == len(palette.STATUS_GLYPHS)
