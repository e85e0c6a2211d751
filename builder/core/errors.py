"""One base error for everything a user can fix; the CLI catches it once."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'x'?)" for the closest choice, or nothing: for error messages."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class TeachpackError(Exception):
    """An error caused by input or environment, shown to the user as one line each."""

    exit_code = 2

    def lines(self) -> list[str]:
        return str(self).splitlines()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack: where it is, what is wrong, how to fix it."""

    file: str
    line: int | None
    path: str
    message: str
    code: str = ""  # a warning's kind (WARNING_CODES), which `--allow` waives; errors have none

    def __str__(self) -> str:
        """`TP205 pack/pack.yaml: glossary[2].term: message`: the code first, like a linter's, so one
        kind is easy to grep for and to give to --allow."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [self.code, f"{where}:" if where else "", f"{self.path}:" if self.path else "", self.message]
        return " ".join(part for part in parts if part)

    def as_dict(self) -> dict[str, object]:
        """The problem as `check --json` and the manifest keep it."""
        return {"code": self.code, "file": self.file, "line": self.line, "key": self.path, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, object] | str) -> Problem:
        """A problem `as_dict` wrote (a plain string from an older manifest is its message)."""
        if isinstance(data, str):
            return cls("", None, "", data)
        line = data.get("line")
        return cls(str(data.get("file", "")), line if isinstance(line, int) else None, str(data.get("key", "")),
                   str(data["message"]), str(data.get("code", "")))


# Every kind of warning, by its stable code: its name and what it means (docs/bad-inputs.md lists them).
WARNING_CODES: dict[str, tuple[str, str]] = {
    "TP001": ("characters-removed", "characters that cannot be printed or saved in Word were taken out of the text"),
    "TP002": ("link-dropped", "a link that is not http, https or mailto prints as plain text"),
    "TP100": ("english-only", "a note, not a warning: spelling and reading levels are not judged for this language"),
    "TP101": ("misspelling", "a word looks misspelled"),
    "TP102": ("labels-missing", "no labels file for the pack's language: headings and instructions print in English"),
    "TP201": ("activity-left-out", "a generated activity could not be built for a level and is left out"),
    "TP202": ("worksheet-empty", "contents: has a worksheet but it has no questions"),
    "TP203": ("placeholder-image", "a picture is still the placeholder teachpack import left"),
    "TP204": ("definition-missing", "a glossary term has no definition"),
    "TP205": ("term-unused", "a glossary term does not occur in the article or any level's rewrite"),
    "TP206": ("definition-drafted", "a glossary definition was drafted by import from a dictionary; "
                                    "read it and edit or accept it"),
    "TP207": ("import-warning", "teachpack import left a warning in pack.yaml (an article cut short, say)"),
    "TP208": ("question-drafted", "a worksheet question was drafted by import; check it and its answer"),
    "TP209": ("level-text-marked", "a level text still has sentences marked to rewrite by import --levels"),
    "TP301": ("level-too-hard", "a level's printed text reads above its band"),
    "TP401": ("resource-refused", "the PDF sandbox refuses a file or address a template or stylesheet names"),
    "TP402": ("reference-dropped", "something was taken out of the reference .docx"),
    "TP403": ("font-missing", "a font the theme names is not installed, so the PDF uses another"),
    "TP404": ("glyph-missing", "the PDF's fonts cannot draw some characters of the text"),
    "TP405": ("picture-undrawable", "the PDF could not draw a picture or logo (too many pixels, damaged)"),
    "TP406": ("font-not-embedded", "a font the DOCX uses cannot travel inside it (not installed, or its licence or "
                                   "format forbids), so Word shows another where it is missing"),
    "TP501": ("no-alt-text", "a picture has no alt text"),
    "TP502": ("low-contrast", "a theme colour pair is below WCAG AA contrast"),
    "TP503": ("accessibility", "a built file lacks something accessibility needs (check --a11y)"),
}


class PackError(TeachpackError):
    """A pack failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class BuildError(TeachpackError):
    """Rendering or writing a document failed."""

    exit_code = 1


class VerifyError(TeachpackError):
    """Built files do not match their manifest: missing or changed since the build."""

    exit_code = 1
