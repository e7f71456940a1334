"""The feedback terminal: a small touchscreen at a counter or by the exit where a visitor
rates the service with five faces (`rinda feedback`; docs/feedback-terminal.md).

It shares the kiosk's widgets, theme and keypad handling (`kiosk`) and the terminals'
client (`terminal`); its flow (`feedback.flow`) and durable ratings (`feedback.backend`)
are its own.
"""
