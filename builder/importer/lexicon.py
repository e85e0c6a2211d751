"""Offline dictionary look-ups for the glossary draft: WordNet 3.0 read with NLTK.

WordNet comes from Debian's `wordnet-base` package (setup.sh installs it) as plain files in
/usr/share/wordnet/. NLTK reads the same files but wants them as `corpora/wordnet/` together with a
small `lexnames` file that Debian does not ship, so the first use builds that layout in a per-user
cache folder (copies of the Debian files, plus lexnames written here). Nothing is downloaded.
When the files are missing, `load_wordnet` returns None and the import drafts terms without
definitions, saying so in its report.

The sense of a term is chosen from the article (a simplified Lesk): the synset whose gloss,
examples, lemma names and hypernyms share most content words with the sentences where the term
occurs; on a tie, WordNet's own order (its most frequent sense first) decides.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.core.cache import cache_dir

SOURCE = "WordNet 3.0"
DEBIAN_FOLDER = Path("/usr/share/wordnet")
FOLDER_VARIABLE = "TEACHPACK_WORDNET"  # another folder holding WordNet's dict files (tests point it at an empty one)
MISSING = ("glossary definitions were not drafted: the offline dictionary (WordNet, Debian package wordnet-base) "
           "is not installed; run ./setup.sh, then import again")

# The 45 lexicographer files, numbered as in WordNet's lexnames(5) page; the last column is the part
# of speech (1 noun, 2 verb, 3 adjective, 4 adverb), the layout NLTK's reader expects.
LEXNAMES = ("adj.all 3", "adj.pert 3", "adv.all 4", "noun.Tops 1", "noun.act 1", "noun.animal 1", "noun.artifact 1",
            "noun.attribute 1", "noun.body 1", "noun.cognition 1", "noun.communication 1", "noun.event 1",
            "noun.feeling 1", "noun.food 1", "noun.group 1", "noun.location 1", "noun.motive 1", "noun.object 1",
            "noun.person 1", "noun.phenomenon 1", "noun.plant 1", "noun.possession 1", "noun.process 1",
            "noun.quantity 1", "noun.relation 1", "noun.shape 1", "noun.state 1", "noun.substance 1", "noun.time 1",
            "verb.body 2", "verb.change 2", "verb.cognition 2", "verb.communication 2", "verb.competition 2",
            "verb.consumption 2", "verb.contact 2", "verb.creation 2", "verb.emotion 2", "verb.motion 2",
            "verb.perception 2", "verb.possession 2", "verb.social 2", "verb.stative 2", "verb.weather 2",
            "adj.ppl 3")
_NEEDED = ("index.noun", "index.verb", "index.adj", "index.adv", "data.noun", "data.verb", "data.adj", "data.adv",
           "noun.exc", "verb.exc", "adj.exc", "adv.exc")
# NLTK insists on these two; they give each sense's count in WordNet's tagged corpus, which breaks
# ties between senses. When wordnet-sense-index is not installed, empty files stand in (counts 0).
_OPTIONAL = ("index.sense", "cntlist.rev")

STOPWORDS = frozenset(re.findall(r"\S+", """a about above after again against all also am an and any are as at
be because been before being below between both but by can could did do does doing down during each either
few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just many may me might more
most much must my myself no nor not now of off often on once one only or other our ours ourselves out over own
same she should so some something someone such than that the their theirs them themselves then there these they
this those through to too under until up upon us usually very was we were what when where which while who whom
whose why will with within without would you your yours yourself yourselves especially used use make made
something somebody thing things kind sort way etc"""))
_WORD = re.compile(r"[A-Za-z][a-z'-]*[a-z]|[A-Za-z]")


def wordnet_folder() -> Path:
    """Where WordNet's dict files are looked for: $TEACHPACK_WORDNET, else Debian's folder."""
    return Path(os.environ.get(FOLDER_VARIABLE) or DEBIAN_FOLDER)


def _cache_root() -> Path:
    return cache_dir("nltk_data")


def nltk_layout(folder: Path, cache: Path | None = None) -> Path | None:
    """`<cache>/corpora/wordnet/` holding copies of the dict files of `folder` and lexnames.

    None when `folder` lacks a file NLTK needs. Built once per folder; a file whose size differs from
    the installed one (WordNet upgraded) is replaced.
    """
    folder = folder.resolve()
    if not all((folder / name).is_file() for name in _NEEDED):
        return None
    key = re.sub(r"[^A-Za-z0-9]+", "-", str(folder)).strip("-") or "root"
    target = (cache or _cache_root()) / key / "corpora" / "wordnet"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name in (*_NEEDED, *_OPTIONAL):
            source, copy = folder / name, target / name
            if not source.is_file():
                if not copy.is_file():
                    copy.write_bytes(b"")
                continue
            if copy.is_file() and copy.stat().st_size == source.stat().st_size:
                continue
            partial = copy.with_name(name + ".part")
            partial.unlink(missing_ok=True)
            shutil.copyfile(source, partial)  # a copy (36 MB all told): NLTK refuses symlinks and hard links
            partial.replace(copy)
        lexnames = "".join(f"{i:02d}\t{name}\t{pos}\n" for i, (name, pos) in
                           enumerate(line.split() for line in LEXNAMES))
        path = target / "lexnames"
        if not path.is_file() or path.read_text(encoding="utf-8") != lexnames:
            path.write_text(lexnames, encoding="utf-8")
    except OSError:
        return None
    return target


@functools.cache
def _load(folder: str) -> Any:
    layout = nltk_layout(Path(folder))
    if layout is None:
        return None
    try:
        import nltk.data
        from nltk.corpus.reader.wordnet import WordNetCorpusReader
    except ImportError:
        return None
    # NLTK opens only files under its data folders: the cache's NLTK_DATA root is one.
    if str(layout.parents[1]) not in nltk.data.path:
        nltk.data.path.append(str(layout.parents[1]))
    with warnings.catch_warnings():  # "multilingual functions are not available": English only is all we need
        warnings.simplefilter("ignore")
        class _EnglishWordNet(WordNetCorpusReader):  # type: ignore[misc]
            def map_wn(self, version: str = "wordnet") -> None:
                return None  # the map to other WordNet versions serves other languages only: 5 s saved

        try:
            return _EnglishWordNet(str(layout), None)
        except (OSError, ValueError, AssertionError, PermissionError):
            return None


def load_wordnet(folder: Path | None = None) -> Any:
    """NLTK's WordNet reader over the installed files, loaded once per folder; None when not installed."""
    return _load(str(folder or wordnet_folder()))


