"""What the public may read (公开): published versions only, never anything else.

Every function here reads ``sheets.published_version`` and the version it names —
not the sheet's state and not its newest version — so a sheet being adjusted
keeps showing what was published, and a sheet never published does not exist
for the public (``NotFound``, whatever its id). No actor is involved: these are
the anonymous routes, and signed-in users see the same.

Open data: each published sheet as ``jixiao/sheet@1`` JSON and as CSV (one row
per indicator, columns in ``CSV_COLUMNS``, documented in docs/open-data.md), and
a whole year as CSV or JSON Lines, streamed in batches rather than built in memory.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..errors import InvalidRequest, NotFound
from ..model.codec import sheet_from_dict
from ..model.sheet import Sheet
from ..storage.models import Organisation, PublicSearch, SheetRecord, SheetVersion
from . import transaction
from .search import search_ids

__all__ = ["PublicSheet", "list_published", "get_published", "published_key", "sheet_csv", "year_csv", "year_jsonl", "catalog",
           "CSV_COLUMNS", "LICENCE", "BATCH"]

#: The CSV columns of the open data, in order (docs/open-data.md).
CSV_COLUMNS = ("year", "unit", "supervisor", "function", "level1", "level2", "name", "target", "op", "value",
               "unit_of_value", "sheet_id", "version")
LICENCE = "CC BY 4.0 (署名): 可自由使用, 请注明来源与表的链接"
#: Sheets read per query when a whole year is streamed.
BATCH = 50


@dataclass(frozen=True, slots=True)
class PublicSheet:
    id: int
    year: int | None
    unit: str
    supervisor: str | None
    title: str
    kind: str
    version: int
    published_at: dt.datetime | None
    sheet: Sheet | None = None

    def to_dict(self, *, base: str = "") -> dict[str, Any]:
        return {"id": self.id, "year": self.year, "unit": self.unit, "supervisor": self.supervisor,
                "title": self.title, "kind": self.kind, "version": self.version,
                "published_at": self.published_at.isoformat() if self.published_at else None,
                "url": f"{base}/public/sheets/{self.id}", "json": f"{base}/api/v1/public/sheets/{self.id}",
                "csv": f"{base}/api/v1/public/sheets/{self.id}/export/csv"}


def _joined(query: Any) -> Any:
    return (query.join(SheetVersion, (SheetVersion.sheet_id == SheetRecord.id)
                       & (SheetVersion.version == SheetRecord.published_version))
            .join(Organisation, Organisation.id == SheetRecord.unit_org_id)
            .where(SheetRecord.published_version.is_not(None)))


def _published_query() -> Any:
    """Published sheets with their published version's whole document."""
    return _joined(select(SheetRecord, SheetVersion, Organisation))


def _summary_query() -> Any:
    """Published sheets for a list: the published version's header fields as
    ``publish`` wrote them beside its search text (``PublicSearch``), without reading
    any document. Never the sheet row's own title or year: during an adjustment those
    are the new, unpublished version's."""
    return (select(SheetRecord.id, PublicSearch.year, Organisation.name, PublicSearch.supervisor,
                   PublicSearch.title, PublicSearch.kind, PublicSearch.version, SheetRecord.published_at)
            .join(PublicSearch, PublicSearch.sheet_id == SheetRecord.id)
            .join(Organisation, Organisation.id == SheetRecord.unit_org_id)
            .where(SheetRecord.published_version.is_not(None)))


def _public(record: SheetRecord, version: SheetVersion, org: Organisation, *, with_sheet: bool) -> PublicSheet:
    doc = version.document
    return PublicSheet(record.id, doc.get("year"), org.name, doc.get("supervisor"),
                       doc.get("title") or record.title, doc.get("kind", record.kind), version.version,
                       record.published_at, sheet_from_dict(doc) if with_sheet else None)


def list_published(session: Session, *, year: int | None = None, unit: str | None = None,
                   q: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[PublicSheet], int]:
    """Published sheets by year and unit (exact name or a part of it), or found by
    ``q`` in unit names, goals and indicator names; newest publication first."""
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    query = _summary_query()
    if year is not None:
        query = query.where(PublicSearch.year == year)
    if unit:
        query = query.where(Organisation.name.contains(unit.strip()[:100], autoescape=True))
    with transaction.read(session):
        if q and q.strip():
            ids = search_ids(session, q, year=year, limit=1000)
            if not ids:
                return [], 0
            query = query.where(SheetRecord.id.in_(ids))
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(SheetRecord.published_at.desc(), SheetRecord.id.desc())
                               .limit(limit).offset(offset)).all()
        return [PublicSheet(sid, year, unit, supervisor, title or "", kind or "department", version, at)
                for sid, year, unit, supervisor, title, kind, version, at in rows], total


#: Built once: every public page asks it, and building it cost as much as running it.
_PUBLISHED_KEY = (select(SheetRecord.published_version, SheetRecord.published_at)
                  .where(SheetRecord.id == bindparam("sheet_id")))


