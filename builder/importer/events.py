"""Timeline event titles from sentences, and the sentences whose dates are not events.

Rule-based (no language model): a title is the main clause of the sentence with the date phrase,
leading adverbials and asides taken out, cut to at most eight words at a word that is not a
function word, and it must keep a subject and a verb. A sentence that is a citation, a time stamp
or a copyright line gives no event; the caller reports why.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

MAX_WORDS = 8


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


FUNCTION = _words(
    "a an the and or but nor so yet of in on at by to for from with without into onto over under about "
    "above below after before during since until through throughout across against among between toward "
    "towards upon within as than that which who whom whose what when where while because although though "
    "if whether its their his her our my your this these those there here also then even just only very "
    "more most much many such not no own same both each every either neither some any all other another "
    "is are was were be been being has have had do does did will would shall should can could may might "
    "must")
_PRONOUNS = {"he", "she", "it", "they", "we"}
_ARTICLES = {"a", "an", "the"}
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}
_MONTH_NAMES = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
# Verbs a title can stand on that do not end in -ed (the common irregular past forms and present forms).
_VERBS = _words(
    "is are was were be been has have had became become becomes began begin begins begun broke break "
    "breaks built build builds came come comes did does do drew draw draws drove fell falls fall fled "
    "flees flee flew fly flies fought fight fights found finds gave give gives got get gets went go goes "
    "grew grow grows held hold holds hit hits kept keeps knew know knows laid lay lays led leads lead "
    "left leaves leave lost loses lose made make makes meant means met meets ran run runs rose rise "
    "rises said says saw see sees sees sent send sends set sets shot shows show showed shut sank sink "
    "sinks sold sell sells sought seeks spoke speaks spent spends split splits spread spreads stood "
    "stand stands struck strikes swore sworn took take takes taught teaches told tells thought threw "
    "throws understood undid woke won win wins wore wrote write writes arose overthrew overtook withdrew "
    "withdraws undertook forbade forgave sprang stole tore upheld rebuilt outlawed dies die remains "
    "remain opens open closes ends starts begins joins signs marks returns visits wants needs seems "
    "brings brought bought buys caught catch catches dug feeds fed freed frees hung hangs lit lights "
    "paid pays put puts read reads rode rides rang sang shook slew stuck swept swam wept wound")
_QUANTIFIERS = {"about", "around", "nearly", "almost", "some", "over", "roughly", "only", "just"}
_DETERMINERS = {"most", "many", "some", "few", "several", "all", "both", "each", "every", "no"}
_NOUN_MARKERS = {"a", "an", "the", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these", "those"}
_MODALS = {"will", "would", "could", "should", "can", "may", "might", "must", "shall"}
_NOT_VERBS = _words(
    "red bed need speed seed hundred united indeed limited bread shed wed sacred naked wicked kindred "
    "ragged rugged beloved learned aged skilled")


@dataclass
class Title:
    text: str
    pronoun: str | None = None  # the pronoun subject left in the title, when no name to put for it was found
    cut: bool = False  # the sentence's words ran on past MAX_WORDS: the title may stop mid-phrase


# --- sentences that are not about an event -------------------------------------------------------

_CITATION = re.compile(
    r"^\s*\^|\^\s*[a-z]\b|(?:[A-Z]\.|\bal\.|\bed\.)\s*\(\s*(?:1\d{3}|20\d{2})[a-z]?\s*\)|"
    r"\(\s*(?:1\d{3}|20\d{2})[a-z]?\s*\)\s*[.,]\s+[\"\u201c]?[A-Z]|\b\d+\s*\(\d+\)\s*:\s*\d+|"
    r"\b(?:Vol|vol|pp|Pp|No|ed|eds)\.\s*\d|\bdoi\b|\bISBN\b|\bISSN\b|\barXiv\b|\bRetrieved\b|\bArchived\b|"
    r"\bet al\b|\b[A-Z][a-z]+(?:\s[a-z]+)*,\s(?:[A-Z]\.\s?)+[;,(]|[A-Z][a-z]+\s\d+,\s*\d+\s*[-\u2013]\s*\d+\s*\(")
_REFERENCE_SECTIONS = re.compile(r"^\s*(?:references?|notes|footnotes|citations|bibliography|sources|further "
                                 r"reading|external links|works cited|see also)\s*$", re.I)
_STAMP = re.compile(
    r"\b(?:GMT|UTC|EST|EDT|PST|PDT|CET|CEST|BST|HKT|IST|JST)\b|\b(?:[Uu]pdated|[Pp]osted|[Pp]ublished|[Ll]ast "
    r"modified)\b(?:\s+(?:on|at))?\s*:?\s*(?:\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|"
    r"Fri|Sat|Sun)|\d{1,2}:\d{2}\s*(?:[AaPp]\.?[Mm]\.?)?\b|\u00a9|\b[Cc]opyright\b|\b[Aa]ll rights reserved\b")
_WEEKDAY_DATE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+(?:\d{1,2}\s+)?"
                           r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)", re.I)
_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]\d{3,4}[\s.-]\d{4}\b|\+\d[\d\s-]{7,}\d")


def reference_section(title: str) -> bool:
    """A section that lists references or links: its dates are publication dates, not events."""
    return bool(_REFERENCE_SECTIONS.match(title or ""))


def not_an_event(sentence: str) -> str | None:
    """Why the dates of `sentence` are not events (a citation, a time stamp), or None."""
    if _CITATION.search(sentence):
        return "in a citation or reference, not an event"
    if _STAMP.search(sentence) or _WEEKDAY_DATE.search(sentence):
        return "a time stamp, byline or copyright line of the page, not an event"
    return None


def in_phone_number(sentence: str, start: int, end: int) -> bool:
    return any(m.start() <= start and end <= m.end() for m in _PHONE.finditer(sentence))


def quantity(sentence: str, start: int, end: int) -> bool:
    """'counted 1500 frogs': a number of things, not a year (no preposition of time before it)."""
    after = re.match(r"\s+([a-z]+s)\b", sentence[end:])
    return after is not None and not is_verb(after.group(1)) and re.search(
        r"\b(?:in|by|since|until|from|of|to|after|before|during|around|circa|c\.|year|and|or)\s+$", sentence[:start],
        re.I) is None


def page_range(sentence: str, start: int) -> bool:
    """'pp. 1739-1752', 'pages 1739-52', ': 1739-1752': page numbers, not years."""
    return re.search(r"(?:\bpp?\.|\bpages?|:)\s*$", sentence[:start]) is not None


_ABOUT_SPAN = re.compile(r"(?:\b(?:in|during|through|throughout|by|over|across|from|until|till|since|into|for|"
                         r"between)\s+)(?:the\s+)?(?:(?:early|mid|late|very)[\s-]+)?$", re.I)


def about_span(sentence: str, start: int, end: int) -> bool:
    """A decade or century is an event only when the text is about that span: 'during the 1950s the
    economy grew', 'the 19th century became ...', not 'a 19th-century building' or 'the 1950s car'."""
    after = sentence[end:]
    if re.match(r"\s*-|['\u2019]s?\s*-", after):  # "19th-century", "1950s-era"
        return False
    before = sentence[:start]
    if _ABOUT_SPAN.search(before):
        return True
    # The span as the subject: at the start of a clause and followed by a verb ("the 1950s saw").
    if re.search(r"(?:^|[,;:]\s*(?:and\s+|but\s+)?)\s*(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?$", before, re.I):
        nxt = re.match(r"\s*(?:[Cc]entury\s+)?(\w+)", after)
        return bool(nxt and is_verb(nxt.group(1)))
    return False


