"""Drafted worksheet questions: text-dependent questions and their answers, from the imported article.

Rule-based, like the rest of import, and checked against the text they come from: every answer is
found in its sentence, and no wrong choice is one the article would make true. The kinds:

- when: a dated event's year among the article's other years ("In which year ...: Soviet advisers
  leave China?");
- recall: a sentence of the article with a year, a number or a name blanked out, the choices of the
  same kind drawn from the article's other sentences (years with years, numbers with numbers, names
  with names);
- main idea: per section, a short answer whose model answer is the section's key sentence (the one
  whose words the section repeats most);
- vocabulary in context: which definition fits a glossary term in its sentence;
- cause: "Explain why ..." for a sentence that gives its reason with "because", the reason the model
  answer; "What happened as a result?" about the sentence before "As a result, ...";
- effect: "What was the result?" for a sentence that gives its result with ", so ...";
- compare: what the sentence after it ("However, ...") says that is different; what makes one thing
  different from another in a sentence with "unlike".

Each becomes a `worksheet:` entry marked `drafted: import`, which `teachpack check` lists until the
teacher has read it and deleted the line.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass
from random import Random

from builder.importer.datefind import DraftEvent
from builder.importer.glossary import Term
from builder.importer.lexicon import STOPWORDS
from builder.importer.sections import Section
from builder.importer.text import sentences, squash, word_count
from builder.model import LETTERS

PER_KIND = 4  # at most this many questions of one kind
CHOICES = 4  # a multiple-choice question offers the answer and up to three others
MIN_CHOICES = 3
RARE_AS_WORD = 3.0  # wordfreq Zipf: a capitalised word rarer than this as a plain word is a name
DRAFTED = "import"  # the `drafted:` marker

_YEAR = re.compile(r"(?<![\d,.$])(1[0-9]{3}|20[0-9]{2})(?![\d%]|['\u2019]?s\b)")  # not the 1980s
_NUMBER = re.compile(r"(?<![\w$.,])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?:%|percent\b))(?!\w)")
# A name: capitalised words (with "of", "the" between them) that do not start the sentence.
_NAME = re.compile(r"(?<=[a-z,;]\s)(?:[A-Z][a-z]+(?:['\u2019]s)?(?:[-\s](?:of\s|the\s|de\s|van\s)?[A-Z][a-z]+"
                   r"(?:['\u2019]s)?){0,3}"
                   r"(?:\s[IVX]{1,4}\b)?)")  # "World War I"
_BECAUSE = re.compile(r"^(?P<effect>[^\"\u201c\u201d]{20,}?),?\s+because\s+(?:of\s+)?"
                      r"(?P<cause>[^\"\u201c\u201d]{12,})$")
_LEANING = {"it", "this", "that", "these", "those", "he", "she", "they", "its", "his", "her", "their", "such",
            "also", "another", "both"}
_LEAD = re.compile(r"^(?:But|And|So|Yet|However|Still|Now|Then|Instead|Indeed|Meanwhile|Today|In fact|Either way|"
                   r"Of course|Even so|After all|In other words|Finally|Eventually|In the end|Later|Yes|No),?\s+")
# A leading phrase of time or place before the clause: "For a long time, Redonda was ..."
_LEAD_PHRASE = re.compile(r"^(?:[Ff]or|[Ii]n|[Oo]n|[Aa]t|[Aa]fter|[Bb]efore|[Dd]uring|[Ss]ince|[Oo]ver|[Bb]y|[Ff]rom|"
                          r"[Uu]ntil|[Ww]hen|[Aa]s)\b[^,]{0,50},\s+")


@dataclass(frozen=True)
class DraftQuestion:
    kind: str  # the worksheet type: "multiple-choice" or "short-answer"
    skill: str  # "when", "recall", "main idea", "vocabulary", "cause" or "compare", for the report
    prompt: str
    answer: str  # a choice's letter for multiple choice, the model answer for a short answer
    choices: tuple[str, ...] = ()
    source: str = ""  # the sentence it was drafted from


def draft_questions(sections: list[Section], glossary: list[Term], events: list[DraftEvent]) -> list[DraftQuestion]:
    """The drafted questions, in the order a worksheet asks them: vocabulary, recall and when-questions
    first, then main ideas, causes and contrasts (the written answers) last."""
    units = [(section, [s for b in section.blocks if b.kind in ("text", "quote") for s in sentences(squash(b.text))])
             for section in sections]
    every = [s for _, found in units for s in found]
    text = " ".join(every)
    out = [*_vocabulary(glossary, every), *_recall(units, text), *_when(events, text),
           *_main_ideas(units), *_causes(every)]
    return list({q.prompt: q for q in out}.values())


def _choices(answer: str, others: list[str], seed: str) -> tuple[tuple[str, ...], str]:
    """The answer and up to three others in an order fixed by `seed`; the answer's letter."""
    picked = list(dict.fromkeys(o for o in others if o != answer))[: CHOICES - 1]
    options = [answer, *picked]
    Random(zlib.crc32(seed.encode("utf-8"))).shuffle(options)
    return tuple(options), LETTERS[options.index(answer)]


