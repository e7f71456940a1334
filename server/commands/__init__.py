"""The commands that change a centre, by subject; each runs as one writer transaction.

Queue commands (tickets, counters, housekeeping) work on the engine's live state;
admin commands (users, devices, opening hours) are plain functions of a transaction,
run by the server's writer for the admin pages and by a writer of the command line's
own for `rinda users|devices|hours` (`server.admin.run_admin`): one code path, so
every change writes its event and names its actor.
"""
