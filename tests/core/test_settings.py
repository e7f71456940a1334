"""One settings reader: every file is read by the same typed rules, and every error is one
line naming the file, the key, the value found and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.errors import CatalogueError, SettingsError
from core.settings import (
    POSITIVE,
    Table,
    between,
    choices,
    parse_document,
    read_settings,
    with_overrides,
)
from core.settings_file import load_settings
from tests.support.processes import rinda


@dataclass(frozen=True)
class Example:
    name: str = "x"
    seconds: float = field(default=1.0, metadata=POSITIVE)
    count: int = field(default=3, metadata=between(1, 9))
    loud: bool = False
    where: Path | None = None
    languages: tuple[str, ...] = field(default=("lv",), metadata=choices("lv", "ru", "en"))


def read(text: str) -> Example:
    return read_settings(parse_document(text, "example.toml"), Example())


def test_values_are_read_by_their_fields_types() -> None:
    settings = read('seconds = 2\ncount = 4\nloud = true\nwhere = "/tmp"\nlanguages = ["ru"]\n')
    assert settings == Example("x", 2.0, 4, True, Path("/tmp"), ("ru",))
    assert read('where = ""\n').where is None, "an empty text is None where None is allowed"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('seconds = "sixty"', "example.toml: seconds: must be a number, got 'sixty'"),
        ('loud = "no"', "example.toml: loud: must be true or false, got 'no'"),
        ("loud = 0", "example.toml: loud: must be true or false, got 0"),
        ("count = 2.5", "example.toml: count: must be a whole number, got 2.5"),
        ("count = true", "example.toml: count: must be a whole number, got True"),
        ("name = 5", "example.toml: name: must be text, got 5"),
        ('languages = "lv,ru"', "example.toml: languages: must be a list of text values"),
        ('languages = ["de"]', "example.toml: languages: 'de' is not one of lv, ru, en"),
        ("seconds = 0", "example.toml: seconds: must be positive, got 0"),
        ("count = 10", "example.toml: count: must be between 1 and 9, got 10"),
        ("colour = 1", "example.toml: colour: is not a known field"),
        ("seconds = ", "example.toml: not valid TOML"),
    ],
)
def test_a_wrong_value_is_one_line_naming_file_key_value_and_type(text: str, message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        read(text + "\n")
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_nested_keys_are_named_by_their_path() -> None:
    table = parse_document('[[services]]\nid = "a"\n[[services]]\nid = 7\n', "c.toml")
    with pytest.raises(SettingsError, match=r"^c\.toml: services\[1\]\.id: must be text, got 7$"):
        [service.text("id") for service in table.children("services")]
    catalogue = Table({"x": "y"}, source="centre.toml", error=CatalogueError)
    with pytest.raises(CatalogueError, match="centre.toml: x: must be a whole number"):
        catalogue.integer("x")


def test_command_line_values_are_checked_by_the_same_rules() -> None:
    settings = with_overrides(Example(), {"languages": "ru,en", "seconds": None, "where": ""})
    assert settings.languages == ("ru", "en") and settings.seconds == 1.0
    assert settings.where is None
    with pytest.raises(SettingsError, match="^command line: count: must be between 1 and 9"):
        with_overrides(Example(), {"count": 0})


def test_a_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="nowhere.toml: cannot be read"):
        load_settings(tmp_path / "nowhere.toml", Example(), {})


BAD_FILES = {
    "kiosk": (["kiosk"], 'idle_seconds = "sixty"\n', "idle_seconds: must be a number, got 'sixty'"),
    "kiosk, a boolean in words": (
        ["kiosk"],
        'fullscreen = "no"\n',
        "fullscreen: must be true or false, got 'no'",
    ),
    "feedback terminal": (
        ["feedback"],
        'question_seconds = "half a minute"\n',
        "question_seconds: must be a number, got 'half a minute'",
    ),
    "display": (["display"], 'recent = "eight"\n', "recent: must be a whole number, got 'eight'"),
    "display, a boolean in words": (
        ["display"],
        'sound = "off"\n',
        "sound: must be true or false, got 'off'",
    ),
    "server": (["server"], 'port = "8787"\n', "port: must be a whole number, got '8787'"),
}


@pytest.mark.parametrize(("command", "content", "message"), BAD_FILES.values(), ids=list(BAD_FILES))
def test_every_program_refuses_a_wrong_setting_in_one_line(
    tmp_path: Path, command: list[str], content: str, message: str
) -> None:
    """`idle_seconds = "sixty"` once crashed `rinda kiosk` with a traceback, and
    `fullscreen = "no"` was read as true; every program now answers alike."""
    path = tmp_path / "settings.toml"
    path.write_text(content)
    result = rinda(*command, "--config", str(path), check=False)
    assert result.returncode == 2
    assert result.stderr == f"error: {path}: {message}\n"
