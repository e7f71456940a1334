"""The strict JSON reader's fast path: strings are examined only when the text writes a
surrogate escape, so every way of writing one must still be found."""

from __future__ import annotations

import json

import pytest

from server.api.json_body import MAX_DEPTH, decode_json


@pytest.mark.parametrize("escape", ["\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF", "\\uDc0a"])
@pytest.mark.parametrize("where", ["value", "name", "deep"])
def test_every_lone_surrogate_escape_is_refused(escape: str, where: str) -> None:
    text = {
        "value": f'{{"a": "x{escape}y"}}',
        "name": f'{{"{escape}": 1}}',
        "deep": f'{{"a": [1, {{"b": ["{escape}"]}}]}}',
    }[where]
    with pytest.raises(json.JSONDecodeError, match="surrogate"):
        decode_json(text.encode())


def test_pairs_and_escaped_backslashes_are_text() -> None:
    assert decode_json(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}
    assert decode_json(b'{"a": "\\\\ud800"}') == {"a": "\\ud800"}  # a backslash, then text


def test_depth_is_counted_in_arrays_and_objects_alike() -> None:
    deepest = "[" * (MAX_DEPTH - 1) + '{"a": 1}' + "]" * (MAX_DEPTH - 1)
    assert decode_json(deepest.encode()) is not None
    too_deep = "[" * MAX_DEPTH + '{"a": 1}' + "]" * MAX_DEPTH
    with pytest.raises(json.JSONDecodeError, match="deeper"):
        decode_json(too_deep.encode())