def _when(events: list[DraftEvent], text: str) -> list[DraftQuestion]:
    # Years the article writes: a range's first year ("the late 1980s" is 1985-1989) is not one.
    years = list(dict.fromkeys(e.date[:4] for e in events if e.date[:4].isdigit() and e.date[:4] in text))
    years += [y for y in dict.fromkeys(m.group() for m in _YEAR.finditer(text)) if y not in years]
    out = []
    for event in events:
        year = event.date[:4]
        sentence = event.detail or event.wording
        is_range = len(event.date) == 9 and event.date[4] == "-"  # "1905-1907": no one year to ask for
        if not year.isdigit() or is_range or event.from_heading or event.title.startswith("Target:"):
            continue
        # Never a year the same sentence also gives: that choice would be true too. The nearest years
        # are the fairest choices; printed in order, as a teacher would.
        others = sorted((y for y in years if y != year and y not in sentence), key=lambda y: abs(int(y) - int(year)))
        if year not in f"{sentence} {event.wording}" or len(others) < MIN_CHOICES - 1:
            continue
        choices = tuple(sorted([year, *others[: CHOICES - 1]]))
        out.append(DraftQuestion("multiple-choice", "when", f"In which year did this happen: {event.title}?",
                                 LETTERS[choices.index(year)], choices, sentence))
        if len(out) == PER_KIND:
            break
    return out


def _slots(sentence: str) -> list[tuple[str, str]]:
    """(kind, value) of what a recall question can blank out of a sentence."""
    found = [("year", m.group()) for m in _YEAR.finditer(sentence)]
    found += [("number", m.group()) for m in _NUMBER.finditer(sentence)]
    found += [(_name_kind(m.group()), m.group()) for m in _NAME.finditer(sentence) if " " in m.group()]
    return found


_BODIES = frozenset({"academy", "agency", "army", "association", "bank", "board", "center", "centre", "church",
                     "city", "college", "commission", "committee", "company", "congress", "council", "court",
                     "department", "foundation", "government", "institute", "journal", "league", "ministry",
                     "museum", "office", "organization", "organisation", "party", "press", "river", "school",
                     "society", "state", "times", "union", "university"})


def _name_kind(name: str) -> str:
    """A person ("Katie Allen") or a body or place ("New England Journal of Medicine"): choices of one kind."""
    words = name.replace("-", " ").split()
    if any(w.lower() in _BODIES for w in words) or " of " in name or len(words) > 3:
        return "body"
    return "person"


def _recall(units: list[tuple[Section, list[str]]], text: str) -> list[DraftQuestion]:
    values: dict[str, list[str]] = {}
    for _, found in units:
        for sentence in found:
            for kind, value in _slots(sentence):
                values.setdefault(kind, [])
                if value not in values[kind]:
                    values[kind].append(value)
    out: list[DraftQuestion] = []
    used: set[str] = set()
    # One sentence a section in turn, so the questions cover the article, not its first paragraph.
    rounds = max((len(found) for _, found in units), default=0)
    for n in range(rounds):
        for _, found in units:
            if n >= len(found) or len(out) >= PER_KIND:
                continue
            sentence = found[n]
            if not 8 <= word_count(sentence) <= 40 or sentence.startswith(("\u201c", '"')):
                continue
            for kind, value in _slots(sentence):
                if value in used or sentence.count(value) != 1:
                    continue
                # Other values of the same kind, none that the article also says in this sentence's place.
                others = [v for v in values[kind] if v != value and v not in sentence
                          and sentence.replace(value, v) not in text]
                if len(others) < MIN_CHOICES - 1:
                    continue
                blanked = sentence.replace(value, "____", 1)
                choices, letter = _choices(value, others, sentence)
                out.append(DraftQuestion("multiple-choice", "recall",
                                         f"Which answer completes this sentence from the article? "
                                         f"\u201c{blanked}\u201d", letter, choices, sentence))
                used.add(value)
                break
    return out


def _key_sentence(found: list[str]) -> str | None:
    """The sentence whose content words the section repeats most (per word, so long ones do not win)."""
    words = [[w.lower() for w in re.findall(r"[A-Za-z][\w'-]+", s) if w.lower() not in STOPWORDS] for s in found]
    counts = Counter(w for ws in words for w in set(ws))
    # A sentence that leans on the one before ("But ...", "It ...") does not stand for the section.
    scored = [(sum(counts[w] for w in set(ws)) / (len(set(ws)) or 1), -n, found[n])
              for n, ws in enumerate(words) if 8 <= word_count(found[n]) <= 45 and ws and _stands_alone(found[n])]
    return max(scored)[2] if scored else None


