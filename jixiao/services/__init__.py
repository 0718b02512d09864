"""Use-cases: the one layer the CLI and the web app call.

Keyword-only functions taking bytes and objects and returning objects or bytes:
no paths, no printing, nothing handed in is changed. Each raises only
``JixiaoError`` subclasses for problems the user can fix; presentation (tables,
colours, exit codes, HTTP statuses) is the caller's business. Files are
``jixiao.files``' job, for the CLI.

``documents``: import, check, render one document. Storage, accounts and the
workflow add their modules beside it.
"""
from __future__ import annotations

from .documents import (
    FORM_KINDS,
    Imported,
    blank_form,
    check_document,
    import_document,
    render_document,
    sheet_json,
    with_findings,
)

__all__ = ["Imported", "import_document", "check_document", "with_findings", "render_document",
           "blank_form", "sheet_json", "FORM_KINDS"]
