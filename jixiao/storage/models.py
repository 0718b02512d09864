"""The tables of jixiao (SQLAlchemy 2, typed ``Mapped[...]``).

The same models run on SQLite and PostgreSQL; the Alembic migrations in
``migrations/versions`` create exactly these tables (tests/test_storage_migrations.py
compares them). docs/storage.md describes every table.

Design notes:

* Sheets are versioned documents. ``sheet_versions`` rows are immutable (the ORM
  refuses updates and deletes, see ``_refuse_changes_to_history``; the migration
  adds database triggers as well), and ``(sheet_id, version)`` is unique, so two
  concurrent saves can never both create the same version.
* Every table that is listed in a fixed order has an explicit ``seq`` column:
  the collation of text differs between databases (stack-notes: C.UTF-8 vs ICU
  ``zh``), so order is never taken from names.
* Timestamps are stored as UTC. SQLite has no time zone type and hands back naive
  datetimes, so ``UTCDateTime`` makes both databases return aware UTC values.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from ..model.workflow import STATES as WORKFLOW_STATES

#: Constraint names are fixed by convention so that migrations (batch mode on SQLite
#: recreates tables) and both databases agree on them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ORG_KINDS = ("finance", "department", "unit")
ROLES = ("preparer", "dept_reviewer", "finance", "admin")
#: The states of web.md; ``draft`` is where a new sheet starts.
STATES = WORKFLOW_STATES
SHEET_KINDS = ("department", "project")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """``DateTime(timezone=True)`` that always returns aware UTC datetimes and refuses
    naive ones (a naive value would be read back differently by the two databases)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        # SQLite stores the text; keep it naive UTC there so that string comparison
        # in SQL (expires_at < now) orders correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}


