"""Full-text search over published sheets, one service for both databases.

Chinese is written without spaces, so a word tokenizer finds nothing inside a
run of characters. We index character bigrams instead: "村道维护" becomes
"村道 道维 维护", and a query is the phrase of its own bigrams — the bigrams must
follow each other, so a hit is a real substring, never two scattered
characters. Latin words and numbers are kept whole (lower-cased). A one-character
query matches the single characters indexed beside the bigrams.

SQLite: an FTS5 table whose rowid is the sheet id (``MATCH '"村道 道维"'``).
PostgreSQL: ``to_tsvector('simple', tokens) @@ phraseto_tsquery('simple', …)``
over a GIN index. Both from migration 0003; neither needs an extension.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from ..model.sheet import Sheet
from ..storage.models import PublicSearch, utcnow

__all__ = ["tokens_of", "query_tokens", "index_sheet", "search_ids", "MAX_QUERY"]

MAX_QUERY = 100
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_PIECE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
#: Put between fields so that no phrase matches across two of them (a token no
#: query of letters, digits or CJK characters can produce next to its neighbours).
_BREAK = " 0sep0 "


def _runs(text_: str) -> Iterable[tuple[str, str]]:
    """("cjk" | "word", run) pieces of ``text_`` after NFKC and lower-casing."""
    normal = unicodedata.normalize("NFKC", text_).lower()
    for m in _PIECE.finditer(normal):
        yield ("cjk" if _CJK.fullmatch(m[0]) else "word", m[0])


def tokens_of(text_: str) -> list[str]:
    """The indexed tokens of a text: every character and every bigram of each CJK run
    (in order, so that phrase queries see neighbours), Latin words whole."""
    out: list[str] = []
    for kind, run in _runs(text_):
        if kind == "word":
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def query_tokens(query: str) -> list[str]:
    """The phrase a query searches for; [] for a query with nothing searchable."""
    return tokens_of(query[:MAX_QUERY])


def _sheet_text(sheet: Sheet) -> str:
    parts = [sheet.unit, sheet.supervisor, sheet.title, sheet.project, *sheet.goals]
    for fn in sheet.functions:
        parts += [fn.label, fn.description]
    parts += [ind.name for _, ind in sheet.all_indicators()]
    # A newline between parts: a bigram never spans two fields.
    return "\n".join(p for p in parts if p)


def _index_text(sheet: Sheet) -> str:
    text = _sheet_text(sheet)
    lines = [" ".join(tokens_of(line)) for line in text.splitlines()]
    # Single characters too, for one-character queries, after the bigrams of each line.
    singles = sorted({ch for kind, run in _runs(text) if kind == "cjk" for ch in run})
    return _BREAK.join(line for line in lines if line) + _BREAK + " ".join(singles)


def index_sheet(session: Session, *, sheet_id: int, version: int, sheet: Sheet) -> None:
    """Make ``sheet`` (the published version) what search finds for ``sheet_id``;
    part of the caller's transaction."""
    tokens = _index_text(sheet)
    session.execute(delete(PublicSearch).where(PublicSearch.sheet_id == sheet_id))
    session.add(PublicSearch(sheet_id=sheet_id, version=version, year=sheet.year,
                             supervisor=(sheet.supervisor or None) and sheet.supervisor[:200],
                             title=(sheet.title or "")[:500], kind=sheet.kind, tokens=tokens,
                             updated_at=utcnow()))
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM public_search_fts WHERE rowid = :id"), {"id": sheet_id})
        session.execute(text("INSERT INTO public_search_fts (rowid, tokens) VALUES (:id, :tokens)"),
                        {"id": sheet_id, "tokens": tokens})


def search_ids(session: Session, query: str, *, year: int | None = None, limit: int = 200) -> list[int]:
    """Ids of the published sheets whose text contains ``query``, best first."""
    words = query_tokens(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        # Every token is a run of letters, digits or CJK characters: quoting it is all
        # FTS5 needs, and no query syntax can slip in.
        phrase = '"' + " ".join(words) + '"'
        sql = ("SELECT f.rowid FROM public_search_fts f JOIN public_search p ON p.sheet_id = f.rowid "
               "WHERE public_search_fts MATCH :q" + (" AND p.year = :year" if year is not None else "")
               + " ORDER BY bm25(public_search_fts) LIMIT :limit")
        rows = session.execute(text(sql), {"q": phrase, "year": year, "limit": limit})
    else:
        # ``tsv`` is the stored vector of ``tokens`` (migration 0006), GIN-indexed.
        sql = ("SELECT sheet_id FROM public_search WHERE tsv @@ phraseto_tsquery('simple', :q)"
               + (" AND year = :year" if year is not None else "")
               + " ORDER BY ts_rank(tsv, phraseto_tsquery('simple', :q)) DESC LIMIT :limit")
        rows = session.execute(text(sql), {"q": " ".join(words), "year": year, "limit": limit})
    return [int(r[0]) for r in rows]