@dataclass(frozen=True)
class Sense:
    """A chosen WordNet sense: its name ("bank.n.01"), gloss, and a simpler wording of the gloss."""

    name: str
    definition: str
    simple: str
    overlap: int  # content words shared with the article's sentences: 0 means WordNet's first sense by default


EVIDENCE = 1.0  # the weight of shared words that overturns WordNet's usual sense: one rare word, or a few


def _weight(word: str) -> float:
    """How much a shared word says about a sense: 1 for a rare word, down to 0.1 for the commonest."""
    return min(1.0, max(0.1, (6.0 - _zipf(word)) / 2))


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def _lowercase_use(term: str, sentence: str) -> bool:
    """The sentence writes the term in lower case somewhere ("the restoration", not "the Restoration")."""
    return any(m.group(0)[:1].islower()
               for m in re.finditer(rf"\b{re.escape(term)}", sentence, re.I))


def _named_sense(synset: Any, key: str) -> bool:
    """The sense's own lemma for the term is a capitalised name: Restoration, Dragon (Draco)."""
    return any(lemma.name().lower() == key and lemma.name()[:1].isupper() for lemma in synset.lemmas())


class Lexicon:
    """Look-ups in one loaded WordNet: base forms, whether a phrase is an entry, senses in context."""

    def __init__(self, wn: Any) -> None:
        self.wn = wn

    @functools.lru_cache(maxsize=20000)  # noqa: B019 - one Lexicon per import; the cache dies with it
    def lemma(self, word: str) -> str:
        """The base form: "computes" -> "compute", "hypotheses" -> "hypothesis"; the word when WordNet lacks it."""
        lower = word.lower()
        for pos in ("n", "a", "v", "r"):  # adjectives before verbs: "disgruntled", not "disgruntle"
            base = self.wn.morphy(lower, pos)
            if base:
                verb = self.wn.morphy(lower, "v") if pos == "a" and lower.endswith(("ed", "ing")) else None
                if verb and _zipf(verb) >= _zipf(lower):  # a participle of a commoner verb: "modeled" -> "model"
                    return str(verb)
                if pos == "n" and base == lower:
                    # A plural with an entry of its own ("peanuts": a trifling sum) is still the plural of
                    # the word of more senses ("peanut"), unless the plural's own sense is in use ("glasses").
                    own = [lemma for synset in self.wn.synsets(lower, "n") for lemma in synset.lemmas()
                           if lemma.name().lower() == lower]
                    singular = [b for b in self.wn._morphy(lower, "n") if b != lower]
                    if singular and own and not any(lemma.count() for lemma in own) \
                            and len(self.wn.synsets(singular[0], "n")) > len(own):
                        return str(singular[0])
                return str(base)
        return lower

    def phrase_lemma(self, phrase: str) -> str:
        """A phrase in base form: its last word reduced ("labour camps" -> "labour camp")."""
        words = phrase.split()
        if not words:
            return phrase
        last = words[-1]
        noun = self.wn.morphy(last.lower(), "n")
        base = (self.lemma(last) if noun else None) or self.wn.morphy(last.lower(), "v") or last.lower()
        if last[:1].isupper() and base:
            base = last[0] + base[1:] if base[:1] == last[:1].lower() else last
        return " ".join([*words[:-1], base])

    def synsets(self, term: str) -> list[Any]:
        return list(self.wn.synsets(term.replace(" ", "_")))

    def content_lemmas(self, text: str) -> set[str]:
        """The content words of `text` in base form, stopwords left out."""
        return {self.lemma(w) for w in _WORD.findall(text) if w.lower() not in STOPWORDS and len(w) > 2}

    def signature(self, synset: Any) -> set[str]:
        """The words that describe a sense: gloss, examples, synonyms, hypernyms and their glosses."""
        text = [synset.definition(), *synset.examples(), *(n.replace("_", " ") for n in synset.lemma_names())]
        for hyper in (*synset.hypernyms(), *synset.instance_hypernyms()):
            text += [hyper.definition(), *(n.replace("_", " ") for n in hyper.lemma_names())]
        return self.content_lemmas(" ".join(text))

    def choose(self, term: str, context: list[str], nominal: bool = True) -> Sense | None:
        """The sense of `term` that fits the sentences where it occurs; None when WordNet lacks the term.

        `nominal`: the article uses the term as a noun, so only noun senses compete when there are any.
        """
        candidates = self.synsets(term)
        if not candidates:
            return None
        nouns = [s for s in candidates if s.pos() == "n"]
        key = term.replace(" ", "_").lower()
        if nominal and nouns:
            candidates = nouns
        else:  # not plainly a noun: the word's commonest part of speech first ("steady winds", "they creep")
            uses: dict[str, int] = {}
            for synset in candidates:
                pos = "a" if synset.pos() == "s" else synset.pos()
                uses[pos] = uses.get(pos, 0) + sum(lemma.count() for lemma in synset.lemmas()
                                                   if lemma.name().lower() == key)
            candidates = sorted(candidates, key=lambda s: -uses["a" if s.pos() == "s" else s.pos()])
        if any(_lowercase_use(term, sentence) for sentence in context):
            # "the restoration of the island": not the Restoration (of Charles II), nor the constellation Dragon.
            candidates = [s for s in candidates if not _named_sense(s, key)] or candidates
        own = self.content_lemmas(term)
        words = set().union(*(self.content_lemmas(s) for s in context)) - own if context else set()

        def count(synset: Any) -> int:  # how often the sense was tagged in WordNet's corpus (SemCor)
            return sum(lemma.count() for lemma in synset.lemmas() if lemma.name().lower() == key)

        def overlap(synset: Any) -> float:
            # Each shared word weighs by how rare it is: "prisoner" says more about a cell than "small",
            # and "child" and "age" in an article about babies do not make a peanut a small child.
            return sum(_weight(w) for w in words & (self.signature(synset) - own))

        def shared(synset: Any) -> int:
            return len(words & (self.signature(synset) - own))

        # WordNet's first sense is the usual one; another sense takes over only when it shares two words or
        # more with the article, weighing at least EVIDENCE, and more than the first sense's: one word alone
        # ("lounge" in "lizards lounge on rocks") does not make a reptile a lounge lizard, nor do common
        # words ("child", "age") make a peanut a small child. Among the others: most shared weight, then
        # most often tagged.
        usual = candidates[0]
        rival = min(candidates[1:], key=lambda s: (-overlap(s), -count(s)), default=None)
        best = rival if rival is not None and shared(rival) >= 2 and overlap(rival) >= EVIDENCE \
            and overlap(rival) > overlap(usual) else usual
        best_overlap = shared(best)
        # WordNet quotes in the old typewriter way, `groundnut': printed as ‘groundnut’.
        definition = re.sub(r"`([^`']+)'", "\u2018\\1\u2019", best.definition())
        return Sense(best.name(), definition, self.simplify(definition, own), best_overlap)

    def simplify(self, gloss: str, own: set[str] = frozenset()) -> str:  # type: ignore[assignment]
        """A plainer wording of a gloss for the youngest readers, never longer than the gloss.

        Rules, in order: the first clause only (up to a ";"), no parentheses; then each hard word
        (wordfreq Zipf below 3.5) that has a single WordNet sense is swapped for a synonym or a
        broader word (a hypernym) of that sense when one is clearly commoner and not already in the
        gloss. A word of many senses is left alone: which sense the gloss means is not known.
        """
        from wordfreq import zipf_frequency

        short = re.sub(r"\s*\([^()]*\)", "", gloss.split(";")[0]).strip() or gloss
        if len(short) > 90:  # still long: up to the first relative clause or comma after a few words
            cut = re.search(r"(?<=\w)(?:,| that | which | who )", short[30:])
            short = short[:30 + cut.start()] if cut else short
        out: list[str] = []
        present = {w.lower() for w in _WORD.findall(short)}
        for token in re.split(r"(\W+)", short):
            if not token or not token[0].isalpha() or zipf_frequency(token, "en") >= 3.5 or token.lower() in own:
                out.append(token)
                continue
            plainer = self.plainer(token)
            if plainer and plainer not in present:  # never "between the layer and the layer"
                present.add(plainer)
                out.append(plainer)
            else:
                out.append(token)
        simple = "".join(out)
        return simple if len(simple) <= len(gloss) else short

    def plainer(self, word: str, broader: bool = True) -> str | None:
        """A clearly commoner word for `word` when it has one sense: a synonym, or (`broader`) a hypernym,
        which a definition can use ("a bird" for "a passerine") but running prose cannot."""
        from wordfreq import zipf_frequency

        base = self.lemma(word)
        if base != word.lower() or word.endswith(("ing", "ed")):  # an inflected form: a swap would lose it
            return None
        senses = self.synsets(base)
        if len(senses) != 1:  # a word of one sense only: its synonyms and broader words mean the same
            return None
        first = senses[0]
        options = [n for n in first.lemma_names() if "_" not in n and n != base]
        options += [n for h in first.hypernyms() for n in h.lemma_names() if "_" not in n] if broader else []
        zipf = zipf_frequency(base, "en")
        scored = [(zipf_frequency(n, "en"), n) for n in options if len(n) <= len(base) + 3]
        better = [(z, n) for z, n in scored if z >= zipf + 1.0 and z >= 3.5]
        return max(better)[1] if better else None
