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

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        return f"{where}:{key} {self.message}"


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
