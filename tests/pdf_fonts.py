"""Check that a PDF really draws its text with embedded fonts — not with boxes.

``pdftotext`` is no proof that Chinese is legible: a PDF can carry the right ToUnicode map (so the
text extracts) while every glyph is ``.notdef`` — the box ("tofu") a reader sees when the worker
that rendered it had no CJK font, or when a font claims characters it has no outline for
(DESIGN.md §7). So this module follows what a viewer does:

1. walk every page's content stream (and the form XObjects it paints), note which font each
   ``Tj``/``TJ``/``'``/``"`` string is shown with, and split the string into character codes;
2. map each code to a glyph — code → CID through the font's encoding CMap (``Identity-H`` or an
   embedded CMap such as the one WeasyPrint writes for missing glyphs), CID → glyph id through
   ``CIDToGIDMap`` or the CFF charset — and open the embedded font program (FontFile2/FontFile3)
   with fontTools to check that glyph exists, is not glyph 0 (``.notdef``) and has an outline;
3. map each code to Unicode with the font's ToUnicode CMap.

A character of the page text (as a text extractor reads it, through ToUnicode) is *covered* when
some embedded font drew it with a real glyph. :func:`assert_pdf_fonts_cover_text` fails on any
uncovered character, any character drawn as ``.notdef``/an empty glyph, and any font used for text
without an embedded font program.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from io import BytesIO

from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject, NameObject

# ---------------------------------------------------------------------------------------------------
# Report


@dataclass(frozen=True)
class PdfFont:
    """One font resource of the PDF, with what it actually drew."""

    name: str  # BaseFont as written, e.g. "LWGGBP+Noto-Serif-CJK-SC"
    subtype: str  # "Type0/CIDFontType0", "Type0/CIDFontType2", "TrueType", "Type1", "Type3"
    embedded: bool  # a font program (FontFile, FontFile2, FontFile3) or Type3 glyph procedures
    font_file: str | None  # "FontFile2", "FontFile3/OpenType", ...
    drawn: frozenset[str]  # characters shown with a real glyph of this font
    notdef: frozenset[str]  # characters shown as .notdef, a missing glyph or an empty outline
    used: bool  # the font showed at least one string

    @property
    def family(self) -> str:
        """BaseFont without the six-letter subset tag."""
        return self.name.split("+", 1)[1] if self.subset else self.name

    @property
    def subset(self) -> bool:
        tag, plus, _rest = self.name.partition("+")
        return bool(plus) and len(tag) == 6 and tag.isalpha() and tag.isupper()


@dataclass(frozen=True)
class FontReport:
    """What :func:`pdf_font_report` found; ``ok`` is the verdict."""

    fonts: tuple[PdfFont, ...]
    # The text as a text extractor sees it (codes → ToUnicode), one string per page joined by
    # newlines. Decoded here rather than with pypdf's extract_text(), which misreads the embedded
    # encoding CMap WeasyPrint writes precisely in the broken case (glyphs missing).
    text: str
    missing: frozenset[str]  # characters of ``text`` no embedded font drew with a real glyph
    notdef: frozenset[str]  # characters drawn as .notdef / an empty glyph somewhere
    pages: int = 0
    problems: tuple[str, ...] = field(default=())

    @property
    def not_embedded(self) -> tuple[str, ...]:
        return tuple(font.name for font in self.fonts if font.used and not font.embedded)

    @property
    def ok(self) -> bool:
        # An unreadable content stream or font program counts against the PDF: the checker must
        # never pass a document merely because it could not look inside it.
        return not (self.missing or self.notdef or self.not_embedded or self.problems)

    def describe(self) -> str:
        """Human-readable list of the defects (empty when ``ok``)."""
        lines = []
        if self.missing:
            lines.append(f"characters not drawn by any embedded font: {_chars(self.missing)}")
        if self.notdef:
            lines.append(f"characters drawn as .notdef/empty glyphs (boxes): {_chars(self.notdef)}")
        if self.not_embedded:
            lines.append(f"fonts used without an embedded font program: {', '.join(self.not_embedded)}")
        lines.extend(self.problems)
        return "\n".join(lines)


def pdf_font_report(pdf_bytes: bytes) -> FontReport:
    """Inspect ``pdf_bytes``: its fonts, the glyphs they draw, and the coverage of the page text."""
    reader = PdfReader(BytesIO(pdf_bytes))
    fonts: dict[object, _FontState] = {}
    problems: list[str] = []
    text_parts = []
    for page_number, page in enumerate(reader.pages, start=1):
        resources = _resolve(page.get("/Resources")) or DictionaryObject()
        contents = page.get_contents()
        if contents is None:
            continue
        shown: list[str] = []
        try:
            _scan_content(ContentStream(contents, reader), resources, reader, fonts, shown, set())
        except Exception as error:  # a malformed stream must fail the check, not pass it
            problems.append(f"page {page_number}: cannot parse content stream ({error})")
        text_parts.append("".join(shown))

    text = "\n".join(text_parts)
    report_fonts = tuple(state.report() for state in fonts.values())
    covered: set[str] = set()
    notdef: set[str] = set()
    for font in report_fonts:
        if font.embedded:
            covered |= font.drawn
        notdef |= font.notdef
    missing = {ch for ch in text if _is_visible(ch)} - covered
    return FontReport(
        fonts=report_fonts,
        text=text,
        missing=frozenset(missing),
        notdef=frozenset(notdef),
        pages=len(reader.pages),
        problems=tuple(problems + [p for state in fonts.values() for p in state.problems]),
    )


def assert_pdf_fonts_cover_text(pdf_bytes: bytes) -> FontReport:
    """Raise ``AssertionError`` listing the characters that would not render; return the report."""
    report = pdf_font_report(pdf_bytes)
    if not report.ok:
        raise AssertionError("PDF text is not fully drawn with embedded fonts:\n" + report.describe())
    return report


# ---------------------------------------------------------------------------------------------------
# Content streams

_TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}


def _scan_content(
    content: ContentStream,
    resources: DictionaryObject,
    reader: PdfReader,
    fonts: dict[object, _FontState],
    shown: list[str],
    visiting: set[object],
) -> None:
    font_resources = _resolve(resources.get("/Font")) or DictionaryObject()
    xobjects = _resolve(resources.get("/XObject")) or DictionaryObject()
    current: _FontState | None = None
    for operands, operator in content.operations:
        if operator == b"Tf" and operands:
            reference = font_resources.get(operands[0])
            current = _font_state(reference, fonts) if reference is not None else None
        elif operator in _TEXT_OPERATORS and current is not None and operands:
            for string in _strings(operands[-1]):
                shown.append(current.show(string))
        elif operator == b"Do" and operands:
            reference = xobjects.get(operands[0])
            xobject = _resolve(reference)
            key = getattr(reference, "idnum", id(xobject))
            if xobject is None or xobject.get("/Subtype") != "/Form" or key in visiting:
                continue
            inner_resources = _resolve(xobject.get("/Resources")) or resources
            _scan_content(
                ContentStream(xobject, reader), inner_resources, reader, fonts, shown, visiting | {key}
            )


def _strings(operand: object) -> Iterator[bytes]:
    if isinstance(operand, ArrayObject):  # TJ: strings interleaved with kerning numbers
        for item in operand:
            yield from _strings(item)
        return
    original = getattr(operand, "original_bytes", None)
    if original is not None:
        yield bytes(original)
    elif isinstance(operand, bytes):
        yield bytes(operand)


def _font_state(reference: object, fonts: dict[object, _FontState]) -> _FontState:
    key = getattr(reference, "idnum", None) or id(reference)
    state = fonts.get(key)
    if state is None:
        state = fonts[key] = _FontState(_resolve(reference))
    return state


# ---------------------------------------------------------------------------------------------------
# Fonts


class _FontState:
    """One PDF font: how its codes become glyphs and Unicode, and what it has drawn so far."""

    def __init__(self, font: DictionaryObject) -> None:
        self.font = font
        self.problems: list[str] = []
        self.name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
        subtype = str(font.get("/Subtype", "")).lstrip("/")
        self.descendant = None
        if subtype == "Type0":
            descendants = _resolve(font.get("/DescendantFonts")) or []
            self.descendant = _resolve(descendants[0]) if descendants else None
            if self.descendant is not None:
                subtype = f"Type0/{str(self.descendant.get('/Subtype', '')).lstrip('/')}"
        self.subtype = subtype
        self.to_unicode = _parse_cmap(_stream_data(font.get("/ToUnicode"))).bf
        self.codespace, self.code_to_cid = self._encoding()
        self.cid_to_gid = self._cid_to_gid_map()
        self.font_file, self.program = self._program()
        self.glyphs = None
        if self.program is not None:
            try:
                self.glyphs = _GlyphChecker(self.program)
            except Exception as error:
                self.problems.append(f"{self.name}: cannot read glyphs of {self.font_file} ({error})")
        self.drawn: set[str] = set()
        self.notdef: set[str] = set()
        self.used = False

    @property
    def embedded(self) -> bool:
        return self.subtype == "Type3" or self.font_file is not None

    def report(self) -> PdfFont:
        return PdfFont(
            name=self.name,
            subtype=self.subtype,
            embedded=self.embedded,
            font_file=self.font_file,
            drawn=frozenset(self.drawn),
            notdef=frozenset(self.notdef),
            used=self.used,
        )

    # -- showing text ----------------------------------------------------------------------------

    def show(self, string: bytes) -> str:
        """Record the glyphs ``string`` draws; return its text (through ToUnicode)."""
        self.used = True
        text = []
        for code, length in self._codes(string):
            chars = self.to_unicode.get((length, code), "")
            text.append(chars)
            visible = [ch for ch in chars if _is_visible(ch)]
            if not visible:
                continue
            if self._glyph_is_real(code, length):
                self.drawn.update(visible)
            else:
                self.notdef.update(visible)
        return "".join(text)

    def _codes(self, string: bytes) -> Iterator[tuple[int, int]]:
        if self.descendant is None:  # simple fonts: one byte per code
            for byte in string:
                yield byte, 1
            return
        position = 0
        while position < len(string):
            for length, low, high in self.codespace:
                chunk = string[position : position + length]
                if len(chunk) == length and low <= int.from_bytes(chunk, "big") <= high:
                    yield int.from_bytes(chunk, "big"), length
                    position += length
                    break
            else:  # not in any codespace range: a viewer shows .notdef for one byte
                yield string[position], 1
                position += 1

    def _glyph_is_real(self, code: int, length: int) -> bool:
        if self.descendant is None:
            # Simple fonts cannot reach CJK; their encodings (Differences, glyph names) are out of
            # scope, so a simple font counts as drawing what its ToUnicode says if it is embedded.
            return self.embedded and code != 0
        cid = self.code_to_cid(code, length)
        if cid is None or cid == 0:
            return False
        gid = self.cid_to_gid(cid)
        if gid is None or gid == 0:
            return False
        if self.glyphs is None:  # a font program we cannot open (or none): nothing is proven
            return False
        return self.glyphs.has_outline(gid)

    # -- code → CID → GID ----------------------------------------------------------------------

    def _encoding(self):
        encoding = self.font.get("/Encoding")
        identity = [(2, 0, 0xFFFF)]
        if self.descendant is None:
            return [(1, 0, 0xFF)], lambda code, length: code
        if isinstance(_resolve(encoding), NameObject) or encoding is None:
            name = str(_resolve(encoding) or "")
            if name in ("/Identity-H", "/Identity-V"):
                return identity, lambda code, length: code
            # A predefined CJK CMap (UniGB-UCS2-H, ...): such fonts are almost never embedded; say
            # so rather than guess the CID of every code.
            self.problems.append(f"{self.name}: unsupported predefined encoding {name or '(none)'}")
            return identity, lambda code, length: None
        cmap = _parse_cmap(_stream_data(encoding))
        cids = cmap.cid
        return (cmap.codespace or identity), lambda code, length: cids.get((length, code))

    def _cid_to_gid_map(self):
        if self.descendant is None:
            return lambda cid: cid
        mapping = self.descendant.get("/CIDToGIDMap")
        resolved = _resolve(mapping)
        if resolved is None or (isinstance(resolved, NameObject) and resolved == "/Identity"):
            return self._cff_cid_lookup if self.subtype.endswith("CIDFontType0") else (lambda cid: cid)
        data = _stream_data(mapping)

        def lookup(cid: int) -> int | None:
            if 2 * cid + 2 > len(data):
                return None
            return int.from_bytes(data[2 * cid : 2 * cid + 2], "big")

        return lookup

    def _cff_cid_lookup(self, cid: int) -> int | None:
        # CIDFontType0 (CFF): a CID-keyed CFF maps CIDs to glyphs through its charset (PDF 32000
        # 9.7.4.2); a name-keyed one uses the CID as the glyph index.
        if self.glyphs is None:
            return cid
        return self.glyphs.gid_for_cid(cid)

    def _program(self) -> tuple[str | None, object | None]:
        descriptor_owner = self.descendant if self.descendant is not None else self.font
        descriptor = _resolve(descriptor_owner.get("/FontDescriptor"))
        if descriptor is None:
            return None, None
        for key in ("/FontFile2", "/FontFile3", "/FontFile"):
            if key not in descriptor:
                continue
            stream = _resolve(descriptor[key])
            sub = str(stream.get("/Subtype", "")).lstrip("/")
            label = key.lstrip("/") + (f"/{sub}" if sub else "")
            data = stream.get_data()
            try:
                if key == "/FontFile2" or sub == "OpenType":
                    return label, TTFont(BytesIO(data), lazy=True)
                if key == "/FontFile3":  # bare CFF (CIDFontType0C / Type1C)
                    cff = CFFFontSet()
                    cff.decompile(BytesIO(data), otFont=None)
                    return label, cff
            except Exception as error:
                self.problems.append(f"{self.name}: embedded {label} cannot be parsed ({error})")
                return label, None
            return label, None  # Type 1 (FontFile): embedded, outlines not inspected
        return None, None


class _GlyphChecker:
    """Answers "does glyph id N of this font program have an outline?" for TTF/OTF/CFF data."""

    def __init__(self, program: TTFont | CFFFontSet) -> None:
        if isinstance(program, TTFont):
            self.glyph_order = program.getGlyphOrder()
            self.glyph_set = program.getGlyphSet()
            cff = program["CFF "].cff if "CFF " in program else None
        else:
            cff = program
            top = cff.topDictIndex[0]
            self.glyph_order = top.getGlyphOrder()
            self.glyph_set = top.CharStrings
        top = cff.topDictIndex[0] if cff is not None else None
        self.cid_keyed = top is not None and hasattr(top, "ROS")
        self._gid_by_name: dict[str, int] | None = None
        self._outline: dict[int, bool] = {}

    def gid_for_cid(self, cid: int) -> int | None:
        if not self.cid_keyed:
            return cid
        if self._gid_by_name is None:
            self._gid_by_name = {name: gid for gid, name in enumerate(self.glyph_order)}
        return self._gid_by_name.get(f"cid{cid:05d}")

    def has_outline(self, gid: int) -> bool:
        if gid in self._outline:
            return self._outline[gid]
        result = False
        if 0 < gid < len(self.glyph_order):
            glyph = self.glyph_set[self.glyph_order[gid]]
            pen = BoundsPen(self.glyph_set)  # the glyph set resolves TrueType composites
            try:
                glyph.draw(pen)
                result = pen.bounds is not None
            except Exception:  # an undrawable glyph is as good as a box
                result = False
        self._outline[gid] = result
        return result


# ---------------------------------------------------------------------------------------------------
# CMaps (ToUnicode and embedded encodings)


@dataclass
class _CMap:
    codespace: list[tuple[int, int, int]] = field(default_factory=list)  # (bytes, low, high)
    bf: dict[tuple[int, int], str] = field(default_factory=dict)  # (bytes, code) → text
    cid: dict[tuple[int, int], int] = field(default_factory=dict)  # (bytes, code) → CID


_CMAP_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|%[^\r\n]*|/[^\s/<>\[\]()%]+|[^\s/<>\[\]()%]+")


def _parse_cmap(data: bytes) -> _CMap:
    cmap = _CMap()
    tokens = list(_cmap_tokens(data))
    position = 0
    while position < len(tokens):
        keyword = tokens[position]  # CMap operators such as beginbfchar
        position += 1
        if keyword == "begincodespacerange":
            position = _read_section(tokens, position, "endcodespacerange", 2, cmap, _codespace_entry)
        elif keyword == "beginbfchar":
            position = _read_section(tokens, position, "endbfchar", 2, cmap, _bfchar_entry)
        elif keyword == "beginbfrange":
            position = _read_section(tokens, position, "endbfrange", 3, cmap, _bfrange_entry)
        elif keyword == "begincidchar":
            position = _read_section(tokens, position, "endcidchar", 2, cmap, _cidchar_entry)
        elif keyword == "begincidrange":
            position = _read_section(tokens, position, "endcidrange", 3, cmap, _cidrange_entry)
    cmap.codespace.sort(key=lambda entry: entry[0])
    return cmap


def _cmap_tokens(data: bytes) -> Iterator[object]:
    """Hex strings as ``bytes``, arrays as ``list[bytes]``, everything else as ``str``."""
    array: list[bytes] | None = None
    for match in _CMAP_TOKEN.finditer(data):
        raw = match.group(0)
        if raw.startswith(b"%"):
            continue
        if match.group(1) is not None:
            value: object = bytes.fromhex(re.sub(rb"\s", b"", match.group(1)).decode() or "")
        elif raw == b"[":
            array = []
            continue
        elif raw == b"]":
            value, array = array or [], None
        else:
            value = raw.decode("latin-1")
        if array is not None and isinstance(value, bytes):
            array.append(value)
        elif array is None:
            yield value


def _read_section(tokens, position, end, width, cmap, handle) -> int:
    while position < len(tokens) and tokens[position] != end:
        entry = tokens[position : position + width]
        if len(entry) < width or end in entry:
            break
        handle(cmap, *entry)
        position += width
    return position + 1


def _codespace_entry(cmap: _CMap, low, high) -> None:
    if isinstance(low, bytes) and isinstance(high, bytes) and low:
        cmap.codespace.append((len(low), int.from_bytes(low, "big"), int.from_bytes(high, "big")))


def _bfchar_entry(cmap: _CMap, source, target) -> None:
    if isinstance(source, bytes) and isinstance(target, bytes) and source:
        cmap.bf[(len(source), int.from_bytes(source, "big"))] = _utf16(target)


def _bfrange_entry(cmap: _CMap, low, high, target) -> None:
    if not (isinstance(low, bytes) and isinstance(high, bytes) and low):
        return
    start, stop = int.from_bytes(low, "big"), int.from_bytes(high, "big")
    if stop - start > 0xFFFF:
        return
    for offset, code in enumerate(range(start, stop + 1)):
        if isinstance(target, list):
            if offset < len(target):
                cmap.bf[(len(low), code)] = _utf16(target[offset])
        elif isinstance(target, bytes) and target:
            value = int.from_bytes(target, "big") + offset
            cmap.bf[(len(low), code)] = _utf16(value.to_bytes(len(target), "big"))


def _cidchar_entry(cmap: _CMap, source, cid) -> None:
    if isinstance(source, bytes) and source and isinstance(cid, str) and cid.isdigit():
        cmap.cid[(len(source), int.from_bytes(source, "big"))] = int(cid)


def _cidrange_entry(cmap: _CMap, low, high, cid) -> None:
    if not (isinstance(low, bytes) and isinstance(high, bytes) and low and isinstance(cid, str)):
        return
    if not cid.isdigit():
        return
    start, stop = int.from_bytes(low, "big"), int.from_bytes(high, "big")
    for offset, code in enumerate(range(start, min(stop, start + 0xFFFF) + 1)):
        cmap.cid[(len(low), code)] = int(cid) + offset


# ---------------------------------------------------------------------------------------------------
# Helpers


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _stream_data(value) -> bytes:
    stream = _resolve(value)
    if stream is None or not hasattr(stream, "get_data"):
        return b""
    return stream.get_data()


def _utf16(data: bytes) -> str:
    return data.decode("utf-16-be", errors="replace")


def _is_visible(ch: str) -> bool:
    """Characters that must show ink: not whitespace, separators, controls or format marks."""
    return not ch.isspace() and unicodedata.category(ch)[0] not in ("Z", "C")


def _chars(chars: Iterable[str]) -> str:
    ordered = sorted(chars)
    shown = "".join(ordered[:80])
    codes = " ".join(f"U+{ord(ch):04X}" for ch in ordered[:12])
    more = f" … ({len(ordered)} in all)" if len(ordered) > 80 else ""
    return f"{shown!r} [{codes}{' …' if len(ordered) > 12 else ''}]{more}"
