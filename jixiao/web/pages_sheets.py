"""The sheet pages: inbox, list, new (blank, upload with a preview, copy forward),
view with the review actions, editor with live checking, history, comparison.

Each handler reads the form, calls the services the API calls, and renders a
page; a refused action re-renders the page with the reason and keeps what was
typed (the editor's form is the draft until it is saved).
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..errors import (
    Forbidden,
    ImportFailed,
    InvalidRequest,
    InvalidSheetJson,
    JixiaoError,
    SubmissionBlocked,
    VersionConflict,
)
from ..model.codec import loads, sheet_to_dict
from ..model.diff import diff_sheets, merge3
from ..model.sheet import Sheet
from ..model.workflow import ACTION_LABELS, acting_role, allowed_actions
from ..services import authoring, sheets, workflow
from ..services.policy import Actor, OrgRef, can
from ..services.sheet_view import SheetView, sheet_view
from .auth import current_actor, get_db, require_csrf, resolve_actor
from .sheet_form import (
    anchor_of,
    apply_operation,
    group_key,
    indicator_path,
    kept_json,
    row_path,
    sheet_from_form,
    target_text,
)
from .templating import cached_fragment, render_page

__all__ = ["router"]

router = APIRouter(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: What waits for each role in its inbox.
INBOX_STATES = {"preparer": ("draft", "returned", "adjusting"), "dept_reviewer": ("submitted",),
                "finance": ("dept_passed", "approved"), "admin": ()}


def _signed_in(request: Request, actor: Actor | None) -> Actor:
    if actor is None:
        raise _LoginRequired(request.url.path)
    return actor


class _LoginRequired(Exception):
    def __init__(self, path: str):
        self.path = path


def login_redirect_handler(request: Request, e: _LoginRequired) -> Response:
    return RedirectResponse(f"/login?next={quote(e.path)}", status_code=303)


def form_number(value: Any, label: str) -> float | None:
    """A number typed into a form (an amount in 万元, a score); None when left empty."""
    text = str(value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidRequest(f"{label}“{text[:20]}”不是数字") from None


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form(max_fields=20000, max_files=1)
    out: dict[str, Any] = {}
    for key, value in form.multi_items():
        out.setdefault(key, value)
    return out


# ----------------------------------------------------------------------- lists

@router.get("/")
def inbox(request: Request, actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    waiting = []
    for state in INBOX_STATES.get(actor.role, ()):
        items, _ = sheets.list_sheets(db, actor=actor, state=state, limit=100)
        # A reviewer's inbox holds what waits for *their* step: a department's own sheet
        # skips the department review, and finance publishes what it approved.
        waiting += [i for i in items if acting_role(i.state, _next_action(i.state)) == actor.role
                    or actor.role == "preparer"]
    recent, total = sheets.list_sheets(db, actor=actor, limit=10)
    return render_page(request, "inbox.html", {"waiting": waiting, "recent": recent, "total": total})


def _next_action(state: str) -> str:
    return {"submitted": "pass", "dept_passed": "approve", "approved": "publish"}.get(state, "submit")


@router.get("/sheets")
def sheet_list(request: Request, year: str = "", status: str = "", page: int = 1,
               actor: Actor | None = Depends(current_actor), db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    page = max(1, page)
    items, total = sheets.list_sheets(db, actor=actor, year=int(year) if year.isdigit() else None,
                                      state=status or None, limit=50, offset=(page - 1) * 50)
    return render_page(request, "sheets.html", {"items": items, "total": total, "year": year, "status": status,
                                                "page": page, "pages": max(1, -(-total // 50))})


# ------------------------------------------------------------------------- new

def _may_create(actor: Actor) -> None:
    """The new-sheet page and the upload preview are for those who may create a sheet
    (the services refuse the creation itself; this refuses offering it)."""
    if actor.org_id is None or not can(actor, "create_sheet", OrgRef(actor.org_id, actor.org_parent_id,
                                                                     actor.org_kind or "")):
        raise Forbidden("create_sheet", "新建绩效目标表 (只有单位填报人可以新建本单位的表)")


@router.get("/sheets/new")
def new_sheet(request: Request, actor: Actor | None = Depends(current_actor),
              db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    _may_create(actor)
    previous, _ = sheets.list_sheets(db, actor=actor, unit_org_id=actor.org_id, limit=50)
    return render_page(request, "new.html", {"previous": previous, "error": ""})


@router.get("/templates/{kind}.xlsx")
def blank_template(kind: str, request: Request, actor: Actor | None = Depends(current_actor)) -> Response:
    """The fill-in workbook (``jixiao template``) to fill in Excel/WPS and upload back."""
    from ..services.authoring import Export
    from ..services.documents import FORM_KINDS, blank_form
    from .api.sheets import download

    _signed_in(request, actor)
    if kind not in FORM_KINDS:
        raise InvalidRequest(f"没有“{kind}”这种表, 可选: department、project")
    name = {"department": "部门整体支出绩效目标申报表", "project": "项目支出绩效目标申报表"}[kind]
    return download(Export(blank_form(kind=kind),
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}-模板.xlsx"))


@router.post("/sheets/new/blank")
async def new_blank(request: Request, actor: Actor | None = Depends(current_actor),
                    db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    year = str(form.get("year", ""))
    if not year.isdigit():
        raise InvalidRequest("请填写年度")
    created = authoring.create_blank(db, actor=actor, kind=str(form.get("kind", "department")), year=int(year))
    return RedirectResponse(f"/sheets/{created.stored.info.id}/edit", status_code=303)


@router.post("/sheets/new/upload")
async def new_upload(request: Request, actor: Actor | None = Depends(current_actor),
                     db: Session = Depends(get_db)) -> Response:
    """Import the file and show what was read, with the importer's diagnostics, for the
    user to confirm before anything is stored."""
    from starlette.concurrency import run_in_threadpool

    from ..services.documents import import_document
    from .api.sheets import read_upload

    actor = _signed_in(request, actor)
    _may_create(actor)
    data, name = await read_upload(request)
    try:
        imported = await run_in_threadpool(import_document, data=data, name=name)
    except ImportFailed as e:
        previous, _ = sheets.list_sheets(db, actor=actor, unit_org_id=actor.org_id, limit=50)
        return render_page(request, "new.html", {"previous": previous, "error": e.message}, status_code=422)
    document = json.dumps(sheet_to_dict(imported.sheet), ensure_ascii=False)
    return render_page(request, "preview.html", {"sheet": imported.sheet, "rows": _rows(imported.sheet),
                                                 "document": document, "name": name,
                                                 "format": imported.format})


@router.post("/sheets/new/confirm")
async def new_confirm(request: Request, actor: Actor | None = Depends(current_actor),
                      db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    sheet = _document_field(form)
    created = authoring.create_from_document(db, actor=actor, sheet=sheet, imported_as=str(form.get("format", "")))
    return RedirectResponse(f"/sheets/{created.stored.info.id}", status_code=303)


def _document_field(form: dict[str, Any]) -> Sheet:
    text = form.get("document")
    if not isinstance(text, str) or not text:
        raise InvalidRequest("缺少要保存的表, 请重新上传")
    from ..model.codec import ContractError

    try:
        return loads(text)
    except ContractError as e:   # the hidden field was altered: 422, not a 500
        raise InvalidSheetJson(None, f"{e}; 请重新上传") from None


@router.post("/sheets/new/copy")
async def new_copy(request: Request, actor: Actor | None = Depends(current_actor),
                   db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await _form(request)
    source, year = str(form.get("source", "")), str(form.get("year", ""))
    if not source.isdigit() or not year.isdigit():
        raise InvalidRequest("请选择要复制的表并填写年度")
    created = authoring.copy_forward(db, actor=actor, sheet_id=int(source), year=int(year))
    return RedirectResponse(f"/sheets/{created.stored.info.id}/edit", status_code=303)


# ------------------------------------------------------------------------ view

def _rows(sheet: Sheet) -> list[dict[str, Any]]:
    """The indicator rows of a sheet for the tables of the pages, with their paths."""
    out = []
    labels = {f"functions[{i}]": fn.label for i, fn in enumerate(sheet.functions)}
    for path, ind in sheet.all_indicators():
        out.append({"path": path, "anchor": anchor_of(path),
                    "function": labels.get(path.split(".")[0], ""), "ind": ind, "target": target_text(ind)})
    return out


def _findings_by_row(report: Any) -> dict[str, list[Any]]:
    by: dict[str, list[Any]] = {}
    for d in report.findings:
        by.setdefault(_row_of(d.where or ""), []).append(d)
    return by


def _view_context(db: Session, actor: Actor, sheet_id: int, **extra: Any) -> dict[str, Any]:
    view = sheet_view(db, actor=actor, sheet_id=sheet_id)
    ref = view.info.ref
    actions = [a for a in allowed_actions(view.info.state) if can(actor, a, ref)
               and (acting_role(view.info.state, a) in (None, actor.role))]
    can_comment = can(actor, "comment", ref)
    reviewing = "return" in actions or can_comment
    return {"stored": view, "sheet": view.sheet, "report": view.report, "actions": actions,
            "ACTION_LABELS": ACTION_LABELS, "comments": view.open_comments, "reviewing": reviewing,
            "can_edit": can(actor, "edit", ref) and view.info.state in sheets.EDITABLE_STATES,
            "can_comment": can_comment, "versions": view.versions,
            "error": "", "blocked": [], "flash": "", **_version_fragments(view, reviewing=reviewing), **extra}


def _version_fragments(view: SheetView, *, reviewing: bool) -> dict[str, Markup]:
    """The indicator table and the findings of the page, rendered once per version
    (and, for the table, per set of open comments shown in it)."""
    version = sheets.version_key(view.version)
    comments = tuple((e.at.isoformat(), e.user, c.where, c.text) for e in view.open_comments for c in e.comments)
    table = "_review_table.html" if reviewing else "_indicator_table.html"
    return {
        "table_html": cached_fragment(table, (version, comments), lambda: {
            "sheet": view.sheet, "rows": _rows(view.sheet), "comments_by_cell": _by_cell(view.open_comments),
            "findings_by_row": _findings_by_row(view.report)}),
        "findings_html": cached_fragment("_findings_list.html", version, lambda: {"report": view.report}),
    }


@router.get("/sheets/{sheet_id}")
async def sheet_page(sheet_id: int, request: Request, db: Session = Depends(get_db)) -> Response:
    # The most visited page: who is calling, the page's read and its template in one
    # thread-pool call rather than one for each (a hop costs about a tenth of the page).
    return await run_in_threadpool(_sheet_page, sheet_id, request, db)


def _sheet_page(sheet_id: int, request: Request, db: Session) -> Response:
    actor = _signed_in(request, resolve_actor(request, db))
    flash = request.query_params.get("done", "")
    return render_page(request, "sheet.html", _view_context(db, actor, sheet_id,
                                                            flash=ACTION_LABELS.get(flash, "")))


@router.post("/sheets/{sheet_id}/action")
async def sheet_action(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                       db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    form = await request.form(max_fields=5000)
    action = str(form.get("action", ""))
    remarks = [{"where": str(w), "text": str(t)} for w, t in zip(form.getlist("where"), form.getlist("text"))
               if str(t).strip()]
    try:
        workflow.perform_action(db, actor=actor, sheet_id=sheet_id, action=action,
                                comment=str(form.get("comment", "")), comments=remarks,
                                approval_number=str(form.get("approval_number", "")) or None)
    except SubmissionBlocked as e:
        return render_page(request, "sheet.html", _view_context(db, actor, sheet_id, error=e.message,
                                                                blocked=e.findings), status_code=422)
    except JixiaoError as e:
        status = getattr(e, "status", 422)
        if status == 404:
            raise
        return render_page(request, "sheet.html", _view_context(db, actor, sheet_id, error=e.message),
                           status_code=status)
    return RedirectResponse(f"/sheets/{sheet_id}?done={quote(action)}", status_code=303)


# ---------------------------------------------------------------------- editor

def _editor_context(db: Session, actor: Actor, sheet_id: int, sheet: Sheet, version: int, **extra: Any) -> dict:
    from ..model.indicator import LEVEL1, LEVEL2
    from ..services.documents import check_document

    report = check_document(sheet=sheet)
    groups = [(group_key(i), fn) for i, fn in enumerate(sheet.functions)]
    stored = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
    return {"sheet": sheet, "sheet_id": sheet_id, "version": version, "groups": groups, "report": report,
            "findings_by_row": _findings_by_row(report), "indicator_path": indicator_path, "kept_json": kept_json,
            "target_text": target_text, "LEVEL1": LEVEL1, "LEVEL2": LEVEL2, "stored": stored,
            "conflict": None, "error": "", "comments_by_cell": _comment_map(db, actor, sheet_id), **extra}


def _comment_map(db: Session, actor: Actor, sheet_id: int) -> dict[str, list[Any]]:
    return _by_cell(workflow.open_comments(db, actor=actor, sheet_id=sheet_id))


def _by_cell(events: list[workflow.Event]) -> dict[str, list[Any]]:
    """(event, comment) pairs by the row path they concern (a comment on a cell of a
    row is shown on the row)."""
    by: dict[str, list[Any]] = {}
    for e in events:
        for c in e.comments:
            by.setdefault(_row_of(c.where), []).append((e, c))
    return by


def _row_of(where: str) -> str:
    return row_path(where) or where


def _may_edit(db: Session, actor: Actor, sheet_id: int) -> sheets.StoredVersion:
    """The editor is for whoever may save the sheet, in a state that allows it, and
    answers as the save would: 404 for a sheet the caller cannot see, 403 for one they
    see but may not change, 409 for a state that allows no edit. (A refused *save*
    re-renders the editor instead, so that nothing typed is lost.)"""
    stored = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
    if not can(actor, "edit", stored.info.ref):
        raise Forbidden("edit", "修改这份表")
    refusal = sheets.edit_refusal(stored.info.state)
    if refusal is not None:
        raise refusal
    return stored


@router.get("/sheets/{sheet_id}/edit")
def editor(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
           db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    stored = _may_edit(db, actor, sheet_id)
    return render_page(request, "editor.html", _editor_context(db, actor, sheet_id, stored.sheet,
                                                               stored.version.version))


async def _draft(request: Request, db: Session, actor: Actor, sheet_id: int) -> tuple[Sheet, int, dict[str, Any]]:
    """The sheet the posted editor form describes, and the version it is based on."""
    form = await _form(request)
    version = str(form.get("version", ""))
    if not version.isdigit():
        raise InvalidRequest("表单缺少版本号, 请刷新页面后重试")
    base = sheets.get_version(db, actor=actor, sheet_id=sheet_id, version=int(version)).sheet
    return sheet_from_form(form, base), int(version), form


@router.post("/sheets/{sheet_id}/edit")
async def editor_update(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                        db: Session = Depends(get_db)) -> Response:
    """htmx: apply a structural edit (or none) and return the editor again, checked."""
    actor = _signed_in(request, actor)
    _may_edit(db, actor, sheet_id)
    sheet, version, form = await _draft(request, db, actor, sheet_id)
    op = str(form.get("op", ""))
    if not op:
        # The "移到…" select of a row posts the form with its own value chosen.
        moved = [(k, v) for k, v in form.items() if k.startswith("move-") and isinstance(v, str) and v]
        if moved:
            op = f"move:{moved[0][0].removeprefix('move-')}:{moved[0][1]}"
    if op:
        sheet = apply_operation(sheet, op)
    return render_page(request, "_editor_form.html", _editor_context(db, actor, sheet_id, sheet, version))


@router.post("/sheets/{sheet_id}/check")
async def editor_check(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                       db: Session = Depends(get_db)) -> Response:
    """htmx, on every change: the findings panel and each row's parsed target, nothing saved."""
    actor = _signed_in(request, actor)
    _may_edit(db, actor, sheet_id)
    sheet, version, _ = await _draft(request, db, actor, sheet_id)
    return render_page(request, "_editor_check.html", _editor_context(db, actor, sheet_id, sheet, version))


