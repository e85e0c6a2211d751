"""`teachpack import`'s glossary draft: terms in base form, names told from concepts, WordNet senses chosen
from the article, simpler wordings, the `drafted:` marker and check's TP206, and import without WordNet.

Every text here is written for the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder import check_pack, load_pack
from builder.importer import import_source
from builder.importer.lexicon import MISSING, Lexicon, load_wordnet

WN = load_wordnet()
needs_wordnet = pytest.mark.skipif(WN is None, reason="WordNet (Debian wordnet-base) is not installed: ./setup.sh")


@pytest.fixture(scope="module")
def lx() -> Lexicon:
    if WN is None:
        pytest.skip("WordNet is not installed")
    return Lexicon(WN)


# (term, a sentence of ours, the sense WordNet must give, whether that is WordNet's first sense)
SENSES = [
    ("bank", "We sat on the grassy bank of the river and watched the water flow past the slope.", "bank.n.01", True),
    ("cell", "The prisoner was locked in a small cell in the jail for a week.", "cell.n.07", False),
    ("cell", "Every living organism is made of cells, and each cell is the basic unit of life.", "cell.n.02", False),
    ("plant", "The car plant is a factory where workers build engines in large industrial buildings.", "plant.n.01",
     True),
    ("satellite", "The moon is a natural satellite: a celestial body that orbits the planet.", "satellite.n.03", False),
    ("satellite", "The rocket put a man-made satellite into orbit around the earth to relay television.",
     "satellite.n.01", True),
    ("front", "A cold front moved in as two air masses met, and the weather turned to rain.", "front.n.07", False),
    ("pitch", "The singer raised the pitch of her voice as the sound grew higher in frequency.", "pitch.n.01", True),
    ("crane", "The crane lifted the heavy steel beams and moved the heavy objects across the site.", "crane.n.04",
     False),
    ("crane", "A crane, a tall wading bird with long legs, stood in the marsh looking for fish.", "crane.n.05", False),
    ("mouse", "Move the mouse on its pad to steer the cursor across the computer screen.", "mouse.n.04", False),
    ("hypothesis", "The scientist tested her hypothesis with a careful experiment.", "hypothesis.n.01", True),
    # One shared word ("men") does not make an article's reptile a lounge lizard.
    ("lizard", "The lizard basked on a warm rock while men counted the reptiles of the island.", "lizard.n.01",
     True),
    # Lower case: not the Restoration of Charles II (WordNet's first sense).
    ("restoration", "The restoration of the island brought back its plants after the goats were gone.",
     "restoration.n.02", False),
    ("attorney general", "The state attorney general filed a lawsuit against the company.", "attorney_general.n.01",
     True),
    ("similarity", "The similarity between the two maps was striking: they were nearly the same.",
     "similarity.n.01", True),
    ("clause", "A clause in the contract, a legal document both sides signed, set the price.", "article.n.03",
     False),
    ("threshold", "The starting point for the new experience was a threshold she had to cross.", "threshold.n.01",
     True),
]


@needs_wordnet
@pytest.mark.parametrize(("term", "sentence", "sense", "first"), SENSES)
def test_sense_from_context(lx: Lexicon, term: str, sentence: str, sense: str, first: bool) -> None:
    chosen = lx.choose(term, [sentence])
    assert chosen is not None and chosen.name == sense
    assert (lx.synsets(term)[0].name() == sense) is first
    assert chosen.definition and len(chosen.simple) <= len(chosen.definition)


@needs_wordnet
def test_common_shared_words_do_not_pick_a_sense(lx: Lexicon) -> None:
    """"child" and "age" in an article about babies do not make a peanut "a young child small for his age"."""
    context = ["Babies who eat peanut snacks early are less likely to be allergic to peanuts later.",
               "Each child in the study ate a peanut snack three times a week until age five."]
    chosen = lx.choose("peanut", context)
    assert chosen is not None and chosen.name != "peanut.n.03"


def test_senses_table_has_wrong_first_senses() -> None:
    """The brief: ten words at least, three where WordNet's first sense is the wrong one."""
    assert len({t for t, *_ in SENSES}) >= 10
    assert sum(not first for *_, first in SENSES) >= 3


