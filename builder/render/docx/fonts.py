"""The fonts a DOCX uses travel inside it (ECMA-376 Part 1 §17.8), so Word shows the level's fonts on a
computer that has none of them: Andika for young readers, TeX Gyre Schola and Heros, OpenDyslexic.

`embed`, once the document is written:
1. symbols: a character the run's font cannot draw (the ballot box ☐ in every level font, → in
   OpenDyslexic) is set in the first of SYMBOL_FONTS that can, as a run of its own;
2. names: an installed font is named as Word knows it, by its Windows family name (name ID 1), which
   may not be fontconfig's (TeX Gyre Schola is "TeXGyreSchola" to Word); fontconfig's name is its altName;
3. the font table describes every installed font the file names (panose, class, pitch, Unicode and
   code-page ranges, a common font to use instead), so Word substitutes well where one is missing;
4. each face (regular, bold, italic, bold italic) the text uses of a font whose licence allows
   embedding for editing is subset, given TrueType outlines when it has CFF ones (Word shows no other
   embedded font), obfuscated with a key derived from its bytes, and stored as word/fonts/fontN.odttf.

Subsetting rule: a font the styles name keeps the characters the document prints in it plus TYPED
(printable ASCII, Latin-1, Latin Extended-A and the rest of Windows-1252, Word's smart quotes and
dashes among them: what a teacher types on a Western keyboard), so edits in Word still show in the
font; a font only runs name (the symbol font) keeps just the characters set in it. The faces the text
does not use are left out: Word and LibreOffice make a missing bold or italic from the regular face.
Fonts every Word reader has (COMMON_FONTS) are named, never embedded. What cannot be embedded is
warned about before anything is built (`warnings`, TP406), with what Word shows instead.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import io
import logging
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from builder.core import files
from builder.core.cache import cache_dir
from builder.core.cache import keep as keep_file
from builder.core.fontconfig import fc_list, pattern_value
from builder.render.docx import xml

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
SYMBOL_FONTS = ("DejaVu Sans", "Segoe UI Symbol")  # embedded (Bitstream Vera licence), else Windows's own
OWN_SYMBOLS = frozenset("\u2610\u2192")  # what teachpack itself prints beyond TYPED: ☐ (writer.py), → (matching)
# Fonts every Word reader has (with Windows and macOS, or with Microsoft Office; Google Docs offers
# them too): named as they are, never embedded, never warned about.
COMMON_FONTS = frozenset({
    "Aptos", "Arial", "Arial Black", "Arial Narrow", "Book Antiqua", "Bookman Old Style", "Calibri", "Calibri Light",
    "Cambria", "Cambria Math", "Candara", "Century Gothic", "Century Schoolbook", "Comic Sans MS", "Consolas",
    "Constantia", "Corbel", "Courier", "Courier New", "Franklin Gothic Medium", "Garamond", "Georgia", "Helvetica",
    "Impact", "Lucida Console", "Lucida Sans Unicode", "MS Gothic", "MS Mincho", "Palatino Linotype", "Segoe UI",
    "Segoe UI Symbol", "Symbol", "Tahoma", "Times New Roman", "Trebuchet MS", "Verdana", "Webdings", "Wingdings",
    "\uff2d\uff33 \u660e\u671d", "\uff2d\uff33 \u30b4\u30b7\u30c3\u30af",  # MS Mincho, MS Gothic as Word writes them
})
# The common font Word is to use where one of teachpack's fonts is missing, and its class (w:family):
# the same build of letter (TeX Gyre's metric twins from fontconfig's 30-metric-aliases.conf).
FALLBACKS = {
    "Andika": ("Verdana", "swiss"),
    "OpenDyslexic": ("Verdana", "swiss"),
    "DejaVu Sans": ("Verdana", "swiss"),
    "TeX Gyre Schola": ("Century Schoolbook", "roman"),
    "TeX Gyre Heros": ("Arial", "swiss"),
    "TeX Gyre Termes": ("Times New Roman", "roman"),
    "TeX Gyre Pagella": ("Palatino Linotype", "roman"),
    "TeX Gyre Bonum": ("Bookman Old Style", "roman"),
    "TeX Gyre Cursor": ("Courier New", "modern"),
}
_CLASS_FALLBACKS = {"roman": "Times New Roman", "swiss": "Arial", "modern": "Courier New"}
_WINDOWS_1252 = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019" \
                "\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
# What a teacher types on a Western keyboard, and what teachpack prints itself: kept in every text font.
TYPED = frozenset([*range(0x20, 0x7F), *range(0xA0, 0x180), *map(ord, _WINDOWS_1252), *map(ord, OWN_SYMBOLS)])

Style = tuple[bool, bool]  # (bold, italic): one face of a family
_EMBED = {(False, False): "w:embedRegular", (True, False): "w:embedBold", (False, True): "w:embedItalic",
          (True, True): "w:embedBoldItalic"}  # in the schema's order
_WEIGHT = {False: 80, True: 200}  # fontconfig's regular and bold
_BOLD_FROM = 150  # fontconfig weights from here (between medium and demibold) are bold faces
# OS/2 fsType bits (OpenType spec): the least restrictive of bits 1-3 applies; none set is "installable".
_RESTRICTED, _PREVIEW_PRINT, _EDITABLE, _NO_SUBSETTING, _BITMAP_ONLY = 0x0002, 0x0004, 0x0008, 0x0100, 0x0200
# Graphite tables (Andika has them) that fontTools cannot subset: Word and LibreOffice lay text out without them.
_UNSUBSETTABLE = ["Silf", "Silt", "Glat", "Gloc", "Feat", "Sill"]
_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEMED = {"w:ascii": "w:asciiTheme", "w:hAnsi": "w:hAnsiTheme", "w:eastAsia": "w:eastAsiaTheme",
           "w:cs": "w:cstheme"}


@dataclass(frozen=True)
class Face:
    """One installed font file (and its index in a collection) for one style of a family."""

    path: str
    index: int
    truetype: bool  # TrueType outlines; else CFF ones, converted when embedded
    problem: str | None = None  # why it cannot be embedded, if it cannot


@dataclass(frozen=True)
class Family:
    """What fontconfig and the font files say about one family: its faces and how Word knows it."""

    name: str  # as the document names it (fontconfig's name)
    word_name: str  # its Windows family name (name ID 1): what Word calls it
    faces: dict[Style, Face]
    cmap: frozenset[int]  # the code points its regular face draws
    panose: str
    charset: str
    font_class: str  # w:family: roman, swiss, modern, script, decorative or auto
    pitch: str
    sig: dict[str, str]  # w:sig: Unicode and code-page ranges
    fallback: str | None  # the common font to use where it is missing
    line_height: float  # Word's single line spacing, in ems: the ascent, descent and gap Windows reports

    @property
    def problem(self) -> str | None:
        """Why none of its faces can be embedded (that of the regular face), or None when one can."""
        usable = [face for face in self.faces.values() if face.problem is None]
        if usable:
            return None
        regular = self.faces.get((False, False)) or next(iter(self.faces.values()), None)
        return regular.problem if regular else "no face of it is regular, bold or italic"


# -- finding fonts --------------------------------------------------------------------------------

@functools.cache
def find(name: str) -> Family | None:
    """The installed family fontconfig knows by `name` (never a substitute fontconfig would pick
    instead), with its regular, bold, italic and bold-italic faces; None when none is installed."""
    lines = fc_list(f":family={pattern_value(name)}", "%{file}\t%{index}\t%{weight}\t%{slant}\t%{width}\n")
    candidates: dict[Style, list[tuple[tuple[Any, ...], Face]]] = {}
    facts: dict[tuple[str, int], Any] = {}
    for line in lines:
        path, index, weight, slant, width = (line.split("\t") + ["", "", "", "", ""])[:5]
        read = _read_face(path, int(_number(index, 0)))
        if read is None:
            continue
        face, info = read
        bold, italic = _number(weight, 80) >= _BOLD_FROM, _number(slant, 0) > 0
        order = (face.problem is not None, abs(_number(width, 100) - 100), abs(_number(weight, 80) - _WEIGHT[bold]),
                 not face.truetype, path, face.index)
        candidates.setdefault((bold, italic), []).append((order, face))
        facts.setdefault((face.path, face.index), info)
    if not candidates:
        return None
    faces = {style: min(found, key=lambda pair: pair[0])[1] for style, found in candidates.items()}
    first = faces.get((False, False)) or faces[min(faces)]
    info = facts[first.path, first.index]
    # A face Word would not file under the same family name (a "Light" or "Condensed" family) is left out.
    faces = {style: face for style, face in faces.items()
             if facts[face.path, face.index]["word_name"] == info["word_name"]}
    known = FALLBACKS.get(name)
    font_class = info["font_class"] if info["font_class"] != "auto" else (known[1] if known else "auto")
    fallback = known[0] if known else _CLASS_FALLBACKS.get(font_class)
    return Family(name, info["word_name"], dict(sorted(faces.items())), info["cmap"], info["panose"],
                  info["charset"], font_class, info["pitch"], info["sig"], fallback, info["line_height"])


def line_spacing(name: str | None, factor: float) -> float:
    """The multiple of Word's single line spacing in font `name` that puts lines `factor` times the type
    size apart, as CSS's line-height does in the PDF: Word's single spacing is the font's own line height
    (1.61 em for Andika, 1.22 for Calibri). `factor` itself when the font is not installed here."""
    family = find(name) if name else None
    return round(factor / family.line_height, 3) if family and family.line_height > 0 else factor


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def _read_face(path: str, index: int) -> tuple[Face, dict[str, Any]] | None:
    """The face in `path` with what the font table says of it; None when fontTools cannot read it."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, fontNumber=index, lazy=True) as font:
            tables = set(font.keys())
            os2 = font.get("OS/2")
            cmap = frozenset(font.getBestCmap() or {})
            symbol = any(table.platformID == 3 and table.platEncID == 0 for table in font["cmap"].tables)
            word_name = _windows_family(font)
            fixed = bool(font["post"].isFixedPitch) if "post" in font else False
            line_height = _line_height(font)
    except Exception:  # fontTools raises assorted errors for a file it cannot read: not a usable face
        return None
    truetype = "glyf" in tables
    problem = _licence_problem(os2.fsType if os2 else 0, truetype)
    if "fvar" in tables or "CFF2" in tables:
        problem = "it is a variable font, which Word does not show embedded"
    elif not truetype and "CFF " not in tables:
        problem = "it has no outlines (a bitmap font)"
    panose = bytes(getattr(os2.panose, name) for name in _PANOSE) if os2 else bytes(10)
    info = {
        "word_name": word_name,
        "cmap": cmap,
        "panose": panose.hex().upper(),
        "charset": "02" if symbol else "00",
        "font_class": _font_class(panose),
        "pitch": "fixed" if fixed or panose[3] == 9 else "variable",
        "sig": {slot: f"{getattr(os2, field, 0):08X}" for slot, field in _SIG.items()},
        "line_height": line_height,
    }
    return Face(path, index, truetype, problem), info


