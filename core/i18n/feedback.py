"""Texts of the feedback terminal."""

from __future__ import annotations

from core.model import Localized as L

MESSAGES: dict[str, L] = {
    "feedback.question": L("Kā jūs apkalpoja?", "Как вас обслужили?", "How was your service?"),
    "feedback.question_hint": L(
        "Pieskarieties sejai, kas vislabāk atbilst jūsu vērtējumam.",
        "Коснитесь лица, которое лучше всего отражает вашу оценку.",
        "Touch the face that best matches how you feel.",
    ),
    "feedback.for_ticket": L("Biļete {number}", "Талон {number}", "Ticket {number}"),
    "feedback.rating_1": L("Ļoti slikti", "Очень плохо", "Very bad"),
    "feedback.rating_2": L("Slikti", "Плохо", "Bad"),
    "feedback.rating_3": L("Viduvēji", "Средне", "So-so"),
    "feedback.rating_4": L("Labi", "Хорошо", "Good"),
    "feedback.rating_5": L("Ļoti labi", "Очень хорошо", "Very good"),
    "feedback.seconds_left": L(
        "Jautājums pazudīs pēc {seconds} s",
        "Вопрос исчезнет через {seconds} с",
        "This question closes in {seconds} s",
    ),
    "feedback.no_time_limit": L(
        "Runas režīmā laiks nav ierobežots",
        "В режиме речи время не ограничено",
        "No time limit in speech mode",
    ),
    "feedback.thanks": L("Paldies!", "Спасибо!", "Thank you!"),
    "feedback.thanks_body": L(
        "Jūsu vērtējums palīdz mums strādāt labāk.",
        "Ваша оценка помогает нам работать лучше.",
        "Your rating helps us do better.",
    ),
    "feedback.idle": L(
        "Pēc apmeklējuma šeit varēsiet novērtēt apkalpošanu.",
        "После визита здесь можно оценить обслуживание.",
        "After your visit you can rate our service here.",
    ),
    "feedback.entry": L(
        "Novērtējiet apmeklējumu: ievadiet biļetes numuru",
        "Оцените визит: введите номер талона",
        "Rate your visit: enter your ticket number",
    ),
    "feedback.entry_ok": L("Turpināt", "Далее", "Continue"),
    "feedback.erase": L("Dzēst", "Стереть", "Delete"),
    "feedback.error.invalid_input": L(
        "Tas nav biļetes numurs (piemēram, A042).",
        "Это не номер талона (например, A042).",
        "That is not a ticket number (e.g. A042).",
    ),
    "feedback.error.unknown_visit": L(
        "Šodien nav biļetes ar šo numuru.",
        "Сегодня нет талона с таким номером.",
        "There is no ticket with this number today.",
    ),
    "feedback.error.not_served": L(
        "Šī biļete vēl nav apkalpota.",
        "Этот талон ещё не обслужен.",
        "This ticket has not been served yet.",
    ),
    "feedback.error.already_rated": L(
        "Šis apmeklējums jau ir novērtēts. Paldies!",
        "Этот визит уже оценён. Спасибо!",
        "This visit has already been rated. Thank you!",
    ),
    "feedback.error.unreachable": L(
        "Savienojums ar serveri nav pieejams. Lūdzu, mēģiniet vēlāk.",
        "Нет связи с сервером. Пожалуйста, попробуйте позже.",
        "The server cannot be reached. Please try again later.",
    ),
    "feedback.error.other": L(
        "Neizdevās atrast apmeklējumu.", "Не удалось найти визит.", "The visit could not be found."
    ),
}
