"""PDF/UA-1 as an independent validator sees it: `page` (PyPI page-validation), veraPDF's rule set in Rust.

teachpack makes its PDFs from HTML through WeasyPrint, so a failed rule is nearly always fixed in a
template: each rule family below says how, in words a curriculum editor can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROFILE = "ua1"

# A pattern matched at the start of a rule id (first match wins) -> what to change in the templates.
_FIXES = (
    (r"PDFUA1-.*LANGUAGE", "set the document's language: language: in pack.yaml (a code such as en or es)"),
    (r"PDFUA1-(FONT|TRUETYPE|CID|CMAP|TYPE0)", "a font cannot be embedded as PDF/UA needs: use a TrueType or "
                                               "OpenType font installed on this machine (fc-list lists them) in the "
                                               "theme or the level"),
    (r"PDFUA1-TAGGED-CONTENT-", "tagged content sits inside decoration: report the pack to teachpack"),
    ("PDFUA1-L-", "a list may hold only list items: put nothing but <li> directly inside <ul> or <ol> (move any "
                  "wrapper <div> inside the <li>), and don't use list markup to lay out things that are not a list"),
    ("PDFUA1-LI-", "a list item must sit directly in its list: write <li> only inside <ul> or <ol>"),
    ("PDFUA1-LBODY-", "a list item must sit directly in its list: write <li> only inside <ul> or <ol>"),
    ("PDFUA1-TABLE-HEADERS-", "every data cell needs a header: give a data table <th> cells (scope=\"col\" in its "
                              "first row or scope=\"row\" first in each row); lay a layout table out with <div>s and "
                              "display: table instead"),
    ("PDFUA1-TABLE-", "a table must be rows of cells: use <tr>, <th> and <td> as they are (don't change their "
                      "display in CSS) and span cells with colspan/rowspan only"),
    ("PDFUA1-TR-", "a table row must hold only <th> and <td> cells and sit in its table"),
    ("PDFUA1-TH-", "a header cell must sit in a table row"),
    ("PDFUA1-TD-", "a data cell must sit in a table row"),
    ("PDFUA1-THEAD-", "<thead> must hold table rows and come once, before <tbody>"),
    ("PDFUA1-TBODY-", "<tbody> must hold table rows and sit in its table"),
    ("PDFUA1-TFOOT-", "<tfoot> must hold table rows and come once, after <tbody>"),
    ("PDFUA1-FIGURE-", "give every picture a text alternative: alt=\"…\" on <img>, a <title> inside an <svg>"),
    ("PDFUA1-HEADING-", "headings must start at <h1> and never skip a level (<h1> then <h3>): fix the heading "
                        "tags in the template or the article's # levels"),
    ("PDFUA1-METADATA-TITLE-", "the document needs a title: set title: in pack.yaml"),
    ("PDFUA1-VIEWER-PREFERENCES-", "the document needs a title shown as the window title: set title: in pack.yaml"),
    ("PDFUA1-METADATA-", "the PDF's metadata is incomplete: build with --pdf-variant pdf/ua-1"),
    ("PDFUA1-ID-", "the PDF does not say it is PDF/UA-1: build with --pdf-variant pdf/ua-1"),
    ("PDFUA1-TAGGED-", "the PDF is not tagged: build with --pdf-variant pdf/ua-1"),
    ("PDFUA1-STRUCT-", "the PDF's tag tree is broken: build with --pdf-variant pdf/ua-1, and report the pack to "
                       "teachpack if it still fails"),
    ("PDFUA1-CONTENT-", "something on the page is neither tagged nor marked as decoration: a template element "
                        "drawn outside the page's flow (position: absolute or fixed, ::before/::after content) "
                        "may be the cause"),
    ("PDFUA1-ARTIFACT-", "something on the page is neither tagged nor marked as decoration: a template element "
                         "drawn outside the page's flow may be the cause"),
    ("PDFUA1-LINK-", "a link needs words: give each <a> text that says where it goes"),
    ("PDFUA1-ANNOTATION-", "a link needs words: give each <a> text that says where it goes"),
    ("PDFUA1-NOTDEF-", "a character has no glyph in its font: add a fallback font that has it (theme: fonts: "
                       "fallback:); teachpack check names one"),
    ("PDFUA1-", "see docs/accessibility.md"),
)


@dataclass(frozen=True)
class Failure:
    rule: str  # page's rule id, e.g. PDFUA1-L-KIDS-001
    message: str  # page's own words
    fix: str  # what to change, in our words

    def line(self) -> str:
        return f"{self.rule} (page: {self.message}): {self.fix}"


@dataclass(frozen=True)
class Verdict:
    rules: int  # how many rules page applied
    failures: tuple[Failure, ...]

    @property
    def fact(self) -> str:
        return f"PDF/UA-1 in page {validator_version()}: {self.rules - len(self.failures)} of {self.rules} rules pass"


def validate(data: bytes) -> Verdict:
    """Run page's PDF/UA-1 profile over the PDF `data` (nothing written; page reads the bytes)."""
    import page

    report = page.validate_pdf_bytes(data, profile=PROFILE)
    failures = tuple(Failure(f.rule_id, f.message, fix_for(f.rule_id)) for f in report.failures)
    return Verdict(report.rules.total, failures)


def fix_for(rule: str) -> str:
    return next(fix for pattern, fix in _FIXES if re.match(pattern, rule))


def validator_version() -> str:
    import page

    return str(page.__version__)
