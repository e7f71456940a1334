"""Texts of the application forms (kiosk) and the back office (web)."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "apply.choose_type": L("Kāds iesniegums?", "Какое заявление?", "Which application?"),
    "apply.step": L("{step}. solis no {total}", "Шаг {step} из {total}", "Step {step} of {total}"),
    "apply.optional": L("(nav obligāti)", "(необязательно)", "(optional)"),
    "apply.required": L("(obligāti)", "(обязательно)", "(required)"),
    "apply.chosen": L("izvēlēts", "выбрано", "chosen"),
    "apply.need.for_delivery.email": L(
        "Vajadzīgs, jo atbildi vēlaties saņemt pa e-pastu.",
        "Нужно, так как вы хотите получить ответ по e-mail.",
        "Needed because you want the answer by e-mail.",
    ),
    "apply.need.for_delivery.address": L(
        "Vajadzīga, jo atbildi vēlaties saņemt pa pastu.",
        "Нужен, так как вы хотите получить ответ по почте.",
        "Needed because you want the answer by post.",
    ),
    "apply.need.one_contact": L(
        "Lai ar jums varētu sazināties, norādiet tālruni vai e-pastu (vismaz vienu).",
        "Чтобы с вами могли связаться, укажите телефон или e-mail (хотя бы одно).",
        "So that we can reach you, give a phone number or an e-mail address (at least one).",
    ),
    "apply.need.contact.email": L(
        "Vajadzīgs, jo tālrunis nav norādīts: ar jums ir jāvar sazināties.",
        "Нужно, так как телефон не указан: с вами должны иметь возможность связаться.",
        "Needed because no phone number was given: we must be able to reach you.",
    ),
    "apply.need.contact.phone": L(
        "Vajadzīgs, jo e-pasts nav norādīts: ar jums ir jāvar sazināties.",
        "Нужен, так как e-mail не указан: с вами должны иметь возможность связаться.",
        "Needed because no e-mail address was given: we must be able to reach you.",
    ),
    "apply.next": L("Tālāk", "Далее", "Next"),
    "apply.skip": L("Izlaist", "Пропустить", "Skip"),
    "apply.consent_title": L("Piekrišana", "Согласие", "Consent"),
    "apply.consent_text": L(
        "Jūsu dati tiks izmantoti tikai šī iesnieguma izskatīšanai un tiks dzēsti pēc noteiktā "
        "glabāšanas laika. Iesniegumu redzēs tikai atbildīgās iestādes darbinieki.",
        "Ваши данные будут использованы только для рассмотрения этого заявления и удалены "
        "после установленного срока хранения. Заявление увидят только сотрудники "
        "ответственного учреждения.",
        "Your data will be used only to handle this application and deleted after the set "
        "retention period. Only staff of the responsible institution will see it.",
    ),
    "apply.consent_agree": L("Piekrītu", "Согласен(на)", "I agree"),
    "apply.review_title": L(
        "Pārbaudiet iesniegumu", "Проверьте заявление", "Check your application"
    ),
    "apply.change": L("Labot", "Исправить", "Change"),
    "apply.submit": L("Iesniegt", "Подать", "Submit"),
    "apply.sending": L("Iesniedzam…", "Отправляем…", "Sending…"),
    "apply.done_title": L("Iesniegums saņemts", "Заявление принято", "Application received"),
    "apply.done_body": L(
        "Reģistrācijas numurs: {number}\nPārbaudes kods: {secret}\nAtbilde līdz {deadline}",
        "Регистрационный номер: {number}\nКод проверки: {secret}\nОтвет до {deadline}",
        "Registration number: {number}\nStatus code: {secret}\nAnswer due by {deadline}",
    ),
    "apply.receipt_printed": L(
        "Paņemiet kvīti.", "Возьмите квитанцию.", "Please take your receipt."
    ),
    "apply.receipt_failed": L(
        "Kvīti nevarēja izdrukāt. Lūdzu, pierakstiet numuru un kodu vai pajautājiet darbiniekam.",
        "Квитанцию не удалось напечатать. Запишите номер и код или обратитесь к сотруднику.",
        "The receipt could not be printed. Please write the number and code down or ask staff.",
    ),
    "apply.queued_title": L(
        "Iesniegums saglabāts kioskā",
        "Заявление сохранено в киоске",
        "Application saved at this kiosk",
    ),
    "apply.queued_body": L(
        "Savienojums ar serveri pašlaik nav pieejams. Jūsu iesniegums ir droši saglabāts un tiks "
        "nosūtīts automātiski, tiklīdz savienojums atjaunosies. Atsauces kods: {reference}. "
        "Reģistrācijas numuru jums paziņos pa norādīto tālruni vai e-pastu; to var uzzināt arī "
        "pie darbinieka, nosaucot atsauces kodu.",
        "Связь с сервером сейчас недоступна. Ваше заявление надёжно сохранено и будет "
        "отправлено автоматически, как только связь восстановится. Код ссылки: {reference}. "
        "Регистрационный номер вам сообщат по указанному телефону или e-mail; его также можно "
        "узнать у сотрудника, назвав код ссылки.",
        "The server cannot be reached right now. Your application is safely stored and will be "
        "sent automatically as soon as the connection is back. Reference: {reference}. You will "
        "be told the registration number by the phone or e-mail you gave; staff can also find "
        "it from the reference.",
    ),
    "apply.failed": L(
        "Iesniegumu neizdevās iesniegt: {reason}",
        "Не удалось подать заявление: {reason}",
        "The application could not be lodged: {reason}",
    ),
    "apply.delivery.in_person": L("Saņemšu klātienē", "Получу лично", "I will collect it"),
    "apply.delivery.post": L("Pa pastu", "По почте", "By post"),
    "apply.delivery.email": L("Pa e-pastu", "По e-mail", "By e-mail"),
    "field_error.required": L(
        "Šis lauks ir jāaizpilda.", "Это поле нужно заполнить.", "Please fill this in."
    ),
    "field_error.too_long": L(
        "Teksts ir par garu.", "Текст слишком длинный.", "The text is too long."
    ),
    "field_error.not_text": L("Ievadiet tekstu.", "Введите текст.", "Please enter text."),
    "field_error.control_characters": L(
        "Tekstā ir neatļautas rakstzīmes.",
        "В тексте недопустимые символы.",
        "The text has characters that are not allowed.",
    ),
    "field_error.unknown_field": L("Nezināms lauks.", "Неизвестное поле.", "Unknown field."),
    "field_error.invalid_phone": L(
        "Tālruņa numurs nav pareizs, piemēram: 20000000.",
        "Неверный номер телефона, например: 20000000.",
        "This is not a phone number; for example 20000000.",
    ),
    "field_error.invalid_email": L(
        "E-pasta adrese nav pareiza, piemēram: vards@epasts.lv.",
        "Неверный адрес e-mail, например: imja@pochta.lv.",
        "This is not an e-mail address; for example name@mail.lv.",
    ),
    "field_error.invalid_choice": L(
        "Izvēlieties kādu no iespējām.",
        "Выберите один из вариантов.",
        "Please pick one of the choices.",
    ),
    "field_error.contact_required": L(
        "Norādiet tālruni vai e-pastu, lai ar jums varētu sazināties.",
        "Укажите телефон или e-mail, чтобы с вами могли связаться.",
        "Give a phone number or an e-mail address so that we can reach you.",
    ),
    "field_error.consent_required": L(
        "Nepieciešama jūsu piekrišana.", "Нужно ваше согласие.", "Your consent is needed."
    ),
    "field_error.personal_code_format": L(
        "Personas kodā ir 11 cipari, piemēram: 010203-12345.",
        "В персональном коде 11 цифр, например: 010203-12345.",
        "A personal code has 11 digits, for example 010203-12345.",
    ),
    "field_error.personal_code_date": L(
        "Personas koda sākumā nav pareiza dzimšanas datuma.",
        "В начале персонального кода неверная дата рождения.",
        "The start of the personal code is not a real date of birth.",
    ),
    "field_error.personal_code_checksum": L(
        "Personas kodā ir kļūda; pārbaudiet ciparus.",
        "В персональном коде ошибка; проверьте цифры.",
        "The personal code has a mistake; please check the digits.",
    ),
    "field_error.unknown_type": L(
        "Nezināms iesnieguma veids.", "Неизвестный вид заявления.", "Unknown application type."
    ),
    "lookup.title": L("Iesnieguma statuss", "Статус заявления", "Application status"),
    "lookup.number": L(
        "Reģistrācijas numurs (no kvīts)",
        "Регистрационный номер (с квитанции)",
        "Registration number (from the receipt)",
    ),
    "lookup.secret": L(
        "Pārbaudes kods (no kvīts)", "Код проверки (с квитанции)", "Status code (from the receipt)"
    ),
    "lookup.check": L("Pārbaudīt", "Проверить", "Check"),
    "lookup.not_found": L(
        "Nav atrasts iesniegums ar šo numuru un kodu. Pārbaudiet tos kvītī.",
        "Заявление с таким номером и кодом не найдено. Проверьте их на квитанции.",
        "No application matches this number and code. Please check them on your receipt.",
    ),
    "lookup.too_many": L(
        "Pārāk daudz mēģinājumu. Lūdzu, mēģiniet pēc minūtes.",
        "Слишком много попыток. Попробуйте через минуту.",
        "Too many attempts. Please try again in a minute.",
    ),
    "lookup.result": L(
        "{type}\nStatuss: {status}\nAtbilde līdz {deadline}",
        "{type}\nСтатус: {status}\nОтвет до {deadline}",
        "{type}\nStatus: {status}\nAnswer due by {deadline}",
    ),
    "app_status.received": L("saņemts", "получено", "received"),
    "app_status.forwarded": L(
        "pārsūtīts atbildīgajai iestādei",
        "передано ответственному учреждению",
        "forwarded to the responsible institution",
    ),
    "app_status.in_progress": L("tiek izskatīts", "рассматривается", "being handled"),
    "app_status.answered": L("atbildēts", "дан ответ", "answered"),
    "app_status.rejected": L("noraidīts", "отклонено", "rejected"),
}
