"""The level drafting aid: for a level that reads above its band, the sentences that push it there,
hardest first, each with concrete suggestions a teacher can act on when writing the level's rewrite.

No automatic rewrite: the suggestions say where a sentence can be split, which aside can go and which
rare words have a commoner word of the same meaning in WordNet (when it is installed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from builder.check.readability import measure
from builder.core import text as t

SHOWN = 5  # sentences listed per level
MIN_WORDS = 8  # a short sentence is never what makes a text hard, whatever its grade

# Places a long sentence can be cut in two: "; ", ", and", ", but", ", which", " while ".
_SPLITS = re.compile(r";\s|,\s(?:and|but|so|while|which|who|because|although)\s|\s\u2014\s|:\s(?=[a-z])")
_ASIDE = re.compile(r"\s\([^()]{3,240}\)|\s?\u2014[^\u2014]{3,160}\u2014|,\s(?:which|who)\s[^,]{3,100},")


@dataclass(frozen=True)
class HardSentence:
    grade: float  # the sentence's own Flesch-Kincaid grade
    words: int
    sentence: str
    suggestions: tuple[str, ...]


def hardest_sentences(text: str, band_high: float, rare_zipf: float = 3.5) -> list[HardSentence]:
    """The sentences of `text` that read above `band_high`, hardest first (grade, then length), SHOWN at most."""
    found = []
    for sentence in t.sentences(text):
        reading = measure(sentence)
        if reading.words < MIN_WORDS or reading.flesch_kincaid <= band_high:
            continue
        found.append((reading.flesch_kincaid, reading.words, sentence))
    found.sort(key=lambda f: (-f[0], -f[1]))
    return [HardSentence(grade, words, sentence, tuple(suggestions(sentence, rare_zipf)))
            for grade, words, sentence in found[:SHOWN]]


def suggestions(sentence: str, rare_zipf: float = 3.5) -> list[str]:
    """What could make the sentence easier: a split, an aside to drop, plainer words."""
    out = []
    cut = next((m for m in _SPLITS.finditer(sentence) if len(t.words(sentence[:m.start()])) >= 4
                and len(t.words(sentence[m.end():])) >= 4), None)
    if cut is not None:
        before = " ".join(sentence[:cut.start()].split()[-3:])
        out.append(f"split it into two sentences after \u201c{before}\u201d")
    aside = _ASIDE.search(sentence)
    if aside is not None:
        out.append(f"the aside \u201c{aside.group().strip(' ,')}\u201d can go or become its own sentence")
    swaps = plainer_words(sentence, rare_zipf)
    if swaps:
        out.append("plainer words: " + ", ".join(f"\u201c{a}\u201d \u2192 \u201c{b}\u201d" for a, b in swaps))
    return out


def plainer_words(sentence: str, rare_zipf: float) -> list[tuple[str, str]]:
    """(rare word, commoner synonym of its single WordNet sense) pairs; none without WordNet."""
    from wordfreq import zipf_frequency

    from builder.importer.lexicon import Lexicon, load_wordnet

    wn = load_wordnet()
    if wn is None:
        return []
    lexicon = Lexicon(wn)
    out = []
    for word in dict.fromkeys(re.findall(r"\b[a-z][a-z-]{3,}\b", sentence)):
        if zipf_frequency(word, "en") >= rare_zipf:
            continue
        plainer = lexicon.plainer(word, broader=False)
        if plainer:
            out.append((word, plainer))
    return out[:4]
