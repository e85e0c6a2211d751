"""Check a DOCX against the ISO/IEC 29500 transitional schemas in tests/ooxml/, with Debian's jing.

Each WordprocessingML part is read as a consumer reads it first: the namespaces it lists in
mc:Ignorable are dropped with their elements and attributes, and mc:AlternateContent gives way to its
mc:Fallback. What is left must validate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "ooxml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
SCHEMA_OF = {  # part name -> schema file
    r"word/document\.xml": "WordprocessingML_Main_Document.rnc",
    r"word/styles\.xml": "WordprocessingML_Style_Definitions.rnc",
    r"word/numbering\.xml": "WordprocessingML_Numbering_Definitions.rnc",
    r"word/settings\.xml": "WordprocessingML_Document_Settings.rnc",
    r"word/header\d*\.xml": "WordprocessingML_Header.rnc",
    r"word/footer\d*\.xml": "WordprocessingML_Footer.rnc",
    r"word/fontTable\.xml": "WordprocessingML_Font_Table.rnc",
    r"word/footnotes\.xml": "WordprocessingML_Footnotes.rnc",
    r"word/endnotes\.xml": "WordprocessingML_Endnotes.rnc",
    r"word/comments\.xml": "WordprocessingML_Comments.rnc",
    r"word/webSettings\.xml": "WordprocessingML_Web_Settings.rnc",
}


def as_consumed(data: bytes) -> bytes:
    """A part without the markup-compatibility extras a consumer that knows none of them would skip."""
    root = etree.fromstring(data)
    skipped = {root.nsmap.get(prefix) for prefix in root.get(f"{{{MC}}}Ignorable", "").split()} - {None}
    for alternate in list(root.iter(f"{{{MC}}}AlternateContent")):
        fallback = alternate.find(f"{{{MC}}}Fallback")
        parent, at = alternate.getparent(), alternate.getparent().index(alternate)
        for offset, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(at + offset, child)
        parent.remove(alternate)
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue
        if etree.QName(node).namespace in skipped and node.getparent() is not None:
            node.getparent().remove(node)
            continue
        for name in list(node.attrib):
            if etree.QName(name).namespace in skipped | {MC}:
                del node.attrib[name]
    return etree.tostring(root)


def schema_errors(path: Path) -> list[str]:
    """Every schema error of the DOCX at `path`, one line each naming the part ([] when valid)."""
    if shutil.which("jing") is None:
        pytest.fail("jing is not installed (Debian package jing): run ./setup.sh", pytrace=False)
    errors = []
    with zipfile.ZipFile(path) as archive, tempfile.TemporaryDirectory() as scratch:
        for name in archive.namelist():
            schema = next((SCHEMAS / s for pattern, s in SCHEMA_OF.items() if re.fullmatch(pattern, name)), None)
            if schema is None:
                continue
            part = Path(scratch) / name.replace("/", "_")
            part.write_bytes(as_consumed(archive.read(name)))
            result = subprocess.run(["jing", "-c", str(schema), str(part)], capture_output=True, text=True)
            errors += [f"{name}: {line.split(': error: ', 1)[-1]}" for line in result.stdout.splitlines() if line]
    return errors
