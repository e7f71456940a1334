"""Shared domain of Rinda: pure queue rules plus a few shared I/O helpers.

Pure modules (standard library only, no I/O, no clock reads; enforced by
`tests/core/test_purity.py`): model, errors, numbering, hours, lifecycle,
routing, estimate, events, catalogue, applications, personal_code, issuing,
settings, i18n.
I/O modules: clock, client, discovery, speech, cli.
"""
