"""Draft the glossary: the source's own, or 8 to 15 terms from the article with drafted definitions.

Candidates come from keyphrase extraction (YAKE: statistics of the text itself, no model) and from
words rare for school readers (wordfreq's Zipf frequency). Each is put in its base form ("computes"
-> "compute", plurals -> singular) and ranked by how central it is to the article (YAKE's rank, how
often it occurs) times how hard it is (the rarer, the harder). Names are left out unless the name is
the concept a reader must learn ("Cold War", "Great Leap Forward"): a capitalised phrase is kept
when WordNet files it as an act, event, idea or state, or when it is headed by a word such as War or
Revolution; people, places, institutions, conferences and newspapers are not kept.

Definitions are drafted from WordNet (lexicon.py) in the sense that fits the article's sentences,
marked `drafted: wordnet` in pack.yaml so that `teachpack check` lists them for the teacher to read.
Without WordNet the terms are drafted with empty definitions and the report says why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from builder.check.spelling import dictionary_count
from builder.importer.lexicon import MISSING, SOURCE, STOPWORDS, Lexicon, load_wordnet
from builder.importer.sections import Section

# A capitalised phrase with one of these words names an event or idea: a concept worth defining.
CONCEPT_HEADS = {"accords", "act", "agreement", "campaign", "crisis", "curtain", "doctrine", "embargo", "leap",
                 "movement", "pact", "plan", "policy", "race", "rebellion", "reform", "revolution", "split",
                 "treaty", "war"}
# ...and one with these names an institution, a meeting or a publication: not a glossary term.
INSTITUTION_WORDS = {"academy", "agency", "association", "bank", "board", "bureau", "college", "commission",
                     "committee", "company", "conference", "congress", "corp", "corporation", "council", "court",
                     "department", "foundation", "gazette", "group", "herald", "inc", "institute", "institution",
                     "journal", "league", "library", "limited", "ltd", "magazine", "ministry", "museum", "news",
                     "office", "organisation", "organization", "party", "post", "press", "proceedings", "school",
                     "service", "society", "symposium", "times", "tribune", "union", "university", "workshop"}
# WordNet's files for senses that are ideas, events and states rather than people, places or things.
CONCEPT_FILES = {"noun.act", "noun.event", "noun.cognition", "noun.state", "noun.communication", "noun.phenomenon",
                 "noun.process", "noun.attribute", "noun.possession", "noun.relation", "noun.time"}
HARD = 5.0  # wordfreq Zipf at or above which every school reader knows the word: never a term
RARE = 3.0  # Zipf below which a word is rare for grades 3-8 (used when WordNet is missing)
MIN_TERMS, MAX_TERMS = 8, 15
_NAME_WORD = r"(?:[A-Z][\w'\u2019-]*|\d+(?:st|nd|rd|th))"
_PHRASE = re.compile(rf"{_NAME_WORD}(?:(?:\s+|\s+(?:of|and|for|on)\s+(?:the\s+)?){_NAME_WORD})*")
_LEADING = {"the", "a", "an", "in", "on", "at", "by", "for", "from", "during", "after", "before", "when", "while",
            "and", "but", "of", "to", "with", "this", "that", "these", "those"}
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
             "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}
_ISM = re.compile(r"\b[A-Za-z][\w-]*(?:ism|isation|ization)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*[A-Za-z]")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")


@dataclass(frozen=True)
class Term:
    term: str
    definition: str
    forms: tuple[str, ...]
    why: str  # for the report: where the term came from
    simple: str = ""  # the plainer wording for the youngest level
    drafted: str = ""  # "wordnet" when import drafted the definition from WordNet


@dataclass
class GlossaryDraft:
    """The drafted terms, and a note for the report when definitions could not be drafted."""

    terms: list[Term]
    note: str = ""


@dataclass
class _Candidate:
    term: str  # base form as printed
    forms: Counter[str] = field(default_factory=Counter)  # the forms the article uses
    centrality: float = 0.0
    named: bool = False


def draft_glossary(sections: list[Section], imported: list[tuple[str, str]], title: str = "",
                   wordnet_folder: Path | None = None) -> GlossaryDraft:
    """The source's glossary when it has one, else ranked terms found in the article."""
    if imported:
        terms: dict[str, Term] = {}
        for term, definition in imported:
            terms.setdefault(term.casefold(), Term(term, definition, (), "from the source's glossary"))
        return GlossaryDraft(list(terms.values()))
    body = [text for section in sections for block in section.blocks if block.kind in ("text", "quote", "list")
            for text in (block.text, *block.items)]
    headings = [s.title for s in sections if s.title]
    wn = load_wordnet(wordnet_folder)
    if wn is None:
        return GlossaryDraft(_without_dictionary(body, headings, title), MISSING)
    return GlossaryDraft(_with_dictionary(Lexicon(wn), body, title))


