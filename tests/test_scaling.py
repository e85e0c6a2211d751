"""The text algorithms stay linear on hostile input (issue 11), and the fast scans find what the
plain ones did.

Each scaling test times one function at size n and 4n in the same run and bounds the ratio
(linear is about 4, quadratic 16): shared machines make absolute times meaningless. Each size
is timed on fresh input (wordfreq caches its answers) with the garbage collector off, as timeit
does, and the best of three runs counts, after a warm-up that loads the dictionaries.
benchmarks/hostile.py prints the times and memory at the largest sizes.
"""

from __future__ import annotations

import gc
import itertools
import random
import re
import string
import time
from collections.abc import Callable, Iterator
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.check import readability, spelling
from builder.components.api import ItemContext, Material
from builder.components.items.cloze import ClozeActivity
from builder.components.items.cloze import build as build_cloze
from builder.core.labels import english
from builder.load.article import parse_article
from builder.load.loader import load_pack
from builder.load.schema import GlossaryEntry
from builder.resolve.document import bold_first_use
from builder.resolve.terms import TermIndex

from .conftest import EXAMPLE

FACTOR = 4
MOST = 8.0  # linear would be about 4 and quadratic 16; the margin is for noise


SEEDS = itertools.count(1)  # fresh input for every timed run


def best_time(make: Callable[[int], Callable[[], object]], size: int, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        run = make(size)
        gc.disable()
        try:
            started = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - started)
        finally:
            gc.enable()
    return best


def assert_linear(make: Callable[[int], Callable[[], object]], size: int) -> None:
    """`make(size)` prepares a call on input of that size; 4 times the input may take at most 8 times as long."""
    make(size)()
    ratio = best_time(make, FACTOR * size) / best_time(make, size)
    if ratio >= MOST:  # a shared machine can stall one measurement; a real quadratic is slow every time
        ratio = min(ratio, best_time(make, FACTOR * size) / best_time(make, size))
    assert ratio < MOST, f"{FACTOR}x the input took {ratio:.1f}x as long (linear is about {FACTOR})"


def letters(n: int, seed: float | None = None) -> str:
    rng = random.Random(next(SEEDS) if seed is None else seed)
    return "".join(rng.choices(string.ascii_lowercase, k=n))


def made_up_terms(count: int) -> list[str]:
    rng = random.Random(count)
    names: set[str] = set()
    while len(names) < count:
        names.add(" ".join(letters(rng.randint(4, 9), rng.random()) for _ in range(rng.randint(1, 3))))
    return sorted(names)


def many_terms(count: int) -> tuple[list[GlossaryEntry], str]:
    names = made_up_terms(count)
    glossary = [GlossaryEntry(term=name, definition=f"The meaning of {name}.") for name in names]
    return glossary, " ".join(f"Then the {name} came to the people of the city." for name in reversed(names))


# Spelling


def test_a_one_word_article_is_checked_in_linear_time() -> None:
    assert_linear(lambda n: partial(spelling.check_spelling, [letters(n)]), 100_000)


def test_a_word_too_long_for_any_dictionary_word_gets_no_suggestion() -> None:
    found = spelling.check_spelling([letters(spelling.MAX_WORD + 1)]).misspellings
    assert [(m.suggestion, m.sure) for m in found] == [(None, False)]


def test_run_together_words_are_split_in_linear_time() -> None:
    assert spelling._splits("relationwith", {}, False) == ["relation with"]
    assert_linear(lambda n: partial(spelling._splits, letters(n), {}, False), 4_000)


def test_many_unknown_words_are_checked_in_linear_time(monkeypatch) -> None:
    monkeypatch.setattr(spelling, "MAX_SEARCHED", 20)  # the suggestion search is bounded in number
    rng = random.Random(2)
    assert_linear(lambda n: partial(spelling.check_spelling, [" ".join(letters(rng.randint(5, 9)) for _ in range(n))]),
                  2_000)


def test_only_the_first_unknown_words_are_searched_for_a_suggestion(monkeypatch) -> None:
    monkeypatch.setattr(spelling, "MAX_SEARCHED", 1)
    found = {m.word: m.suggestion for m in spelling.check_spelling(["The governmnet and the seperate."]).misspellings}
    assert found == {"governmnet": "government", "seperate": None}


# Readability


def test_a_run_of_end_marks_is_measured_in_linear_time() -> None:
    assert_linear(lambda n: (lambda text="a" + "!" * n + "x": readability.measure(text)), 20_000)
    # "Done" is a sentence of its own, though unterminated (the old count saw only end marks: 4)
    assert readability.measure("Wait... What?! No. Yes.\u201d Done").sentences == 5


def test_a_long_run_of_letters_is_measured_in_linear_time() -> None:
    assert_linear(lambda n: partial(readability.measure, letters(n)), 50_000)