@needs_wordnet
@pytest.mark.parametrize(("word", "base"), [("computes", "compute"), ("pierces", "pierce"), ("conforms", "conform"),
                                            ("modeled", "model"), ("peanuts", "peanut"), ("glasses", "glasses"),
                                            ("hypotheses", "hypothesis"), ("thresholds", "threshold"),
                                            ("geese", "goose"), ("disgruntled", "disgruntled")])
def test_base_forms(lx: Lexicon, word: str, base: str) -> None:
    assert lx.lemma(word) == base


@needs_wordnet
def test_simple_is_first_clause(lx: Lexicon) -> None:
    gloss = "a war between North and South Korea; South Korea was aided by the United States"
    assert lx.simplify(gloss) == "a war between North and South Korea"
    assert lx.simplify("a cloud of solid particles (as in smoke)") == "a cloud of solid particles"


LONG = """# How Scientists Test Ideas

## Asking a question

A scientist begins with a question about the world. She reads what others have found and then writes a
hypothesis, a guess that an experiment can test. The hypothesis must make a prediction that could turn out
to be false. Scientists call a hypothesis that survives many tests a theory, and every theory stays open to
new evidence. In 1950 the Cold War made governments pay for physics, and the Library of Congress filled with
reports. The Great Leap Forward, a campaign in China, shows what happens when a plan ignores evidence.

## Running the experiment

In an experiment the scientist changes one variable and keeps the others fixed. The changed variable is the
independent variable; the measured one is the dependent variable. Each measurement has an uncertainty, so
she repeats every trial and takes the average. A reading above a threshold counts as a positive result, and
readings below the threshold count as negative. The thresholds are chosen before the data are collected, so
nobody can move them afterwards. A computer computes the averages and plots the readings.

## Reading the results

When the results match the prediction, the hypothesis gains support but is never proved. When they do not,
the scientist rejects the hypothesis or revises it. Other laboratories then try to replicate the experiment:
a result that nobody can reproduce is treated with suspicion. Peer review, in which other experts read the
report before a journal prints it, catches many mistakes. Statistics tells her how likely the pattern is to
be chance, and a small sample makes chance more likely. The Royal Society of London, the National Science
Foundation and the International Conference on Experimental Methods publish guidance for laboratories.

## Why it matters

Careful experiments let medicine separate a cure from a coincidence. A vaccine is tested on thousands of
volunteers, half of whom receive a placebo, an inactive substance that looks the same. Neither the
volunteers nor the doctors know who received which, so their expectations cannot bias the outcome. This
method, the double-blind trial, is one of the great inventions of modern science. Albert Einstein and Marie
Curie both relied on evidence that others could check, and the Cold War rivalry between laboratories
sharpened that habit.
"""


@pytest.fixture(scope="module")
def long_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, Path]:
    folder = tmp_path_factory.mktemp("gloss")
    source = folder / "science.md"
    source.write_text(LONG, encoding="utf-8")
    result = import_source(source, folder / "pack")
    return result, folder / "pack"


@needs_wordnet
def test_long_article_terms(long_import) -> None:
    result, folder = long_import
    terms = [t.term for t in result.glossary]
    assert 8 <= len(terms) <= 15
    assert {"hypothesis", "threshold"} <= set(terms)
    assert "Cold War" in terms  # a name that is the concept
    for name in ("Library of Congress", "Royal Society of London", "National Science Foundation",
                 "International Conference on Experimental Methods", "Albert Einstein", "Marie Curie"):
        assert not any(name in t or t in name.split() for t in terms), name
    assert "computes" not in terms and "thresholds" not in terms  # base forms only
    threshold = next(t for t in result.glossary if t.term == "threshold")
    assert "thresholds" in threshold.forms


@needs_wordnet
def test_drafted_definitions_in_pack_and_check(long_import) -> None:
    result, folder = long_import
    drafted = [t for t in result.glossary if t.drafted]
    assert drafted and all(t.definition and len(t.simple) <= len(t.definition) for t in drafted)
    data = yaml.safe_load((folder / "pack.yaml").read_text(encoding="utf-8"))
    entries = {e["term"]: e for e in data["glossary"]}
    assert entries["hypothesis"]["drafted"] == "wordnet"
    # The science sense (WordNet's second), chosen from the article's words: "natural world", "facts".
    assert entries["hypothesis"]["definition"].startswith("a tentative insight into the natural world")
    pack = load_pack(folder)
    assert next(e for e in pack.file.glossary if e.term == "hypothesis").drafted == "wordnet"
    assert "delete the drafted: line" in (folder / "pack.yaml").read_text(encoding="utf-8")
    warnings = [str(w) for w in check_pack(folder).warnings]
    flagged = [w for w in warnings if w.startswith("TP206")]
    assert len(flagged) == len(drafted)
    report = (folder / "import-report.md").read_text(encoding="utf-8")
    todo = report.split("## What is left to do", 1)[1].split("##", 1)[0]
    assert todo.strip().startswith("1. Read the") and "hypothesis" in todo.splitlines()[2]


