"""The one sign-in form rule of the centre's and the hub's pages: no open redirect."""

from __future__ import annotations

import pytest

from server.web.signin_form import local_path


@pytest.mark.parametrize(
    ("target", "followed"),
    [
        ("/console", "/console"),
        ("/network?municipality=riga", "/network?municipality=riga"),
        ("//evil.example/console", ""),
        ("https://evil.example/", ""),
        ("javascript:alert(1)", ""),
        ("", ""),
    ],
)
def test_only_a_path_on_this_server_is_followed_after_signing_in(
    target: str, followed: str
) -> None:
    assert local_path(target) == followed
