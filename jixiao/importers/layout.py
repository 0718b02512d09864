"""Space-aligned text (pdftotext -layout): placeholder."""
from __future__ import annotations


def is_layout(lines, head_at):
    return "\t" not in lines[head_at]


def table_rows(lines, head_at):
    raise NotImplementedError
