"""One write path: SQL lives in server/store/ only, and every change goes through a writer.

The CLI's admin commands once wrote with transactions of their own (no event, no
actor), and thirteen server modules outside the store ran SQL. These checks read the
code: a SQL statement or a call that runs one anywhere else in server/ fails them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"
STORE = SERVER / "store"
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|"
    r"ROLLBACK|SAVEPOINT|WITH)\b"
)
RUNS_SQL = {"execute", "executemany", "executescript"}


def sql_outside_the_store(path: Path) -> list[str]:
    """`file:line: what` for each SQL string or SQL-running call in a module."""
    tree = ast.parse(path.read_text(), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if SQL.match(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value.strip()[:50]!r}")
        elif isinstance(node, ast.JoinedStr):
            head = node.values[0] if node.values else None
            if isinstance(head, ast.Constant) and SQL.match(str(head.value)):
                found.append(f"{path.name}:{node.lineno}: f-string {str(head.value)[:40]!r}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in RUNS_SQL
        ):
            found.append(f"{path.name}:{node.lineno}: .{node.func.attr}(...)")
    return found


def modules_outside_the_store() -> list[Path]:
    return sorted(p for p in SERVER.rglob("*.py") if STORE not in p.parents)


@pytest.mark.parametrize(
    "path", modules_outside_the_store(), ids=lambda p: str(p.relative_to(SERVER))
)
def test_no_sql_outside_server_store(path: Path) -> None:
    assert sql_outside_the_store(path) == []


def test_the_check_finds_sql_and_queries(tmp_path: Path) -> None:
    """The check must fail on the kinds of code it exists to catch."""
    cases = {
        "plain": 'ROWS = "SELECT id FROM tickets"\n',
        "formatted": 'def f(t):\n    return f"UPDATE {t} SET x = 1"\n',
        "run": "def f(conn, q):\n    return conn.execute(q)\n",
        "transaction": 'def f(tx):\n    tx.execute("BEGIN IMMEDIATE")\n',
    }
    for name, code in cases.items():
        module = tmp_path / f"{name}.py"
        module.write_text(code)
        assert sql_outside_the_store(module), name
    prose = tmp_path / "prose.py"
    prose.write_text('"""Select a service, then update the queue."""\nX = "Selected"\n')
    assert sql_outside_the_store(prose) == []
