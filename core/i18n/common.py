"""Texts shared by every part."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "language.name": L("Latviešu", "Русский", "English"),
    "wait.unknown": L("nav zināms", "неизвестно", "unknown"),
    "wait.none": L("bez gaidīšanas", "без ожидания", "no wait"),
    "unit.minutes": L("min", "мин", "min"),
    "unit.hours": L("h", "ч", "h"),
    "closed": L("Slēgts", "Закрыто", "Closed"),
    "closed.opens_at": L(
        "Slēgts — atvērsies {when}", "Закрыто — откроется {when}", "Closed — opens at {when}"
    ),
    "reason.service_withdrawn": L(
        "Pakalpojums vairs netiek sniegts", "Услуга больше не оказывается", "No longer offered"
    ),
    "reason.centre_closed": L("Centrs ir slēgts", "Центр закрыт", "The centre is closed"),
    "reason.service_closed": L("Šobrīd nepieņem", "Сейчас не принимает", "Not served at this time"),
    "reason.daily_cap_reached": L(
        "Šodienas biļetes beigušās", "Талоны на сегодня закончились", "No more tickets today"
    ),
    "reason.service_cut_off": L(
        "Šodien vairs nepaspēs pieņemt",
        "Сегодня уже не успеют принять",
        "Cannot be served before closing",
    ),
    "channel.in_person": L("klātienē", "лично", "in person"),
    "channel.post": L("pa pastu", "по почте", "by post"),
    "channel.e_service": L("e-pakalpojumā", "через э-услугу", "online (e-service)"),
    "channel.email": L("e-pastā", "по эл. почте", "by e-mail"),
    "channel.phone": L("pa tālruni", "по телефону", "by phone"),
}
