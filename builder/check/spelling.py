"""Likely misspellings, each with a suggestion, deterministic and offline.

Words come from pyspellchecker's English list (or are common in wordfreq). Suggestions are the
dictionary words within two edits (rapidfuzz, optimal string alignment), ranked by edit distance,
then by whether the article itself uses the word, then by frequency, then alphabetically, so the
result never depends on PYTHONHASHSEED as pyspellchecker's own `correction()` does. Capitalised
words the dictionary lacks are names unless the article spells a close name otherwise
("Stakin" beside "Stalin"); names go to `dictionary:` and are not flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from builder.core.text import MAX_WORD  # a longer token gets no suggestion

WORD = re.compile(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*")
COMMON = 3.0  # wordfreq Zipf frequency from which a word the dictionary lacks is still a word
SURE_RATIO = 5  # a suggestion is sure when it is this many times more frequent than the next one
DOUBLED_OK = {"that", "had", "is"}
NAME_EVIDENCE = 3  # how often the article must write a name for a near miss of it to be corrected by itself
# Bounds on the suggestion search, so that a hostile article stays linear in its size (issue 11):
MAX_SEARCHED = 500  # distinct unknown words searched for a suggestion; the rest get none


@dataclass(frozen=True)
class Misspelling:
    word: str  # as written, with the rest of its hyphenated compound
    suggestion: str | None
    count: int
    sure: bool  # sure suggestions go into pack.yaml's corrections:, the others only into the report


@dataclass
class Spelling:
    misspellings: list[Misspelling] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


@cache
def _dictionary() -> dict[str, int]:
    from spellchecker import SpellChecker

    return dict(SpellChecker().word_frequency.dictionary)


@cache
def _lengths() -> dict[int, list[str]]:
    """Dictionary words by length, the rarest (count 50, pyspellchecker's floor) left out; one pass."""
    out: dict[int, list[str]] = {}
    for word, count in _dictionary().items():
        if count > 50:
            out.setdefault(len(word), []).append(word)
    return out


def _by_length(length: int) -> list[str]:
    return _lengths().get(length, [])


def dictionary_count(word: str) -> int:
    """How often pyspellchecker saw `word` (0 if never; 50 is its floor, for its rarest words)."""
    return _dictionary().get(word.lower(), 0)


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


def is_word(word: str, extra: Iterable[str] = ()) -> bool:
    """Whether `word` (any case) is an English word: in the dictionary, common in wordfreq, or a
    regular form of one ("retellings", "conformed", "piercing"): a valid form is never a misspelling."""
    lower = word.lower()
    if _known(lower, extra):
        return True
    return any(_known(stem, extra) for stem in _stems(lower))


def _known(lower: str, extra: Iterable[str] = ()) -> bool:
    return lower in _dictionary() or lower in extra or (len(lower) > 2 and _zipf(lower) >= COMMON) \
        or any(v in _dictionary() for v in _american(lower))


# British spellings and the American ones the dictionary lists: "fertiliser" is "fertilizer" spelt the
# other way, not a misspelling of it.
_SPELLINGS = (("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("ises", "izes"), ("ising", "izing"),
              ("yse", "yze"), ("our", "or"), ("ours", "ors"), ("tre", "ter"), ("tres", "ters"), ("ogue", "og"),
              ("lled", "led"), ("lling", "ling"), ("ence", "ense"))


def _american(lower: str) -> list[str]:
    return [lower[: -len(b)] + a for b, a in _SPELLINGS if lower.endswith(b) and len(lower) > len(b) + 2]


# Regular endings: (ending, what replaces it) for plurals, tenses, comparatives and -ly adverbs.
_ENDINGS = (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ily", "y"), ("es", ""), ("s", ""),
            ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""),
            ("est", "e"), ("ly", ""))


def _stems(lower: str) -> list[str]:
    """The words `lower` may be a regular form of, longest first; a doubled consonant undone
    ("stopped" -> "stop"). Only stems of four letters or more, so "bed" is not a form of "b"."""
    stems = []
    for ending, replacement in _ENDINGS:
        if lower.endswith(ending):
            stem = lower[: -len(ending)] + replacement
            stems.append(stem)
            if not replacement and len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiouy":
                stems.append(stem[:-1])
    return [s for s in stems if len(s) >= 4]


@dataclass
class _Article:
    """What the suggestion search knows of the article, gathered once per check."""

    surfaces: dict[str, Counter[str]]  # each known word, lowercased -> how the article writes it
    protected: set[str]
    names: list[str]
    searches_left: int
    words: list[str] = field(init=False)  # the known words, as rapidfuzz's choices
    capitalised: list[str] = field(init=False)  # those the article writes with a capital

    def __post_init__(self) -> None:
        self.words = list(self.surfaces)
        self.capitalised = [w for w, forms in self.surfaces.items() if any(f[0].isupper() for f in forms)]


def check_spelling(texts: list[str], protected: Iterable[str] = ()) -> Spelling:
    """Misspellings and names in `texts` (the article's headings and paragraphs).

    O(n) in the length of the texts: each distinct token is checked once, and the suggestion
    search is bounded per word (MAX_WORD) and in number (MAX_SEARCHED).
    """
    # Protect each word of a name and each part of a hyphenated one ("Kai-shek" -> kai-shek, kai, shek).
    protected = {w.lower() for term in protected for token in WORD.findall(term) for w in (token, *token.split("-"))}
    tokens = [match.group() for text in texts for match in WORD.finditer(text)]
    counts = Counter(tokens)
    known = {token: count for token, count in counts.items()
             if "-" not in token and is_word(_bare(token), protected)}
    surfaces: dict[str, Counter[str]] = {}
    for token in known:
        surfaces.setdefault(_bare(token).lower(), Counter())[_bare(token)] += known[token]
    compounds = {token.replace("-", "").lower(): token for token in tokens if "-" in token}
    result = Spelling()
    article = _Article(surfaces, protected, result.names, MAX_SEARCHED)
    seen: dict[str, Misspelling] = {}
    for token, count in counts.items():
        found = _check_token(token, compounds, article)
        if found:
            seen[token] = Misspelling(token, found[0], count, found[1])
    together = _clustered(texts, set(seen))
    written = Counter(token.lower() for token in tokens)
    for token, slip in seen.items():
        # A correction applies by itself only to a slip: a word of four letters or more, written once or
        # twice, not beside another unknown word. A spelling used again and again is the writer's choice
        # ("rewilding"); unknown words side by side are a phrase in another language ("mkono wa damu") or
        # code, where a nearby English word ("damn") is never what was meant.
        if slip.sure and (written[token.lower()] > 2 or len(_bare(token)) < 4 or token in together):
            seen[token] = replace(slip, sure=False)
    for text in texts:
        for match in re.finditer(r"\b([A-Za-z]+)\s+\1\b", text):
            if match.group(1).lower() not in DOUBLED_OK and not match.group(1)[0].isupper():  # Maji Maji, Bora Bora
                seen.setdefault(match.group(), Misspelling(match.group(), match.group(1), 1, True))
    result.misspellings = sorted(seen.values(), key=lambda m: m.word.casefold())
    result.names = sorted(set(result.names), key=str.casefold)
    return result


def _clustered(texts: list[str], unknown: set[str]) -> set[str]:
    """The unknown tokens that stand within two words of another unknown one."""
    out: set[str] = set()
    for text in texts:
        tokens = [m.group() for m in WORD.finditer(text)]
        marks = [n for n, t in enumerate(tokens) if t in unknown]
        for a, b in zip(marks, marks[1:], strict=False):
            if b - a <= 2:
                out.update((tokens[a], tokens[b]))
    return out


def _bare(token: str) -> str:
    """Without a possessive ending: "Stalin's" -> "Stalin"."""
    return re.sub(r"['\u2019]s?$", "", token)


def _check_token(token: str, compounds: dict[str, str], article: _Article) -> tuple[str | None, bool] | None:
    """(suggestion, sure) for a misspelt token, or None; unknown capitalised words go to `names`."""
    bare = _bare(token)
    if "-" not in bare and bare.lower() in compounds and not is_word(bare, article.protected):
        # "deStalinization" beside "de-Stalinization": the hyphen went missing.
        compound = compounds[bare.lower()]
        return bare[0] + compound[1:], True
    parts = bare.split("-")
    fixed, sure, wrong = [], True, False
    for part in parts:
        result = _check_word(part, article)
        if result is None:
            fixed.append(part)
            continue
        wrong = True
        suggestion, part_sure = result
        fixed.append(suggestion or part)
        sure = sure and part_sure and suggestion is not None
    if not wrong:
        return None
    suggestion = "-".join(fixed) + token[len(bare):]
    return (suggestion if suggestion != token else None), sure


def _check_word(word: str, article: _Article) -> tuple[str | None, bool] | None:
    surfaces, protected, names = article.surfaces, article.protected, article.names
    short_known = word.lower() in _dictionary() or word.lower() in protected
    if len(word) < 2 or (is_word(word, protected) if len(word) > 2 else short_known):
        return None  # two-letter words must be in the dictionary: wordfreq counts typos such as "pf"
    if word.isupper():  # acronyms (PRC, BC) are not words to check
        return None
    if sum(c.isupper() for c in word) > 1:  # mixed case (NAZIs, McCarthy): names
        names.append(word)
        return None
    lower = word.lower()
    capital = word[0].isupper()
    candidates: list[tuple[int, str]] = []
    if len(lower) <= MAX_WORD and article.searches_left > 0:
        article.searches_left -= 1
        candidates = _candidates(lower, article, capital)
    if not candidates:
        if capital:
            names.append(word)
            return None
        return None, False
    best = candidates[0]
    text = _surface(best[1], surfaces, word)
    seconds = [c for c in candidates[1:] if c[0] == best[0]]
    sure = best[0] == 1 and (not seconds or best[1] in surfaces or
                             _dictionary().get(best[1], 0) >= SURE_RATIO * _dictionary().get(seconds[0][1], 1))
    # Only a correction that cannot change meaning or grammar is applied by itself: never one that only
    # changes a word's ending, and a name only back to the spelling the article itself uses again and
    # again ("Stakin" among a dozen "Stalin"), never to another name or a dictionary word.
    restores = best[1] in surfaces and sum(surfaces[best[1]].values()) >= NAME_EVIDENCE
    sure = sure and (not capital or restores) and not _same_stem(lower, best[1])
    return text, sure


def _same_stem(word: str, suggestion: str) -> bool:
    """Whether the suggestion only changes the word's ending ("storys" -> "story", "walkes" ->
    "walked"): the ending is a choice of grammar, not of spelling, so it is only suggested."""
    if " " in suggestion:
        return False
    mine, theirs = {word, *_stems(word)}, {suggestion, *_stems(suggestion)}
    return bool(mine & theirs)


def _candidates(lower: str, article: _Article, capital: bool) -> list[tuple[int, str]]:
    """(edit distance, word) pairs, best first. A capitalised word only matches the article's own names.

    O(D + V + len(lower)) for D dictionary words of about its length and V known article words.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    limit = 1 if len(lower) <= 4 else 2
    if capital:
        found = [(int(d), w) for w, d, _ in process.extract(lower, article.capitalised, scorer=OSA.distance,
                                                             score_cutoff=limit, limit=None)]
    else:
        found = [(int(d), w) for n in range(len(lower) - limit, len(lower) + limit + 1)
                 for w, d, _ in process.extract(lower, _by_length(n), scorer=OSA.distance, score_cutoff=limit,
                                                limit=None)]
        found += [(int(d), w) for w, d, _ in process.extract(lower, article.words, scorer=OSA.distance,
                                                             score_cutoff=limit, limit=None)]
    surfaces = article.surfaces
    found += [(1, split) for split in _splits(lower, surfaces, capital)]
    counts = _dictionary()
    return sorted(set(found), key=lambda c: (c[0], c[1].split()[0] not in surfaces, -counts.get(c[1], 0), c[1]))


FUNCTION_WORD = 5.5  # Zipf frequency of "was", "with", "the": the words most often run into another


def _splits(lower: str, surfaces: dict[str, Counter[str]], capital: bool) -> list[str]:
    """Two words run together: "relationwith" -> "relation with", "Russiawas" -> "Russia was".

    One of the two must be a function word, the other a common word or one the article uses; a
    capitalised word splits only into a name the article writes with a capital ("Lockport" stays).
    O(len(lower)): only the cuts that leave a part as short as a function word are tried.
    """
    out = []
    short = _function_word_length()
    cuts = range(2, len(lower) - 1)
    for i in sorted({*cuts[:short], *cuts[-short:]}) if short else ():
        first, second = lower[:i], lower[i:]
        if capital and not (first in surfaces and any(f[0].isupper() for f in surfaces[first])):
            continue
        zipfs = [_zipf(first), _zipf(second)]
        if all(len(part) > 2 and part in _dictionary() for part in (first, second)) and max(zipfs) >= FUNCTION_WORD \
                and all(z >= 3.5 or part in surfaces for z, part in zip(zipfs, (first, second), strict=True)):
            out.append(f"{first} {second}")
    return out


@cache
def _function_word_length() -> int:
    """The length of the longest word as frequent as a function word ("government", 10 letters)."""
    from wordfreq import top_n_list

    size = 500
    while True:  # wordfreq ranks by frequency: once the last word is rarer, every function word is in
        top = top_n_list("en", size)
        if len(top) < size or _zipf(top[-1]) < FUNCTION_WORD:
            return max((len(w) for w in top if _zipf(w) >= FUNCTION_WORD), default=0)
        size *= 2


def _surface(suggestion: str, surfaces: dict[str, Counter[str]], original: str) -> str:
    """Write the suggestion as the article writes that word (Stalin), else in the original's case."""
    words = suggestion.split()
    out = []
    for n, word in enumerate(words):
        forms = surfaces.get(word)
        if forms and any(f[0].isupper() for f in forms) and all(f[0].isupper() for f in forms):
            out.append(forms.most_common(1)[0][0])
        elif n == 0 and original[0].isupper():
            out.append(word[0].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)