@router.post("/sheets/{sheet_id}/save")
async def editor_save(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                      db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    sheet, version, _ = await _draft(request, db, actor, sheet_id)
    try:
        sheets.save_version(db, actor=actor, sheet_id=sheet_id, document=sheet, expected_version=version)
    except VersionConflict as e:
        current = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
        base = sheets.get_version(db, actor=actor, sheet_id=sheet_id, version=version).sheet
        theirs = diff_sheets(base, current.sheet)
        # What the other person changed and this user did not is merged in; where both
        # changed the same thing, the user's text stays and the place is named. The form
        # is then based on the current version, so the next save goes through.
        merged, clashes = merge3(sheet_to_dict(base), current.document, sheet_to_dict(sheet))
        return render_page(request, "editor.html", _editor_context(
            db, actor, sheet_id, loads(json.dumps(merged, ensure_ascii=False)), current.version.version,
            conflict={"error": e.message, "diff": theirs, "current": current, "clashes": clashes}),
            status_code=412)
    except JixiaoError as e:
        if getattr(e, "status", 422) == 404:
            raise
        return render_page(request, "editor.html", _editor_context(db, actor, sheet_id, sheet, version,
                                                                   error=e.message),
                           status_code=getattr(e, "status", 422))
    return RedirectResponse(f"/sheets/{sheet_id}?done=save", status_code=303)


# -------------------------------------------------------------- history, compare

@router.get("/sheets/{sheet_id}/history")
def history_page(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                 db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    stored = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
    events = workflow.sheet_history(db, actor=actor, sheet_id=sheet_id)
    return render_page(request, "history.html", {"stored": stored, "events": events,
                                                 "versions": sheets.list_versions(db, actor=actor, sheet_id=sheet_id),
                                                 "ACTION_LABELS": ACTION_LABELS})


@router.get("/sheets/{sheet_id}/compare")
def compare_page(sheet_id: int, request: Request, actor: Actor | None = Depends(current_actor),
                 db: Session = Depends(get_db)) -> Response:
    actor = _signed_in(request, actor)
    stored = sheets.get_sheet(db, actor=actor, sheet_id=sheet_id)
    older = _int(request.query_params.get("from"), max(1, stored.version.version - 1))
    newer = _int(request.query_params.get("to"), stored.version.version)
    changes = authoring.compare_versions(db, actor=actor, sheet_id=sheet_id, older=older, newer=newer)
    return render_page(request, "compare.html", {"stored": stored, "older": older, "newer": newer,
                                                 "changes": changes,
                                                 "versions": sheets.list_versions(db, actor=actor, sheet_id=sheet_id)})


def _int(text: str | None, default: int) -> int:
    return int(text) if text and text.isdigit() else default


def install(app: Any) -> None:
    """The pages' login redirect: an anonymous visitor of a page goes to the sign-in form."""
    app.add_exception_handler(_LoginRequired, login_redirect_handler)

