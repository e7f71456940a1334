"""Texts of the kiosk screens."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "start.welcome": L("Laipni lūdzam!", "Добро пожаловать!", "Welcome!"),
    "start.choose_language": L("Izvēlieties valodu", "Выберите язык", "Choose your language"),
    "start.take_ticket": L("Ņemt rindas biļeti", "Взять талон в очередь", "Take a ticket"),
    "start.take_ticket_hint": L(
        "Izvēlieties pakalpojumu un saņemiet numuru",
        "Выберите услугу и получите номер",
        "Choose a service and get your number",
    ),
    "start.service_info": L(
        "Informācija par pakalpojumiem", "Информация об услугах", "Service information"
    ),
    "start.service_info_hint": L(
        "Kas jāņem līdzi, cik maksā, cik ilgi jāgaida",
        "Что взять с собой, сколько стоит, как долго ждать",
        "What to bring, what it costs, how long it takes",
    ),
    "start.lodge": L("Iesniegt iesniegumu", "Подать заявление", "Lodge an application"),
    "start.lodge_hint": L(
        "Bez rindas — tiks nosūtīts atbildīgajai iestādei",
        "Без очереди — будет передано ответственному учреждению",
        "No queuing — it goes to the responsible department",
    ),
    "start.check_status": L(
        "Pārbaudīt iesnieguma statusu", "Проверить статус заявления", "Check application status"
    ),
    "start.check_status_hint": L(
        "Ar reģistrācijas numuru un pārbaudes kodu",
        "По регистрационному номеру и коду проверки",
        "With the registration number and status code",
    ),
    "start.check_in": L("Man ir pieraksts", "У меня есть запись", "I have a booking"),
    "start.check_in_hint": L(
        "Ierakstiet vai noskenējiet pieraksta kodu",
        "Введите или отсканируйте код записи",
        "Type or scan your booking code",
    ),
    "checkin.title": L("Ierašanās pēc pieraksta", "Регистрация по записи", "Check in"),
    "checkin.prompt": L(
        "Pieraksta kods (piemēram, K7MP-3XQ9)",
        "Код записи (например, K7MP-3XQ9)",
        "Booking code (for example K7MP-3XQ9)",
    ),
    "checkin.scan_hint": L(
        "Vai turiet pieraksta QR kodu pie skenera.",
        "Или поднесите QR-код записи к сканеру.",
        "Or hold the booking's QR code to the scanner.",
    ),
    "checkin.submit": L("Reģistrēties", "Зарегистрироваться", "Check in"),
    "checkin.checking": L("Pārbaudām…", "Проверяем…", "Checking…"),
    "checkin.not_found": L(
        "Pieraksts ar šādu kodu nav atrasts. Lūdzu, pārbaudiet kodu.",
        "Запись с таким кодом не найдена. Пожалуйста, проверьте код.",
        "No booking has this code. Please check it.",
    ),
    "checkin.cancelled": L(
        "Šis pieraksts ir atcelts.", "Эта запись отменена.", "This booking was cancelled."
    ),
    "checkin.today": L("šodien", "сегодня", "today"),
    "checkin.early": L(
        "Jūsu pieraksts ir {day} plkst. {time}. Reģistrēties varēs no plkst. {opens}. "
        "Lūdzu, nāciet atpakaļ tad.",
        "Ваша запись: {day} в {time}. Зарегистрироваться можно с {opens}. "
        "Пожалуйста, подойдите тогда.",
        "Your booking is {day} at {time}. Check-in opens at {opens}. Please come back then.",
    ),
    "checkin.late_ticket": L(
        "Jūsu pieraksta laiks ({time}) ir pagājis. Varat ņemt parastu rindas biļeti.",
        "Время вашей записи ({time}) прошло. Вы можете взять обычный талон.",
        "Your booked time ({time}) has passed. You can take a normal ticket.",
    ),
    "checkin.late_refused": L(
        "Jūsu pieraksta laiks ({time}) ir pagājis. Lūdzu, pierakstieties no jauna "
        "vai vērsieties pie darbinieka.",
        "Время вашей записи ({time}) прошло. Пожалуйста, запишитесь снова "
        "или обратитесь к сотруднику.",
        "Your booked time ({time}) has passed. Please book again or ask a member of staff.",
    ),
    "checkin.take_normal": L("Ņemt parastu biļeti", "Взять обычный талон", "Take a normal ticket"),
    "printer.fault_notice": L(
        "Printeris šobrīd nedarbojas — jūsu numurs tiks parādīts ekrānā.",
        "Принтер сейчас не работает — ваш номер будет показан на экране.",
        "The printer is not working — your number will be shown on the screen.",
    ),
    "nav.back": L("← Atpakaļ", "← Назад", "← Back"),
    "nav.home": L("Sākums", "В начало", "Start"),
    "services.title_ticket": L("Izvēlieties pakalpojumu", "Выберите услугу", "Choose a service"),
    "services.title_info": L(
        "Par kuru pakalpojumu vēlaties uzzināt?",
        "О какой услуге хотите узнать?",
        "Which service would you like to know about?",
    ),
    "services.by_category": L("Pēc jomas", "По теме", "By topic"),
    "services.by_situation": L("Dzīves situācijas", "Жизненные ситуации", "Life situations"),
    "services.search": L("Meklēt", "Поиск", "Search"),
    "services.search_hint": L(
        "Ierakstiet pakalpojuma nosaukumu", "Введите название услуги", "Type the name of a service"
    ),
    "services.no_results": L(
        "Nekas netika atrasts. Mēģiniet citu vārdu vai izvēlieties pēc jomas.",
        "Ничего не найдено. Попробуйте другое слово или выберите по теме.",
        "Nothing found. Try another word or choose by topic.",
    ),
    "service.waiting": L("Rindā: {count}", "В очереди: {count}", "Waiting: {count}"),
    "service.estimate": L("gaidīšana {wait}", "ожидание {wait}", "wait {wait}"),
    "service.no_counter": L(
        "šobrīd to neapkalpo neviens lodziņš",
        "сейчас эту услугу не обслуживает ни одно окно",
        "no counter serves it right now",
    ),
    "service.past_closing": L(
        "šodien, visticamāk, vairs netiks apkalpots",
        "сегодня, скорее всего, уже не обслужат",
        "probably not served before closing today",
    ),
    "service.long_wait": L(
        "gaidīšana ilgāka par {hours} stundām",
        "ожидание дольше {hours} часов",
        "wait longer than {hours} hours",
    ),
    "ticket.no_counter": L(
        "Šobrīd šo pakalpojumu neapkalpo neviens lodziņš: jūs izsauks, kad kāds to sāks.",
        "Сейчас эту услугу не обслуживает ни одно окно: вас вызовут, когда окно откроется.",
        "No counter serves this service right now: you will be called when one opens.",
    ),
    "priority.for_service": L("Pakalpojums: {service}", "Услуга: {service}", "Service: {service}"),
    "info.who": L("Kas var pieteikties", "Кто может обратиться", "Who may apply"),
    "info.documents": L("Nepieciešamie dokumenti", "Необходимые документы", "Documents needed"),
    "info.fee": L("Maksa", "Стоимость", "Fee"),
    "info.decision_time": L("Lēmuma pieņemšanas laiks", "Срок принятия решения", "Time to decide"),
    "info.institution": L(
        "Atbildīgā iestāde", "Ответственное учреждение", "Responsible institution"
    ),
    "info.channels": L("Kā pieteikties", "Как обратиться", "How to apply"),
    "info.result": L(
        "Kā saņemt rezultātu", "Как получить результат", "How the result is delivered"
    ),
    "info.print": L("Izdrukāt", "Распечатать", "Print"),
    "info.printed": L(
        "Izdrukāts — lūdzu, paņemiet",
        "Распечатано — пожалуйста, возьмите",
        "Printed — please take it",
    ),
    "info.print_failed": L("Neizdevās izdrukāt", "Не удалось распечатать", "Could not print"),
    "info.take_ticket": L(
        "Ņemt biļeti šim pakalpojumam",
        "Взять талон на эту услугу",
        "Take a ticket for this service",
    ),
    "priority.question": L(
        "Vai jums nepieciešama prioritāra apkalpošana?",
        "Нужно ли вам приоритетное обслуживание?",
        "Do you need priority service?",
    ),
    "priority.explain": L(
        "Prioritāri apkalpojam cilvēkus ar invaliditāti, grūtnieces, vecākus ar bērnu līdz 1 gada vecumam un seniorus no 75 gadiem.",
        "Приоритетно обслуживаем людей с инвалидностью, беременных, родителей с ребёнком до 1 года и пожилых людей от 75 лет.",
        "We call first people with disabilities, pregnant women, parents with a baby under one year and people aged 75 or over.",
    ),
    "priority.fair": L(
        "Prioritāte nozīmē ātrāku izsaukumu, taču tā, lai citi negaida pārlieku ilgi.",
        "Приоритет означает более быстрый вызов, но так, чтобы остальные не ждали слишком долго.",
        "Priority means being called sooner, without making others wait too long.",
    ),
    "priority.yes": L(
        "Jā, man pienākas prioritāte", "Да, мне положен приоритет", "Yes, I qualify for priority"
    ),
    "priority.no": L("Nē, parasta biļete", "Нет, обычный талон", "No, a normal ticket"),
    "ticket.issuing": L("Gatavojam jūsu biļeti…", "Готовим ваш талон…", "Preparing your ticket…"),
    "ticket.take": L(
        "Lūdzu, paņemiet biļeti no printera",
        "Пожалуйста, возьмите талон из принтера",
        "Please take your ticket from the printer",
    ),
    "ticket.print_failed": L(
        "Printeris nedarbojas. Lūdzu, atcerieties vai nofotografējiet savu numuru.",
        "Принтер не работает. Пожалуйста, запомните или сфотографируйте свой номер.",
        "The printer is not working. Please remember or photograph your number.",
    ),
    "ticket.valid": L(
        "Jūsu vieta rindā ir saglabāta, darbinieki par to zina.",
        "Ваше место в очереди сохранено, сотрудники об этом знают.",
        "Your place in the queue is kept; staff know about it.",
    ),
    "ticket.scan": L(
        "Noskenējiet, lai sekotu rindai tālrunī",
        "Отсканируйте, чтобы следить за очередью в телефоне",
        "Scan to follow the queue on your phone",
    ),
    "ticket.done": L("Gatavs", "Готово", "Done"),
    "ticket.failed": L(
        "Biļeti neizdevās izsniegt", "Не удалось выдать талон", "The ticket could not be issued"
    ),
    "ticket.failed_retry": L(
        "Lūdzu, mēģiniet vēlreiz vai vērsieties pie darbinieka.",
        "Пожалуйста, попробуйте ещё раз или обратитесь к сотруднику.",
        "Please try again or ask a member of staff.",
    ),
    "unavailable.title": L(
        "Kiosks īslaicīgi nedarbojas",
        "Киоск временно не работает",
        "The kiosk is temporarily unavailable",
    ),
    "unavailable.body": L(
        "Lūdzu, vērsieties pie darbinieka.",
        "Пожалуйста, обратитесь к сотруднику.",
        "Please ask a member of staff.",
    ),
    "closed.title": L("Centrs ir slēgts", "Центр закрыт", "The centre is closed"),
    "closed.hours": L("Darba laiks", "Часы работы", "Opening hours"),
    "idle.title": L("Vai vēl esat šeit?", "Вы ещё здесь?", "Are you still there?"),
    "idle.body": L(
        "Pēc {seconds} sekundēm viss ievadītais tiks notīrīts.",
        "Через {seconds} с всё введённое будет удалено.",
        "In {seconds} seconds everything you entered will be cleared.",
    ),
    "idle.continue": L("Turpināt", "Продолжить", "Continue"),
    "keyboard.to_latin": L("Latīņu burti", "Латинские буквы", "Latin letters"),
    "keyboard.to_cyrillic": L("Kirilicas burti", "Русские буквы", "Cyrillic letters"),
    "keyboard.shift": L(
        "Lielais vai mazais burts", "Заглавная или строчная буква", "Capital or small letter"
    ),
    "keyboard.space": L("atstarpe", "пробел", "space"),
    "keyboard.delete": L("dzēst burtu", "стереть букву", "delete a letter"),
    "keyboard.clear": L("notīrīt visu", "стереть всё", "clear all"),
    "a11y.large_text": L("A+ Lielāks teksts", "A+ Крупный текст", "A+ Larger text"),
    "a11y.contrast": L("◐ Kontrasts", "◐ Контраст", "◐ High contrast"),
    "a11y.speech": L("♪ Runa", "♪ Озвучивание", "♪ Speech"),
    "a11y.on": L("ieslēgts", "вкл.", "on"),
    "a11y.off": L("izslēgts", "выкл.", "off"),
    "speech.on": L(
        "Runas režīms ieslēgts. Ar bultiņām vai tabulatoru pārvietojieties, ar Enter izvēlieties, ar R atkārtojiet, ar plus un mīnus mainiet skaļumu.",
        "Озвучивание включено. Стрелками или табуляцией перемещайтесь, клавишей Enter выбирайте, клавишей R повторяйте, плюсом и минусом меняйте громкость.",
        "Speech mode on. Use the arrows or Tab to move, Enter to choose, R to repeat, plus and minus for volume.",
    ),
    "speech.off": L("Runas režīms izslēgts.", "Озвучивание выключено.", "Speech mode off."),
    "speech.screen": L("Ekrāns", "Экран", "Screen"),
    "speech.disabled": L("nav pieejams", "недоступно", "not available"),
    "speech.booked_ticket": L(
        "Jūsu numurs {number}. {service}. Jūs izsauks ap plkst. {time}.",
        "Ваш номер {number}. {service}. Вас вызовут около {time}.",
        "Your number is {number}. {service}. You will be called at about {time}.",
    ),
    "speech.ticket": L(
        "Jūsu numurs {number}. {service}. Pirms jums rindā {ahead}.",
        "Ваш номер {number}. {service}. Перед вами в очереди {ahead}.",
        "Your number is {number}. {service}. People ahead of you: {ahead}.",
    ),
    "speech.ticket_wait": L(
        "Aptuvenā gaidīšana {wait}.", "Примерное ожидание {wait}.", "Estimated wait {wait}."
    ),
    "day.0": L("Pirmdiena", "Понедельник", "Monday"),
    "day.1": L("Otrdiena", "Вторник", "Tuesday"),
    "day.2": L("Trešdiena", "Среда", "Wednesday"),
    "day.3": L("Ceturtdiena", "Четверг", "Thursday"),
    "day.4": L("Piektdiena", "Пятница", "Friday"),
    "day.5": L("Sestdiena", "Суббота", "Saturday"),
    "day.6": L("Svētdiena", "Воскресенье", "Sunday"),
}
