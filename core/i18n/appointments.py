"""Texts of appointments: the public booking page, the booking's own page, and the
messages sent by e-mail and SMS."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    # -- messages sent (placeholders: service, when, code, centre, address, link) --
    "notice.booked.subject": L(
        "Pieraksts: {service}, {when}",
        "Запись: {service}, {when}",
        "Appointment: {service}, {when}",
    ),
    "notice.booked.body": L(
        "Jūs esat pierakstīts: {service}, {when}, {centre}, {address}.\nPieraksta kods: {code}. Ierodoties ievadiet to kioskā.\nAtcelt vai skatīt: {link}",
        "Вы записаны: {service}, {when}, {centre}, {address}.\nКод записи: {code}. По прибытии введите его в киоске.\nОтменить или посмотреть: {link}",
        "You are booked: {service}, {when}, {centre}, {address}.\nBooking code: {code}. Enter it at the kiosk when you arrive.\nCancel or view: {link}",
    ),
    "notice.reminder.subject": L(
        "Atgādinājums: {service}, {when}",
        "Напоминание: {service}, {when}",
        "Reminder: {service}, {when}",
    ),
    "notice.reminder.body": L(
        "Atgādinām par pierakstu: {service}, {when}, {centre}, {address}. Pieraksta kods: {code}.",
        "Напоминаем о записи: {service}, {when}, {centre}, {address}. Код записи: {code}.",
        "A reminder of your appointment: {service}, {when}, {centre}, {address}. Booking code: {code}.",
    ),
    "notice.cancelled.subject": L(
        "Pieraksts atcelts: {service}, {when}",
        "Запись отменена: {service}, {when}",
        "Appointment cancelled: {service}, {when}",
    ),
    "notice.cancelled.body": L(
        "Jūsu pieraksts ({service}, {when}) ir atcelts.",
        "Ваша запись ({service}, {when}) отменена.",
        "Your appointment ({service}, {when}) has been cancelled.",
    ),
    # -- the booking page --
    "book.title": L("Pieraksts apmeklējumam", "Запись на приём", "Book an appointment"),
    "book.intro": L(
        "Izvēlieties pakalpojumu, dienu un laiku. Pierakstam nav jāpiesakās.",
        "Выберите услугу, день и время. Входить в систему не нужно.",
        "Choose a service, a day and a time. No sign-in is needed.",
    ),
    "book.search": L("Meklēt pakalpojumu", "Найти услугу", "Find a service"),
    "book.search_button": L("Meklēt", "Найти", "Search"),
    "book.by_situation": L("Pēc dzīves situācijas", "По жизненной ситуации", "By life situation"),
    "book.all_services": L("Visi pakalpojumi", "Все услуги", "All services"),
    "book.no_services": L(
        "Nav atrasts neviens pakalpojums.", "Услуги не найдены.", "No service found."
    ),
    "book.choose_day": L("Izvēlieties dienu", "Выберите день", "Choose a day"),
    "book.free_places": L("brīvi: {count}", "свободно: {count}", "free: {count}"),
    "book.full": L("nav brīvu laiku", "нет свободного времени", "fully booked"),
    "book.choose_time": L("Izvēlieties laiku", "Выберите время", "Choose a time"),
    "book.no_times": L(
        "Šajā dienā brīvu laiku nav.",
        "В этот день свободного времени нет.",
        "No free times on this day.",
    ),
    "book.back": L("Atpakaļ", "Назад", "Back"),
    "book.held": L(
        "Laiks {when} ir rezervēts jums līdz {until}. Lūdzu, aizpildiet un apstipriniet.",
        "Время {when} удерживается для вас до {until}. Пожалуйста, заполните и подтвердите.",
        "The time {when} is held for you until {until}. Please fill in and confirm.",
    ),
    "book.name": L("Vārds, uzvārds", "Имя, фамилия", "Your name"),
    "book.phone": L("Tālrunis (SMS)", "Телефон (SMS)", "Phone (SMS)"),
    "book.email": L("E-pasts", "Эл. почта", "E-mail"),
    "book.contact_hint": L(
        "Norādiet tālruni vai e-pastu (vai abus): uz tiem nosūtīsim apstiprinājumu un atgādinājumu.",
        "Укажите телефон или эл. почту (или оба): туда придут подтверждение и напоминание.",
        "Give a phone number or an e-mail address (or both): the confirmation and a reminder go there.",
    ),
    "book.privacy": L(
        "Jūsu kontaktus izmantojam tikai šim pierakstam un dzēšam {days} dienas pēc tā.",
        "Ваши контакты используются только для этой записи и удаляются через {days} дней после неё.",
        "We use your contacts only for this appointment and delete them {days} days after it.",
    ),
    "book.confirm": L("Apstiprināt pierakstu", "Подтвердить запись", "Confirm the booking"),
    "book.done": L("Jūs esat pierakstīts", "Вы записаны", "You are booked"),
    "book.code": L("Pieraksta kods", "Код записи", "Booking code"),
    "book.code_hint": L(
        "Ierodoties ievadiet kodu vai noskenējiet QR kodu kioskā, ne agrāk kā {early} min pirms laika.",
        "По прибытии введите код или отсканируйте QR-код в киоске, не ранее чем за {early} мин до времени.",
        "When you arrive, type the code or scan the QR code at the kiosk, at most {early} min before your time.",
    ),
    "book.qr": L(
        "QR kods ar pieraksta kodu", "QR-код с кодом записи", "QR code with the booking code"
    ),
    "book.calendar": L(
        "Pievienot kalendāram (.ics)", "Добавить в календарь (.ics)", "Add to calendar (.ics)"
    ),
    "book.cancel": L("Atcelt pierakstu", "Отменить запись", "Cancel the booking"),
    "book.cancelled": L(
        "Pieraksts ir atcelts.", "Запись отменена.", "The booking has been cancelled."
    ),
    "book.keep_link": L(
        "Saglabājiet šo lapu: ar to var pierakstu apskatīt vai atcelt.",
        "Сохраните эту страницу: по ней можно посмотреть или отменить запись.",
        "Keep this page: with it you can view or cancel the booking.",
    ),
    "book.status.booked": L("pierakstīts", "записан", "booked"),
    "book.status.cancelled": L("atcelts", "отменено", "cancelled"),
    "book.status.checked_in": L("reģistrējies", "зарегистрирован", "checked in"),
    "book.status.missed": L("neieradās", "не явился", "missed"),
    "book.when": L("Laiks", "Время", "Time"),
    "book.service": L("Pakalpojums", "Услуга", "Service"),
    "book.where": L("Vieta", "Место", "Place"),
    "book.sent_to": L(
        "Apstiprinājums nosūtīts uz", "Подтверждение отправлено на", "Confirmation sent to"
    ),
    "book.unknown": L("Šāda pieraksta nav.", "Такой записи нет.", "There is no such booking."),
    "book.error.slot_taken": L(
        "Šo laiku kāds tikko aizņēma. Lūdzu, izvēlieties citu.",
        "Это время только что заняли. Пожалуйста, выберите другое.",
        "Someone has just taken this time. Please choose another.",
    ),
    "book.error.hold_expired": L(
        "Rezervācijas laiks beidzās. Lūdzu, izvēlieties laiku vēlreiz.",
        "Время удержания истекло. Пожалуйста, выберите время снова.",
        "The hold has run out. Please choose a time again.",
    ),
    "book.error.booking_limit_reached": L(
        "Ar šo tālruni vai e-pastu jau ir pieraksts uz šo pakalpojumu.",
        "С этим телефоном или эл. почтой уже есть запись на эту услугу.",
        "This phone number or e-mail address already has a booking for this service.",
    ),
    "book.error.too_many_attempts": L(
        "Pārāk daudz mēģinājumu. Lūdzu, mēģiniet pēc brīža.",
        "Слишком много попыток. Пожалуйста, попробуйте чуть позже.",
        "Too many attempts. Please try again in a moment.",
    ),
    "book.error.booking_not_active": L(
        "Šo pierakstu vairs nevar mainīt.",
        "Эту запись больше нельзя изменить.",
        "This booking can no longer be changed.",
    ),
    "book.error.not_bookable": L(
        "Šo laiku vairs nevar rezervēt.",
        "Это время больше нельзя забронировать.",
        "This time can no longer be booked.",
    ),
    "book.field.required": L("Obligāti jāaizpilda.", "Обязательное поле.", "Required."),
    "book.field.invalid_phone": L(
        "Tas nav tālruņa numurs.", "Это не номер телефона.", "This is not a phone number."
    ),
    "book.field.invalid_email": L(
        "Tā nav e-pasta adrese.", "Это не адрес эл. почты.", "This is not an e-mail address."
    ),
    "book.field.too_long": L("Pārāk garš teksts.", "Слишком длинный текст.", "Too long."),
    "book.field.control_characters": L(
        "Nederīgas rakstzīmes.", "Недопустимые символы.", "Invalid characters."
    ),
}
