"""A bounded schemathesis run over the OpenAPI schema, with every kind of credential.

For each credential (none, kiosk, display, feedback, clerk, manager, admin) a real
server on 127.0.0.1 answers every operation with data generated from the schema,
valid (positive) and invalid (negative), and with the schema's own examples
(the first and last day a period may name). The run fails on any 500, on a status
the schema does not document, on a body that does not match its documented
schema, and on an undocumented content type. It is deterministic
(`derandomize`) and bounded (`MAX_EXAMPLES` per operation and mode).

The event stream never ends, so it is left out here and tried with bounded reads
in `test_fuzz_boundaries.py`; `DELETE /session` would sign the credential out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.clock import ManualClock
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 20
CREDENTIALS = ("none", "kiosk", "display", "feedback", "clerk", "manager", "admin")
LEFT_OUT = {("GET", "/api/v1/events"), ("DELETE", "/api/v1/session")}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def credential(staff: Staff, who: str) -> str | None:
    if who == "none":
        return None
    if who == "clerk":
        return staff.clerk("c1")
    token: str = getattr(staff, who)
    return token


def seed(server: RunningServer, staff: Staff) -> None:
    """Something to act on: a waiting ticket and a lodged application."""
    with server.client(staff.kiosk) as http:
        http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
        http.post(
            "/applications",
            json={
                "type_id": "certificate-request",
                "fields": {
                    "name": "Jānis Bērziņš",
                    "personal_code": "120389-11220",
                    "phone": "+371 20000000",
                    "text": "Lūdzu izziņu.",
                    "delivery": "in_person",
                },
                "consent": True,
            },
        ).raise_for_status()


def run_operation(strategy: Any, base_url: str, headers: dict[str, str]) -> str | None:
    """The failure report of one operation with cases from `strategy`, or None."""

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS, timeout=30)

    try:
        check()
    except hypothesis.errors.Unsatisfiable:
        return None  # nothing in this operation can be made invalid (negative mode)
    except (AssertionError, BaseExceptionGroup) as failure:
        return str(failure)[:3000]
    return None


@pytest.mark.parametrize("who", CREDENTIALS)
def test_no_operation_answers_500_or_off_its_schema(
    tmp_path: Path, clock: ManualClock, who: str
) -> None:
    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open()) as server:
        staff = Staff(server)
        seed(server, staff)
        token = credential(staff, who)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
        failures: dict[str, str] = {}
        operations = 0
        for result in schema.get_all_operations():
            operation = result.ok()
            if (operation.method.upper(), operation.path) in LEFT_OUT:
                continue
            operations += 1
            strategies = {
                mode.value: operation.as_strategy(generation_mode=mode)
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
            }
            # The schema's own examples: the edges of each range (the first and last day).
            examples = schema.get_strategies_from_examples(operation)
            if examples:
                strategies["examples"] = st.one_of(*examples)
            for name, strategy in strategies.items():
                failure = run_operation(strategy, server.url, headers)
                if failure is not None:
                    failures[f"{operation.method.upper()} {operation.path} ({name})"] = failure
        assert operations >= 40
        assert failures == {}, "\n\n".join(f"== {name}\n{text}" for name, text in failures.items())
