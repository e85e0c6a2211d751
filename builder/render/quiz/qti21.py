"""IMS QTI 2.1: the level's quiz as a content package of one assessmentItem a question and an
assessmentTest listing them, for Blackboard Learn and D2L Brightspace (and other QTI 2.1 systems).

Interactions are QTI 2.1's own: choiceInteraction (multiple choice, true or false), matchInteraction
(matching, events in order), textEntryInteraction (each blank of a cloze sentence) and
extendedTextInteraction (essays, no scoring: graded by hand, the model answer in a rubricBlock for the
scorer). Every scored response has its correctResponse and a mapping or a standard response template.
"""

from __future__ import annotations

import html

from lxml import etree

from builder.model import Document
from builder.render.quiz import QuizQuestion, questions, xml_bytes, zipped

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
MATCH_CORRECT = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct"
MAP_RESPONSE = "http://www.imsglobal.org/question/qti_v2p1/rptemplates/map_response"
TEST = "assessment-test.xml"


def qti21_package(document: Document) -> bytes:
    items = [(f"item-{number}", q) for number, q in enumerate(questions(document), 1)]
    entries = [(f"items/{ident}.xml", item_xml(q, ident)) for ident, q in items]
    entries.append((TEST, _test(document, [ident for ident, _ in items])))
    entries.insert(0, ("imsmanifest.xml", _manifest(document, [name for name, _ in entries])))
    return zipped(entries, document.created)


def _q(tag: str) -> str:
    return f"{{{QTI}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    node = etree.SubElement(parent, _q(tag), **attributes)
    if text is not None:
        node.text = text
    return node


def item_xml(q: QuizQuestion, ident: str) -> bytes:
    item = etree.Element(_q("assessmentItem"), nsmap={None: QTI}, identifier=ident, title=q.name,
                         adaptive="false", timeDependent="false")
    body = etree.Element(_q("itemBody"))
    outcome = etree.Element(_q("outcomeDeclaration"), identifier="SCORE", cardinality="single", baseType="float")
    _sub(_sub(outcome, "defaultValue"), "value", "0")
    processing: etree._Element | None = None
    declarations: list[etree._Element] = []
    if q.kind in ("multichoice", "truefalse"):
        choices = q.choices if q.kind == "multichoice" else (("True", q.truth is True), ("False", q.truth is False))
        declarations.append(_declaration("RESPONSE", "single", "identifier",
                                         [f"C{n}" for n, (_, right) in enumerate(choices, 1) if right]))
        _sub(body, "p", q.text)
        interaction = _sub(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices="1")
        for n, (text, _) in enumerate(choices, 1):
            _sub(interaction, "simpleChoice", text, identifier=f"C{n}")
        processing = etree.Element(_q("responseProcessing"), template=MATCH_CORRECT)
    elif q.kind == "matching":
        options = sorted(dict.fromkeys(match for _, match in q.pairs))
        pairs = [f"P{n} O{options.index(match) + 1}" for n, (_, match) in enumerate(q.pairs, 1)]
        declaration = _declaration("RESPONSE", "multiple", "directedPair", pairs)
        mapping = _sub(declaration, "mapping", defaultValue="0")
        for pair in pairs:
            _sub(mapping, "mapEntry", mapKey=pair, mappedValue="1")
        declarations.append(declaration)
        _sub(body, "p", q.text)
        interaction = _sub(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true",
                           maxAssociations=str(len(q.pairs)))
        prompts, answers = _sub(interaction, "simpleMatchSet"), _sub(interaction, "simpleMatchSet")
        for n, (prompt, _) in enumerate(q.pairs, 1):
            _sub(prompts, "simpleAssociableChoice", prompt, identifier=f"P{n}", matchMax="1")
        for n, option in enumerate(options, 1):
            _sub(answers, "simpleAssociableChoice", option, identifier=f"O{n}", matchMax=str(len(q.pairs)))
        processing = etree.Element(_q("responseProcessing"), template=MAP_RESPONSE)
    elif q.kind == "cloze":
        _sub(body, "p", q.text)
        sentence = _sub(body, "p")
        last: etree._Element | None = None
        blanks = 0
        for piece in q.pieces:
            if isinstance(piece, str):
                if last is None:
                    sentence.text = (sentence.text or "") + piece
                else:
                    last.tail = (last.tail or "") + piece
                continue
            blanks += 1
            response = f"RESPONSE_{blanks}"
            declaration = _declaration(response, "single", "string", list(piece))
            mapping = _sub(declaration, "mapping", defaultValue="0")
            for answer in piece:
                _sub(mapping, "mapEntry", mapKey=answer, mappedValue="1", caseSensitive="false")
            declarations.append(declaration)
            last = _sub(sentence, "textEntryInteraction", responseIdentifier=response,
                        expectedLength=str(max(len(a) for a in piece) + 2))
        processing = etree.Element(_q("responseProcessing"))
        total = _sub(_sub(processing, "setOutcomeValue", identifier="SCORE"), "sum")
        for n in range(1, blanks + 1):
            _sub(total, "mapResponse", identifier=f"RESPONSE_{n}")
    else:  # an essay: written, graded by hand
        declarations.append(_declaration("RESPONSE", "single", "string", []))
        _sub(body, "p", q.text)
        _sub(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="10")
        if q.grader:
            rubric = _sub(body, "rubricBlock", view="scorer")
            for line in q.grader.splitlines():
                _sub(rubric, "p", line)
            body.insert(0, body[-1])  # a rubricBlock comes before the interactions it is about
    for node in (*declarations, outcome, body, *([processing] if processing is not None else [])):
        item.append(node)
    return xml_bytes(item)


def _declaration(ident: str, cardinality: str, base: str, correct: list[str]) -> etree._Element:
    node = etree.Element(_q("responseDeclaration"), identifier=ident, cardinality=cardinality, baseType=base)
    if correct:
        values = _sub(node, "correctResponse")
        for value in correct:
            _sub(values, "value", value)
    return node


def _test(document: Document, idents: list[str]) -> bytes:
    test = etree.Element(_q("assessmentTest"), nsmap={None: QTI}, identifier=f"{document.stem}-test",
                         title=html.unescape(f"{document.title}: {document.level.label}"))
    part = _sub(test, "testPart", identifier="part-1", navigationMode="linear", submissionMode="individual")
    section = _sub(part, "assessmentSection", identifier="section-1", title=document.title, visible="true")
    for ident in idents:
        _sub(section, "assessmentItemRef", identifier=f"ref-{ident}", href=f"items/{ident}.xml")
    return xml_bytes(test)


def _manifest(document: Document, names: list[str]) -> bytes:
    root = etree.Element(f"{{{CP}}}manifest", nsmap={None: CP}, identifier=f"{document.stem}-manifest")
    etree.SubElement(root, f"{{{CP}}}organizations")
    resources = etree.SubElement(root, f"{{{CP}}}resources")
    for name in names:
        kind = "imsqti_test_xmlv2p1" if name == TEST else "imsqti_item_xmlv2p1"
        resource = etree.SubElement(resources, f"{{{CP}}}resource", identifier=f"res-{name.rsplit('/', 1)[-1][:-4]}",
                                    type=kind, href=name)
        etree.SubElement(resource, f"{{{CP}}}file", href=name)
    return xml_bytes(root)
