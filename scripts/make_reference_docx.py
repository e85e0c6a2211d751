"""Regenerate templates/reference.docx, the Word styles every DOCX pack starts from.

Run `python scripts/make_reference_docx.py` after changing a style below. Curriculum staff do not
need this script: they edit the .docx in Word or LibreOffice and save it.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

INK = RGBColor(0x1D, 0x3F, 0x57)
BODY = "Calibri"

OUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"


def main() -> None:
    document = docx.Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = BODY
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size, before in (("Title", 30, 0), ("Heading 1", 20, 0), ("Heading 2", 14, 12), ("Heading 3", 12, 10)):
        style = styles[name]
        style.font.name = BODY
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = INK
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    subtitle = styles["Subtitle"]
    subtitle.font.name = BODY
    subtitle.font.size = Pt(14)
    subtitle.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    quote = styles["Quote"]
    quote.font.italic = True
    quote.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(8.5)
        styles[name].font.color.rgb = RGBColor(0x55, 0x55, 0x55)
    if "Answer Line" not in [s.name for s in styles]:
        line = styles.add_style("Answer Line", WD_STYLE_TYPE.PARAGRAPH)
        line.base_style = normal
    document.core_properties.title = "teachpack reference styles"
    document.core_properties.author = "teachpack"
    document.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