def future_target(sentence: str) -> bool:
    """A future year in a sentence about a plan or a target ('aims to halve emissions by 2050')."""
    return re.search(r"\b(?:plan|plans|planned|aim|aims|target|targets|goal|goals|pledge|pledged|promise|promised|"
                     r"intend|intends|commit|commits|committed|by\s+(?:the\s+)?(?:end\s+of\s+)?(?:1\d{3}|20\d{2}))\b",
                     sentence, re.I) is not None


# --- titles ------------------------------------------------------------------------------------------

def is_verb(word: str) -> bool:
    """A word that can be a title's verb: a past form in -ed, a common irregular or present form, a modal."""
    w = word.lower().strip(".,;:!?\"'\u2019\u201d")
    if not w.isalpha() or not word[:1].islower():
        return False
    if w in _VERBS or w in _MODALS:
        return True
    return len(w) > 3 and w.endswith("ed") and w not in _NOT_VERBS


_DATE_LEAD = (r"(?:\b(?:[Ii]n|[Oo]n|[Bb]y|[Dd]uring|[Ss]ince|[Ff]rom|[Uu]ntil|[Tt]hrough(?:out)?|[Aa]fter|[Bb]efore|"
              r"[Aa]round|[Aa]bout|[Cc]irca|[Aa]s\s+of|[Bb]etween|[Ee]arly|[Ll]ate|[Bb]y\s+the\s+end\s+of|"
              r"[Aa]t\s+the\s+(?:start|end|beginning)\s+of)\s+)?(?:the\s+|[Tt]he\s+|an?\s+|An?\s+)?(?:(?:early|mid|late)[\s-]+)?")
