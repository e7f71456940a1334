"""Device health: kiosks, displays and feedback terminals report in."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request

from core.events import DEVICE_STATUS, EventDraft
from server.api.deps import context, requires
from server.api.json_body import StrictJSONRoute
from server.api.schemas import DeviceStatusIn
from server.auth import Permission, Principal
from server.store.writer import Transaction, to_db_time

router = APIRouter(tags=["devices"], route_class=StrictJSONRoute)


@router.post("/devices/me/status")
async def report_status(
    body: DeviceStatusIn,
    request: Request,
    principal: Principal = Depends(requires(Permission.DEVICE_STATUS)),
) -> dict[str, Any]:
    """A terminal's heartbeat with its printer state. A change of state is logged as a
    `device.status` event, so staff see a printer fault at once."""
    ctx = context(request)
    status = body.model_dump()

    def command(tx: Transaction) -> dict[str, Any]:
        row = tx.execute("SELECT status FROM devices WHERE name = ?", (principal.name,)).fetchone()
        previous = json.loads(row[0]) if row and row[0] else {}
        tx.execute(
            "UPDATE devices SET last_seen_at = ?, status = ? WHERE name = ?",
            (to_db_time(tx.now), json.dumps(status), principal.name),
        )
        if (
            previous.get("printer") != status["printer"]
            or previous.get("detail") != status["detail"]
        ):
            tx.emit(
                EventDraft(
                    DEVICE_STATUS,
                    {"device": principal.name, "role": principal.role.value, **status},
                )
            )
        return {"device": principal.name, **status}

    result: dict[str, Any] = await ctx.writer.run(command, actor=f"device:{principal.name}")
    return result


@router.get("/devices")
async def list_devices(
    request: Request, principal: Principal = Depends(requires(Permission.MANAGE))
) -> list[dict[str, Any]]:
    """Kiosks, displays and feedback terminals: last seen and printer state (for staff)."""
    from anyio import to_thread

    from server.admin import list_devices as rows

    ctx = context(request)
    devices = await to_thread.run_sync(rows, ctx.reads.get())
    return [
        {
            "name": d.name,
            "role": d.role,
            "counter_id": d.counter_id,
            "revoked": d.revoked_at is not None,
            "last_seen_at": d.last_seen_at,
            "printer": d.status.get("printer"),
            "detail": d.status.get("detail"),
        }
        for d in devices
    ]
