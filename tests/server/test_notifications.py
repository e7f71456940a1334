"""Notifications through the outbox: a real SMTP server and a fake SMS gateway receive
exactly one message per trigger, also across a restart; a failing gateway is retried
and shown to staff; contacts are purged after the retention period."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from core.clock import ManualClock
from core.errors import SettingsError
from core.settings import parse_document
from server.notify.config import NotificationConfig, parse_notifications
from server.notify.senders import HttpSmsSender, SmtpSender
from server.store.database import database_path
from tests.server.test_appointments import BOARD_NOON, book
from tests.support.catalogues import always_open
from tests.support.message_sinks import SmsGateway, SmtpSink, wait_until
from tests.support.running_server import RunningServer


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def gateway() -> Iterator[SmsGateway]:
    sink = SmsGateway().start()
    yield sink
    sink.stop()


def notifying(tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway,
              **config: Any) -> RunningServer:  # fmt: skip
    notifications = NotificationConfig(
        senders={
            "email": SmtpSender("127.0.0.1", smtp.port, "kac@ozolkalns.example.lv"),
            "sms": HttpSmsSender(
                gateway.url, fields={"from": "KAC"}, headers={"Authorization": "Bearer sms-t"}
            ),
        },
        retry_delays=(timedelta(minutes=1), timedelta(minutes=5)),
        check_seconds=0.05,
    )
    return RunningServer(
        tmp_path / "data",
        clock=clock,
        catalogue=always_open(),
        notifications=notifications,
        bookings_per_minute=1000,
        **config,
    )


def settle(server: RunningServer, rounds: int = 3) -> None:
    """Let the dispatcher complete a few more rounds (nothing more may arrive)."""
    assert server.ctx is not None and server.ctx.dispatcher is not None
    target = server.ctx.dispatcher.rounds + rounds
    wait_until(lambda: server.ctx.dispatcher.rounds >= target, what="dispatcher rounds")  # type: ignore[union-attr]


def outbox(server: RunningServer, staff: Any) -> dict:
    """The manager's view of the outbox (signing in again after the clock jumps)."""
    with server.client(staff.manager) as http:
        response = http.get("/notifications")
        response.raise_for_status()
        return response.json()


def test_a_booking_sends_one_email_and_one_sms_also_across_a_restart(
    tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway
) -> None:
    server = notifying(tmp_path, clock, smtp, gateway).start()
    try:
        with server.client() as http:
            booked = book(http, BOARD_NOON, email="anna@example.lv", phone="20000000")
        wait_until(lambda: len(smtp.messages) == 1 and len(gateway.received) == 1, what="both")
        settle(server)
    finally:
        server.stop()
    mail = smtp.messages[0]
    assert mail["To"] == "anna@example.lv"
    assert mail["Subject"] == "Pieraksts: Būvvaldes konsultācijas, 23.11.2026 14:00"
    assert booked["code"] in mail.get_content()
    assert booked["manage_url"] in mail.get_content()
    assert mail["Message-ID"].startswith("<notification-")
    sms = gateway.received[0]
    assert sms["to"] == "+37120000000" and sms["from"] == "KAC"
    assert booked["code"] in sms["text"]
    assert sms["_authorization"] == "Bearer sms-t"
    assert sms["_idempotency_key"].startswith("rinda-notification-")

    again = notifying(tmp_path, clock, smtp, gateway).start()
    try:
        settle(again)
    finally:
        again.stop()
    assert (len(smtp.messages), len(gateway.received)) == (1, 1)


def test_a_message_queued_before_a_restart_is_sent_once_after_it(
    tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway, staff_factory
) -> None:
    gateway.failures = 1
    server = notifying(tmp_path, clock, smtp, gateway).start()
    try:
        with server.client() as http:
            book(http, BOARD_NOON, phone="20000000")
        manager = staff_factory(server)
        wait_until(lambda: outbox(server, manager)["messages"][0]["attempts"] == 1)
    finally:
        server.stop()
    assert gateway.received == []
    clock.advance(timedelta(minutes=1))
    again = notifying(tmp_path, clock, smtp, gateway).start()
    try:
        wait_until(lambda: len(gateway.received) == 1, what="the SMS after the restart")
        settle(again)
    finally:
        again.stop()
    assert len(gateway.received) == 1


def test_a_failing_gateway_is_retried_then_shown_to_staff_as_failed(
    tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway, staff_factory
) -> None:
    gateway.failures = 100
    with notifying(tmp_path, clock, smtp, gateway) as server:
        manager = staff_factory(server)
        with server.client() as http:
            book(http, BOARD_NOON, phone="20000000")

        def attempts() -> int:
            return outbox(server, manager)["messages"][0]["attempts"]

        wait_until(lambda: attempts() == 1, what="the first attempt")
        seen = outbox(server, manager)["messages"][0]
        assert seen["status"] == "pending" and seen["last_error"] == "SMS gateway answered 503"
        assert seen["channel"] == "sms" and seen["recipient"] == "+37120000000"
        settle(server)
        assert attempts() == 1, "not retried before its time"
        clock.advance(timedelta(minutes=1))
        wait_until(lambda: attempts() == 2, what="the second attempt")
        clock.advance(timedelta(minutes=5))
        wait_until(lambda: attempts() == 3, what="the last attempt")
        failed = outbox(server, manager)
        assert failed["messages"][0]["status"] == "failed"
        assert failed["counts"] == {"failed": 1}
        clock.advance(timedelta(hours=1))
        settle(server)
        assert attempts() == 3 and gateway.received == []
        conn = sqlite3.connect(database_path(server.data_dir))
        try:
            failures = conn.execute(
                "SELECT data FROM events WHERE type = 'notification.failed'"
            ).fetchall()
        finally:
            conn.close()
        assert len(failures) == 1 and "20000000" not in failures[0][0]


