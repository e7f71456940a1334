"""A bounded schemathesis run over the hub's OpenAPI schema, with each credential the
hub knows: none, a centre's token, an analyst's, an analyst limited to a municipality,
an admin's (as tests/server/test_fuzz_schema.py does for a centre).

A real hub on 127.0.0.1 (with a real PostgreSQL) answers every operation with data
generated from the schema, valid and invalid, and with the schema's own examples. The
run fails on any 500, on a status the schema does not document, on a body off its
documented schema, and on an undocumented content type. Deterministic
(`derandomize`) and bounded (`MAX_EXAMPLES` per operation and mode). The event stream
never ends and `DELETE /session` would sign the credential out: both are left out.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.server.test_fuzz_schema import run_operation
from tests.support.running_hub import RunningHub

pytestmark = pytest.mark.slow
CREDENTIALS = ("none", "centre", "analyst", "municipal analyst", "admin")
LEFT_OUT = {("GET", "/api/v1/network/stream"), ("DELETE", "/api/v1/session")}
PROFILE = {"timezone": "Europe/Riga", "services": [], "counters": 1}
TICKET = {
    "id": "t1",
    "original_service_id": "residence",
    "status": "waiting",
    "issued_at": "2026-11-23T08:00:00+00:00",
    "target_wait_seconds": 900,
}


def seed(hub: RunningHub) -> dict[str, str | None]:
    """A centre with a visit stored, and one token of each kind."""
    centre = hub.add_centre("riga", "Rīga")
    hub.add_centre("ogre", "Ogre")
    with hub.client(centre) as http:
        http.put("/centres/riga/profile", json=PROFILE).raise_for_status()
        event = {
            "seq": 1,
            "type": "ticket.issued",
            "at": "2026-11-23T08:00:00+00:00",
            "schema_version": 1,
            "ticket_id": "t1",
            "data": {"ticket": TICKET},
        }
        http.post(
            "/centres/riga/events", json={"after": 0, "through": 1, "events": [event]}
        ).raise_for_status()
    hub.add_user("anna", "analyst")
    hub.add_user("olga", "analyst", municipality="Ogre")
    hub.add_user("root", "admin")
    return {
        "none": None,
        "centre": centre,
        "analyst": hub.login("anna"),
        "municipal analyst": hub.login("olga"),
        "admin": hub.login("root"),
    }


@pytest.mark.parametrize("who", CREDENTIALS)
def test_no_operation_answers_500_or_off_its_schema(hub_dsn: str, who: str) -> None:
    with RunningHub(hub_dsn) as hub:
        token = seed(hub)[who]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        schema = schemathesis.openapi.from_url(f"{hub.url}/api/v1/openapi.json")
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
            examples = schema.get_strategies_from_examples(operation)
            if examples:
                strategies["examples"] = st.one_of(*examples)
            for name, strategy in strategies.items():
                failure = run_operation(strategy, hub.url, headers)
                if failure is not None:
                    failures[f"{operation.method.upper()} {operation.path} ({name})"] = failure
        assert operations >= 11
        assert failures == {}, "\n\n".join(f"== {name}\n{text}" for name, text in failures.items())
