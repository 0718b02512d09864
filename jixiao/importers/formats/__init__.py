"""The readers: one module (or sub-package) per input format. Each turns its
document into rows of cells or blocks with positions and ends in the format-neutral
recovery (``jixiao.importers.recover``); each registers itself with
``jixiao.importers.registry`` when imported.

* ``text``: extracted text (tab-separated, space-aligned, cell streams, prose,
  collapsed runs), with its helpers ``tidy``, ``layout``, ``stream``, ``collapsed``,
  ``split``, ``prose``; also the catch-all format;
* ``ooxml``: which OOXML zip a file is, and the ``xlsx``/``docx``/``ooxml`` entry
  points, reading with ``xlsx`` (workbooks) and ``docx`` (Word documents);
* ``xls`` (OLE2 files), ``html``, ``pdf`` (with ``pdf.page``, ``pdf.ops``,
  ``pdf.grid``, ``pdf.place``).
"""
from . import html, ooxml, pdf, text, xls  # noqa: F401 - imported to register their formats
