"""Administration over the API (the admin pages use it): users, devices, opening hours.

The same commands as `rinda users|devices|hours` (`server.commands.admin`), applied
through the server's single writer; each logs its event with the admin as actor.
"""

from __future__ import annotations

from typing import Any, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field, StrictBool, StrictStr

from core.errors import InvalidInput
from server.api.deps import actor_of, context, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import (
    DeviceAddedOut,
    DeviceOut,
    HoursAddedOut,
    HoursExceptionOut,
    OverviewOut,
    UserAddedOut,
    UserOut,
)
from server.api.schemas import Day, DisplayName, HoursNote, Strict
from server.auth import Permission, Principal, Role
from server.commands import admin
from server.hub_link.status import status_json
from server.overview import overview
from server.store import credentials, hours
from server.store.writer import Transaction

router = APIRouter(tags=["admin"], route_class=StrictJSONRoute)


class NewUser(Strict):
    username: StrictStr = Field(min_length=1, max_length=64)
    role: Literal["clerk", "manager", "admin"]
    password: StrictStr = Field(min_length=1, max_length=256)
    display_name: DisplayName = ""
    counter_id: StrictStr | None = Field(default=None, max_length=64)
    department_id: StrictStr | None = Field(default=None, max_length=64)


class NewPassword(Strict):
    password: StrictStr = Field(min_length=1, max_length=256)


class NewDevice(Strict):
    name: StrictStr = Field(min_length=1, max_length=64)
    role: Literal["kiosk", "display", "feedback"]
    counter_id: StrictStr | None = Field(default=None, max_length=64)


class HoursException(Strict):
    date: Day
    hours: list[StrictStr] = Field(default_factory=list, max_length=6)
    closed: StrictBool = False
    note: HoursNote = ""


@router.get("/overview", response_model=OverviewOut)
async def live_overview(
    request: Request, principal: Principal = Depends(requires(Permission.MANAGE))
) -> dict[str, Any]:
    """Counters, queues with today's service level, device health, printer faults, and
    the network hub link's state and lag (`hub_link`, None without a hub), and the
    national catalogue version running (`catalogue`)."""
    ctx = context(request)
    now = ctx.clock.now()
    result = await to_thread.run_sync(overview, ctx.reads.get(), ctx.engine, now, ctx.storage)
    return {
        **result,
        "hub_link": status_json(ctx.hub_link, now),
        "catalogue": ctx.catalogue_status().encode(),
    }


@router.get("/admin/users", response_model=list[UserOut])
async def list_users(
    request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> list[dict[str, Any]]:
    ctx = context(request)
    users = await to_thread.run_sync(credentials.users, ctx.reads.get())
    return [u.__dict__ for u in users]


@router.post("/admin/users", status_code=201, response_model=UserAddedOut)
async def add_user(
    body: NewUser, request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> dict[str, str]:
    ctx = context(request)
    admin.check_user_links(ctx.catalogue, body.counter_id or None, body.department_id or None)

    def command(tx: Transaction) -> dict[str, str]:
        admin.add_user(
            tx,
            body.username,
            Role(body.role),
            body.password,
            display_name=body.display_name,
            counter_id=body.counter_id or None,
            department_id=body.department_id or None,
        )
        return {"username": body.username}

    result: dict[str, str] = await ctx.writer.run(command, actor=actor_of(principal).ref)
    return result


@router.post("/admin/users/{username}/{action}", status_code=204)
async def change_user(
    username: str,
    action: Literal["disable", "enable", "password"],
    request: Request,
    body: NewPassword | None = None,
    principal: Principal = Depends(requires(Permission.ADMIN)),
) -> Response:
    ctx = context(request)
    if action == "disable" and username == principal.name:
        raise InvalidInput("You cannot disable yourself.", {"username": "self"})
    if action == "password" and body is None:
        raise InvalidInput("Give the new password.", {"password": "required"})

    def command(tx: Transaction) -> None:
        if action == "password":
            assert body is not None
            admin.set_user_password(tx, username, body.password)
        else:
            admin.set_user_disabled(tx, username, action == "disable")

    await ctx.writer.run(command, actor=actor_of(principal).ref)
    return Response(status_code=204)


@router.get("/admin/devices", response_model=list[DeviceOut])
async def list_devices(
    request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> list[dict[str, Any]]:
    ctx = context(request)
    devices = await to_thread.run_sync(credentials.devices, ctx.reads.get())
    return [d.__dict__ for d in devices]


@router.post("/admin/devices", status_code=201, response_model=DeviceAddedOut)
async def add_device(
    body: NewDevice, request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> dict[str, str]:
    """Register a device; the answer holds its token, shown only this once."""
    ctx = context(request)
    if body.counter_id:
        ctx.catalogue.counter(body.counter_id)

    def command(tx: Transaction) -> dict[str, str]:
        token = admin.add_device(tx, body.name, Role(body.role), body.counter_id or None)
        return {"name": body.name, "token": token}

    result: dict[str, str] = await ctx.writer.run(command, actor=actor_of(principal).ref)
    return result


@router.post("/admin/devices/{name}/revoke", status_code=204)
async def revoke_device(
    name: str, request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> Response:
    ctx = context(request)

    def command(tx: Transaction) -> None:
        admin.revoke_device(tx, name)

    await ctx.writer.run(command, actor=actor_of(principal).ref)
    return Response(status_code=204)


@router.get("/admin/hours", response_model=list[HoursExceptionOut])
async def list_hours(
    request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> list[dict[str, Any]]:
    ctx = context(request)
    rows = await to_thread.run_sync(hours.exceptions, ctx.reads.get())
    return [{"date": day, "hours": ranges, "note": note} for day, ranges, note in rows]


@router.post("/admin/hours", status_code=201, response_model=HoursAddedOut)
async def add_hours(
    body: HoursException,
    request: Request,
    principal: Principal = Depends(requires(Permission.ADMIN)),
) -> dict[str, Any]:
    ctx = context(request)

    def command(tx: Transaction) -> dict[str, Any]:
        admin.add_hours_exception(tx, body.date, body.hours, body.closed, body.note)
        return {"date": body.date.isoformat(), "hours": body.hours, "closed": body.closed}

    result: dict[str, Any] = await ctx.writer.run(command, actor=actor_of(principal).ref)
    return result


@router.delete("/admin/hours/{day}", status_code=204)
async def remove_hours(
    day: Day, request: Request, principal: Principal = Depends(requires(Permission.ADMIN))
) -> Response:
    ctx = context(request)

    def command(tx: Transaction) -> None:
        admin.remove_hours_exception(tx, day)

    await ctx.writer.run(command, actor=actor_of(principal).ref)
    return Response(status_code=204)
