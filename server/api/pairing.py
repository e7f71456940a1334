"""Pairing terminals: the CA to pin, requests from terminals, the admin's decision.

See `server.pairing` for the flow and `core.pairing` for the code both sides show.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import Field, StrictStr

from core.errors import NotFound
from core.events import iso
from core.wire.payloads import CertificateAuthorityView, PairingRequestView, PairingStateView
from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import PairingDecidedOut, PendingPairingOut
from server.api.schemas import Strict
from server.api.wire_models import response_model, wire_response
from server.auth import Permission, Principal, Role
from server.commands import admin
from server.context import ServerContext
from server.pairing import PAIRING_LIFETIME, PairingRequest, PairingState
from server.store.writer import Transaction

router = APIRouter(tags=["pairing"], route_class=StrictJSONRoute)
Hex = Field(pattern=r"^[0-9a-f]{32}$")


class NewPairing(Strict):
    name: StrictStr = Field(min_length=1, max_length=64)
    role: Literal["kiosk", "display", "feedback"]
    counter_id: StrictStr | None = Field(default=None, max_length=64)
    nonce: StrictStr = Hex


class Collect(Strict):
    secret: StrictStr = Field(min_length=1, max_length=100)


def _tls(ctx: ServerContext) -> str:
    if ctx.tls is None:
        raise NotFound("tls", "ca", "This server does not use TLS (start it with --tls).")
    return ctx.tls.ca_fingerprint


@router.get("/pairing/ca", response_model=response_model(CertificateAuthorityView))
async def certificate_authority(request: Request) -> JSONResponse:
    """The server's CA certificate (PEM) and its SHA-256 fingerprint, for a terminal to
    pin; `404 unknown_tls` when TLS is off. Trust it only once the pairing code
    matches (or the fingerprint was given to the terminal by an admin)."""
    ctx = context(request)
    fingerprint = _tls(ctx)
    assert ctx.tls is not None
    return wire_response(CertificateAuthorityView(ctx.tls.ca_file.read_text(), fingerprint))


@router.post("/pairings", status_code=201, response_model=response_model(PairingRequestView))
async def request_pairing(body: NewPairing, request: Request) -> JSONResponse:
    """A terminal asks to be paired: `{id, secret, expires_in_seconds}`. It shows its
    code until an admin confirms the request in the console, and collects its token
    with the secret (`POST /pairings/{id}/collect`)."""
    ctx = context(request)
    _tls(ctx)
    if body.counter_id:
        ctx.catalogue.counter(body.counter_id)
    client = request.client.host if request.client else ""
    pairing = ctx.pairings.request(
        body.name, body.role, body.counter_id or None, body.nonce, client, ctx.clock.now()
    )
    answer = PairingRequestView(pairing.id, pairing.secret, int(PAIRING_LIFETIME.total_seconds()))
    return wire_response(answer, status_code=201)


@router.post("/pairings/{pairing_id}/collect", response_model=response_model(PairingStateView))
async def collect_pairing(pairing_id: str, body: Collect, request: Request) -> JSONResponse:
    """The terminal's view of its request: `{state}` (`pending`, `confirmed`, `refused`,
    `collected`), with `token` once, when confirmed. `404 unknown_pairing` for an unknown
    or expired id or a wrong secret."""
    ctx = context(request)
    pairing = ctx.pairings.collect(pairing_id, body.secret, ctx.clock.now())
    token = pairing.token if pairing.state is PairingState.CONFIRMED else None
    return wire_response(PairingStateView(pairing.state.value, pairing.name, token))


def _listed(pairing: PairingRequest, fingerprint: str) -> dict[str, Any]:
    return {
        "id": pairing.id,
        "name": pairing.name,
        "role": pairing.role,
        "counter_id": pairing.counter_id,
        "code": pairing.code(fingerprint),
        "requested_at": iso(pairing.requested_at),
        "address": pairing.address,
    }


@router.get("/admin/pairings", response_model=list[PendingPairingOut])
async def pending_pairings(
    request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> list[dict[str, Any]]:
    """Terminals waiting to be paired, oldest first, each with the code it should show."""
    ctx = context(request)
    fingerprint = _tls(ctx)
    return [_listed(p, fingerprint) for p in ctx.pairings.pending(ctx.clock.now())]


@router.post("/admin/pairings/{pairing_id}/{decision}", response_model=PairingDecidedOut)
async def decide_pairing(
    pairing_id: str,
    decision: Literal["confirm", "refuse"],
    request: Request,
    principal: Principal = Depends(requires(Permission.ADMIN)),
) -> dict[str, Any]:
    """Confirm (the terminal's code matches the console's) or refuse a request. Confirming
    registers the device as `POST /admin/devices` does (`409` if the name is taken)."""
    ctx = context(request)
    now: datetime = ctx.clock.now()
    pairing = ctx.pairings.get(pairing_id, now)
    if pairing.state is not PairingState.PENDING:
        ctx.pairings.decide(pairing_id, None, now)  # raises pairing_decided
    token: str | None = None
    if decision == "confirm":

        def command(tx: Transaction) -> str:
            return admin.add_device(tx, pairing.name, Role(pairing.role), pairing.counter_id)

        token = await ctx.writer.run(command, actor=actor_of(principal).ref)
    decided = ctx.pairings.decide(pairing_id, token, now)
    return {"id": decided.id, "name": decided.name, "state": decided.state.value}
