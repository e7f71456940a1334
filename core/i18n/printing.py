"""Texts printed on tickets and receipts."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "ticket.your_number": L("Jūsu numurs", "Ваш номер", "Your number"),
    "ticket.priority": L("Prioritāra biļete", "Приоритетный талон", "Priority ticket"),
    "ticket.issued": L("Izsniegta", "Выдан", "Issued"),
    "ticket.people_ahead": L("Pirms jums rindā", "Перед вами в очереди", "People ahead of you"),
    "ticket.estimated_wait": L("Aptuvenā gaidīšana", "Примерное ожидание", "Estimated wait"),
    "ticket.booked_for": L("Pieraksta laiks: {time}", "Время записи: {time}", "Booked for: {time}"),
    "ticket.go_to": L("Dodieties uz", "Пройдите к", "Go to"),
    "ticket.watch_screen": L(
        "Sekojiet ekrānam — jūsu numurs tiks izsaukts",
        "Следите за экраном — ваш номер вызовут",
        "Watch the screen — your number will be called",
    ),
    "ticket.scan_status": L(
        "Rindas stāvoklis tālrunī:", "Состояние очереди в телефоне:", "Queue status on your phone:"
    ),
    "receipt.title": L(
        "Iesniegums reģistrēts", "Заявление зарегистрировано", "Application registered"
    ),
    "receipt.registration_number": L(
        "Reģistrācijas numurs", "Регистрационный номер", "Registration number"
    ),
    "receipt.lodged": L("Iesniegts", "Подано", "Lodged"),
    "receipt.type": L("Iesnieguma veids", "Вид заявления", "Application type"),
    "receipt.institution": L(
        "Atbildīgā iestāde", "Ответственное учреждение", "Responsible institution"
    ),
    "receipt.deadline": L("Atbilde līdz", "Ответ до", "Answer due by"),
    "receipt.secret": L("Pārbaudes kods", "Код проверки", "Status code"),
    "receipt.how_to_check": L(
        "Statusu var pārbaudīt jebkurā kioskā ar reģistrācijas numuru un pārbaudes kodu.",
        "Статус можно проверить в любом киоске по регистрационному номеру и коду проверки.",
        "Check the status at any kiosk with the registration number and the status code.",
    ),
    "receipt.keep": L("Saglabājiet šo kvīti.", "Сохраните эту квитанцию.", "Keep this receipt."),
    "payment.title": L("Maksājiet nodevu", "Оплатите пошлину", "Pay the fee"),
    "payment.scan": L(
        "Skenējiet kodu savā bankas lietotnē vai pārskaitiet:",
        "Отсканируйте код в приложении банка или переведите:",
        "Scan the code in your banking app, or transfer:",
    ),
    "payment.payee": L("Saņēmējs", "Получатель", "Payee"),
    "payment.iban": L("Konts (IBAN)", "Счёт (IBAN)", "Account (IBAN)"),
    "payment.bic": L("BIC", "BIC", "BIC"),
    "payment.amount": L("Summa", "Сумма", "Amount"),
    "payment.reference": L("Maksājuma atsauce", "Ссылка платежа", "Payment reference"),
    "payment.details": L("Maksājuma mērķis", "Назначение платежа", "Payment details"),
    "info.title": L("Pakalpojuma apraksts", "Описание услуги", "Service information"),
    "info.version": L(
        "Valsts pakalpojumu kataloga versija {version}",
        "Версия государственного каталога услуг {version}",
        "National service catalogue version {version}",
    ),
    "test.title": L("Printera pārbaude", "Проверка принтера", "Printer test"),
    "test.latvian": L("Latviešu burti", "Латышские буквы", "Latvian letters"),
    "test.russian": L("Krievu burti", "Русские буквы", "Russian letters"),
}
