"""Moodle XML: the level's quiz as a question bank Moodle imports (Question bank > Import > Moodle XML
format), and its glossary as a Moodle glossary (a Glossary activity > Import entries).

Question types are Moodle's core ones: multichoice, truefalse, matching, multianswer (a cloze's blanks,
each a SHORTANSWER field) and essay (graded by hand, the model answer in the grader's information).
"""

from __future__ import annotations

import html
import re

from lxml import etree

from builder.model import Document
from builder.render.quiz import QuizQuestion, glossary, questions, xml_bytes


def quiz_xml(document: Document) -> bytes:
    root = etree.Element("quiz")
    category = etree.SubElement(root, "question", type="category")
    _text(etree.SubElement(category, "category"), f"$course$/top/{document.title}/{document.level.label}")
    for question in questions(document):
        _question(root, question, document)
    return xml_bytes(root)


def _question(root: etree._Element, q: QuizQuestion, document: Document) -> None:
    kind = "multianswer" if q.kind == "cloze" else q.kind
    node = etree.SubElement(root, "question", type=kind)
    _text(etree.SubElement(node, "name"), f"{document.title} {q.name}")
    text = html.escape(q.text, quote=False)  # the HTML Moodle shows: plain text, escaped
    if q.kind == "cloze":
        text += "<br/>" + "".join(html.escape(p, quote=False) if isinstance(p, str) else _blank(p) for p in q.pieces)
    _text(etree.SubElement(node, "questiontext", format="html"), text)
    etree.SubElement(node, "defaultgrade").text = str(len(q.pairs) or 1)
    if q.kind == "multichoice":
        etree.SubElement(node, "single").text = "true"
        etree.SubElement(node, "shuffleanswers").text = "0"  # the handout's order
        etree.SubElement(node, "answernumbering").text = "ABCD"
        for choice, right in q.choices:
            answer = etree.SubElement(node, "answer", fraction="100" if right else "0", format="html")
            _text(answer, html.escape(choice, quote=False))
    elif q.kind == "truefalse":
        for value in ("true", "false"):
            answer = etree.SubElement(node, "answer", fraction="100" if (value == "true") == q.truth else "0")
            _text(answer, value)
    elif q.kind == "matching":
        etree.SubElement(node, "shuffleanswers").text = "1"
        for prompt, match in q.pairs:
            sub = etree.SubElement(node, "subquestion", format="html")
            _text(sub, html.escape(prompt, quote=False))
            _text(etree.SubElement(sub, "answer"), match)
    elif q.kind == "essay":
        etree.SubElement(node, "responseformat").text = "editor"
        etree.SubElement(node, "responsefieldlines").text = "10"
        notes = html.escape(q.grader, quote=False).replace("\n", "<br/>")
        _text(etree.SubElement(node, "graderinfo", format="html"), notes)


def _blank(answers: tuple[str, ...]) -> str:
    """A cloze blank in Moodle's embedded-answers syntax: {1:SHORTANSWER:=answer~=other}."""
    return "{1:SHORTANSWER:" + "~".join(f"={_cloze_escape(a)}" for a in answers) + "}"


def _cloze_escape(text: str) -> str:
    return re.sub(r"([}#~/\"\\])", r"\\\1", text)


def _text(parent: etree._Element, value: str) -> None:
    etree.SubElement(parent, "text").text = value


def glossary_xml(document: Document) -> bytes:
    root = etree.Element("GLOSSARY")
    info = etree.SubElement(root, "INFO")
    etree.SubElement(info, "NAME").text = f"{document.title}: {document.labels['glossary']}"
    etree.SubElement(info, "INTRO").text = document.level.label
    entries = etree.SubElement(info, "ENTRIES")
    for item in glossary(document):
        entry = etree.SubElement(entries, "ENTRY")
        etree.SubElement(entry, "CONCEPT").text = item.term
        etree.SubElement(entry, "DEFINITION").text = item.definition
        etree.SubElement(entry, "FORMAT").text = "1"  # HTML
        etree.SubElement(entry, "USEDYNALINK").text = "0"
        etree.SubElement(entry, "CASESENSITIVE").text = "0"
        etree.SubElement(entry, "FULLMATCH").text = "0"
    return xml_bytes(root)