_SIG = {"w:usb0": "ulUnicodeRange1", "w:usb1": "ulUnicodeRange2", "w:usb2": "ulUnicodeRange3",
        "w:usb3": "ulUnicodeRange4", "w:csb0": "ulCodePageRange1", "w:csb1": "ulCodePageRange2"}
_PANOSE = ("bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast", "bStrokeVariation", "bArmStyle",
           "bLetterForm", "bMidline", "bXHeight")


def _line_height(font: Any) -> float:
    """Single line spacing in ems as Windows reports it to Word: usWinAscent and usWinDescent, plus the
    part of hhea's line gap they do not already cover (GDI's external leading)."""
    units = float(font["head"].unitsPerEm or 1000)
    hhea = font.get("hhea")
    os2 = font.get("OS/2")
    if os2 is None:
        return float(hhea.ascent - hhea.descent + hhea.lineGap) / units if hhea else 0.0
    height = int(os2.usWinAscent + os2.usWinDescent)
    gap = max(0, int(hhea.lineGap - (height - (hhea.ascent - hhea.descent)))) if hhea else 0
    return (height + gap) / units


def _windows_family(font: Any) -> str:
    """The family name Word (through Windows) files a face under: name ID 1 of the Windows platform,
    in US English when there is one."""
    names = [record for record in font["name"].names if record.nameID == 1]
    names.sort(key=lambda record: (record.platformID != 3, record.langID != 0x409))
    return names[0].toUnicode() if names else ""


