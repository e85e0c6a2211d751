"""Hostile-input benchmark for the text algorithms (issue 11): time and peak memory per case.

    .venv/bin/python benchmarks/hostile.py [--quick] [--case NAME ...]

Cases: a one-word article (one long run of letters) through the spelling check; a glossary term
capitalised mid-sentence 200,000 times (the unused-term scan and bolding at first use); 1,200
glossary terms in one paragraph (bolding at first use, the cloze, the unused-term and rare-word
scans); and `teachpack check`'s warnings path on a real article repeated to about 4.5 MB. Each
case runs in a process of its own and prints its input size, its time (a run without tracing),
the peak memory traced during the call (tracemalloc, a second run) and the process's peak RSS
(which includes the input, the dictionaries and the tracing). Not a test: timings depend on the
machine; tests/test_scaling.py pins the growth rates. `--quick` runs every case at a tenth of its size.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
EXAMPLE = REPO / "packs" / "sino-soviet-split"


def letters(n: int, seed: int = 11) -> str:
    """One "word" of n random letters: no dictionary word, no split, nothing to suggest."""
    rng = random.Random(seed)
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def term_names(count: int, seed: int = 12) -> list[str]:
    """`count` distinct made-up lowercase glossary terms of one to three words."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < count:
        names.add(" ".join("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9)))
                           for _ in range(rng.randint(1, 3))))
    return sorted(names)


def case_one_word(size: int) -> Callable[[], object]:
    from builder.check.spelling import check_spelling

    text = letters(size)
    return lambda: check_spelling([text])


def case_capitalised_term(size: int) -> Callable[[], object]:
    """'the Alliance ' repeated: every match is a name, not the lowercase term, so none is the first use."""
    from builder.load.schema import GlossaryEntry
    from builder.resolve.terms import TermIndex

    text = "It was the Alliance " + "and the Alliance " * (size // 17)
    index = TermIndex([GlossaryEntry(term="alliance", definition="d")])
    return lambda: index.used(text)


def case_capitalised_bold(size: int) -> Callable[[], object]:
    from builder.load.article import parse_article
    from builder.load.schema import GlossaryEntry
    from builder.resolve.document import bold_first_use

    sections = parse_article("## A\n\nIt was the Alliance " + "and the Alliance " * (size // 17) + "\n").sections
    glossary = [GlossaryEntry(term="alliance", definition="d")]
    return lambda: bold_first_use(sections, glossary)


def many_terms(count: int) -> tuple[list[object], str]:
    from builder.load.schema import GlossaryEntry

    names = term_names(count)
    glossary = [GlossaryEntry(term=name, definition=f"The meaning of {name}.") for name in names]
    paragraph = " ".join(f"Then the {name} came." for name in reversed(names))
    return glossary, paragraph


def case_many_terms_bold(count: int) -> Callable[[], object]:
    from builder.load.article import parse_article
    from builder.resolve.document import bold_first_use

    glossary, paragraph = many_terms(count)
    sections = parse_article(f"## A\n\n{paragraph}\n").sections
    return lambda: bold_first_use(sections, glossary)  # type: ignore[arg-type]


def case_many_terms_scan(count: int) -> Callable[[], object]:
    """The unused-term scan: which of `count` terms occur in one paragraph that holds them all."""
    from builder.resolve.terms import TermIndex

    glossary, paragraph = many_terms(count)
    index = TermIndex(glossary)  # type: ignore[arg-type]
    return lambda: index.used(paragraph)


def long_pack(size: int, terms: int = 0) -> Path:
    """A copy of the example pack whose article.md is its own body repeated to about `size` bytes
    (the level rewrites stay as they are: they replace the first copy of their sections); with
    `terms`, that many more glossary entries, a paragraph using them all, and a cloze."""
    pack = Path(tempfile.mkdtemp(prefix="hostile-")) / "pack"
    shutil.copytree(EXAMPLE, pack)
    article = pack / "article.md"
    title, _, body = article.read_text(encoding="utf-8").partition("\n\n")
    copies = max(1, size // len(body.encode()))
    text = title + "\n\n" + "\n\n".join([body] * copies)
    if terms:
        names = term_names(terms)
        text += "\n\n" + " ".join(f"Then the {name} came to the people of the city." for name in names) + "\n"
        settings = (pack / "pack.yaml").read_text(encoding="utf-8")
        entries = "".join(f"  - term: {name}\n    definition: The meaning of {name}.\n" for name in names)
        settings = settings.replace("\nglossary:\n", "\nglossary:\n" + entries, 1)
        settings = settings.replace("\nworksheet:\n", "\nworksheet:\n  - type: cloze\n", 1)
        (pack / "pack.yaml").write_text(settings, encoding="utf-8")
    article.write_text(text, encoding="utf-8")
    return pack


def case_check(size: int, terms: int = 0) -> Callable[[], object]:
    """`teachpack check` without rendering: plan every document, then every warning and report."""
    import os

    from builder.build import plan
    from builder.check import checks
    from builder.load.loader import load_pack

    os.environ["TEACHPACK_MAX_ARTICLE_MB"] = "100"
    pack = load_pack(long_pack(size, terms))

    def run() -> object:
        plan([pack])
        return checks.pack_warnings(pack), checks.rare_words(pack)

    return run


CASES: dict[str, tuple[Callable[[int], Callable[[], object]], int, str]] = {
    "one-word": (case_one_word, 60_000, "letters"),
    "capitalised-term": (case_capitalised_term, 2_400_000, "characters"),
    "capitalised-bold": (case_capitalised_bold, 2_400_000, "characters"),
    "many-terms-bold": (case_many_terms_bold, 1_200, "terms"),
    "many-terms-scan": (case_many_terms_scan, 12_000, "terms"),
    "check": (case_check, 4_500_000, "bytes of article"),
    "check-many-terms": (lambda size: case_check(size, 1_200), 1_000_000, "bytes, 1,200 terms"),
}


def measure(make: Callable[[int], Callable[[], object]], size: int) -> tuple[float, float]:
    """(seconds, peak MB traced) for one call of the prepared case, each from its own run, after a
    warm-up on a hundredth of the input that loads the dictionaries."""
    make(max(1, size // 100))()
    run = make(size)
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    run = make(size)
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every case at a tenth of its size")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only this case (repeatable)")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)  # one case in this process (see below)
    args = parser.parse_args()
    if args.size is not None:
        (name,) = args.case
        make, _, unit = CASES[name]
        seconds, peak = measure(make, args.size)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000
        print(f"{name:18} {args.size:>10,} {unit:18} {seconds:8.2f} s {peak:9.1f} MB traced {rss:8.0f} MB RSS",
              flush=True)
        return
    for name in args.case or CASES:  # each case in its own process, so that its peak RSS is its own
        size = CASES[name][1] // (10 if args.quick else 1)
        subprocess.run([sys.executable, __file__, "--case", name, "--size", str(size)], check=True)


if __name__ == "__main__":
    main()