def sentences_of(body: list[str]) -> list[str]:
    """The article's sentences (a plain split: good enough to find where a term occurs)."""
    return [s.strip() for text in body for s in _SENTENCE.split(text.replace("\n", " ")) if s.strip()]


def _with_dictionary(lx: Lexicon, body: list[str], title: str) -> list[Term]:
    from wordfreq import zipf_frequency

    sentences = sentences_of(body)
    text = "\n".join(sentences)
    candidates: dict[str, _Candidate] = {}

    def add(phrase: str, surface: str, centrality: float = 0.0, named: bool = False) -> None:
        key = phrase.casefold()
        found = candidates.setdefault(key, _Candidate(phrase, named=named))
        found.forms[surface] += 1
        found.centrality = max(found.centrality, centrality)
        found.named = found.named or named

    # Keyphrases: YAKE's best first, the rank giving centrality 1.0 down to 0.2.
    phrases = _keyphrases(text)
    for rank, phrase in enumerate(phrases):
        centrality = 1.0 - 0.8 * rank / max(len(phrases), 1)
        words = phrase.split()
        if not all(_WORD.fullmatch(w) for w in words) or words[0].lower() in STOPWORDS \
                or words[-1].lower() in STOPWORDS:
            continue
        if _is_capitalised(phrase, sentences):
            if _named_concept(lx, phrase):
                add(phrase, phrase, centrality, named=True)
            continue
        base = lx.phrase_lemma(phrase.lower())
        if len(words) > 1 and not lx.synsets(base):
            # A phrase WordNet lacks ("survey results") is rarely a term; a two-word entry inside it is
            # ("sulfur dioxide" in "sulfur dioxide emissions"), and keeps the pair from being split.
            for pair in (" ".join(words[i:i + 2]) for i in range(len(words) - 1)) if len(words) > 2 else ():
                pair_base = lx.phrase_lemma(pair.lower())
                if lx.synsets(pair_base):
                    add(pair_base, pair, centrality)
            continue
        if len(words) == 1 and not _worth_defining(lx, base, rank):
            continue
        add(base, phrase, centrality)  # the spelling the article uses, capitals and all
    # Names of events and ideas, and every rare word, whether or not YAKE ranked them.
    for sentence in sentences:
        for match in _PHRASE.finditer(sentence):
            name = _trim_name(match.group())
            if len(name.split()) >= 2 and _named_concept(lx, name):
                add(name, name, 0.0, named=True)
        for word in _WORD.findall(sentence):
            if word[0].isupper() or len(word) < 4 or word.lower() in STOPWORDS:
                continue
            base = lx.lemma(word)
            if zipf_frequency(base, "en") < 4.0 and _worth_defining(lx, base, len(phrases)):
                add(base, word, 0.0)
    candidates.pop(title.casefold(), None)

    scored = []
    for key, found in candidates.items():
        count = _occurrences(found, text)
        if count == 0:
            continue
        zipf = zipf_frequency(found.term, "en")
        difficulty = min(1.0, max(0.0, (HARD - zipf) / 2.5))
        if found.named:
            difficulty = max(difficulty, 0.8)  # a named event or idea is new to a reader however often printed
        if difficulty == 0.0:
            continue
        centrality = max(found.centrality, min(count, 5) / 5)
        # Centrality weighs more than rarity: a word said once, however rare, is seldom the article's subject.
        scored.append((difficulty ** 0.5 * (0.1 + 0.9 * centrality), key, zipf, count))
    scored.sort(key=lambda s: -s[0])

    chosen: list[tuple[float, str, float, int]] = []
    for entry in scored:
        score, key, _, _ = entry
        if len(chosen) >= MAX_TERMS or (len(chosen) >= MIN_TERMS and score < 0.25):
            break
        parts = set(key.split())
        # One of "cluster" and "clustering": a word and the noun made from its verb explain each other.
        verb = lx.wn.morphy(key, "v") if " " not in key else None
        if any(verb == other or lx.wn.morphy(other, "v") == key for _, other, _, _ in chosen if " " not in other):
            continue
        # One of "war" and "cold war": the longer phrase explains the word.
        if any(parts <= set(other.split()) or set(other.split()) <= parts for _, other, _, _ in chosen):
            continue
        chosen.append(entry)

    terms = []
    words_used = Counter(_WORD.findall(text))
    for _, key, zipf, count in chosen:
        found = candidates[key]
        if " " not in found.term:  # every inflection the article uses: "thresholds" for "threshold"
            found.forms.update({w: n for w, n in words_used.items()
                                if w.lower() != key and lx.lemma(w) == key})
        context = [s for s in sentences if any(_mentions(s, form) for form in found.forms)]
        sense = lx.choose(found.term, context, nominal=_nominal(found, context))
        # Forms that differ from the term but by a first capital: "deStalinization" must be listed.
        forms = tuple(sorted({f for f in found.forms if f != found.term and f != found.term.capitalize()}))
        kind = "a key phrase" if found.centrality else "a rare word"
        why = (f"a named idea or event ({count}\u00d7)" if found.named
               else f"{kind} ({count}\u00d7, Zipf frequency {zipf:.1f})")
        if sense is None:
            terms.append(Term(found.term, "", forms, why))
        else:
            terms.append(Term(found.term, sense.definition, forms, f"{why}; sense {sense.name} of {SOURCE}",
                              sense.simple, "wordnet"))
    return terms