def _licence_problem(fs_type: int, truetype: bool) -> str | None:
    """Why the OS/2 `fs_type` bits forbid embedding the face in a file teachers edit, or None."""
    if fs_type & _BITMAP_ONLY:
        return f"its licence allows embedding bitmaps only (OS/2 fsType {fs_type:#06x})"
    if fs_type & 0x000F and not fs_type & _EDITABLE:
        if fs_type & _PREVIEW_PRINT:
            return (f"its licence allows embedding for viewing and printing only (OS/2 fsType {fs_type:#06x}), "
                    "and Word would open the file read-only")
        return f"its licence forbids embedding (OS/2 fsType {fs_type:#06x})"
    if fs_type & _NO_SUBSETTING and not truetype:
        return (f"its licence forbids changing it (OS/2 fsType {fs_type:#06x}), and Word shows its CFF outlines "
                "only once converted")
    return None


def _font_class(panose: bytes) -> str:
    """w:family from the PANOSE numbers: serif, sans serif, fixed pitch, script or decorative ("auto": unknown)."""
    kind, serif, proportion = panose[0], panose[1], panose[3]
    if kind == 2:  # Latin text
        if proportion == 9:
            return "modern"
        if 11 <= serif <= 15:
            return "swiss"
        if 2 <= serif <= 10:
            return "roman"
    return {3: "script", 4: "decorative"}.get(kind, "auto")