def test_reminders_and_cancellations_are_sent_once_each(
    tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway
) -> None:
    tomorrow = BOARD_NOON + timedelta(days=1)
    with notifying(tmp_path, clock, smtp, gateway) as server:
        with server.client() as http:
            booked = book(http, tomorrow, email="anna@example.lv", phone=None)
            book(http, BOARD_NOON, email="late@example.lv", phone=None)
        wait_until(lambda: len(smtp.messages) == 2, what="two confirmations")
        clock.advance(timedelta(hours=3))  # 13:00: the earlier booking is within a day, but
        settle(server)  # was made within a day of it: no reminder for it.
        assert len(smtp.messages) == 2
        clock.advance(timedelta(hours=1, minutes=1))  # 24 h before tomorrow's booking
        wait_until(lambda: len(smtp.messages) == 3, what="the reminder")
        settle(server)
        assert smtp.messages[2]["Subject"].startswith("Atgādinājums: ")
        assert smtp.messages[2]["To"] == "anna@example.lv"
        with server.client() as http:
            http.post(f"/appointments/manage/{booked['manage_token']}/cancel").raise_for_status()
            http.post(f"/appointments/manage/{booked['manage_token']}/cancel").raise_for_status()
        wait_until(lambda: len(smtp.messages) == 4, what="the cancellation")
        settle(server)
    assert len(smtp.messages) == 4
    assert smtp.messages[3]["Subject"].startswith("Pieraksts atcelts: ")


def test_contacts_are_purged_after_the_retention_period_and_the_purge_is_audited(
    tmp_path: Path, clock: ManualClock, smtp: SmtpSink, gateway: SmsGateway
) -> None:
    with notifying(
        tmp_path, clock, smtp, gateway, retention_days=30, housekeeping_seconds=0.05
    ) as server:
        with server.client() as http:
            book(http, BOARD_NOON, email="anna@example.lv", phone="20000000")
        wait_until(lambda: len(gateway.received) == 1 and len(smtp.messages) == 1)
        path = database_path(server.data_dir)

        def remaining() -> tuple[Any, ...]:
            conn = sqlite3.connect(path)
            try:
                return conn.execute(
                    "SELECT (SELECT COUNT(*) FROM appointments WHERE phone IS NOT NULL "
                    "OR email IS NOT NULL OR name IS NOT NULL), "
                    "(SELECT COUNT(*) FROM notifications WHERE recipient IS NOT NULL "
                    "OR body IS NOT NULL), "
                    "(SELECT COUNT(*) FROM personal_data_audit WHERE action = 'purge')"
                ).fetchone()
            finally:
                conn.close()

        clock.advance(timedelta(days=29))
        wait_until(lambda: server.ctx.dispatcher.rounds > 0)  # type: ignore[union-attr]
        assert remaining()[:2] == (1, 2)
        clock.advance(timedelta(days=1, hours=5))
        wait_until(lambda: remaining() == (0, 0, 1), what="the purge")


def test_the_settings_file_names_what_is_wrong() -> None:
    def parse(text: str) -> NotificationConfig:
        return parse_notifications(parse_document(text, "notify.toml", SettingsError))

    config = parse(
        '[email]\nhost = "mail.example.lv"\nsender = "kac@example.lv"\n'
        '[sms]\nurl = "https://sms.example.lv/send"\nformat = "form"\nfields = { from = "KAC" }\n'
        "[delivery]\nretry_minutes = [2, 10]\n"
    )
    assert set(config.senders) == {"email", "sms"}
    assert config.retry_delays == (timedelta(minutes=2), timedelta(minutes=10))
    with pytest.raises(SettingsError, match=r"notify.toml: sms.url"):
        parse('[sms]\nurl = "ftp://x"\n')
    with pytest.raises(SettingsError, match=r"notify.toml: sms.format"):
        parse('[sms]\nurl = "http://x"\nformat = "xml"\n')
    with pytest.raises(SettingsError, match=r"delivery.retry_minutes"):
        parse("[delivery]\nretry_minutes = [0]\n")


def test_rinda_server_reads_the_notifications_file(tmp_path: Path) -> None:
    from server.settings import ServerSettings, server_config

    path = tmp_path / "notify.toml"
    path.write_text('[sms]\nurl = "ftp://sms.example.lv"\n')
    with pytest.raises(SettingsError, match=r"notify.toml: sms.url"):
        server_config(ServerSettings(notifications=path))
    path.write_text('[email]\nhost = "127.0.0.1"\nsender = "kac@example.lv"\n')
    config = server_config(ServerSettings(notifications=path))
    assert set(config.notifications.senders) == {"email"}
    assert set(server_config(ServerSettings()).notifications.senders) == set()
