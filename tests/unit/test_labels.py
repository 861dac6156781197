"""Object labels (models/objecten/labels.py): the PDF is read back as a person's tools would:
rendered to an image (PDFium) and each QR code decoded (zxing-cpp), its text extracted."""

import pypdfium2 as pdfium
import pytest
import zxingcpp

from models.objecten import labels
from models.objecten.labels import Label, sheet


def label(n: int, **extra) -> Label:
    return Label(**{"number": f"OBJ-{n:06d}", "objecttype": "Brandblusser",
                    "klant": "Kantoorpand Zuidas B.V.",
                    "werkadres": "Gustav Mahlerlaan 1025, Amsterdam",
                    "url": f"https://cadans.example.nl/objecten/{n}", **extra})


def read(data: bytes) -> list[dict]:
    """Per page: the QR codes' texts (sorted) and the page's text."""
    doc = pdfium.PdfDocument(data)
    pages = []
    for page in doc:
        image = page.render(scale=150 / 72).to_pil()
        codes = sorted(r.text for r in zxingcpp.read_barcodes(image)
                       if r.format == zxingcpp.BarcodeFormat.QRCode)
        pages.append({"codes": codes, "text": page.get_textpage().get_text_range(),
                      "size": tuple(round(v / 72 * 25.4) for v in page.get_size())})
    doc.close()
    return pages


def test_a_sheet_of_24_labels_with_their_qr_codes_and_text():
    pages = read(sheet([label(n) for n in range(1, 25)]))
    assert len(pages) == 1 and pages[0]["size"] == (210, 297)  # A4
    assert pages[0]["codes"] == sorted(f"https://cadans.example.nl/objecten/{n}"
                                       for n in range(1, 25))
    text = pages[0]["text"]
    assert text.count("Brandblusser") == 24 and "OBJ-000024" in text
    assert "Kantoorpand Zuidas B.V." in text and "Gustav Mahlerlaan 1025," in text


@pytest.mark.parametrize("count, first, pages, on_last", [
    (1, 1, 1, 1), (24, 1, 1, 24), (25, 1, 2, 1), (2, 24, 2, 1), (23, 2, 1, 23), (0, 1, 1, 0),
])
def test_labels_fill_sheets_from_the_chosen_position(count, first, pages, on_last):
    found = read(sheet([label(n) for n in range(1, count + 1)], first=first))
    assert len(found) == pages
    assert len(found[-1]["codes"]) == on_last
    assert sum(len(p["codes"]) for p in found) == count


def test_position_is_row_by_row_on_70_by_37_mm():
    assert labels.position(0) == (0, 0.0, 0.5)
    assert labels.position(2) == (0, 140.0, 0.5)
    assert labels.position(3) == (0, 0.0, 37.5)
    assert labels.position(23) == (0, 140.0, 259.5)
    assert labels.position(24) == (1, 0.0, 0.5)


def test_long_and_foreign_text_fits_and_prints():
    long = label(7, klant="Vereniging van Eigenaren Appartementencomplex De Hoge Veluwe",
                 werkadres="Burgemeester van Walsum-Quispelplein 1234-huis, 's-Hertogenbosch",
                 objecttype="Brandmeldinstallatie ééé 京")
    [page] = read(sheet([long]))
    assert page["codes"] == ["https://cadans.example.nl/objecten/7"]
    assert "Brandmeldinstallatie ééé ?" in page["text"]  # outside Windows-1252: "?"
    assert "…" in page["text"]  # cut, not running off the label


def test_the_first_position_is_checked():
    with pytest.raises(ValueError):
        sheet([label(1)], first=25)
    with pytest.raises(ValueError):
        sheet([label(1)], first=0)