def warnings(names: Iterable[str]) -> list[str]:
    """One warning for each font of `names` that cannot travel in the DOCX, with what Word shows instead."""
    out = []
    for name in sorted(set(names) - COMMON_FONTS):
        family = find(name)
        if family is not None and family.problem is None:
            continue
        known = FALLBACKS.get(name)
        instead = (family.fallback if family else known[0] if known else None) or "its default font"
        if family is None:
            out.append(f"DOCX: font '{name}' is not installed, so it is not embedded and Word shows {instead} where "
                       "it is missing; install it (./setup.sh installs the built-in ones) or choose another")
        else:
            out.append(f"DOCX: font '{name}' is not embedded: {family.problem}; Word shows {instead} where it is not "
                       "installed; install a copy whose licence allows embedding, or choose another font")
    return out


def named(document: DocxDocument) -> set[str]:
    """Every font the styles, headers and footers name, theme fonts they refer to included."""
    theme = _theme_fonts(document)
    names: set[str] = set()
    for root in (document.styles.element, *(part for name, part in _story_roots(document) if name != "document")):
        for fonts in root.iter(qn("w:rFonts")):
            for slot in _SLOTS:
                name = theme.get(fonts.get(qn(_THEMED[slot])) or "") or fonts.get(qn(slot))
                if name:
                    names.add(name)
    return names


# -- the pass at the end of writing ------------------------------------------------------------------

@dataclass
class _Use:
    """What the text uses of one font: its faces, its characters, and whether a style names it."""

    styles: set[Style] = field(default_factory=set)
    characters: set[int] = field(default_factory=set)
    styled: bool = False


def embed(document: DocxDocument) -> None:
    """Give the symbols a font that has them, name the fonts as Word knows them, list and describe
    them in the font table, and embed the faces the text uses of each font that may travel."""
    runs = _Runs(document)
    _set_symbols(document, runs)
    used = _used(document, runs)
    families = {name: family for name in sorted({*used, *named(document)} - COMMON_FONTS)
                if (family := find(name)) is not None}
    _rename(document, {name: family.word_name for name, family in families.items() if family.word_name})
    xml.list_fonts(document)
    table_part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
                      None)
    if table_part is None:
        return
    table = etree.fromstring(table_part.blob, xml._SAFE_PARSER)
    entries = {entry.get(qn("w:name")): entry for entry in table.findall(qn("w:font"))}
    embedded = False
    for name, family in families.items():
        entry = entries.get(family.word_name or name)
        if entry is None:
            continue
        _describe(entry, family)
        use = used.get(name)
        if use is None or family.problem is not None or any(entry.find(qn(tag)) is not None for tag in _EMBED.values()):
            continue  # unused, not embeddable, or embedded by the reference file already
        keep = frozenset(use.characters | TYPED if use.styled else use.characters) & family.cmap
        for style in sorted(use.styles):
            face = family.faces.get(style)
            if face is None or face.problem is not None:
                continue  # Word makes a missing bold or italic from the regular face
            data = _subset(face.path, face.index, keep, _digest(face.path))
            key = font_key(data)
            partname = document.part.package.next_partname("/word/fonts/font%d.odttf")
            part = Part(partname, OBFUSCATED_FONT, obfuscate(data, key), document.part.package)
            entry.append(xml.element(_EMBED[style], r_id=table_part.relate_to(part, RT.FONT), w_fontKey=key,
                                     w_subsetted=1))
            embedded = True
    _sort_embeds(table)
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    if embedded:
        _embed_settings(document)


