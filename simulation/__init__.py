"""A discrete-event simulator of a centre's day, driving the real queue rules of `core`.

Arrivals, visit lengths, no-shows and transfers are random (seeded); every
decision (who is called next, what a visitor is told to expect, whether a
ticket is still issued before closing) is made by the same `core` functions
the server uses. See docs/simulation.md.
"""
