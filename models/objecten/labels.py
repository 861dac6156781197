"""Object labels: an A4 sheet of stickers, each with the object number, its objecttype, the
klant and a short werkadres, and a QR code that opens the object page. Pure: labels in, PDF
bytes out (no database, no request; the caller builds each label's absolute URL).

The sheet is the common 3 x 8 layout of 70 x 37 mm labels on A4 (Avery Zweckform 3474 and
its equivalents): three columns edge to edge (3 x 70 = 210 mm, the sheet's width), eight rows
with 0.5 mm left at top and bottom (8 x 37 = 296 of 297 mm). Printers cannot print at a
sheet's very edge, so everything keeps 4 mm inside its label. The QR code is drawn as
vectors (one rectangle per dark module, merged per row), sharp at any printer resolution,
with error correction level M (15 %: a scratched sticker still scans).

segno makes the QR matrix (no dependencies); fpdf2 writes the PDF with the built-in
Helvetica (no font files to ship: text is Windows-1252, which has every Dutch letter; any
other character prints as "?").
"""

from collections.abc import Iterable
from dataclasses import dataclass

import segno
from fpdf import FPDF

PAGE_W, PAGE_H = 210.0, 297.0
COLUMNS, ROWS = 3, 8
LABEL_W, LABEL_H = 70.0, 37.0
TOP = (PAGE_H - ROWS * LABEL_H) / 2  # 0.5 mm
LEFT = (PAGE_W - COLUMNS * LABEL_W) / 2  # 0
PADDING = 4.0  # mm kept free inside each label for the text (the QR may come 1 mm closer)
QR_SIZE = 27.0  # mm, with its quiet zone; centred in the label's height
QR_BORDER = 2  # modules of quiet zone inside QR_SIZE (the label's padding adds the rest)
PER_SHEET = COLUMNS * ROWS
MAX_LABELS = 500  # what one request may print (about 21 sheets)


@dataclass(frozen=True)
class Label:
    number: str
    objecttype: str
    klant: str
    werkadres: str  # short: street and number, city
    url: str  # absolute: the object page


def qr_matrix(url: str) -> list[bytearray]:
    """The QR code's modules (1 = dark) for `url`, without quiet zone."""
    return [bytearray(row) for row in segno.make(url, error="m", micro=False).matrix]


def printable(text: str) -> str:
    """`text` in what the built-in font can print (Windows-1252); anything else becomes "?"."""
    return text.encode("cp1252", "replace").decode("cp1252")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """`text` cut to `width` (mm) in the current font, with an ellipsis when cut."""
    text = printable(text)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _wrap(pdf: FPDF, text: str, width: float, lines: int) -> list[str]:
    """`text` over at most `lines` lines of `width` mm, broken between words (a word longer
    than a line is cut), the last line cut with an ellipsis when more is left."""
    words = printable(text).split()
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and pdf.get_string_width(f"{line} {words[0]}") <= width:
            line = f"{line} {words.pop(0)}"
        if len(out) == lines - 1 and words:
            line = f"{line} {' '.join(words)}"
        out.append(_fit(pdf, line, width))
    return out


def _draw_qr(pdf: FPDF, matrix: list[bytearray], x: float, y: float, size: float) -> None:
    modules = len(matrix) + 2 * QR_BORDER
    unit = size / modules
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            # a run of dark modules is one rectangle: fewer operators, no hairline gaps
            pdf.rect(x + (QR_BORDER + start) * unit, y + (QR_BORDER + r) * unit,
                     (c - start) * unit, unit, style="F")


def _draw_label(pdf: FPDF, label: Label, x: float, y: float) -> None:
    _draw_qr(pdf, qr_matrix(label.url), x + PADDING - 1, y + (LABEL_H - QR_SIZE) / 2, QR_SIZE)
    text_x = x + PADDING - 1 + QR_SIZE + 1
    width = x + LABEL_W - PADDING + 1 - text_x
    top = y + PADDING + 4
    pdf.set_font("Helvetica", "B", 12)
    pdf.text(text_x, top, _fit(pdf, label.number, width))
    pdf.set_font("Helvetica", "B", 8)
    pdf.text(text_x, top + 4.5, _fit(pdf, label.objecttype, width))
    pdf.set_font("Helvetica", "", 7.5)
    down = top + 8.5
    for text in (label.klant, label.werkadres):
        for line in _wrap(pdf, text, width, 2):
            pdf.text(text_x, down, line)
            down += 3.2
        down += 0.6
    pdf.set_font("Helvetica", "I", 6)
    pdf.text(text_x, y + LABEL_H - PADDING + 0.5, _fit(pdf, "Scan: historie en werkbonnen",
                                                       width))


def position(index: int) -> tuple[int, float, float]:
    """(sheet, x, y in mm) of the `index`-th label position (0-based, row by row)."""
    sheet, place = divmod(index, PER_SHEET)
    row, column = divmod(place, COLUMNS)
    return sheet, LEFT + column * LABEL_W, TOP + row * LABEL_H


def sheet(labels: Iterable[Label], first: int = 1, title: str = "Objectlabels") -> bytes:
    """The PDF: the labels in order, starting at position `first` (1-24) of the first sheet,
    so a sheet that was partly used before can go through the printer again."""
    if not 1 <= first <= PER_SHEET:
        raise ValueError(f"first must be 1..{PER_SHEET}")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = "windows-1252"  # the fonts' WinAnsiEncoding: ë, é, —, …
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(printable(title))
    pdf.set_creator("Cadans")
    pdf.set_fill_color(0, 0, 0)
    pdf.set_text_color(0, 0, 0)
    pages = -1
    for index, label in enumerate(labels, start=first - 1):
        page, x, y = position(index)
        while pages < page:
            pdf.add_page()
            pages += 1
        _draw_label(pdf, label, x, y)
    if pages < 0:
        pdf.add_page()  # a PDF has at least one page; an empty sheet says so itself
    return bytes(pdf.output())
