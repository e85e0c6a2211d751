"""IMS QTI 1.2: the level's quiz as the package Canvas imports (Settings > Import course content > QTI .zip
file), in Canvas's own dialect of QTI 1.2, which its Classic Quizzes read: `question_type` metadata on each
item and scoring by `resprocessing`.

The package is a zip of `imsmanifest.xml` (one resource, the assessment) and the assessment's XML. The
question types are Canvas's: multiple_choice, true_false, matching, fill_in_multiple_blanks (a cloze's
sentence, each blank `[blank1]`, ...) and essay (graded by hand: the grader's notes go in the item's
general feedback, which Canvas shows the teacher once the quiz is taken).
"""

from __future__ import annotations

import html

from lxml import etree

from builder.model import Document
from builder.render.quiz import QuizQuestion, questions, xml_bytes, zipped

QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
ASSESSMENT = "assessment.xml"

_TYPES = {"multichoice": "multiple_choice_question", "truefalse": "true_false_question",
          "matching": "matching_question", "cloze": "fill_in_multiple_blanks_question", "essay": "essay_question"}


def qti_package(document: Document) -> bytes:
    """The zip Canvas imports: the manifest and the assessment."""
    ident = f"{document.stem}-quiz"
    return zipped([("imsmanifest.xml", _manifest(ident)), (ASSESSMENT, assessment(document, ident))],
                     document.created)


def _manifest(ident: str) -> bytes:
    root = etree.Element(f"{{{CP}}}manifest", identifier=f"{ident}-manifest", nsmap={None: CP})
    metadata = etree.SubElement(root, f"{{{CP}}}metadata")
    etree.SubElement(metadata, f"{{{CP}}}schema").text = "IMS Content"
    etree.SubElement(metadata, f"{{{CP}}}schemaversion").text = "1.1.3"
    etree.SubElement(root, f"{{{CP}}}organizations")
    resources = etree.SubElement(root, f"{{{CP}}}resources")
    resource = etree.SubElement(resources, f"{{{CP}}}resource", identifier=ident, type="imsqti_xmlv1p2",
                                href=ASSESSMENT)
    etree.SubElement(resource, f"{{{CP}}}file", href=ASSESSMENT)
    return xml_bytes(root)


def assessment(document: Document, ident: str) -> bytes:
    root = etree.Element(f"{{{QTI}}}questestinterop", nsmap={None: QTI})
    test = _sub(root, "assessment", ident=ident, title=f"{document.title}: {document.level.label}")
    _metadata(test, {"cc_maxattempts": "1"})
    section = _sub(test, "section", ident="root_section")
    for number, q in enumerate(questions(document), 1):
        _item(section, q, f"{ident}-item-{number}")
    return xml_bytes(root)


def _item(section: etree._Element, q: QuizQuestion, ident: str) -> None:
    points = len(q.pairs) or sum(isinstance(p, tuple) for p in q.pieces) or 1
    item = _sub(section, "item", ident=ident, title=q.name)
    _metadata(_sub(item, "itemmetadata"), {"question_type": _TYPES[q.kind], "points_possible": str(points)})
    presentation = _sub(item, "presentation")
    text = html.escape(q.text, quote=False)
    if q.kind == "cloze":
        blanks = iter(range(1, len(q.pieces) + 1))
        text += "<br/>" + "".join(html.escape(p, quote=False) if isinstance(p, str) else f"[blank{next(blanks)}]"
                                  for p in q.pieces)
    _material(presentation, text, "text/html")
    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    if q.kind in ("multichoice", "truefalse"):
        choices = q.choices if q.kind == "multichoice" else (("True", q.truth is True), ("False", q.truth is False))
        labels = _choices(presentation, "response1", [text for text, _ in choices], f"{ident}-choice")
        right = next(label for label, (_, is_right) in zip(labels, choices, strict=True) if is_right)
        _score(processing, "response1", right, "Set", "100")
    elif q.kind == "matching":
        options = sorted(dict.fromkeys(match for _, match in q.pairs))
        for number, (prompt, match) in enumerate(q.pairs, 1):
            response = f"response_{number}"
            labels = _choices(presentation, response, options, f"{ident}-{number}-option", prompt)
            _score(processing, response, labels[options.index(match)], "Add", f"{100 / len(q.pairs):.2f}")
    elif q.kind == "cloze":
        answers = [p for p in q.pieces if isinstance(p, tuple)]
        for number, accepted in enumerate(answers, 1):
            response = f"response_blank{number}"
            labels = _choices(presentation, response, list(accepted), f"{ident}-blank{number}", f"blank{number}")
            for label in labels:
                _score(processing, response, label, "Add", f"{100 / len(answers):.2f}")
    else:  # an essay: a box to write in, graded by hand
        response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
        _sub(response, "render_fib", fibtype="String", prompt="Box")
        if q.grader:
            _sub(item, "itemfeedback", ident="general_fb")
            _material(item.find(f"{{{QTI}}}itemfeedback"), html.escape(q.grader, quote=False).replace("\n", "<br/>"),
                      "text/html")


def _choices(presentation: etree._Element, response: str, texts: list[str], prefix: str,
             label: str | None = None) -> list[str]:
    """A response_lid with one labelled choice a text; returns the choices' identifiers."""
    lid = _sub(presentation, "response_lid", ident=response, rcardinality="Single")
    if label is not None:  # a matching prompt, or a blank's name
        _material(lid, label, "text/plain")
    render = _sub(lid, "render_choice")
    idents = []
    for number, text in enumerate(texts, 1):
        ident = f"{prefix}-{number}"
        _material(_sub(render, "response_label", ident=ident), text, "text/plain")
        idents.append(ident)
    return idents


def _score(processing: etree._Element, response: str, label: str, action: str, value: str) -> None:
    condition = _sub(processing, "respcondition", **{"continue": "Yes" if action == "Add" else "No"})
    _sub(_sub(condition, "conditionvar"), "varequal", respident=response).text = label
    _sub(condition, "setvar", action=action, varname="SCORE").text = value


def _metadata(parent: etree._Element, fields: dict[str, str]) -> None:
    metadata = _sub(parent, "qtimetadata")
    for label, entry in fields.items():
        field = _sub(metadata, "qtimetadatafield")
        _sub(field, "fieldlabel").text = label
        _sub(field, "fieldentry").text = entry


def _material(parent: etree._Element, text: str, kind: str) -> None:
    _sub(_sub(parent, "material"), "mattext", texttype=kind).text = text


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{QTI}}}{tag}", **attributes)