def font_key(data: bytes) -> str:
    """The GUID that obfuscates a font part, from the font's bytes: the same font, the same key (and file)."""
    return "{" + str(uuid.UUID(bytes=hashlib.sha256(data).digest()[:16])).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """ECMA-376 Part 1 §17.8.1: the font's first 32 bytes XORed with the key's 16 bytes, taken from the
    GUID's hex digits in reverse order. XOR undoes itself: the same call reads an embedded font back."""
    mask = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    return bytes(byte ^ mask[i % 16] for i, byte in enumerate(data[:32])) + data[32:]


def _digest(path: str) -> str | None:
    """The font file's SHA-256, recorded as an input of the file being built (a font update rebuilds it)."""
    from builder.core.digest import current_digest

    digest = current_digest(path)
    files.remember(Path(path), digest)
    return digest


SUBSET_VERSION = "1"  # raise when _make_subset changes what it makes: the cached subsets are then made again


@functools.lru_cache(maxsize=64)
def _subset(path: str, index: int, keep: frozenset[int], digest: str | None) -> bytes:
    """`_make_subset`, kept in memory for the process and on disk for later builds: a subset costs 0.5 s
    (Andika) to 1 s (a CFF face converted) and every build of every worker made the same ones again. The
    file's name is a hash of the font's bytes, the characters kept, the fontTools version and ours, so a
    changed font or fontTools makes a new one; a cache that cannot be written is only slower."""
    if digest is None:
        return _make_subset(path, index, keep)
    from importlib.metadata import version

    key = hashlib.sha256(repr((digest, index, sorted(keep), version("fonttools"), SUBSET_VERSION)).encode())
    cached = cache_dir("fonts") / f"{key.hexdigest()}.ttf"
    with contextlib.suppress(OSError):
        return cached.read_bytes()
    data = _make_subset(path, index, keep)
    keep_file(cached, data)
    return data


def _make_subset(path: str, index: int, keep: frozenset[int]) -> bytes:
    """The face in `path` with only the glyphs of `keep`, TrueType outlines, no hinting, every name kept;
    the same bytes for the same font and characters (no timestamp)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs, options.name_languages, options.name_legacy = ["*"], ["*"], True
    options.notdef_outline, options.glyph_names, options.legacy_kern = True, False, True
    options.hinting = False  # instructions are a third of Andika; Word and LibreOffice render well without them
    options.desubroutinize = True
    options.recalc_timestamp = False
    options.drop_tables += _UNSUBSETTABLE
    with TTFont(path, fontNumber=index, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(keep))
        with _quiet():
            subsetter.subset(font)
        if "CFF " in font:
            _truetype_outlines(font)
        font.flavor = None  # a WOFF file goes in as a plain font
        out = io.BytesIO()
        font.save(out)
    return out.getvalue()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """fontTools.subset logs what it drops at WARNING level: a build's output is no place for that."""
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _truetype_outlines(font: Any) -> None:
    """Replace a font's CFF outlines by TrueType ones: cubic curves to quadratic (fontTools' cu2qu,
    within 1 unit), glyf and loca built by FontBuilder, the side bearings from the new outlines."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in font.getGlyphOrder():
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["glyf"] = newTable("glyf")  # FontBuilder takes a font with glyf for a TrueType one
    builder = FontBuilder(font=font)
    builder.setupGlyf(glyphs)
    builder.setupMaxp()
    font.sfntVersion = "\x00\x01\x00\x00"
    metrics, outlines = font["hmtx"].metrics, font["glyf"]
    for name in font.getGlyphOrder():
        metrics[name] = (metrics[name][0], getattr(outlines[name], "xMin", 0))


# -- runs, their fonts and faces ---------------------------------------------------------------------

def _story_roots(document: DocxDocument) -> Iterator[tuple[str, Any]]:
    """The body and every header and footer: where text is."""
    yield "document", document.element
    for part in document.part.package.iter_parts():
        root = getattr(part, "_element", None)
        if str(part.partname).startswith(("/word/header", "/word/footer")) and root is not None:
            yield str(part.partname), root


def _theme_fonts(document: DocxDocument) -> dict[str, str]:
    """The theme's fonts by the names rFonts refers to them with (minorHAnsi -> Calibri, ...)."""
    part = next((rel.target_part for rel in document.part.rels.values()
                 if rel.reltype == RT.THEME and not rel.is_external), None)
    if part is None:
        return {}
    root = etree.fromstring(part.blob, xml._SAFE_PARSER)
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    fonts = {}
    for scheme, prefix in (("majorFont", "major"), ("minorFont", "minor")):
        found = root.find(f".//{drawing}{scheme}")
        if found is None:
            continue
        for tag, slots in (("latin", ("HAnsi", "Ascii")), ("ea", ("EastAsia",)), ("cs", ("Bidi",))):
            typeface = found.find(f"{drawing}{tag}")
            if typeface is not None and typeface.get("typeface"):
                fonts.update({prefix + slot: typeface.get("typeface") for slot in slots})
    return fonts


