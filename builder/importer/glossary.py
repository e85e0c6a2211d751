"""Draft the glossary: the source's own, or candidate terms with definitions left to write.

Candidates are names of treaties, wars, parties and the like ("Korean War"), words for movements
and policies ("Marxism", "de-Stalinization"), and words rare for school readers by wordfreq.
Their definitions stay empty: the pack builds, and `teachpack check` lists each one to write.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from builder.check.spelling import dictionary_count
from builder.importer.sections import Section

_HEADS = {"act", "accords", "agreement", "alliance", "army", "bloc", "campaign", "charter", "conference", "congress",
          "constitution", "convention", "council", "crisis", "curtain", "declaration", "doctrine", "embargo", "empire",
          "league", "leap", "movement", "organization", "organisation", "pact", "party", "plan", "policy",
          "race", "rebellion", "reform", "republic", "revolution", "treaty", "union", "war", "wall"}
_LEADING = {"the", "a", "an", "in", "on", "at", "by", "for", "from", "during", "after", "before", "when", "while",
            "and", "but", "of", "to", "with", "this", "that", "these", "those"}
_NAME_WORD = r"(?:[A-Z][\w'\u2019-]*|\d+(?:st|nd|rd|th))"
_PHRASE = re.compile(rf"{_NAME_WORD}(?:(?:\s+|,\s+(?:and\s+)?|\s+(?:of|and|for|on)\s+(?:the\s+)?){_NAME_WORD})*")
_ISM = re.compile(r"\b[A-Za-z][\w-]*(?:ism|isation|ization)\b")
RARE = 3.0  # wordfreq Zipf below which a word is rare for grades 3-8 (3 = once per million words)
MAX_NAMES, MAX_ISMS, MAX_RARE = 6, 3, 5


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    forms: tuple[str, ...]
    why: str  # for the report: where the term came from


def draft_glossary(sections: list[Section], imported: list[tuple[str, str]], title: str = "") -> list[Term]:
    """The source's glossary when it has one, else candidate terms found in the article."""
    if imported:
        terms: dict[str, Term] = {}
        for term, definition in imported:
            terms.setdefault(term.casefold(), Term(term, definition, (), "from the source's glossary"))
        return list(terms.values())
    body = [text for section in sections for block in section.blocks if block.kind in ("text", "quote", "list")
            for text in (block.text, *block.items)]
    return [*_names(body, title), *_isms(body, [s.title for s in sections]), *_rare_words(body)]


def _names(body: list[str], title: str) -> list[Term]:
    found: Counter[str] = Counter()
    for text in body:
        for match in _PHRASE.finditer(text):
            words = match.group().split()
            while words and (words[0].lower() in _LEADING or re.search(r"['\u2019]s$", words[0])):
                words.pop(0)  # "The Korean War", "In 1950", "Mao's Great Leap": the name is what follows
            phrase = " ".join(words).rstrip(",")
            if len(words) >= 2 and any(w.strip(",").lower() in _HEADS for w in words):
                found[phrase] += 1
    found.pop(title, None)
    ranked = sorted(found, key=lambda p: -found[p])[:MAX_NAMES]
    return [Term(p, "", (), f"a name of a {_head(p)} ({found[p]}\u00d7)") for p in ranked]


def _head(phrase: str) -> str:
    return next(w.strip(",").lower() for w in phrase.split() if w.strip(",").lower() in _HEADS)


def _isms(body: list[str], headings: list[str]) -> list[Term]:
    """Movement and policy words; spellings that differ only by hyphen or case are one term."""
    from wordfreq import zipf_frequency

    forms: dict[str, Counter[str]] = {}
    for text in [*body, *headings]:
        for word in _ISM.findall(text):
            forms.setdefault(word.replace("-", "").lower(), Counter())[word] += 1
    terms = []
    for key, spellings in forms.items():
        if zipf_frequency(key, "en") >= 4.5:  # "organization", "criticism": every reader knows them
            continue
        hyphenated = [s for s in spellings if "-" in s]
        term = (hyphenated or [spellings.most_common(1)[0][0]])[0]
        others = tuple(s for s in spellings if s.casefold() != term.casefold())
        terms.append(Term(term, "", others, "a movement or policy word"))
    return terms[:MAX_ISMS]


def _rare_words(body: list[str]) -> list[Term]:
    from wordfreq import zipf_frequency

    seen: dict[str, float] = {}
    for text in body:
        # Inflected forms ("couched", "phrased") make poor glossary entries: base forms only.
        for word in re.findall(r"\b[a-z]{6,}\b(?<!ed)(?<!ing)(?<!ly)", text):
            # Above the dictionary's floor count: its rarest entries include typos' twins ("buffon").
            if word not in seen and not _ISM.fullmatch(word) and dictionary_count(word) > 50:
                seen[word] = zipf_frequency(word, "en")
    rare = sorted((z, w) for w, z in seen.items() if 0 < z < RARE)
    return [Term(w, "", (), f"a rare word (Zipf frequency {z:.1f})") for z, w in rare[:MAX_RARE]]
