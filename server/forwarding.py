"""Applications forwarded to the network hub: what travels, and what the centre records.

An application whose department the centre forwards (`Catalogue.forwards`: a
national institution its own back office does not serve) is queued in the outbox
in the same transaction that lodges it (`queue_if_forwarded`); the hub link's
forwarder (`server.hub_link.forwarder`) delivers it and records the hub's
acknowledgement as the status step `forwarded`.

What travels (`TRAVELLING`): the registration number the resident holds, the type,
service and department, the language, when it was lodged and its answer deadline,
and the form's fields (only those the type's form asks: what the institution needs
to decide it), and a slow salted hash of the receipt's code (`receipt_verifier`), so
the resident can check the status at any centre. What stays: the receipt code, the
kiosk reference, who lodged it (a device or clerk name) and the staff notes.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import date
from typing import Any

from core.applications import normalize_secret, receipt_verifier
from core.catalogue import Catalogue
from core.errors import NotFound
from core.events import iso
from server.store import forwarding as store
from server.store.writer import Transaction

TRAVELLING = (
    "registration_number",
    "type_id",
    "service_id",
    "department_id",
    "language",
    "lodged_at",
    "answer_deadline",
    "fields",
    "receipt_verifier",
)
"""The keys of a forwarded application (the hub refuses any other)."""
ACTOR = "system:hub-link"


def queue_if_forwarded(
    tx: Transaction,
    catalogue: Catalogue,
    *,
    application_id: str,
    registration_number: str,
    type_id: str,
    service_id: str,
    department_id: str,
    language: str,
    fields: Mapping[str, Any],
    answer_deadline: date,
    verifier: str | None,
    secret: str,
) -> bool:
    """Queue a just-lodged application for the hub when its department is forwarded
    (in the lodging transaction); returns whether it was. `verifier`: the receipt code's
    `receipt_verifier`, made before the transaction (`verifier_for`); None: it is made
    here from `secret` (slow: only for callers that could not make it beforehand)."""
    if not catalogue.forwards(department_id):
        return False
    payload = {
        "registration_number": registration_number,
        "type_id": type_id,
        "service_id": service_id,
        "department_id": department_id,
        "language": language,
        "lodged_at": iso(tx.now),
        "answer_deadline": answer_deadline.isoformat(),
        "fields": dict(fields),
        "receipt_verifier": verifier or make_verifier(secret),
    }
    assert tuple(payload) == TRAVELLING
    store.queue(tx.db.conn, application_id, payload, tx.now)
    return True


def verifier_for(catalogue: Catalogue, type_id: str, secret: str) -> str | None:
    """The `receipt_verifier` of `secret` (as the resident reads it) when an application
    of `type_id` would be forwarded, else None: made by the caller outside the writer's
    transaction, since it is slow on purpose."""
    try:
        department_id = catalogue.application_type(type_id).department_id
    except NotFound:
        return None
    if not catalogue.forwards(department_id):
        return None
    return make_verifier(secret)


def make_verifier(secret: str) -> str:
    """A new `receipt_verifier` of the code `secret` (as printed), with a random salt."""
    return receipt_verifier(normalize_secret(secret), secrets.token_hex(16))
