"""Schemathesis over ``/openapi.json``: every operation of the JSON API, called in-process
with generated (valid and invalid) input, signed in as a preparer (a Bearer token, so no
CSRF token is needed) and anonymously, never answers with a 5xx. SQLite only; a bounded
number of examples per operation keeps it well under a minute."""
from __future__ import annotations

import json

import pytest

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (the test extra needs schemathesis==4.32.5)")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from jixiao.services import accounts, workflow  # noqa: E402
from jixiao.services import sheets as sheet_service  # noqa: E402
from jixiao.services.policy import SYSTEM  # noqa: E402

EXAMPLES = 25   # per operation and caller


def _fixed(document: dict) -> dict:
    doc = json.loads(json.dumps(document))
    doc["functions"][0]["indicators"][0]["level1"] = "成本指标"
    doc["functions"][0]["indicators"][0]["level2"] = "经济成本指标"
    return doc


@pytest.fixture
def stored(org_tree, seed_gold) -> dict[str, int]:
    """A draft of the preparer's unit and a published sheet: real ids for the paths."""
    a = org_tree.actors
    with org_tree.session() as s:
        draft = sheet_service.create_sheet(s, actor=a["prep_A1"], document=seed_gold).info.id
        published = sheet_service.create_sheet(s, actor=a["prep_A1"], document=_fixed(seed_gold)).info.id
        for who, action in (("prep_A1", "submit"), ("rev_A", "pass"), ("fin", "approve"), ("fin", "publish")):
            workflow.perform_action(s, actor=a[who], sheet_id=published, action=action)
    return {"draft": draft, "published": published}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("caller", ["preparer", "anonymous"])
def test_no_operation_answers_with_a_server_error(web, org_tree, stored, caller):
    schema = schemathesis.openapi.from_asgi("/openapi.json", web.app)
    headers = {}
    if caller == "preparer":
        with org_tree.session() as s:
            token = accounts.create_token(s, actor=SYSTEM, username="prep_A1", name="schemathesis").token
        headers = {"Authorization": f"Bearer {token}"}

    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        params = {p.name for p in operation.path_parameters}
        # Generated path values rarely name a stored sheet, a format or an action that
        # exists: part of the examples use real ones, so the input reaches the services.
        variants: list[dict | None] = [None]
        if "sheet_id" in params:
            for sid, action in ((stored["draft"], "submit"), (stored["published"], "comment")):
                fixed = {"sheet_id": sid}
                if "fmt" in params:
                    fixed["fmt"] = "json"
                if "action" in params:
                    fixed["action"] = action
                variants.append(fixed)
        strategy = st.one_of(*[operation.as_strategy(mode, path_parameters=fixed) for fixed in variants
                               for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)])

        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=strategy)
        def call(case):
            case.call_and_validate(headers=headers, checks=[not_a_server_error])

        try:
            call()
        except Exception as e:   # a failed check (or a crash of the call): report it, go on
            failures.append(f"{operation.label}: {type(e).__name__}: {str(e)[:800]}")
    assert operations >= 15, "the OpenAPI document lists fewer operations than the API has"
    assert not failures, f"{len(failures)} operations answered with a server error:\n" + "\n\n".join(failures)