class _Runs:
    """Run properties as Word resolves them (ECMA-376 Part 1 §17.7.2): direct formatting, then the
    run's character style, then the paragraph's style (each along its basedOn chain), then the
    document defaults; bold and italic toggle between the style chains (§17.7.3)."""

    def __init__(self, document: DocxDocument) -> None:
        root = document.styles.element
        self.styles = {style.get(qn("w:styleId")): style for style in root.findall(qn("w:style"))}
        self.default = {kind: next((style.get(qn("w:styleId")) for style in root.findall(qn("w:style"))
                                    if style.get(qn("w:type")) == kind and style.get(qn("w:default")) in ("1", "true")),
                                   None) for kind in ("paragraph", "character")}
        self.defaults = root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self.theme = _theme_fonts(document)
        self._chains: dict[str | None, tuple[Any, ...]] = {}

    def _chain(self, style_id: str | None) -> tuple[Any, ...]:
        """The run properties of a style and the styles it is based on, nearest first."""
        if style_id in self._chains:
            return self._chains[style_id]
        key, chain, seen = style_id, [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            rpr = style.find(qn("w:rPr"))
            if rpr is not None:
                chain.append(rpr)
            based = style.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
        self._chains[key] = tuple(chain)
        return self._chains[key]

    def properties(self, run: Any) -> tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]:
        """The run's direct properties, its character style's chain and its paragraph style's chain."""
        rpr = run.find(qn("w:rPr"))
        char_style = rpr.find(qn("w:rStyle")) if rpr is not None else None
        paragraph = next(run.iterancestors(qn("w:p")), None)
        ppr = paragraph.find(qn("w:pPr")) if paragraph is not None else None
        para_style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return ((rpr,) if rpr is not None else (),
                self._chain(char_style.get(qn("w:val")) if char_style is not None else self.default["character"]),
                self._chain(para_style.get(qn("w:val")) if para_style is not None else self.default["paragraph"]))

    def font(self, chains: tuple[tuple[Any, ...], ...], slot: str) -> str | None:
        """The font of one rFonts slot (w:ascii ...): the nearest that names one or a theme font."""
        defaults = (self.defaults,) if self.defaults is not None else ()
        for rpr in (*chains[0], *chains[1], *chains[2], *defaults):
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                continue
            themed = fonts.get(qn(_THEMED[slot]))
            if themed:
                return self.theme.get(themed)
            if fonts.get(qn(slot)):
                return str(fonts.get(qn(slot)))
        return None

    def style(self, chains: tuple[tuple[Any, ...], ...]) -> Style:
        """Bold and italic: direct formatting decides; else the character and paragraph styles toggle."""
        bold, italic = (self._toggle(chains, tag) for tag in ("w:b", "w:i"))
        return bold, italic

    def _toggle(self, chains: tuple[tuple[Any, ...], ...], tag: str) -> bool:
        direct = _on_off(chains[0], tag)
        if direct is not None:
            return direct
        value = bool(_on_off(chains[1], tag)) != bool(_on_off(chains[2], tag))
        if value or _on_off(chains[1], tag) is not None or _on_off(chains[2], tag) is not None:
            return value
        return bool(_on_off((self.defaults,) if self.defaults is not None else (), tag))


def _on_off(chain: Iterable[Any], tag: str) -> bool | None:
    """The nearest value of an on/off property (w:b ...) along `chain`; None when none sets it."""
    for rpr in chain:
        found = rpr.find(qn(tag))
        if found is not None:
            return found.get(qn("w:val"), "1") not in ("0", "false", "off")
    return None


def _slot(character: str) -> str:
    """The rFonts slot Word draws a character with: ASCII, East Asian, complex script or the rest."""
    point = ord(character)
    if point < 0x80:
        return "w:ascii"
    if 0x1100 <= point <= 0x11FF or 0x2E80 <= point <= 0xA4CF or 0xAC00 <= point <= 0xD7AF \
            or 0xF900 <= point <= 0xFAFF or 0xFE30 <= point <= 0xFE4F or 0xFF00 <= point <= 0xFFEF or point >= 0x20000:
        return "w:eastAsia"
    if 0x0590 <= point <= 0x0DFF or 0x0E00 <= point <= 0x0EFF or 0xFB1D <= point <= 0xFDFF or 0xFE70 <= point <= 0xFEFF:
        return "w:cs"
    return "w:hAnsi"