@needs_wordnet
def test_removing_drafted_line_silences_check(long_import, tmp_path: Path) -> None:
    import shutil

    _, folder = long_import
    copy = tmp_path / "pack"
    shutil.copytree(folder, copy)
    text = (copy / "pack.yaml").read_text(encoding="utf-8")
    (copy / "pack.yaml").write_text("\n".join(line for line in text.splitlines()
                                              if line.strip() != "drafted: wordnet") + "\n", encoding="utf-8")
    assert not any("TP206" in str(w) for w in check_pack(copy).warnings)


def test_import_without_wordnet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-wordnet"
    empty.mkdir()
    monkeypatch.setenv("TEACHPACK_WORDNET", str(empty))
    source = tmp_path / "science.md"
    source.write_text(LONG, encoding="utf-8")
    result = import_source(source, tmp_path / "pack")
    assert MISSING in result.notes
    assert not any(t.drafted or t.definition for t in result.glossary)
    report = (tmp_path / "pack" / "import-report.md").read_text(encoding="utf-8")
    assert "run ./setup.sh" in report
    load_pack(tmp_path / "pack")


def test_a_dictionary_pair_inside_a_longer_phrase_stays_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'sulfur dioxide emissions' is no entry, but 'sulfur dioxide' is: the term, not 'sulfur' and 'dioxide'."""
    from builder.importer import glossary

    monkeypatch.setattr(glossary, "_keyphrases", lambda text: ["sulfur dioxide emissions"])  # YAKE's 3-gram only
    text = ("Volcanoes\n\n" + " ".join(
        ["Sulfur dioxide emissions from the volcano drifted over the valley for weeks.",
         "Scientists measured sulfur dioxide emissions at three stations on the slopes.",
         "High sulfur dioxide emissions can harm crops, and they make the air sour to breathe.",
         "Ash and sulfur dioxide emissions both fell after the eruption ended in the spring."] * 3) + "\n")
    source = tmp_path / "volcano.txt"
    source.write_text(text, encoding="utf-8")
    terms = [t.term for t in import_source(source, tmp_path / "pack").glossary]
    assert "sulfur dioxide" in terms and "sulfur" not in terms and "dioxide" not in terms


@needs_wordnet
@pytest.mark.parametrize(("term", "sense"), [("steady", "steady.a.01"), ("loose", "loose.a.01"), ("sand", "sand.n.01")])
def test_a_word_not_plainly_a_noun_takes_its_commonest_part_of_speech(lx: Lexicon, term: str, sense: str) -> None:
    """"steady winds" is not "a person loved by another"; "loose sand" is still sand."""
    chosen = lx.choose(term, ["Dunes form where steady winds meet loose sand and little rain falls."], nominal=False)
    assert chosen is not None and chosen.name == sense


@needs_wordnet
def test_a_word_of_a_compound_name_is_no_evidence(lx: Lexicon) -> None:
    """"lizards lounge on the rocks" shares "lounge" with "lounge lizard", which the article never says."""
    chosen = lx.choose("lizard", ["On the island, small lizards lounge on the warm rocks all afternoon."])
    assert chosen is not None and chosen.name == "lizard.n.01"
    assert lx.phrase_lemma("peanuts") == "peanut" and lx.phrase_lemma("labour camps") == "labour camp"


@needs_wordnet
def test_wordnet_typewriter_quotes_print_as_quotes(lx: Lexicon) -> None:
    chosen = lx.choose("peanut", ["Each nut sits in a pod, and the peanut pods contain two nuts or seeds."])
    assert chosen is not None and "`" not in chosen.definition and "\u2018groundnut\u2019" in chosen.definition