_LEAD_ADVERBIAL = re.compile(
    r"^(?:(?:[Aa]fter|[Bb]efore|[Ww]hen|[Ff]ollowing|[Dd]espite|[Ww]ith|[Aa]s|[Aa]lthough|[Bb]ecause|[Oo]nce|[Ss]oon|"
    r"[Ll]ater|[Tt]hen|[Hh]owever|[Mm]eanwhile|[Ii]n|[Oo]n|[Aa]t|[Bb]y|[Ff]or|[Dd]uring|[Tt]hat|[Tt]his|[Ll]ast|"
    r"[Nn]ext|[Bb]ut|[Aa]nd|[Ss]o|[Yy]et|[Ss]till|[Aa]lso|[Ii]ronically|[Ee]ventually|[Ff]inally|[Ss]uddenly|"
    r"[Bb]riefly|[Ii]nitially|[Ee]arlier|[Ii]ndeed|[Tt]oday|[Nn]ow|[Ss]ince|[Uu]ntil|[Ff]rom|[Oo]ver|[Ww]ithin|"
    r"[Aa]round|[Aa]bout|[Bb]y then)\b[^,]{0,60},\s+)")
_CLAUSE_SPLIT = re.compile(r",\s*which\b|,\s+and\s+(?=\S+\s+\S)|"
                           r",\s(?=an?\s)|;|\s[\u2014\u2013]\s|\u2014|\s-\s|\swhile\s|,?\sbut\s|:\s")
_CUT_AFTER = re.compile(r"\sthat\s|"
                        r"\s(?:which|who|whom|whose|because|although|though|so that|whereas|when|where|after|before|"
                        r"until|since|as well as)\s|,\s*(?:and\s+)?\w+ing\b|,\s*(?:and|then)\s")


_QUOTES = "\"'\u201c\u201d\u2018\u2019()[]"


def _clean_words(text: str) -> list[str]:
    return [w.strip(_QUOTES) for w in text.split() if w.strip(_QUOTES)]


def content_words(words: list[str]) -> list[str]:
    return [w for w in words if re.search(r"[A-Za-z]{2}", w) and w.lower().strip(".,;:!?") not in FUNCTION]


