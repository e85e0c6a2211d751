"""Choosing what a generated activity uses from the level's material, the same way on every build."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from builder import model as m
from builder.components.api import ActivitySpec, ItemContext, Material


def pick(rng: random.Random, pool: Sequence[Any], count: int, named: bool) -> list[Any]:
    """Named items keep the author's choice and order; otherwise a seeded sample."""
    return list(pool[:count]) if named else rng.sample(list(pool), min(count, len(pool)))


def named_events(names: tuple[str, ...] | None, material: Material) -> list[m.TimelineItem]:
    """The timeline events an activity names, in its order; when it names none, every event no written
    question asks about."""
    if not names:
        return unasked_events(material)
    return [e for name in names for e in material.timeline if e.title == name]


def unasked_events(material: Material) -> list[m.TimelineItem]:
    """The events no written question of the level names: matching or judging an event's date beside a
    question that asks for it would answer the question."""
    return [e for e in material.timeline if e.title.casefold() not in material.asked]


def title_and_count(spec: ActivitySpec, context: ItemContext, title_key: str) -> tuple[str, int]:
    """The activity's printed title (the pack's, else its label) and how many things it asks."""
    return spec.title or context.words[title_key], spec.count or context.level.items
