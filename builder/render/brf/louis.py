"""liblouis, through its `lou_translate` command: print text to braille ASCII and back.

The venv's Python is not Debian's, so Debian's `louis` module cannot be imported; the command does
the same work. One process translates a whole document: every text goes in as a line on stdin and
comes back as a line on stdout, in order. liblouis writes North American Braille ASCII in lower case
(`,! split`); a BRF file is upper case (`,! SPLIT`), so `forward` returns upper case and `backward`
takes either.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import unicodedata
from collections.abc import Sequence

from builder.core.errors import BuildError
from builder.core.reproducible import tool_version

LOU_TRANSLATE = "lou_translate"
TABLES = {1: "en-ueb-g1.ctb", 2: "en-ueb-g2.ctb"}  # Unified English Braille, uncontracted and contracted
INSTALL = "braille needs liblouis: run ./setup.sh (apt-get install liblouis-bin liblouis-data)"
# lou_translate cuts a longer line into several (its buffer): a text goes in as pieces of at most this
# many characters, cut at spaces (UEB contracts within words, never across them), and is joined again.
PIECE = 300
TIMEOUT = 120  # seconds for one document: a whole pack's text takes well under one
# North American Braille ASCII: the 64 cells, as a BRF file writes them (upper case).
BRAILLE_ASCII = frozenset(" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_")


def _upper(braille: str) -> str:
    """liblouis's lower-case braille ASCII (` a-z { | } ~`) as BRF writes it (`@ A-Z [ \\ ] ^`)."""
    return "".join(chr(ord(c) - 32) if "`" <= c <= "~" else c for c in braille)


def _lower(braille: str) -> str:
    return "".join(chr(ord(c) + 32) if "@" <= c <= "^" else c for c in braille)


def _plain(text: str) -> str:
    """`text` as one line lou_translate reads as written: every kind of space a plain space (it passes a
    no-break space through untranslated), invisible format characters out, its backslashes escaped
    (it reads `\\x..` as an escape) and runs of spaces one."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("Z") or char in "\t\n\r":
            kept.append(" ")
        elif category not in ("Cc", "Cf"):
            kept.append("\\\\" if char == "\\" else char)
    return " ".join("".join(kept).split())


def _pieces(text: str) -> list[str]:
    """`text` cut at spaces into pieces of at most PIECE characters (a longer word cut where it must)."""
    pieces: list[str] = []
    current = ""
    for word in text.split(" "):
        while len(word) > PIECE:
            if current:
                pieces.append(current)
                current = ""
            cut = PIECE
            while (len(word[:cut]) - len(word[:cut].rstrip("\\"))) % 2:  # never inside an escaped backslash
                cut -= 1
            pieces.append(word[:cut])
            word = word[cut:]
        if current and len(current) + 1 + len(word) > PIECE:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current or not pieces:
        pieces.append(current)
    return pieces


def _run(lines: Sequence[str], table: str, direction: str) -> list[str]:
    """Each of `lines` through one lou_translate process, in order; one clear error if it cannot run."""
    if shutil.which(LOU_TRANSLATE) is None:
        raise BuildError(INSTALL)
    try:
        done = subprocess.run([LOU_TRANSLATE, direction, table], input="".join(f"{line}\n" for line in lines),
                              capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"liblouis ({LOU_TRANSLATE}) took longer than {TIMEOUT} s to translate one document") from None
    except OSError as exc:
        raise BuildError(f"{INSTALL} ({LOU_TRANSLATE}: {exc.strerror})") from None
    out = done.stdout.split("\n")
    if out and out[-1] == "":
        out.pop()
    problem = " ".join(done.stderr.split())
    if done.returncode != 0 or (problem and len(out) != len(lines)):
        # A missing table exits 0 but says so on stderr ("Cannot resolve table ..."), and translates nothing.
        raise BuildError(f"liblouis cannot translate with table {table}: {problem or f'exit code {done.returncode}'}; "
                         f"{INSTALL.split(': ', 1)[1]}")
    if len(out) != len(lines):
        raise BuildError(f"liblouis gave {len(out)} lines for {len(lines)} (please report this)")
    return out


def forward(texts: Sequence[str], grade: int) -> list[str]:
    """Each print text in braille (upper-case braille ASCII, one line each): one lou_translate run for all."""
    plain = [_pieces(_plain(text)) for text in texts]
    out = iter(_run([piece for pieces in plain for piece in pieces], TABLES[grade], "--forward"))
    return [" ".join(_upper(" ".join(next(out) for _ in pieces)).split()) for pieces in plain]


def backward(braille: Sequence[str], grade: int) -> list[str]:
    """Each braille line (BRF's upper case or liblouis's lower case) back in print: for tests and proofreading."""
    return _run([_lower(line).replace("\\", "\\\\") for line in braille], TABLES[grade], "--backward")


def check(grade: int) -> None:
    """Raise, before any file is written, when this machine cannot translate with the table of `grade`."""
    forward(["Braille."], grade)


@functools.cache
def version() -> str | None:
    """"lou_translate (Liblouis) 3.24.0", or None: liblouis and its tables shape every braille file."""
    return tool_version(LOU_TRANSLATE, "--version")