def _drawn(character: str) -> bool:
    """Whether a character needs a glyph (spaces, controls and format marks do not)."""
    return unicodedata.category(character)[0] not in "ZC"


def _text_runs(document: DocxDocument) -> Iterator[Any]:
    for _, root in _story_roots(document):
        for run in list(root.iter(qn("w:r"))):
            if run.find(qn("w:t")) is not None:
                yield run


def _set_symbols(document: DocxDocument, runs: _Runs) -> None:
    """Split each run with characters its font cannot draw, setting them in a symbol font that can:
    a font that is not installed here is taken to lack teachpack's own symbols."""
    for run in _text_runs(document):
        fonts = _RunFonts(runs, run)
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        if any(fonts.symbol_font(c) for c in dict.fromkeys(text)):
            _split(run, fonts.symbol_font)


class _RunFonts:
    """The fonts one run is set in, by rFonts slot, each looked up once."""

    def __init__(self, runs: _Runs, run: Any) -> None:
        self.runs, self.chains = runs, runs.properties(run)
        self.names: dict[str, str | None] = {}

    def name(self, character: str) -> str | None:
        """The font the run draws `character` in."""
        slot = _slot(character)
        if slot not in self.names:
            self.names[slot] = self.runs.font(self.chains, slot)
        return self.names[slot]

    def symbol_font(self, character: str) -> str | None:
        """The symbol font to draw `character` in, when the run's own font lacks it; else None."""
        if not _drawn(character):
            return None
        name = self.name(character)
        family = find(name) if name else None
        lacking = character in OWN_SYMBOLS if family is None else ord(character) not in family.cmap
        return _symbol_font_for(character) if lacking else None


def _symbol_font_for(character: str) -> str | None:
    """The first symbol font that can travel and draws `character`; Windows's Segoe UI Symbol for ☐ and →."""
    for name in SYMBOL_FONTS:
        family = find(name)
        if family is not None and family.problem is None and ord(character) in family.cmap:
            return name
    return SYMBOL_FONTS[-1] if character in OWN_SYMBOLS else None


def _split(run: Any, font_of: Any) -> None:
    """Replace `run` by runs of the same properties, one per stretch of text in one font (`font_of` a
    character: a symbol font's name, or None for the run's own); breaks and tabs stay where they were."""
    rpr = run.find(qn("w:rPr"))
    pieces: list[tuple[str | None, list[Any]]] = []

    def piece(font: str | None) -> list[Any]:
        if not pieces or pieces[-1][0] != font:
            pieces.append((font, []))
        return pieces[-1][1]

    for child in list(run):
        if child is rpr:
            continue
        if child.tag != qn("w:t"):
            (pieces[-1][1] if pieces else piece(None)).append(child)
            continue
        for character in child.text or "":
            children = piece(font_of(character))
            if not children or children[-1].tag != qn("w:t"):
                children.append(xml.element("w:t"))
            children[-1].text = (children[-1].text or "") + character
    for font, children in pieces:
        new = xml.element("w:r")
        if rpr is not None:
            new.append(copy.deepcopy(rpr))
        if font is not None:
            _name_font(new, font)
        for child in children:
            if child.tag == qn("w:t") and child.text != child.text.strip():
                child.set(qn("xml:space"), "preserve")
            new.append(child)
        run.addprevious(new)
    run.getparent().remove(run)


def _name_font(run: Any, font: str) -> None:
    """Set a run in `font` for every script, first after its character style as CT_RPr wants."""
    rpr = run.find(qn("w:rPr"))
    if rpr is None:
        rpr = xml.element("w:rPr")
        run.insert(0, rpr)
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = xml.element("w:rFonts", w_ascii=font, w_hAnsi=font, w_eastAsia=font, w_cs=font)
    style = rpr.find(qn("w:rStyle"))
    if style is not None:
        style.addnext(fonts)
    else:
        rpr.insert(0, fonts)