# Glossary terms


def test_a_capitalised_term_repeated_is_scanned_in_linear_time() -> None:
    index = TermIndex([GlossaryEntry(term="alliance", definition="d")])
    assert index.used("It was the Alliance and the Alliance.") == set()  # a name, not the term
    assert_linear(lambda n: (lambda text="It was the Alliance " * (n // 20): index.used(text)), 100_000)


def test_a_long_form_over_text_repeating_its_beginning_is_scanned_in_linear_time() -> None:
    index = TermIndex([GlossaryEntry(term="a " * 200 + "b", definition="d")])  # a walk from each "a" would be 400 long
    assert_linear(lambda n: (lambda text="a " * (n // 2): index.used(text)), 100_000)


def test_many_terms_in_one_paragraph_are_bolded_without_recursion_in_linear_time() -> None:
    def make(count: int) -> Callable[[], object]:
        glossary, paragraph = many_terms(count)
        sections = parse_article(f"## A\n\n{paragraph}\n").sections
        return lambda: bold_first_use(sections, glossary)

    glossary, paragraph = many_terms(1_200)
    marked = bold_first_use(parse_article(f"## A\n\n{paragraph}\n").sections, glossary)
    assert sum(run.term for run in marked[0].blocks[0].runs) == 1_200
    assert_linear(make, 300)


def test_many_terms_make_a_cloze_in_linear_time() -> None:
    level = load_pack(EXAMPLE).levels[0]

    def make(count: int) -> Callable[[], object]:
        glossary, paragraph = many_terms(count)
        material = Material(parse_article(f"## A\n\n{paragraph}\n").sections, tuple(glossary), ())
        return lambda: build_cloze(ClozeActivity(type="cloze"), ItemContext(1, level, material, random.Random(1), english()))

    assert_linear(make, 300)


def test_the_unused_term_scan_is_linear_in_the_number_of_terms() -> None:
    def make(count: int) -> Callable[[], object]:
        glossary, paragraph = many_terms(count)
        index = TermIndex(glossary)
        return lambda: index.used(paragraph)

    assert_linear(make, 1_000)


# The one-pass scan finds what one regex per term finds (the code it replaced, kept here as the reference).


def reference_hits(entry: GlossaryEntry, text: str) -> Iterator[tuple[int, int, str]]:
    words = sorted({entry.term, *entry.forms}, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(w) for w in words)})(?![\w-])", re.IGNORECASE)
    for match in pattern.finditer(text):
        before = text[: match.start()]
        sentence_start = not before.strip() or before.rstrip()[-1] in ".!?:\"\u201c"
        if entry.term == entry.term.lower() and match.group()[0].isupper() and not sentence_start:
            continue
        yield match.start(), match.end(), entry.term


def reference_first_uses(entries: list[GlossaryEntry], text: str) -> list[tuple[int, int, str]]:
    """Each term's first use, left to right, the text after each use searched afresh (as it was cut off)."""
    pending, out, offset = {e.term: e for e in entries}, [], 0
    while pending:
        found = [next((hit for hit in reference_hits(e, text[offset:])), None) for e in pending.values()]
        hits = [h for h in found if h]
        if not hits:
            return out
        start, end, term = min(hits, key=lambda h: (h[0], h[0] - h[1], h[2]))
        out.append((offset + start, offset + end, term))
        del pending[term]
        offset += end
    return out


WORDS = ["war", "cold", "Cold", "War", "the", "party", "Party", "alliance", "ALLIANCE", "x-ray", "é", "É", ".", ",",
         ":", "\u201c", "-", "_", " ", "  ", "war-", "cold war", "Cold War"]
TERMS = ["cold war", "Cold War", "war", "alliance", "party", "Party", "the party", "x-ray", "a", "é", "war.", ":"]
FORMS = ["wars", "Alliance", "alliances", "party line", "cold", "the", "War Party", "a war"]
glossaries = st.lists(st.tuples(st.sampled_from(TERMS), st.lists(st.sampled_from(FORMS), max_size=2)),
                      min_size=1, max_size=5, unique_by=lambda t: t[0].lower()).map(
    lambda rows: [GlossaryEntry(term=term, definition="d", forms=tuple(set(forms) - {term})) for term, forms in rows])
texts = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(glossaries, texts)
def test_the_one_pass_scan_finds_what_one_regex_per_term_finds(glossary: list[GlossaryEntry], text: str) -> None:
    expected = sorted((hit for entry in glossary for hit in reference_hits(entry, text)),
                      key=lambda h: (h[0], h[0] - h[1], h[2]))
    assert list(TermIndex(glossary).hits(text)) == expected
    assert list(TermIndex(glossary).first_uses(text)) == reference_first_uses(glossary, text)
    assert TermIndex(glossary).used(text) == {term for _, _, term in expected}
