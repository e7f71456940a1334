"""Texts of the national catalogue: the hub's catalogue page, and what a centre's
manager view and the network view say about the version a centre runs."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "catalogue.nav": L("Pakalpojumu katalogs", "Каталог услуг", "Service catalogue"),
    "catalogue.title": L(
        "Valsts pakalpojumu katalogs", "Государственный каталог услуг", "National service catalogue"
    ),
    "catalogue.version": L("Versija", "Версия", "Version"),
    "catalogue.version_n": L("versija {version}", "версия {version}", "version {version}"),
    "catalogue.none": L(
        "Katalogs vēl nav publicēts.", "Каталог ещё не опубликован.", "Nothing published yet."
    ),
    "catalogue.published": L("Publicēta", "Опубликована", "Published"),
    "catalogue.by": L("Publicēja", "Опубликовал", "By"),
    "catalogue.note": L("Piezīme", "Примечание", "Note"),
    "catalogue.restores": L(
        "atjauno {version}. versiju",
        "восстанавливает версию {version}",
        "restores version {version}",
    ),
    "catalogue.changes": L("Kas mainījās", "Что изменилось", "What changed"),
    "catalogue.no_changes": L("Pirmā versija.", "Первая версия.", "The first version."),
    "catalogue.versions": L("Versijas", "Версии", "Versions"),
    "catalogue.view": L("Skatīt", "Смотреть", "View"),
    "catalogue.export": L("Lejupielādēt TOML", "Скачать TOML", "Download TOML"),
    "catalogue.rollback": L(
        "Atjaunot šo versiju", "Восстановить эту версию", "Restore this version"
    ),
    "catalogue.rollback_note": L("Kāpēc?", "Почему?", "Why?"),
    "catalogue.publish": L(
        "Publicēt jaunu versiju", "Опубликовать новую версию", "Publish a new version"
    ),
    "catalogue.publish_help": L(
        "Kataloga TOML (tikai kopīgās sadaļas). Izlaists pakalpojums tiek saglabāts kā atsaukts.",
        "TOML каталога (только общие разделы). Пропущенная услуга сохраняется как отозванная.",
        "Catalogue TOML (the shared sections only). A service left out is kept as withdrawn.",
    ),
    "catalogue.publish_button": L("Publicēt", "Опубликовать", "Publish"),
    "catalogue.import_file": L("vai augšupielādēt failu", "или загрузить файл", "or upload a file"),
    "catalogue.services": L("Pakalpojumi", "Услуги", "Services"),
    "catalogue.service": L("Pakalpojums", "Услуга", "Service"),
    "catalogue.department": L("Iestāde", "Учреждение", "Institution"),
    "catalogue.fee": L("Maksa, EUR", "Плата, EUR", "Fee, EUR"),
    "catalogue.withdrawn": L("atsaukts", "отозвана", "withdrawn"),
    "catalogue.centres": L(
        "Centri un to versijas", "Центры и их версии", "Centres and their versions"
    ),
    "catalogue.applied": L("Piemērota", "Применена", "Applied"),
    "catalogue.not_reported": L("nav ziņots", "не сообщено", "not reported"),
    "catalogue.behind": L("gaida {version}", "ждёт {version}", "{version} waiting"),
    "catalogue.current": L("aktuāla", "актуальна", "current"),
    "catalogue.local": L("vietējais", "местная", "local"),
    "catalogue.published_ok": L(
        "Publicēta versija {version}.",
        "Опубликована версия {version}.",
        "Published version {version}.",
    ),
    "catalogue.centre_running": L(
        "Valsts katalogs: versija {version}",
        "Государственный каталог: версия {version}",
        "National catalogue: version {version}",
    ),
    "catalogue.centre_newer": L(
        "centrā gaida jaunāka versija {version}",
        "ждёт более новая версия {version}",
        "a newer version {version} is waiting",
    ),
    "catalogue.centre_refused": L(
        "versija {version} netika pieņemta: {error}",
        "версия {version} не принята: {error}",
        "version {version} was not applied: {error}",
    ),
    "catalogue.centre_own": L(
        "Centra paša katalogs (nav abonēts)",
        "Собственный каталог центра (без подписки)",
        "The centre's own catalogue (not subscribed)",
    ),
    "catalogue.centre_checked": L(
        "pēdējoreiz pārbaudīts {time}", "последняя проверка {time}", "last checked {time}"
    ),
}
