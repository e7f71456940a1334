"""Device health: kiosks, displays and feedback terminals report in."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request

from core.events import device_status_event
from core.wire.payloads import DeviceStatusView
from server.api.deps import context, requires
from server.api.json_body import StrictJSONRoute
from server.api.responses import TerminalOut
from server.api.schemas import DeviceStatusIn
from server.api.wire_models import response_model
from server.auth import Permission, Principal
from server.store import credentials
from server.store.writer import Transaction

router = APIRouter(tags=["devices"], route_class=StrictJSONRoute)


@router.post("/devices/me/status", response_model=response_model(DeviceStatusView))
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
        previous = credentials.device_status(tx.db.conn, principal.name)
        credentials.record_device_status(tx.db.conn, principal.name, status, tx.now)
        if (
            previous.get("printer") != status["printer"]
            or previous.get("detail") != status["detail"]
        ):
            tx.emit(
                device_status_event(
                    principal.name,
                    principal.role.value,
                    status["printer"],
                    status["detail"],
                    status["version"],
                )
            )
        return {"device": principal.name, **status}

    result: dict[str, Any] = await ctx.writer.run(command, actor=f"device:{principal.name}")
    return result


@router.get("/devices", response_model=list[TerminalOut])
async def list_devices(
    request: Request, principal: Principal = Depends(requires(Permission.MANAGE))
) -> list[dict[str, Any]]:
    """Kiosks, displays and feedback terminals: last seen and printer state (for staff)."""
    ctx = context(request)
    devices = await to_thread.run_sync(credentials.devices, ctx.reads.get())
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
