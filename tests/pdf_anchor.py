"""The anchor the PDF importer is measured against: pdfplumber's own table
extraction (``page.extract_tables()``, lines strategy by default) on every page,
merged cells (``None``) filled forward from the cell above (from the left in a
table's first row), the tables handed in page order to the same grid core
(``grid.sheet_from_blocks``, which joins a table continued on the next page).
It is what a developer would write with the library alone."""
from __future__ import annotations

from jixiao.importers.recover.table import Table, sheet_from_blocks


def plumber_tables(path) -> list[list[list[str | None]]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [t for page in pdf.pages for t in page.extract_tables()]


def anchor_sheet(path):
    """The anchor's sheet of the PDF at ``path`` (raises as the grid core does)."""
    blocks: list[str | Table] = []
    for t in plumber_tables(path):
        rows = [list(r) for r in t]
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    row[c] = rows[r - 1][c] if r else (row[c - 1] if c else "")
        blocks.append(Table(rows))
    return sheet_from_blocks(blocks, str(path))


def anchor_f1(path, gold: dict) -> float:
    """F1 of the anchor against ``gold``; 0 when it finds no indicator table."""
    from sheet_score import score

    from jixiao.errors import ImportFailed
    from jixiao.model.codec import sheet_to_dict

    try:
        return score(gold, sheet_to_dict(anchor_sheet(path)))["f1"]
    except ImportFailed:
        return 0.0