def make_title(sentence: str, start: int, end: int, before: list[str] | None = None,
               others: list[tuple[int, int]] | None = None) -> Title | None:
    """The title for the date at sentence[start:end], or None when no decent one can be made.

    `before` are the sentences ahead of this one in its section, searched for the name a pronoun
    subject stands for; `others` are the spans of the sentence's other dates (left out of the title).
    """
    # Every date becomes a mark: this one \x00, the others \x01 (they are in the detail, not the title).
    marked = sentence
    for s, e in sorted({*(others or []), (start, end)}, reverse=True):
        if (s, e) == (start, end) or e <= start or s >= end:
            marked = marked[:s] + ("\x00" if (s, e) == (start, end) else "\x01") + marked[e:]
    marked = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", lambda m: "\x00" if "\x00" in m.group() else "", marked)
    marked = re.sub(_DATE_LEAD + r"([\x00\x01])(?:\s*(?:and|to|or|-|\u2013)\s*[\x00\x01])*['\u2019]?s?"
                    r"(?:\s+[Cc]entury)?", r"\1", marked)
    wording = sentence[start:end]
    after = re.search(r"\x00\s+(\w+)", marked)
    if re.search(r"(?:^|[,;]\s*(?:and\s+)?)(?:[Tt]he\s+)?\x00\s+(\w+)", marked) and after and \
            is_verb(after.group(1)):  # "the 19th century became ...": the subject
        marked = marked.replace("\x00", "\x00" + wording, 1)
    relative = _relative(marked)
    if relative:
        return relative
    clauses = list(_CLAUSE_SPLIT.split(marked))
    index = next((i for i, c in enumerate(clauses) if "\x00" in c), 0)
    candidates = [clauses[index], *clauses[:index][::-1], *clauses[index + 1:]]
    before = before or []
    subject = _subject(marked)
    for clause in candidates:
        title = _title_from(clause, subject, sentence, before)
        if title:
            return title
    return None


_RELATIVE = re.compile(r"((?:[\w'\u2019-]+\s+){0,3}?[\w'\u2019-]+),?\s+(?:who|which|that)\s+([^,;:\x00]*\x00[^,;:]*)")


def _relative(marked: str) -> Title | None:
    """'... the rebellion that began in East Africa in 1905': the date is in a relative clause, so
    the event is what the noun before it did ('Anti-imperialist rebellion began in East Africa')."""
    match = _RELATIVE.search(marked)
    if not match:
        return None
    noun = _clean_words(match.group(1))
    last = max((i for i, w in enumerate(noun) if is_verb(w) or w.lower() in FUNCTION | _PRONOUNS), default=-1)
    noun = noun[last + 1:]  # "The guild honoured Ruth Kell, who ...": the noun is "Ruth Kell"
    if not noun or not all(w.lower() not in FUNCTION for w in noun):
        return None
    rest = _clean_words(match.group(2).replace("\x00", " ").replace("\x01", " "))
    if not rest or not is_verb(rest[0]):
        return None
    return _title_from(" ".join(noun + rest), [], "", [])


def _subject(marked: str) -> list[str]:
    """The words ahead of the sentence's first verb, once leading adverbials are gone."""
    text = _strip_lead(marked.replace("\x00", " ").replace("\x01", " "))
    words = _clean_words(text)
    for i, w in enumerate(words):
        if is_verb(w):
            return words[:i] if 0 < i <= 5 and content_words(words[:i]) else []
        if w.endswith((",", ";", ":")):
            return []
    return []


def _strip_lead(text: str) -> str:
    text = re.sub(r"^[\s,;:\x00]+", "", text)
    for _ in range(3):
        stripped = _LEAD_ADVERBIAL.sub("", text, count=1)
        if stripped == text or len(content_words(_clean_words(stripped))) < 2:
            break
        text = stripped
    return text


def _present_s(word: str) -> bool:
    w = word.lower()
    return word[:1].islower() and w.isalpha() and len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))


_REPORTED = re.compile(r"^[^,\"\u201c]{0,50}\b(?:writes|wrote|said|says|tells us|told us|notes|noted|explains|"
                       r"explained|recalls|recalled|argues|argued|added|adds)\s*,?\s*[\"\u201c]\s*")
_COPULAS = {"was", "were", "is", "are"}
_AUXILIARIES = {"was", "were", "is", "are", "be", "been", "being", "has", "had", "have", "did", "not", "to"}
_LINKING = _COPULAS | {"became", "become", "becomes", "remained", "remains", "seemed", "proved"}
_TRAILING_PREPOSITIONS = {"to", "of", "on", "in", "at", "during", "after", "before", "with", "by", "for", "from",
                          "over", "against", "under", "because", "into", "across", "near", "through"}