def published_key(session: Session, *, sheet_id: int) -> tuple[int, int, str]:
    """What names the published version of a sheet — (id, version, publication time) —
    for caches and ETags: it changes exactly when a new version is published.
    ``NotFound`` for a sheet never published."""
    with transaction.read(session):
        row = session.execute(_PUBLISHED_KEY, {"sheet_id": sheet_id}).first()
    if row is None or row[0] is None:
        raise NotFound("公开的绩效目标表", sheet_id)
    return (sheet_id, int(row[0]), row[1].isoformat() if row[1] else "")


def get_published(session: Session, *, sheet_id: int) -> PublicSheet:
    with transaction.read(session):
        row = session.execute(_published_query().where(SheetRecord.id == sheet_id)).first()
        if row is None:
            raise NotFound("公开的绩效目标表", sheet_id)
        return _public(*row, with_sheet=True)


def _csv_rows(p: PublicSheet) -> Iterator[list[Any]]:
    assert p.sheet is not None
    labels = {f"functions[{i}]": fn.label for i, fn in enumerate(p.sheet.functions)}
    for path, ind in p.sheet.all_indicators():
        t = ind.target
        yield [p.year, p.unit, p.supervisor or "", labels.get(path.split(".")[0], ""), ind.level1 or "",
               ind.level2 or "", ind.name, t.text if t else "", (t.op or t.op_inferred or "") if t else "",
               _number(t.value) if t else "", (t.unit or "") if t else "", p.id, p.version]


def _number(v: float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else repr(v)


def _csv_text(rows: Iterator[list[Any]], *, header: bool) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    writer.writerows(rows)
    return buf.getvalue()


def sheet_csv(session: Session, *, sheet_id: int) -> bytes:
    """One published sheet as CSV (UTF-8 with BOM, so Excel opens the Chinese right)."""
    return ("\ufeff" + _csv_text(_csv_rows(get_published(session, sheet_id=sheet_id)), header=True)).encode()


def _year_batches(session: Session, year: int) -> Iterator[list[PublicSheet]]:
    if not 2000 <= year <= 2100:
        raise InvalidRequest(f"年度应在 2000 到 2100 之间, 实为 {year}")
    last = 0
    while True:
        with transaction.read(session):
            ids = select(PublicSearch.sheet_id).where(PublicSearch.year == year, PublicSearch.sheet_id > last) \
                .order_by(PublicSearch.sheet_id).limit(BATCH).scalar_subquery()
            rows = session.execute(_published_query().where(SheetRecord.id.in_(ids))
                                   .order_by(SheetRecord.id)).all()
            batch = [_public(r, v, o, with_sheet=True) for r, v, o in rows]
        if not batch:
            return
        yield batch
        last = batch[-1].id


def year_csv(session: Session, *, year: int) -> Iterator[bytes]:
    """Every published sheet of ``year`` as one CSV, produced batch by batch."""
    batches = _year_batches(session, year)   # raises for a bad year before anything is sent
    yield ("\ufeff" + ",".join(CSV_COLUMNS) + "\r\n").encode()
    for batch in batches:
        for p in batch:
            yield _csv_text(_csv_rows(p), header=False).encode()


def year_jsonl(session: Session, *, year: int) -> Iterator[bytes]:
    """Every published sheet of ``year``, one ``jixiao/sheet@1`` document per line."""
    from ..model.codec import sheet_to_dict

    for batch in _year_batches(session, year):
        for p in batch:
            assert p.sheet is not None
            record = {"id": p.id, "version": p.version, "unit": p.unit, "sheet": sheet_to_dict(p.sheet)}
            yield (json.dumps(record, ensure_ascii=False) + "\n").encode()


def catalog(session: Session, *, base: str = "") -> dict[str, Any]:
    """The machine-readable catalogue: years with counts and bulk URLs, units,
    the licence and the time of the last publication."""
    with transaction.read(session):
        # The published versions' years: during an adjustment the sheet row's own year
        # is the new version's.
        years = session.execute(select(PublicSearch.year, func.count(), func.max(SheetRecord.published_at))
                                .join(SheetRecord, SheetRecord.id == PublicSearch.sheet_id)
                                .group_by(PublicSearch.year).order_by(PublicSearch.year.desc())).all()
        units = session.execute(select(Organisation.name, func.count())
                                .join(SheetRecord, SheetRecord.unit_org_id == Organisation.id)
                                .where(SheetRecord.published_version.is_not(None))
                                .group_by(Organisation.name).order_by(Organisation.name)).all()
    last = max((y[2] for y in years if y[2] is not None), default=None)
    return {"licence": LICENCE, "last_change": last.isoformat() if last else None,
            "sheets": sum(y[1] for y in years), "csv_columns": list(CSV_COLUMNS),
            "years": [{"year": y, "sheets": n, "csv": f"{base}/api/v1/public/export/{y}.csv",
                       "jsonl": f"{base}/api/v1/public/export/{y}.jsonl",
                       "list": f"{base}/api/v1/public/sheets?year={y}"} for y, n, _ in years if y is not None],
            "units": [{"unit": u, "sheets": n} for u, n in units]}