def _main_ideas(units: list[tuple[Section, list[str]]]) -> list[DraftQuestion]:
    out = []
    for section, found in units:
        if len(found) < 3:
            continue
        key = _key_sentence(found)
        if key is None:
            continue
        part = "the opening part of the article" if section.made_up or section.title in ("", "Introduction") \
            else f"the part \u201c{section.title}\u201d"
        out.append(DraftQuestion("short-answer", "main idea", f"What is {part} mainly about? "
                                 "Answer in a sentence of your own.", f"Model answer: {key}", (), key))
        if len(out) == PER_KIND:
            break
    return out


def _vocabulary(glossary: list[Term], every: list[str]) -> list[DraftQuestion]:
    defined = [t for t in glossary if t.definition]
    out = []
    asked: set[str] = set()
    for term in defined:
        # Not a definition that names the term ("having an allergy" beside "allergic"): it gives itself away.
        own = {w.lower()[:5] for w in re.findall(r"[A-Za-z]{4,}", term.term)}
        others = [t.definition for t in defined if t is not term and t.definition != term.definition
                  and not own & {w.lower()[:5] for w in re.findall(r"[A-Za-z]{4,}", t.definition)}]
        if len(others) < MIN_CHOICES - 1:
            break
        form, sentence = _in_sentence(term, [s for s in every if s not in asked])
        if sentence is None or not 6 <= word_count(sentence) <= 40:
            continue
        asked.add(sentence)  # one question a sentence
        choices, letter = _choices(term.definition, others, term.term)
        out.append(DraftQuestion("multiple-choice", "vocabulary",
                                 f"Read this sentence from the article: \u201c{sentence}\u201d "
                                 f"Which meaning of \u201c{form}\u201d fits it?", letter, choices, sentence))
        if len(out) == PER_KIND:
            break
    return out


def _in_sentence(term: Term, every: list[str]) -> tuple[str, str | None]:
    # The term as the glossary writes it first: "restoration", not the "Restoration" of a programme's name.
    for flags in (0, re.IGNORECASE):
        for form in (term.term, *term.forms):
            pattern = re.compile(rf"\b{re.escape(form)}\b", flags)
            for sentence in every:
                match = pattern.search(sentence)
                if match:
                    return match.group(), sentence
    return term.term, None


def _causes(every: list[str]) -> list[DraftQuestion]:
    out = []
    for sentence in every:
        match = _BECAUSE.match(sentence.rstrip(".!"))
        if not match or "?" in sentence or sentence.startswith(("\u201c", '"')):
            continue
        effect = _LEAD_PHRASE.sub("", _LEAD.sub("", match.group("effect")))
        effect = re.sub(r",?\s+(?:in part|partly|mainly|largely|mostly)$", "", effect.strip(" ,"))
        cause = match.group("cause").strip(" ,")
        if word_count(effect) < 4 or word_count(cause) < 3 or effect.split()[0].lower() in ("it", "this", "that"):
            continue
        first = effect.split()[0]
        # "The city grew" -> "why the city grew"; a name keeps its capital.
        effect = effect if _capital_name(first, every) else first.lower() + effect[len(first):]
        out.append(DraftQuestion("short-answer", "cause", f"Explain why {effect}, using the article.",
                                 f"Model answer: because {cause}.", (), sentence))
        if len(out) == 2:
            break
    return out + _so_results(every) + _results_and_contrasts(every) + _unlike(every)


# ", so ..." gives a result (not "so that", which gives a purpose, nor "so far", "so many").
_SO = re.compile(r"^(?P<cause>[^\"\u201c\u201d;]{20,}?),\s+so\s+(?!that\b|far\b|much\b|many\b|long\b|too\b)"
                 r"(?P<effect>[a-z][^\"\u201c\u201d]{12,})$")


def _so_results(every: list[str]) -> list[DraftQuestion]:
    """"The article says that ... What was the result?" for "X, so Y": the result is Y, in its words."""
    out = []
    for sentence in every:
        match = _SO.match(sentence.rstrip(".!"))
        if not match or "?" in sentence or not _stands_alone(sentence):
            continue
        cause, effect = match.group("cause").strip(" ,"), match.group("effect").strip(" ,")
        if word_count(cause) < 4 or word_count(effect) < 3:
            continue
        out.append(DraftQuestion("short-answer", "cause", f"The article says: \u201c{cause}.\u201d What was the "
                                 "result?", f"Model answer: {effect[:1].upper()}{effect[1:]}.", (), sentence))
        if len(out) == 2:
            break
    return out


