"""Glyph coverage: characters a pack prints that its fonts cannot draw, and an installed font that can.

Pango would quietly draw such characters in whatever font fontconfig finds, or as empty boxes when
none has them; a warning that names the characters and a font to add to `theme.fonts.fallback`
beats both. Fonts are found with fontconfig's `fc-list` (the same lookup Pango makes) and read
with fontTools (a WeasyPrint dependency).
"""

from __future__ import annotations

import unicodedata
from functools import cache

from builder.core.errors import Problem
from builder.core.files import display_path
from builder.core.fontconfig import fc_list, pattern_value
from builder.load.loader import PACK_FILE, Pack

LAST_RESORT = "DejaVu Sans"  # the end of every font list in page.css
_SKIPPED = ("Cc", "Cf", "Zs", "Zl", "Zp")  # controls, format marks and spaces need no glyph


@cache
def installed(family: str) -> bool:
    """Whether fontconfig knows a font of this family."""
    return bool(fc_list(f":family={pattern_value(family)}", "%{file}\n"))


@cache
def coverage(family: str) -> frozenset[int]:
    """Every code point some installed face of `family` has a glyph for (empty when not installed)."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for line in fc_list(f":family={pattern_value(family)}", "%{file}|%{index}\n"):
        path, _, index = line.rpartition("|")
        try:
            with TTFont(path, fontNumber=int(index or 0), lazy=True) as font:
                points.update(font.getBestCmap() or {})
        except Exception:  # fontTools raises assorted errors for a font it cannot read: it covers nothing
            continue
    return frozenset(points)


def fonts_having(characters: str) -> list[str]:
    """Installed families with a glyph for every one of `characters`, by name."""
    charset = " ".join(f"{ord(c):x}" for c in sorted(set(characters)))
    names = {line.split(",")[0] for line in fc_list(f":charset={charset}", "%{family}\n")}
    return sorted(names, key=lambda name: (name != LAST_RESORT, name))


def missing(text: str, families: tuple[str, ...]) -> str:
    """The characters of `text` (in order of first use) that none of `families` can draw."""
    have = frozenset().union(*(coverage(f) for f in families))
    wanted = dict.fromkeys(c for c in text if ord(c) > 0x7E and unicodedata.category(c) not in _SKIPPED)
    return "".join(c for c in wanted if ord(c) not in have)


def glyph_warnings(pack: Pack) -> list[Problem]:
    """A warning per font (a level's or the theme's body and heading font, with the fallbacks) that
    cannot draw all the text; and one per font named that is not installed (DejaVu Sans would stand in)."""
    theme = pack.theme
    stacks = dict.fromkeys(
        (primary, *theme.fallback_fonts)
        for level in pack.levels
        for primary in (theme.body_font or level.font_family, theme.heading_font or level.heading_family)
    )
    shown = display_path(pack.root / PACK_FILE)
    out = []
    absent = [f for f in dict.fromkeys(f for stack in stacks for f in stack) if not installed(f)]
    for family in absent:
        out.append(Problem(shown, None, "", f"font '{family}' is not installed, so the PDF uses {LAST_RESORT} "
                           "instead; install it (./setup.sh installs the built-in ones) or choose another", "TP403"))
    texts = [(pack.article_path, pack.article_text), *((pack.root / PACK_FILE, v) for v in _strings(pack))]
    texts += [(pack.article_path, text) for text in pack.level_texts.values()]
    everything = "".join(text for _, text in texts)
    for stack in stacks:
        lacking = missing(everything, tuple(f for f in stack if f not in absent))
        if not lacking or stack[0] in absent:
            continue
        path, line = next((p, t[: t.find(lacking[0])].count("\n") + 1) for p, t in texts if lacking[0] in t)
        having = fonts_having(lacking)
        listed = " ".join(lacking[:20]) + (" ..." if len(lacking) > 20 else "")
        fix = (f"{having[0]} has them: add it to theme: fonts: fallback: in {PACK_FILE}" if having else
               "no installed font has them: install one (Debian: fonts-wqy-microhei or fonts-noto-cjk for Chinese) "
               "and add it to theme: fonts: fallback:")
        out.append(Problem(display_path(path), line if path == pack.article_path else None, "",
                           f"{', '.join(stack)} cannot draw {listed}; {fix}", "TP404"))
    return out


def _strings(pack: Pack) -> list[str]:
    """Every text value of pack.yaml (titles, glossary, questions ...)."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(pack.file.model_dump(mode="json", exclude={"profiles", "corrections", "dictionary"}))
    return found
