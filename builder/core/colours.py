"""WCAG 2.2 contrast of two colours: the one formula the theme check and the DOCX check both use."""

from __future__ import annotations

AA_TEXT = 4.5  # WCAG 2 AA contrast for body-size text
AA_LARGE = 3.0  # ... and for large text: 18 pt and up, or 14 pt bold and up


def luminance(color: str) -> float:
    """WCAG relative luminance of "#rrggbb" (or "rrggbb"), 0 for black to 1 for white."""
    color = color.lstrip("#")
    channels = [int(color[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two "#rrggbb" colours (1 to 21)."""
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
