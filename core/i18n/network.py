"""Texts of the network hub's pages (the live view and the quarterly report)."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "network.hub_name": L("Klientu centru tīkls", "Сеть клиентских центров", "Network of centres"),
    "network.nav_live": L("Centri tagad", "Центры сейчас", "Centres now"),
    "network.nav_reports": L("Ceturkšņa pārskats", "Квартальный отчёт", "Quarterly report"),
    "network.live_title": L("Centri tagad", "Центры сейчас", "Centres now"),
    "network.municipality": L("Pašvaldība", "Самоуправление", "Municipality"),
    "network.all_municipalities": L("Visas", "Все", "All"),
    "network.show": L("Rādīt", "Показать", "Show"),
    "network.centre": L("Centrs", "Центр", "Centre"),
    "network.link": L("Saite", "Связь", "Link"),
    "network.link_up": L("darbojas", "работает", "up"),
    "network.link_catching_up": L(
        "sūta iekavēto: {count} notikumi",
        "досылает: событий {count}",
        "catching up: {count} events",
    ),
    "network.link_down": L("nav saites", "нет связи", "link down"),
    "network.link_never": L("nav pieslēdzies", "ещё не подключался", "never connected"),
    "network.link_revoked": L("atsaukts", "отозван", "revoked"),
    "network.last_event": L(
        "pēdējais notikums {time}", "последнее событие {time}", "last event {time}"
    ),
    "network.no_events": L("notikumu vēl nav", "событий ещё нет", "no events yet"),
    "network.last_contact": L(
        "pēdējais savienojums {time}", "последняя связь {time}", "last contact {time}"
    ),
    "network.unknown": L("nav zināms", "неизвестно", "not known"),
    "network.counters_open": L("Atvērti lodziņi", "Открыто окон", "Counters open"),
    "network.waiting": L("Gaida", "Ожидают", "Waiting"),
    "network.longest_wait": L("Ilgākā gaidīšana", "Дольше всех ждёт", "Longest wait"),
    "network.serving": L("Apkalpo tagad", "Обслуживаются", "Being served"),
    "network.served_today": L("Apkalpoti šodien", "Обслужено сегодня", "Served today"),
    "network.service_level_today": L(
        "Apkalpošanas līmenis šodien", "Уровень обслуживания сегодня", "Service level today"
    ),
    "network.summary": L(
        "Saite darbojas {live} no {total} centriem; gaida {waiting} cilvēki.",
        "Связь работает у {live} из {total} центров; ожидают {waiting} чел.",
        "{live} of {total} centres linked; {waiting} people waiting.",
    ),
    "network.down_note": L(
        "Centrs bez saites strādā tālāk; tā zāle šeit nav redzama, līdz saite atjaunojas.",
        "Центр без связи продолжает работать; его зал здесь не виден, пока связь не вернётся.",
        "A centre without its link works on; its hall is not known here until the link returns.",
    ),
    "network.no_centres": L(
        "Nav neviena centra, ko jums rādīt.",
        "Нет ни одного центра, который вам можно показать.",
        "There are no centres for you to see.",
    ),
    "network.seconds_ago": L("pirms {time}", "{time} назад", "{time} ago"),
    "network.database_unavailable": L(
        "Tīkla datubāze pašlaik nav sasniedzama. Centri strādā tālāk; mēģiniet vēlāk.",
        "База данных сети сейчас недоступна. Центры работают дальше; попробуйте позже.",
        "The network's database cannot be reached now. The centres work on; try again later.",
    ),
    "network.report_title": L(
        "Ceturkšņa monitoringa pārskats",
        "Квартальный отчёт мониторинга",
        "Quarterly monitoring report",
    ),
    "network.quarter": L("Ceturksnis", "Квартал", "Quarter"),
    "network.previous_quarter": L("iepriekšējais", "предыдущий", "previous"),
    "network.next_quarter": L("nākamais", "следующий", "next"),
    "network.compared_with": L(
        "salīdzinot ar {period}", "в сравнении с {period}", "compared with {period}"
    ),
    "network.change": L("pret iepr.", "к пред.", "vs. prev."),
    "network.by_municipality": L("Pa pašvaldībām", "По самоуправлениям", "By municipality"),
    "network.by_centre": L("Pa centriem", "По центрам", "By centre"),
    "network.by_service": L("Pa pakalpojumiem", "По услугам", "By service"),
    "network.trend": L(
        "Apkalpošanas līmenis pa mēnešiem (%)",
        "Уровень обслуживания по месяцам (%)",
        "Service level by month (%)",
    ),
    "network.visits_by_municipality": L(
        "Apmeklējumi pa pašvaldībām", "Посещения по самоуправлениям", "Visits by municipality"
    ),
    "network.wait_by_municipality": L(
        "Vidējā gaidīšana pa pašvaldībām, min",
        "Среднее ожидание по самоуправлениям, мин",
        "Mean wait by municipality, min",
    ),
    "network.points": L("proc. p.", "п. п.", "pts"),
    "network.csv_by_centre": L("CSV pa centriem", "CSV по центрам", "CSV by centre"),
    "network.csv_by_municipality": L(
        "CSV pa pašvaldībām", "CSV по самоуправлениям", "CSV by municipality"
    ),
    "network.figures_note": L(
        "Skaitļi ir tie paši un pēc tām pašām definīcijām kā katra centra atskaitē. "
        "Darbinieku laiku (dīkstāve, apkalpošana, pauzes) skaita tikai centrā. "
        "Mērķa gaidīšanas laiks ir tas, ko centra katalogs noteica, kad apmeklējums tika nosūtīts.",
        "Показатели те же и по тем же определениям, что в отчёте каждого центра. "
        "Время сотрудников (простой, обслуживание, паузы) учитывается только в центре. "
        "Целевое время ожидания — то, что задавал каталог центра, когда посещение было отправлено.",
        "The figures are the same, by the same definitions, as each centre's own report. "
        "Clerk time (idle, serving, paused) is counted only at the centre. A visit's target "
        "wait is the one its centre's catalogue gave when the visit was shipped.",
    ),
    "network.centres_count": L("centri", "центров", "centres"),
}