def _keyphrases(text: str) -> list[str]:
    """YAKE's keyphrases of up to three words, best first."""
    import yake

    try:
        extractor = yake.KeywordExtractor(lan="en", n=3, dedup_lim=0.9, top=60)
        return [phrase for phrase, _ in extractor.extract_keywords(text)]
    except Exception:  # noqa: BLE001 - a keyphrase library's failure must not stop an import: rare words remain
        return []


def _worth_defining(lx: Lexicon, word: str, rank: int) -> bool:
    """A single word fit for the glossary: in WordNet and not only an adverb ("conclusively");
    a word WordNet lacks only when it is among YAKE's ten best keyphrases (the article's subject)."""
    if len(word) < 4:  # "doi", "gmt": abbreviations, which WordNet reads as other things
        return False
    senses = lx.synsets(word)
    if not senses:
        return rank < 10 and "-" not in word
    return any(s.pos() != "r" for s in senses)


def _trim_name(phrase: str) -> str:
    words = phrase.split()
    while words and (words[0].lower() in _LEADING or re.search(r"['\u2019]s$", words[0])):
        words.pop(0)  # "The Korean War", "In 1950", "Mao's Great Leap": the name is what follows
    return " ".join(words)


def _is_capitalised(phrase: str, sentences: list[str]) -> bool:
    """Whether the article writes `phrase` with capitals where a sentence does not start."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", re.IGNORECASE)
    upper = lower = 0
    for sentence in sentences:
        for match in pattern.finditer(sentence):
            if match.start() == 0:
                continue
            if match.group()[0].isupper():
                upper += 1
            else:
                lower += 1
    return upper > 0 and lower == 0 or (upper == 0 and lower == 0 and phrase[:1].isupper())


def _named_concept(lx: Lexicon | None, name: str) -> bool:
    """A name that is the concept itself (Cold War, Marxism), not a person, place or institution."""
    words = [w.strip(",").lower() for w in name.split()]
    if any(w in INSTITUTION_WORDS or w in _CALENDAR for w in words):
        return False
    if len(words) == 1:  # one capitalised word is a name ("Berlin", "Oscar", "Sunday") unless an -ism
        return bool(_ISM.fullmatch(name))
    if lx is not None:
        senses = lx.synsets(name)
        if senses:
            return any(s.lexname() in CONCEPT_FILES for s in senses[:2]) and not any(
                s.lexname() in ("noun.person", "noun.location", "noun.group") for s in senses[:1])
    return len(words) >= 2 and any(w in CONCEPT_HEADS for w in words) or (
        len(words) == 1 and bool(_ISM.fullmatch(name)))


def _mentions(sentence: str, form: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(form)}(?![\w-])", sentence, re.IGNORECASE) is not None


def _occurrences(found: _Candidate, text: str) -> int:
    return sum(len(re.findall(rf"(?<![\w-]){re.escape(form)}(?![\w-])", text, re.IGNORECASE))
               for form in {f.casefold() for f in (found.term, *found.forms)})


_DETERMINER = r"(?:the|a|an|this|that|these|those|its|his|her|their|our|my|your|each|every|some|any|no|\d+)"


_AFTER_NOUN = (r"(?:of|is|was|are|were|has|had|and|or|in|to|that|which|from|with|by|for|on|at|as|can|could|will|"
               r"would|may|moved|grew|lifted|stood)")


def _nominal(found: _Candidate, context: list[str]) -> bool:
    """Whether the article uses the term as a noun ("the plant", "a cell", "plants of"), as terms mostly are."""
    for form in {found.term, *found.forms}:
        # "the plant." "a cold front moved": a determiner, maybe one word, the term, then the phrase ends.
        noun = re.compile(rf"\b{_DETERMINER}\s+(?:[\w-]+\s+)?{re.escape(form)}(?:\s*[.,;:!?)]|\s+{_AFTER_NOUN}\b)",
                          re.IGNORECASE)
        if any(noun.search(s) for s in context):
            return True
    return found.named or " " in found.term


def _without_dictionary(body: list[str], headings: list[str], title: str) -> list[Term]:
    """No WordNet: names of events and ideas, movement words and rare words, definitions left to write."""
    from wordfreq import zipf_frequency

    names: Counter[str] = Counter()
    for text in body:
        for match in _PHRASE.finditer(text):
            name = _trim_name(match.group())
            if len(name.split()) >= 2 and _named_concept(None, name):
                names[name] += 1
    names.pop(title, None)
    terms = [Term(n, "", (), f"a named idea or event ({c}\u00d7)") for n, c in names.most_common(6)]
    forms: dict[str, Counter[str]] = {}
    for text in [*body, *headings]:
        for word in _ISM.findall(text):
            forms.setdefault(word.replace("-", "").lower(), Counter())[word] += 1
    for key, spellings in list(forms.items())[:3]:
        if zipf_frequency(key, "en") < 4.5:
            hyphenated = [s for s in spellings if "-" in s]
            term = (hyphenated or [spellings.most_common(1)[0][0]])[0]
            others = tuple(s for s in spellings if s.casefold() != term.casefold())
            terms.append(Term(term, "", others, "a movement or policy word"))
    seen: dict[str, float] = {}
    for text in body:
        for word in re.findall(r"\b[a-z]{6,}\b(?<!ed)(?<!ing)(?<!ly)(?<!s)", text):
            if word not in seen and not _ISM.fullmatch(word) and dictionary_count(word) > 50:
                seen[word] = zipf_frequency(word, "en")
    rare = sorted((z, w) for w, z in seen.items() if 0 < z < RARE)
    terms += [Term(w, "", (), f"a rare word (Zipf frequency {z:.1f})") for z, w in rare]
    return terms[:MAX_TERMS]

