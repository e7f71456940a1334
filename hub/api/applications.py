"""Applications forwarded by a centre to the institution that decides them.

    POST /api/v1/centres/{id}/applications   one application (stored once per
                                              registration number; resending is safe)

Only the centre's own token may call it (`wrong_centre` otherwise).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from core import free_text
from core.applications import STANDARD_FIELDS
from hub.accounts import HubPrincipal
from hub.api.deps import authenticate, context
from hub.applications import store_forwarded
from server.api.json_body import StrictJSONRoute
from server.api.schemas import free_text_check

router = APIRouter(tags=["applications"], route_class=StrictJSONRoute)

CatalogueId = Annotated[
    StrictStr, Field(min_length=1, max_length=64), free_text_check(free_text.CATALOGUE_ID)
]


class ForwardedApplication(BaseModel):
    """An application as it travels (`server.forwarding.TRAVELLING`)."""

    model_config = ConfigDict(extra="forbid")

    registration_number: StrictStr = Field(min_length=1, max_length=40, pattern=r"^[A-Z0-9/_-]+$")
    type_id: CatalogueId
    service_id: CatalogueId
    department_id: CatalogueId
    language: StrictStr = Field(min_length=2, max_length=8)
    lodged_at: datetime
    answer_deadline: date
    fields: dict[StrictStr, StrictStr] = Field(max_length=len(STANDARD_FIELDS))

    @field_validator("fields")
    @classmethod
    def _standard_fields(cls, fields: dict[str, str]) -> dict[str, str]:
        for name, value in fields.items():
            spec = STANDARD_FIELDS.get(name)
            if spec is None:
                raise ValueError(f"{name!r} is not a standard application field")
            if len(value) > spec.max_length:
                raise ValueError(f"{name!r} is longer than {spec.max_length} characters")
        return fields


@router.post("/centres/{centre_id}/applications")
def post_application(
    centre_id: str,
    body: ForwardedApplication,
    request: Request,
    principal: HubPrincipal = Depends(authenticate),
) -> dict[str, Any]:
    """Store a forwarded application; `stored` is False when the hub had it already."""
    principal.require_centre(centre_id)
    ctx = context(request)

    with ctx.pool.connection() as conn:
        stored = store_forwarded(conn, centre_id, **body.model_dump(), now=ctx.clock.now())
    return {"registration_number": body.registration_number, "stored": stored}
