"""Notifications to residents by e-mail and SMS, through a durable outbox.

    outbox      queue a message in the transaction of what triggers it (once per trigger)
    senders     SMTP and a generic HTTP SMS gateway; `SendError` on any failure
    dispatcher  deliver due messages, retry with back-off, give up visibly
    config      the notifications settings file

Errors: `SendError` (a message could not be handed on; retried).
"""