def _shorten(words: list[str], verb: int) -> list[str]:
    """A long title made short where the grammar allows: a long subject loses its 'of ...' or 'for
    ...' modifier, and a long predicate is cut before a preposition (a place, time or purpose)."""
    if verb > 3:
        prep = next((i for i in range(1, verb) if words[i].lower() in _TRAILING_PREPOSITIONS - {"of"}), None)
        if prep is not None:
            words, verb = words[:prep] + words[verb:], prep
    # After "was", "became" the words that follow complete it ("was instrumental in", "became part of").
    linking = words[verb].lower() in _LINKING and not (verb + 1 < len(words) and is_verb(words[verb + 1]))
    if len(words) > MAX_WORDS and not linking:  # "was devalued on ...": a passive, not a linking verb
        prep = next((i for i in range(verb + 2, min(len(words), MAX_WORDS + 1))
                     if words[i].lower() in _TRAILING_PREPOSITIONS and not (i + 1 < len(words) and words[i] == "to"
                                                                             and words[i + 1][:1].isupper())), None)
        if prep is not None:
            words = words[:prep]
    return words


_SUBORDINATOR = re.compile(r"^\s*(?:[Ss]ince|[Aa]fter|[Ww]hen|[Oo]nce|[Aa]s|[Uu]ntil|[Bb]efore|[Ww]hile)\s+"
                           r"([^,]*\x00[^,]*),")


def _title_from(clause: str, subject: list[str], sentence: str, before: list[str]) -> Title | None:
    clause = _REPORTED.sub("", re.sub(r"^[\s,;:\x00\x01]+", "", clause))
    sub = _SUBORDINATOR.match(clause)
    if sub:  # "Since testing began in 2016, ...": the date belongs to the leading clause
        clause = sub.group(1)
    text = _strip_lead(re.sub(r"\s*[\x00\x01]\s*", " ", clause).strip())
    text = re.sub(r"^(?:and|but|or|so|then|yet)\s+", "", squash_spaces(text), flags=re.I)
    cut = _CUT_AFTER.search(" " + text + " ")
    if cut and len(text[:max(cut.start() - 1, 0)].split()) >= 3:
        text = text[:max(cut.start() - 1, 0)]
    words = _clean_words(text.strip(" ,.;:!?"))
    words = [w.rstrip(",;:") if i < len(words) - 1 else w.rstrip(",;:.!?") for i, w in enumerate(words)]
    words = [w for w in words if w]
    while words and words[0].lower() in _QUANTIFIERS and len(words) > 2:  # "About 2,000 people marched"
        words = words[1:]
    # A verb form after an article or possessive is a noun ("the break", "their rise").
    verb = next((i for i, w in enumerate(words) if is_verb(w) and not (i and words[i - 1].lower() in _NOUN_MARKERS)),
                None)
    if verb is None:  # "The city plans to ...": a present verb in -s right after its subject
        verb = next((i for i, w in enumerate(words[:4]) if i and _present_s(w) and words[i - 1].lower() not in
                     FUNCTION), None)
    if verb is None:
        return None
    if verb == 0:  # "... and signed a treaty": the sentence's subject did it
        if not subject:
            return None
        words = subject + words
        verb = len(subject)

    complement = words[verb + 1:verb + 2]
    if words[verb].lower() in _COPULAS and (verb >= 4 or words[0].lower() == "one") and complement and \
            (complement[0].lower() in _ARTICLES or complement[0][:1].isupper()) and \
            len(content_words(words[verb + 1:])) >= 2:  # "One factor was the death of Stalin": what it was
        words, verb = words[verb + 1:], -1
    if verb > 8:  # a long run before the verb: no subject to keep short
        return None
    if words[0].lower() in _ARTICLES and verb != 1:
        words = words[1:]
        verb -= 1
    if verb < 0:  # a noun phrase: "Death of Stalin"
        words = _cut(words)
        if len(content_words(words)) < 2 or words[0].lower() in FUNCTION:
            return None
        title = " ".join(words)
        return Title(title[:1].upper() + title[1:])
    pronoun = None
    if words[0].lower() in _PRONOUNS and verb == 1:
        name = antecedent([*before, sentence[:sentence.find(words[0])]])
        if name:
            words = name.split() + words[1:]
            verb += len(name.split()) - 1
        else:
            pronoun = words[0]
    whole = _shorten(words, verb)
    ended = _no_loose_end(_cut(_compress(whole, verb)), verb, sentence)
    if ended is None:
        return None
    words = ended
    verb = min(verb, next((i for i, w in enumerate(words) if is_verb(w) or _present_s(w)), verb))
    if len(content_words(words)) < 2 or verb >= len(words):
        return None
    first = words[0].lower().strip(".,")
    if first in FUNCTION - _DETERMINERS and first not in _PRONOUNS or first in _SEASONS or first in _MONTH_NAMES:
        return None
    title = " ".join(words)
    return Title(title[:1].upper() + title[1:], pronoun, len(whole) > MAX_WORDS)


