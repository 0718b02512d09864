"""Format-neutral recovery, the layer every reader ends in.

A reader (``jixiao.importers.formats``) turns its document into rows of cells or
blocks with positions; what follows does not depend on the format:

* ``cells``: what one cell says (a 一级/二级/职能 label, a number, a clean name);
* ``columns``: what a column holds, by its heading (column roles), where a table ends;
* ``header``: the fields above the table (title, year, unit, project, funds, goals);
* ``operators``: comparison operators of the values, repaired;
* ``cues``, ``evidence``, ``structure``: the label model and the solver that rebuild
  the 一级/二级/职能 tree from rows and marks;
* ``table``: blocks (paragraphs and ``Table`` grids) -> rows and marks, for the table
  formats;
* ``sheet``: rows and marks -> ``Sheet`` with its diagnostics (``sheet_from_rows``).

Nothing here imports from ``formats`` (tests/test_importers_package.py).
"""