def _used(document: DocxDocument, runs: _Runs) -> dict[str, _Use]:
    """Each font the text is set in, with the faces and characters it uses it for."""
    used: dict[str, _Use] = {}
    for run in _text_runs(document):
        fonts = _RunFonts(runs, run)
        style = runs.style(fonts.chains)
        named_here = _named_in(fonts.chains[0])
        for character in set("".join(t.text or "" for t in run.iter(qn("w:t")))):  # each once: a set of them
            name = fonts.name(character) if _drawn(character) else None
            if name is None:
                continue
            use = used.setdefault(name, _Use())
            use.styles.add(style)
            use.characters.add(ord(character))
            use.styled = use.styled or name not in named_here
    return used


def _named_in(direct: tuple[Any, ...]) -> set[str]:
    """The fonts a run's own properties name (not its styles)."""
    return {value for rpr in direct for fonts in rpr.findall(qn("w:rFonts"))
            for slot in _SLOTS if (value := fonts.get(qn(slot)))}


def _rename(document: DocxDocument, names: dict[str, str]) -> None:
    """Name each font as Word knows it, wherever the styles, text or font table name it."""
    names = {old: new for old, new in names.items() if old != new}
    if not names:
        return
    roots = [document.styles.element, *(root for _, root in _story_roots(document))]
    numbering = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/numbering.xml"), None)
    if numbering is not None and getattr(numbering, "_element", None) is not None:
        roots.append(numbering._element)
    for root in roots:
        for fonts in root.iter(qn("w:rFonts")):
            for slot in _SLOTS:
                if fonts.get(qn(slot)) in names:
                    fonts.set(qn(slot), names[fonts.get(qn(slot))])
    table_part = next((p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
                      None)
    if table_part is None:
        return
    table = etree.fromstring(table_part.blob, xml._SAFE_PARSER)
    listed = {entry.get(qn("w:name")) for entry in table.findall(qn("w:font"))}
    for entry in table.findall(qn("w:font")):
        old = entry.get(qn("w:name"))
        if old in names:
            if names[old] in listed:
                table.remove(entry)
            else:
                entry.set(qn("w:name"), names[old])
    table_part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


_DESCRIPTION = ("w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig")


def _describe(entry: Any, family: Family) -> None:
    """Describe an installed font in its font-table entry, unless the reference file did: its other
    name (or the common font to use instead), PANOSE, class, pitch and ranges, for Word's substitution."""
    if any(entry.find(qn(tag)) is not None for tag in _DESCRIPTION):
        return
    alternative = family.name if family.word_name and family.word_name != family.name else family.fallback
    described = [
        *([xml.element("w:altName", w_val=alternative)] if alternative else []),
        xml.element("w:panose1", w_val=family.panose),
        xml.element("w:charset", w_val=family.charset),
        xml.element("w:family", w_val=family.font_class),
        xml.element("w:pitch", w_val=family.pitch),
        xml.element("w:sig", **{name.replace(":", "_"): value for name, value in family.sig.items()}),
    ]
    for at, child in enumerate(described):
        entry.insert(at, child)


def _sort_embeds(table: Any) -> None:
    """The embedded faces of each entry in the schema's order: regular, bold, italic, bold italic."""
    rank = {qn(tag): i for i, tag in enumerate(_EMBED.values())}
    for entry in table.findall(qn("w:font")):
        embeds = [child for child in entry if child.tag in rank]
        for child in embeds:
            entry.remove(child)
        for child in sorted(embeds, key=lambda child: rank[child.tag]):
            entry.append(child)


# w:settings children before w:embedTrueTypeFonts in the schema's sequence (ECMA-376 §17.15.1.78).
_BEFORE_EMBED = ("w:writeProtection", "w:view", "w:zoom", "w:removePersonalInformation", "w:removeDateAndTime",
                 "w:doNotDisplayPageBoundaries", "w:displayBackgroundShape", "w:printPostScriptOverText",
                 "w:printFractionalCharacterWidth", "w:printFormsData")


def _embed_settings(document: DocxDocument) -> None:
    """settings.xml says the file carries its fonts (Word keeps them when it saves it) and that they are subsets."""
    settings = document.settings.element
    for tag, after in (("w:embedTrueTypeFonts", _BEFORE_EMBED),
                       ("w:saveSubsetFonts", (*_BEFORE_EMBED, "w:embedTrueTypeFonts", "w:embedSystemFonts"))):
        if settings.find(qn(tag)) is not None:
            continue
        preceding = [child for child in settings if child.tag in {qn(t) for t in after}]
        if preceding:
            preceding[-1].addnext(xml.element(tag))
        else:
            settings.insert(0, xml.element(tag))