# Words a long title can lose without changing what happened: "the city itself also became ...".
_DROPPABLE = {"itself", "himself", "herself", "themselves", "also", "even", "just", "only", "still", "then", "later",
              "soon", "already", "quickly", "finally", "eventually", "actually", "really", "very", "so-called"}


def _compress(words: list[str], verb: int) -> list[str]:
    """A title over MAX_WORDS loses, from its end backwards, the words it can spare: intensifiers and
    adverbs ("itself", "also"), then describing words with no noun sense ("postcolonial"), never the
    subject's first word or the verb: "decided to honor three African postcolonial activists" keeps
    "activists"."""
    words = list(words)
    lexicon = _lexicon()
    def describing(word: str) -> bool:
        return lexicon is not None and _describing(lexicon, word)

    def droppable(word: str) -> bool:
        return word.lower() in _DROPPABLE

    for spare in (droppable, describing):
        i = len(words) - 1
        while len(words) > MAX_WORDS and i > 0:
            complement = i == verb + 1 and words[verb].lower() in _LINKING  # "were instrumental in"
            compared = i + 1 < len(words) and words[i + 1].lower() == "than"  # "fewer than 900"
            if i != verb and spare(words[i]) and i > verb and not complement and not compared:
                del words[i]
            elif i != verb and i < verb and words[i].lower() in _DROPPABLE:
                del words[i]
                verb -= 1
            i -= 1
    return words


def _no_loose_end(words: list[str], verb: int, sentence: str) -> list[str] | None:
    """A title does not stop on a describing word ("... three African postcolonial") or on a second
    verb ("... sought", "... specifying"); one that stops on a verb whose object the sentence gives
    as a clause ("The conference determined that ...") says nothing, so there is no title (None).
    "Emperor Wilhelm II, crowned in 1888, ..." is whole: "Emperor Wilhelm II crowned"."""
    lexicon = _lexicon()
    while len(words) > verb + 1 and words[-2].lower() not in _AUXILIARIES and (
            is_verb(words[-1]) or words[-1].lower().endswith("ing")
            or (lexicon is not None and _describing(lexicon, words[-1]))):
        words = words[:-1]  # "Emperor Wilhelm II crowned sought": the crowning ("was devalued" stays)
    while len(words) > 2 and (words[-1].lower() in FUNCTION or words[-1].lower() in _TRAILING_PREPOSITIONS) \
            and not _object_pronoun(words):
        words = words[:-1]
    if lexicon is not None and len(words) == verb + 1 and is_verb(words[-1]) and _needs_object(lexicon, words[-1]) \
            and re.search(rf"\b{re.escape(words[-1])}\s+(?:that|whether|how|what|which|who|to)\b", sentence):
        return None
    return words


def _lexicon() -> Any:
    """WordNet when it is installed (the parts of speech of a title's words), else None; loaded once."""
    from builder.importer.lexicon import load_wordnet

    return load_wordnet()


def _describing(wn: Any, word: str) -> bool:
    """An adjective with no noun sense: "postcolonial", "anti-imperialist" (not "colonial", also a noun)."""
    w = word.lower().strip(".,;:")
    if not w.replace("-", "").isalpha() or word[:1].isupper() or w in FUNCTION:
        return False
    if not wn.synsets(w):  # not in WordNet: by its ending ("postcolonial", "geoengineered" is no adjective)
        return w.endswith(("al", "ic", "ive", "ous", "ful", "less", "ary"))
    return bool(wn.synsets(w, "a")) and not any(wn.synsets(w, pos) for pos in ("n", "v", "r"))


