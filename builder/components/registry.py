"""The one registry of components and worksheet item kinds: built-in modules, then installed plugins.

A built-in kind is a module of `builder/components/` or `builder/components/items/` that defines
`KIND` (or `KINDS`): adding the module registers it, with no list to edit. An installed package adds
its own through the `teachpack.components` entry-point group (docs/extending.md). Both are read on
first use. Looking up a kind that is not registered raises an error naming it: nothing falls
through silently.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from builder.components.api import ComponentKind, ItemKind
from builder.core import labels
from builder.core.errors import TeachpackError, did_you_mean
from builder.core.paths import TEMPLATES
from builder.model import Component, Item

ENTRY_POINTS = "teachpack.components"
_PACKAGES = ("builder.components", "builder.components.items")  # where built-in kinds live


@dataclass(frozen=True)
class Plugin:
    """An installed package's entry point, for the fingerprint and error messages."""

    name: str  # the entry point's name
    distribution: str
    version: str


@dataclass(frozen=True)
class Registry:
    components: dict[str, ComponentKind]
    items: dict[str, ItemKind]
    plugins: tuple[Plugin, ...]

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Plugins' own template folders, searched after the built-in templates."""
        kinds: Iterable[ComponentKind | ItemKind] = (*self.components.values(), *self.items.values())
        return tuple(dict.fromkeys(k.templates for k in kinds if k.templates is not None))


def _kinds(value: Any, where: str) -> list[ComponentKind | ItemKind]:
    values = list(value) if isinstance(value, list | tuple) else [value]
    for kind in values:
        if not isinstance(kind, ComponentKind | ItemKind):
            raise TeachpackError(f"{where}: gives {type(kind).__name__}, not a ComponentKind or ItemKind "
                                 "(see docs/extending.md)")
    return values


def _incomplete(kind: ComponentKind | ItemKind) -> str | None:
    """What a kind lacks to be printed in both formats, or None: a kind is checked whole when it is
    registered, so a missing template or writer is never found halfway through a build."""
    needed: dict[str, object] = {"docx": kind.docx}
    if isinstance(kind, ItemKind):
        needed |= {"build": kind.build, "answers": kind.answers, "count": kind.count}
        if not (isinstance(kind.spec, type) and issubclass(kind.spec, BaseModel)
                and "type" in kind.spec.model_fields and typing.get_args(kind.spec.model_fields["type"].annotation)
                == (kind.type,)):
            return f'has no spec with `type: Literal["{kind.type}"]`'
        if not (isinstance(kind.node, type) and issubclass(kind.node, Item)):
            return "has a node that is not a builder.model.Item"
    elif not (isinstance(kind.node, type) and issubclass(kind.node, Component)):
        return "has a node that is not a builder.model.Component"
    for role, value in needed.items():
        if not callable(value):
            return f"has no {role} function"
    if kind.template:  # the custom kind's template is named by each use
        folders = (TEMPLATES, *([kind.templates] if kind.templates else []))
        if not any((folder / kind.template).is_file() for folder in folders):
            return f"has no template '{kind.template}' in {', '.join(str(f) for f in folders)}"
    return None


@cache
def registry() -> Registry:
    """Every registered kind: the built-in ones, then each installed plugin's (read once)."""
    components: dict[str, ComponentKind] = {}
    items: dict[str, ItemKind] = {}
    plugins: list[Plugin] = []

    def add(kind: ComponentKind | ItemKind, where: str) -> None:
        table: dict[str, Any] = components if isinstance(kind, ComponentKind) else items
        name = kind.name if isinstance(kind, ComponentKind) else kind.type
        if name in components or name in items:
            raise TeachpackError(f"{where}: a kind named '{name}' is registered already; give it another name")
        if problem := _incomplete(kind):
            raise TeachpackError(f"{where}: kind '{name}' {problem} (see docs/extending.md)")
        try:
            labels.add_defaults(kind.labels, where)
        except ValueError as exc:
            raise TeachpackError(str(exc)) from None
        table[name] = kind

    for package in _PACKAGES:
        folder = Path(importlib.import_module(package).__path__[0])
        for info in sorted(pkgutil.iter_modules([str(folder)]), key=lambda i: i.name):
            module = importlib.import_module(f"{package}.{info.name}")
            found = getattr(module, "KINDS", None) or getattr(module, "KIND", None)
            if found is not None:
                for kind in _kinds(found, module.__name__):
                    add(kind, module.__name__)
    # Authored questions before generated activities, as pack.yaml's docs and error messages list them.
    items = dict(sorted(items.items(), key=lambda pair: pair[1].generated))
    for point in sorted(entry_points(group=ENTRY_POINTS), key=lambda p: p.name):
        dist = point.dist
        where = f"plugin '{point.name}' ({point.value}{f', from {dist.name}' if dist else ''})"
        try:
            loaded = point.load()
        except Exception as exc:  # a plugin is someone else's code: say which one failed, and how
            raise TeachpackError(f"{where}: cannot be loaded ({type(exc).__name__}: {exc}); reinstall or "
                                 "uninstall that package") from None
        for kind in _kinds(loaded, where):
            add(kind, where)
        plugins.append(Plugin(point.name, dist.name if dist else "", dist.version if dist else ""))
    return Registry(components, items, tuple(plugins))


_Kind = typing.TypeVar("_Kind", ComponentKind, ItemKind)


def _look_up(kinds: dict[str, _Kind], name: str, what: str) -> _Kind:
    """`kinds[name]`, or one line naming what is missing and how to get it."""
    if name not in kinds:
        raise TeachpackError(f"no {what} '{name}' is registered{did_you_mean(name, kinds)}; "
                             "install the package that provides it")
    return kinds[name]


def item_kind(type_name: str) -> ItemKind:
    """The kind of worksheet item `type_name`; an error naming it when none is registered."""
    return _look_up(registry().items, type_name, "worksheet item kind")


def component_kind(name: str) -> ComponentKind:
    """The component called `name`; an error naming it when none is registered."""
    return _look_up(registry().components, name, "component")


def kind_of(node: Component | Item) -> ComponentKind | ItemKind:
    """The kind that printed `node` belongs to: items by their `type`, components by their node class."""
    if isinstance(node, Item):
        return item_kind(node.type)
    for kind in registry().components.values():
        if type(node) is kind.node:
            return kind
    raise TeachpackError(f"no component kind is registered for {type(node).__name__}; register it in "
                         "builder/components/registry.py or through a plugin")


def component_of(node: Component) -> ComponentKind:
    kind = kind_of(node)
    assert isinstance(kind, ComponentKind)
    return kind


def listable_components() -> tuple[str, ...]:
    """The names `contents:` may list: components and generated activities."""
    reg = registry()
    return (*(n for n, k in reg.components.items() if k.listable), *(t for t, k in reg.items.items() if k.generated))


def answer_lines(item: Item, words: Mapping[str, str]) -> list[str]:
    """The answer key's lines for `item`, in the pack's words: both renderers print these."""
    return item_kind(item.type).answers(item, words)


def item_count(item: Item) -> int:
    """How many things a student answers in `item`, for the teacher's overview."""
    return item_kind(item.type).count(item)
