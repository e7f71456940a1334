"""Ending live event streams whose credential stopped being valid.

A stream is authenticated once, when it opens, but may stay open for days. Every
`credential_check_seconds` the credentials of all open streams are checked again
against the database, in one query, by the same rules a request is checked by
(`server.sessions.live_credentials`); a stream whose session ended (sign-out, idle
time, lifetime, user disabled, password changed) or whose device token was revoked
or replaced is ended. Checking the database, rather than being told, also catches
changes made by `rinda users|devices` commands in another process.
"""

from __future__ import annotations

import asyncio
import logging

from anyio import to_thread

from server.context import ServerContext
from server.sessions import live_credentials

log = logging.getLogger(__name__)


async def end_invalid_streams(ctx: ServerContext) -> int:
    """Check the open streams' credentials once; returns how many streams were ended."""
    held = ctx.broker.credentials()
    if not held:
        return 0
    now = ctx.clock.now()
    live = await to_thread.run_sync(
        lambda: live_credentials(ctx.reads.get(), held, now, ctx.config.session_idle)
    )
    ended = ctx.broker.end_streams_of(held - live)
    if ended:
        log.info("ended %d event stream(s) whose credential is no longer valid", ended)
    return ended


async def watch_credentials(ctx: ServerContext) -> None:
    """Run `end_invalid_streams` every `credential_check_seconds`, until cancelled."""
    while True:
        await asyncio.sleep(ctx.config.credential_check_seconds)
        try:
            await end_invalid_streams(ctx)
        except Exception:
            log.exception("checking the event streams' credentials failed")