# "Unlike most birds, penguins cannot fly." / "Penguins, unlike most birds, cannot fly."
_UNLIKE_FIRST = re.compile(r"^Unlike\s+(?P<other>[^,]{3,60}),\s+(?P<rest>.{12,})$")
_UNLIKE_INSIDE = re.compile(r"^(?P<subject>[^,]{3,60}),\s+unlike\s+(?P<other>[^,]{3,60}),\s+(?P<rest>.{8,})$")
# The verb that ends a sentence's subject: "penguins | cannot fly".
_VERB = re.compile(r"\s(?:is|are|was|were|has|have|had|can|cannot|could|will|would|do|does|did|may|might|must|"
                   r"should|need|needs|used|uses|lives|live|lived|grew|grows|became|becomes|remains|remained|"
                   r"makes|made|takes|took|gets|got)\b")


def _unlike(every: list[str]) -> list[DraftQuestion]:
    """"According to the article, what makes X different from Y?" for a sentence that compares with
    "unlike"; the model answer is the sentence. Only where the subject is a short phrase the question can name."""
    out = []
    for sentence in every:
        if "?" in sentence or not _stands_alone(sentence):
            continue
        plain = sentence.rstrip(".!")
        first, inside = _UNLIKE_FIRST.match(plain), _UNLIKE_INSIDE.match(plain)
        if first:
            verb = _VERB.search(first.group("rest"))
            subject = first.group("rest")[: verb.start()] if verb else ""
            other = first.group("other")
        elif inside:
            subject, other = inside.group("subject"), inside.group("other")
        else:
            continue
        subject = subject.strip()
        if not 1 <= word_count(subject) <= 6 or subject.split()[0].lower() in _LEANING:
            continue
        if not _capital_name(subject.split()[0], every):
            subject = subject[:1].lower() + subject[1:]
        out.append(DraftQuestion("short-answer", "compare", f"According to the article, what makes {subject} "
                                 f"different from {other}?", f"Model answer: {sentence}", (), sentence))
        if len(out) == 2:
            break
    return out


def _stands_alone(sentence: str) -> bool:
    """A sentence a question can quote by itself: not a quotation, not one that leans on the one before."""
    first = re.split(r"['\u2019]", sentence.split()[0].lower())[0] if sentence.split() else ""
    return not sentence.startswith(("\u201c", '"', "'", "\u2018")) and not _LEAD.match(sentence) \
        and first not in _LEANING


# "As a result, ..." and "However, ..." answer or turn the sentence before them.
_RESULT = re.compile(r"^(?:As a result|Because of this|Consequently|Therefore),\s+(?P<rest>.{12,})$")
_CONTRAST = re.compile(r"^(?:However|In contrast|By contrast|On the other hand),\s+(?P<rest>.{12,})$")


def _results_and_contrasts(every: list[str]) -> list[DraftQuestion]:
    """A result question for "As a result, ...", a compare question for "However, ...", each about the
    sentence before; the model answer is the sentence's own words."""
    out = []
    for before, sentence in zip(every, every[1:], strict=False):
        if not 6 <= word_count(before) <= 35 or before.startswith(("\u201c", '"')) or "?" in before:
            continue
        result, contrast = _RESULT.match(sentence), _CONTRAST.match(sentence)
        if result:
            rest = result.group("rest").rstrip(".")
            out.append(DraftQuestion("short-answer", "cause", f"The article says: \u201c{before}\u201d What "
                                     "happened as a result?", f"Model answer: {rest[:1].upper()}{rest[1:]}.", (),
                                     sentence))
        elif contrast:
            rest = contrast.group("rest").rstrip(".")
            out.append(DraftQuestion("short-answer", "compare", f"The article says: \u201c{before}\u201d What does "
                                     "it say next that is different?", f"Model answer: {rest[:1].upper()}{rest[1:]}.",
                                     (), sentence))
        if len(out) == 2:
            break
    return out


def _capital_name(word: str, every: list[str]) -> bool:
    """A word the article writes with a capital inside sentences too, or one too rare to be a common word
    at the start of a sentence: a name ("China", "Adelie"), not "The"."""
    from wordfreq import zipf_frequency

    return word.lower() not in STOPWORDS and (any(f" {word} " in s for s in every)
                                              or zipf_frequency(word.lower(), "en") < RARE_AS_WORD)


def found_in(question: DraftQuestion, text: str) -> bool:
    """Whether the answer of a drafted question is in the article's text: a check, run by the tests."""
    if question.kind == "multiple-choice":
        answer = question.choices[LETTERS.index(question.answer)]
        if question.skill == "vocabulary":
            return question.source in text
        if question.skill == "recall":
            blanked = question.prompt.split("\u201c", 1)[1].rstrip("\u201d")
            return blanked.replace("____", answer) in text
        return answer in question.source and question.source[:40] in text
    said = squash(question.answer.removeprefix("Model answer: ").removeprefix("because ").rstrip("."))
    return said in text or (said[:1].lower() + said[1:]) in text


