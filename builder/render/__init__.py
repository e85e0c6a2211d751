"""Stage 3, render: one renderer per output format, all with the same small interface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from builder.components.registry import component_of
from builder.model import Document


class Renderer(Protocol):
    name: str
    suffix: str

    def render(self, document: Document) -> bytes:
        """The finished file's bytes; nothing is written to disk here."""
        ...

    def pages(self, data: bytes) -> int | None:
        """How many pages `data` (from `render`) has, or None when only the reader's layout decides."""
        ...

    def forget(self) -> None:
        """Let go of what was kept for the next document of the same group of jobs (jobs.Task.group)."""
        ...


def get_renderer(name: str) -> Renderer:
    """A fresh renderer for format `name`; keep it for a whole build (it caches fonts)."""
    if name == "pdf":
        from builder.render.pdf.renderer import PdfRenderer

        return PdfRenderer()
    if name == "docx":
        from builder.render.docx.writer import DocxRenderer

        return DocxRenderer()
    if name == "brf":
        from builder.render.brf.renderer import BrfRenderer

        return BrfRenderer()
    if name in EXPORTS:
        import importlib

        from builder.render.quiz import Export

        module, function, ending = EXPORTS[name]
        return Export(name, f".{ending}", getattr(importlib.import_module(f"builder.render.quiz.{module}"), function))
    raise ValueError(name)


# The exports (render/quiz), each a function writing the file of one document: format -> (its module, the
# function, the file's ending, which says what opens it).
EXPORTS = {
    "qti": ("qti", "qti_package", "qti.zip"), "qti21": ("qti21", "qti21_package", "qti21.zip"),
    "moodle": ("moodle", "quiz_xml", "moodle.xml"), "gift": ("gift", "gift", "gift.txt"),
    "kahoot": ("kahoot", "kahoot", "kahoot.xlsx"),
    "moodle-glossary": ("moodle", "glossary_xml", "glossary.xml"), "quizlet": ("study", "quizlet", "quizlet.txt"),
    "anki": ("anki", "anki_deck", "apkg"),
}
QUIZZES = ("qti", "qti21", "moodle", "gift", "kahoot")  # the worksheet and its key, for an LMS
STUDY_SETS = ("moodle-glossary", "quizlet", "anki")  # the level's glossary
FORMATS = ("pdf", "docx", "brf", *QUIZZES, *STUDY_SETS)
DEFAULT_FORMATS = ("pdf", "docx")  # what a build makes unless --format says otherwise: braille is asked for
# Formats made of some editions only (every other format: of every edition). A teacher edition in braille
# is rarely wanted (its answer key and notes are for the sighted teacher): braille is the student's. A quiz
# holds its key: the teacher's; a study set is for the students.
ONLY_EDITIONS = {"brf": ("student",), **{fmt: ("teacher",) for fmt in QUIZZES},
                 "moodle-glossary": ("teacher",), "quizlet": ("student",), "anki": ("student",)}
SUFFIXES = {fmt: ending for fmt, (_, _, ending) in EXPORTS.items()}  # a file's name ends in its format, or this
BRAILLE_GRADES = (2, 1)  # Unified English Braille: grade 2 (contracted, the default) or grade 1


def makes(fmt: str, edition: str) -> bool:
    """Whether a build makes a file of format `fmt` for `edition`."""
    return edition in ONLY_EDITIONS.get(fmt, (edition,))
# WeasyPrint's tagged variants (structure tree, /Lang, alt text) and "none"; the first is the default.
PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "none")


def preflight(documents: list[Document], formats: set[str], loaded: Callable[[], str | None] | None = None) -> None:
    """Raise the first template, reference .docx, PDF engine or braille problem before any file is written.

    Renders the HTML of one document per (template path, edition), which compiles every template
    those documents use and catches undefined variables (the DOCX prints some blocks' words and the
    timeline's drawing from the templates too), checks that drawing can go into a DOCX and that this
    machine can make its PNG copy (WeasyPrint, pdftoppm), and opens each reference .docx once. For
    braille: liblouis translates with the grade's table here, and every part and item of the documents
    braille is made of has a braille writer.

    `loaded`: when worker processes are loading WeasyPrint for the PDFs (jobs.Workers.ready), their
    word on it, instead of loading it here (which would cost this process the same half second again).
    """
    from builder.core.errors import BuildError
    from builder.render.html.page import render_html, stylesheet

    if "pdf" in formats:
        from builder.render.pdf.renderer import load_weasyprint

        if loaded is None:
            load_weasyprint()
        elif error := loaded():
            raise BuildError(error)
    if "brf" in formats:
        from builder.render.brf import louis
        from builder.render.brf.renderer import check_document

        braille = [d for d in documents if makes("brf", d.edition)]
        for grade in sorted({d.styling.braille_grade for d in braille}):
            louis.check(grade)
        for document in braille:
            check_document(document)
    if formats & set(EXPORTS):  # a level with nothing to export says so before anything is written
        from builder.render.quiz import glossary, questions

        for document in documents:
            if any(makes(fmt, document.edition) for fmt in formats & set(QUIZZES)):
                questions(document)
            if any(makes(fmt, document.edition) for fmt in formats & set(STUDY_SETS)):
                glossary(document)
    seen: set[object] = set()
    drawings = False
    for document in documents:
        key = (document.styling.template_dirs, document.edition)
        drawn = [c for c in document.components if component_of(c).drawing]
        if key not in seen:
            seen.add(key)
            render_html(document, 650, 900)
            if "pdf" in formats:
                stylesheet(document.styling.template_dirs)
            if "docx" in formats:
                from builder.render.docx.writer import checked_drawing

                for component in drawn:
                    checked_drawing(document, component)
        drawings = drawings or bool(drawn)
        if "docx" in formats and document.styling.reference_docx not in seen:
            from builder.render.docx.writer import read_reference

            seen.add(document.styling.reference_docx)
            if document.styling.reference_docx is not None:
                read_reference(document.styling.reference_docx)
    if "docx" in formats and drawings:
        from builder.render.pdf.raster import check_tools

        check_tools(weasyprint=not ("pdf" in formats and loaded))  # the workers' WeasyPrint draws them too
