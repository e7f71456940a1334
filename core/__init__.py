"""The pure domain of Rinda: every queue rule, figure and text the parts share.

Every module here is pure (standard library only, no I/O, no clock reads: time is
passed in), checked by `tests/core/test_purity.py` without a list to keep, except the
few I/O seams that test names with their reason: `clock`, `discovery`,
`settings_file` and `data`. Where each rule lives: docs/architecture.md.
"""
