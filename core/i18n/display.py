"""Texts of the hall display and its announcements."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "board.now_calling": L("Izsaukti", "Вызваны", "Now calling"),
    "board.ticket": L("Biļete", "Талон", "Ticket"),
    "board.counter": L("Lodziņš", "Окно", "Counter"),
    "board.recent": L("Iepriekšējie izsaukumi", "Предыдущие вызовы", "Recent calls"),
    "board.waiting": L("Rindā", "В очереди", "Waiting"),
    "board.wait": L("Gaidīšana", "Ожидание", "Wait"),
    "board.waits": L("Rinda un gaidīšana", "Очередь и ожидание", "Queue and wait"),
    "board.in_queue": L("{count} rindā", "{count} в очереди", "{count} waiting"),
    "board.nobody_serving": L(
        "šobrīd neviens nepieņem", "сейчас никто не принимает", "no counter serving now"
    ),
    "board.closed_serving": L(
        "Biļetes šodien vairs neizsniedz",
        "Талоны сегодня больше не выдаются",
        "No more tickets today",
    ),
    "board.closed_serving.opens_at": L(
        "Biļetes šodien vairs neizsniedz — atvērsies {when}",
        "Талоны сегодня больше не выдаются — откроется {when}",
        "No more tickets today — opens at {when}",
    ),
    "board.no_calls": L(
        "Lūdzu, gaidiet savu numuru",
        "Пожалуйста, ждите своего номера",
        "Please wait for your number",
    ),
    "board.offline": L(
        "Nav savienojuma ar serveri — dati var būt novecojuši",
        "Нет связи с сервером — данные могут быть устаревшими",
        "No connection to the server — figures may be out of date",
    ),
    "announce.ticket": L("Biļete", "Талон", "Ticket"),
    "announce.call": L(
        "Biļete {number}, {counter}", "Талон {number}, {counter}", "Ticket {number}, {counter}"
    ),
}
