"""Spelling: an automatic correction only where it cannot change meaning or grammar (issue 13, item 3)."""

from __future__ import annotations

import pytest

from builder.check.spelling import _same_stem, check_spelling, is_word


@pytest.mark.parametrize("word", ["retellings", "conforms", "pierces", "stopped", "happiest", "quarrelled",
                                  "carried", "hurrying"])
def test_a_regular_form_of_a_word_is_a_word(word: str) -> None:
    assert is_word(word)


def test_valid_forms_are_never_corrected() -> None:
    found = check_spelling(["Of the many retellings, two conform and one pierces the myth; it stopped there."])
    assert found.misspellings == []


def test_a_plain_typo_is_a_sure_correction() -> None:
    (typo,) = check_spelling(["The goverment met again in the spring."]).misspellings
    assert (typo.word, typo.suggestion, typo.sure) == ("goverment", "government", True)


def test_a_name_is_corrected_only_back_to_the_articles_own_spelling() -> None:
    once = {m.word: m for m in check_spelling(["Stalin spoke first. Later Stakin spoke again."]).misspellings}
    assert once["Stakin"].suggestion == "Stalin" and not once["Stakin"].sure  # one "Stalin" proves nothing
    often = {m.word: m for m in check_spelling(["Stalin spoke. Stalin wrote. Stalin left. Then Stakin came back."])
             .misspellings}
    assert often["Stakin"].sure


def test_a_change_of_ending_is_never_sure() -> None:
    """Which ending a word takes is grammar, not spelling: such a suggestion is never applied by itself."""
    assert _same_stem("storys", "story") and _same_stem("walkes", "walked") and _same_stem("retellings", "retelling")
    assert not _same_stem("goverment", "government") and not _same_stem("walkingg", "walking")


@pytest.mark.parametrize("word", ["fertiliser", "colour", "organisation", "centre", "analysed", "travelled"])
def test_a_british_spelling_is_a_word(word: str) -> None:
    assert is_word(word)


def test_a_spelling_the_writer_repeats_is_never_sure() -> None:
    """Three times is a choice ("rewilding"), not a slip: only a suggestion."""
    text = ["Rewilding helps. The rewilding began in 2016, and rewilding still goes on; wildlife came back."]
    found = {m.word.lower(): m for m in check_spelling(text).misspellings}
    assert all(not m.sure for m in found.values())


def test_unknown_words_side_by_side_are_not_corrected() -> None:
    """A phrase in another language: its words are not slips for nearby English words ("damu" -> "damn")."""
    found = check_spelling(['His nickname was "mkono wa damu," the man with the bloody hand.']).misspellings
    assert found and all(not m.sure for m in found)


def test_short_tokens_are_never_sure() -> None:
    found = check_spelling(["Set pp to the value, then btp the next one."]).misspellings
    assert all(not m.sure for m in found)


def test_a_doubled_name_is_not_a_doubled_word() -> None:
    """"Maji Maji" and "Bora Bora" are names; "the the" is a slip."""
    found = {m.word: m for m in check_spelling(["The Maji Maji war began. It was the the end."]).misspellings}
    assert "Maji Maji" not in found and found["the the"].sure