class Organisation(Base):
    """One node of the org tree: the 财政局 (finance) at the root, 主管部门 (department)
    under it, 单位 (unit) under a department. Names are unique: commands refer to them."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(_one_of("kind", ORG_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    #: Order among siblings (lists and the demo keep the order they were created in).
    seq: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])


class User(Base):
    """An account. One role per account (separation of duties: web.md)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_one_of("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    #: argon2id encoded hash (parameters included, so old hashes still verify).
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"),
                                        index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    password_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    org: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class LoginThrottle(Base):
    """Failed sign-ins per typed user name, in the database so every worker sees them.

    Keyed by the name as typed (case-folded), whether or not such an account exists:
    a lock-out then says nothing about which names are real."""

    __tablename__ = "login_throttles"

    username_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    #: Start of the window in which ``failures`` were counted.
    window_started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[dt.datetime | None]
    last_failure_at: Mapped[dt.datetime | None]


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of the token is stored; ``prefix`` (its first
    characters) lets a user recognise it in a list."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime | None]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A server-side web session. ``id_hash`` is the SHA-256 of the cookie value, so a
    copy of the database does not hand out live sessions."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SheetRecord(Base):
    """A sheet as the workflow sees it: whose it is, its state, its latest version.

    ``kind``, ``year`` and ``title`` repeat the latest version's header for lists and
    filters; the document itself lives in ``sheet_versions``."""

    __tablename__ = "sheets"
    __table_args__ = (CheckConstraint(_one_of("state", STATES), name="state"),
                      CheckConstraint(_one_of("kind", SHEET_KINDS), name="kind"),
                      Index("ix_sheets_unit_org_id_year", "unit_org_id", "year"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int | None]
    unit_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    #: The number of the newest version; a save must name it (optimistic locking).
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    #: The version the public sees (NULL: never published). An adjustment in progress
    #: writes newer versions; this one stays until the next ``publish``.
    published_version: Mapped[int | None] = mapped_column(Integer, index=True)
    published_at: Mapped[dt.datetime | None]

    unit_org: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)


class SheetVersion(Base):
    """One saved version of a sheet: the whole ``jixiao/sheet@1`` document. Immutable."""

    __tablename__ = "sheet_versions"
    __table_args__ = (UniqueConstraint("sheet_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The author's name at the time, kept even if the account is renamed or removed.
    author_name: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class IndicatorRow(Base):
    """One 三级指标 of one version, as a row, for queries across sheets.

    ``path`` is the indicator's place in the JSON (``functions[0].indicators[2]``),
    ``seq`` its position in the sheet (functions first, then the project list)."""

    __tablename__ = "indicator_rows"
    __table_args__ = (UniqueConstraint("version_id", "seq"),
                      Index("ix_indicator_rows_sheet_id_version", "sheet_id", "version"),
                      Index("ix_indicator_rows_level1_level2", "level1", "level2"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("sheet_versions.id", ondelete="CASCADE"))
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(100))
    function_label: Mapped[str | None] = mapped_column(String(200))
    level1: Mapped[str | None] = mapped_column(String(100))
    level2: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(Text)
    # The Target fields (jixiao/model/target.py), the text exactly as written.
    target_text: Mapped[str | None] = mapped_column(Text)
    op: Mapped[str | None] = mapped_column(String(4))
    op_inferred: Mapped[str | None] = mapped_column(String(4))
    value: Mapped[float | None] = mapped_column(Double)
    upper: Mapped[float | None] = mapped_column(Double)
    unit: Mapped[str | None] = mapped_column(String(100))
    target_kind: Mapped[str | None] = mapped_column(String(20))
    weight: Mapped[float | None] = mapped_column(Double)
    direction: Mapped[str | None] = mapped_column(String(20))


class AuditEvent(Base):
    """Append-only log: who did what, when, to which sheet and version.

    ``actor_name`` keeps the name at the time (the CLI acts as ``命令行``);
    ``from_state``/``to_state``/``comment`` are the workflow fields of web.md's history,
    ``detail`` anything else (JSON)."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_sheet_id_id", "sheet_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("sheets.id", ondelete="RESTRICT"))
    version: Mapped[int | None]
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class PublicSearch(Base):
    """The search text of each published sheet: unit, 主管部门, title, goals, function
    labels and indicator names as character bigrams (``services/search.py``); and the
    published version's header fields (year, 主管部门, title, kind), so that public
    lists, search answers and the whole-year export never read them out of documents
    (migration 0007).

    One row per sheet that has a published version, replaced on each ``publish``. The
    full-text index over ``tokens`` is database-specific and made by migration 0003:
    an FTS5 table ``public_search_fts`` on SQLite (``SEARCH_INDEX_TABLES``), a GIN
    index on ``to_tsvector('simple', tokens)`` on PostgreSQL."""

    __tablename__ = "public_search"

    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    supervisor: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str | None] = mapped_column(String(20))
    tokens: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MonitoringRound(Base):
    """A monitoring round (运行监控) the finance bureau opens for a year, covering
    January to the month of ``period_end`` (e.g. 1–7月)."""

    __tablename__ = "monitoring_rounds"
    __table_args__ = (UniqueConstraint("year", "label"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    label: Mapped[str] = mapped_column(String(50))
    period_end: Mapped[dt.date] = mapped_column(Date)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None]


class MonitoringReport(Base):
    """One unit's report on one approved sheet in one round: per approved indicator
    (``entries``: where, so_far, expected, causes, likelihood, note) and the budget
    execution so far (万元). ``state``: draft, submitted, correction (整改要求 given:
    ``correction`` says what), answered (the unit's ``answer`` to it)."""

    __tablename__ = "monitoring_reports"
    __table_args__ = (UniqueConstraint("round_id", "sheet_id"),
                      CheckConstraint("state IN ('draft', 'submitted', 'correction', 'answered')", name="state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_rounds.id", ondelete="CASCADE"))
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="RESTRICT"), index=True)
    #: The approved version the report is bound to (its indicators are the ones reported on).
    version: Mapped[int] = mapped_column(Integer)
    entries: Mapped[list[Any]] = mapped_column(JSON, default=list)
    budget: Mapped[float | None] = mapped_column(Double)
    executed: Mapped[float | None] = mapped_column(Double)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    correction: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SelfEvaluation(Base):
    """The year-end self-evaluation (单位自评) of one approved sheet. ``document`` is a
    ``jixiao/sheet@1`` with ``stage: self_evaluation``: the approved version's
    indicators (none added or dropped) with the unit's actuals, explanations and
    claimed scores, and ``funds`` budget/executed. ``state``: draft, submitted,
    checked (the department), spot_checked (finance rescored)."""

    __tablename__ = "self_evaluations"
    __table_args__ = (CheckConstraint("state IN ('draft', 'submitted', 'checked', 'spot_checked')", name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheets.id", ondelete="RESTRICT"), unique=True)
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]]
    state: Mapped[str] = mapped_column(String(20), default="draft")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EvaluationScore(Base):
    """One score given to an indicator (or, with ``where`` empty, to the total) of a
    self-evaluation: claimed by the unit, recomputed, or rescored by the department
    or finance, with who, when and why. Append-only: every score stays on record."""

    __tablename__ = "evaluation_scores"
    __table_args__ = (Index("ix_evaluation_scores_evaluation_id_where", "evaluation_id", "where"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("self_evaluations.id", ondelete="CASCADE"))
    where: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))        # claimed | recomputed | department | finance
    score: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_name: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


#: SQLite's FTS5 table and the shadow tables FTS5 makes for it: created by migration
#: 0003 outside the ORM's metadata (they exist on SQLite only).
SEARCH_INDEX_TABLES = ("public_search_fts", "public_search_fts_data", "public_search_fts_idx",
                       "public_search_fts_content", "public_search_fts_docsize", "public_search_fts_config")
#: PostgreSQL's stored search vector of ``public_search.tokens`` and its GIN index
#: (migrations 0003, 0006): outside the ORM's metadata, PostgreSQL only.
SEARCH_INDEX_PG = "ix_public_search_tsv"
SEARCH_VECTOR_PG = "tsv"


#: Tables whose rows are history: never updated or deleted through the app.
IMMUTABLE = (SheetVersion, AuditEvent)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_history(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, IMMUTABLE) and (obj in session.deleted or session.is_modified(obj)):
            raise HistoryIsImmutable(type(obj).__tablename__)


class HistoryIsImmutable(RuntimeError):
    """A bug: code tried to change or delete a saved version or an audit event."""

    def __init__(self, table: str):
        super().__init__(f"rows of {table} are immutable")