def _needs_object(wn: Any, word: str) -> bool:
    """A verb none of whose senses can stand alone ("determined", "sought"): WordNet's frames 1 and 2
    are "Something ----s" and "Somebody ----s"."""
    base = wn.morphy(word.lower(), "v")
    senses = wn.synsets(base, "v") if base else []
    return bool(senses) and not any(frame in (1, 2) for s in senses for lemma in s.lemmas()
                                    if lemma.name() == base for frame in lemma.frame_ids())


def _cut(words: list[str]) -> list[str]:
    """At most MAX_WORDS, ending on a word that is not a function word."""
    words = words[:MAX_WORDS]
    while len(words) > 2 and (words[-1].lower() in FUNCTION or words[-1].lower() in _MONTH_NAMES) \
            and not _object_pronoun(words):
        words = words[:-1]
    return words


def _object_pronoun(words: list[str]) -> bool:
    """The title ends on a verb's object pronoun ("Court fined her"): a whole clause."""
    return len(words) > 2 and words[-1].lower() in {"her", "him", "them", "us", "me"} and is_verb(words[-2])


def squash_spaces(text: str) -> str:
    return " ".join(text.split())


def antecedent(before: list[str]) -> str | None:
    """The name a pronoun subject stands for: the subject of the nearest sentence before it whose
    subject is a name ("Mao Zedong travelled ... He signed"), else the nearest proper noun."""
    text = " ".join(before)
    lowered = set(re.findall(r"\b[a-z]+\b", text))
    for sentence in reversed(before[-3:]):
        words = _subject(sentence)
        while words and words[0].lower() in _ARTICLES:
            words = words[1:]
        if words and all(w[:1].isupper() for w in words) and words[0].lower() not in _PRONOUNS | lowered:
            return " ".join(words)
    return nearest_name(text)


_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-\s](?:[A-Z][a-z]+|[A-Z]\.))*")


def nearest_name(text: str) -> str | None:
    """The last proper noun in `text`: a capitalised word that is no common word at a sentence start."""
    lowered = set(re.findall(r"\b[a-z]+\b", text))
    for match in reversed(list(_NAME.finditer(text))):
        name = match.group()
        words = name.split()
        while words and (words[0].lower() in FUNCTION or words[0].lower() in _PRONOUNS or words[0].lower() in lowered
                         or words[0].lower() in _MONTH_NAMES):
            words = words[1:]
        if words and len(words) <= 3 and not any(w.lower() in _MONTH_NAMES for w in words):
            return " ".join(words)
    return None


def distinct(titles: list[tuple[str, str]]) -> list[str]:
    """Titles made distinct: (title, sentence) pairs; a repeated title gains a word from its sentence,
    then a number if it is still taken. Linear in the number of titles (counted, never compared pairwise)."""
    out = [t for t, _ in titles]
    repeats = Counter(t.lower() for t in out)
    taken = Counter(repeats)  # each title printed so far, lowercased: how many carry it
    numbers: dict[str, int] = {}  # a made title -> the next number to try after it
    for i, (title, sentence) in enumerate(titles):
        if repeats[title.lower()] < 2:
            continue
        used = {w.lower() for w in title.split()}
        extra = next((w for w in content_words(_clean_words(re.sub(r"[.,;:!?]", " ", sentence)))
                      if w.lower() not in used and w.lower() not in _MONTH_NAMES and not re.search(r"\d", w)), None)
        words = title.split()
        if extra:
            words = (words[:MAX_WORDS - 1] if len(words) >= MAX_WORDS else words) + [f"({extra})"]
        base = " ".join(words)
        taken[out[i].lower()] -= 1
        candidate, n = base, numbers.get(base.lower(), 2)
        while taken[candidate.lower()] > 0:
            candidate = f"{base} ({n})"
            n += 1
        numbers[base.lower()] = n
        taken[candidate.lower()] += 1
        out[i] = candidate
    return out
