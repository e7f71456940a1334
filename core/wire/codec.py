"""One encoder and one decoder for every wire view: frozen dataclasses to JSON and back.

A view's JSON object has one member per dataclass field, under the field's name,
converted by the field's type:

    str, int, float, bool, None   as they are (an int is never a bool, a float may be an int)
    datetime                      ISO 8601 with its offset (`datetime.isoformat`)
    date                          `YYYY-MM-DD`
    StrEnum                       its value; decoding refuses a value it does not list
    tuple[X, ...]                 a JSON array
    Mapping[str, X]               a JSON object
    a dataclass                   a JSON object, recursively (so is `core.model.Localized`)
    X | None                      null or X
    Any                           as it is (JSON already)

Decoding ignores members it does not know (a newer writer may add fields: see
`core.wire.SCHEMA_VERSION`) unless `strict=True` (tests use it to prove an encoder
writes nothing undeclared), fills a missing member from the field's default and
raises `WireError`, naming the member's path, when a member is missing without a
default or has the wrong type.

Pure: standard library only. The per-class plan (field names and converters) is
built once per class, so encoding costs one dict comprehension.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

Json = dict[str, Any]
"""A decoded JSON object: the one alias for untyped JSON in Rinda."""

T = TypeVar("T")
Encoder = Callable[[Any], Any]
Decoder = Callable[[Any, str, bool], Any]
_MISSING = dataclasses.MISSING


class WireError(ValueError):
    """A JSON payload does not have the shape of its wire view; the message names the
    member (`ticket.called_at`) and what is wrong with it."""


OMIT_WHEN_NONE = "omit_when_none"
"""Field metadata key: the member is left out when its value is None (see `omitted`)."""


def omitted() -> Any:
    """A field that defaults to None and is left out of the JSON when None: an optional
    detail only some payloads of a kind carry (the error of a failed print)."""
    return dataclasses.field(default=None, metadata={OMIT_WHEN_NONE: True})


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    encode: Encoder
    decode: Decoder
    default: Any
    default_factory: Any
    omit_when_none: bool


_PLANS: dict[type, tuple[_Field, ...]] = {}
_OMITTING: set[type] = set()


def _identity(value: Any) -> Any:
    return value


def _optional(encode: Encoder) -> Encoder:
    if encode is _identity:
        return _identity
    return lambda value: None if value is None else encode(value)


def _kind_error(path: str, expected: str, value: Any) -> WireError:
    return WireError(f"{path or 'the payload'}: expected {expected}, got {value!r:.60}")


def _scalar(kind: type, expected: str) -> Decoder:
    def decode(value: Any, path: str, strict: bool) -> Any:
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        raise _kind_error(path, expected, value)

    return decode


def _decode_float(value: Any, path: str, strict: bool) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    raise _kind_error(path, "a number", value)


def _time_decoder(kind: type[date]) -> Decoder:
    def decode(value: Any, path: str, strict: bool) -> Any:
        if not isinstance(value, str):
            raise _kind_error(path, f"an ISO 8601 {kind.__name__}", value)
        try:
            return kind.fromisoformat(value)
        except ValueError:
            raise _kind_error(path, f"an ISO 8601 {kind.__name__}", value) from None

    return decode


def _enum_decoder(kind: type[StrEnum]) -> Decoder:
    def decode(value: Any, path: str, strict: bool) -> Any:
        try:
            return kind(value)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise _kind_error(path, f"one of {choices}", value) from None

    return decode


def _converters(hint: Any) -> tuple[Encoder, Decoder]:
    """The encoder and decoder of one field type."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"a wire field may be X | None, not {hint}")
        some_encode, some_decode = _converters(options[0])

        def decode_optional(value: Any, path: str, strict: bool) -> Any:
            return None if value is None else some_decode(value, path, strict)

        return _optional(some_encode), decode_optional
    if origin is tuple:
        item_encode, item_decode = _converters(args[0])

        def decode_tuple(value: Any, path: str, strict: bool) -> Any:
            if not isinstance(value, list | tuple):
                raise _kind_error(path, "an array", value)
            return tuple(item_decode(v, f"{path}[{i}]", strict) for i, v in enumerate(value))

        if item_encode is _identity:
            return list, decode_tuple
        return (lambda value: [item_encode(v) for v in value]), decode_tuple
    if origin in (Mapping, dict) or hint is dict:
        value_encode, value_decode = _converters(args[1]) if args else (_identity, _any)

        def decode_mapping(value: Any, path: str, strict: bool) -> Any:
            if not isinstance(value, dict):
                raise _kind_error(path, "an object", value)
            return {k: value_decode(v, f"{path}.{k}", strict) for k, v in value.items()}

        if value_encode is _identity:
            return dict, decode_mapping
        return (lambda value: {k: value_encode(v) for k, v in value.items()}), decode_mapping
    if hint is Any:
        return _identity, _any
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            kind = hint
            return encode, (
                lambda value, path, strict: decode(kind, value, strict=strict, path=path)
            )
        if issubclass(hint, StrEnum):
            return (lambda value: value.value), _enum_decoder(hint)
        if issubclass(hint, bool):
            return _identity, _scalar(bool, "true or false")
        if issubclass(hint, int):
            return _identity, _scalar(int, "an integer")
        if issubclass(hint, float):
            return _identity, _decode_float
        if issubclass(hint, str):
            return _identity, _scalar(str, "a string")
        if issubclass(hint, datetime):
            return (lambda value: value.isoformat()), _time_decoder(datetime)
        if issubclass(hint, date):
            return (lambda value: value.isoformat()), _time_decoder(date)
    raise TypeError(f"no wire form for {hint!r}")


def _any(value: Any, path: str, strict: bool) -> Any:
    return value


def plan(cls: type) -> tuple[_Field, ...]:
    """The fields of a wire view with their converters (built once per class)."""
    found = _PLANS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        fields = []
        for spec in dataclasses.fields(cls):
            to_json, from_json = _converters(hints[spec.name])
            omit = bool(spec.metadata.get(OMIT_WHEN_NONE))
            fields.append(
                _Field(spec.name, to_json, from_json, spec.default, spec.default_factory, omit)
            )
            if omit:
                _OMITTING.add(cls)
        found = _PLANS[cls] = tuple(fields)
    return found


def encode(view: Any) -> Json:
    """The view as a JSON object: every field in declaration order (but an `omitted`
    field whose value is None)."""
    fields = plan(type(view))
    if type(view) not in _OMITTING:
        return {f.name: f.encode(getattr(view, f.name)) for f in fields}
    result = {}
    for f in fields:
        value = getattr(view, f.name)
        if value is not None or not f.omit_when_none:
            result[f.name] = f.encode(value)
    return result


def decode(cls: type[T], data: Any, *, strict: bool = False, path: str = "") -> T:
    """The view of type `cls` in `data` (a decoded JSON object). Unknown members are
    ignored, or refused with `strict`; `WireError` when a member is missing or wrong."""
    if not isinstance(data, dict):
        raise _kind_error(path, f"an object ({cls.__name__})", data)
    fields = plan(cls)
    values: dict[str, Any] = {}
    prefix = f"{path}." if path else ""
    for f in fields:
        if f.name in data:
            values[f.name] = f.decode(data[f.name], prefix + f.name, strict)
        elif f.default is not _MISSING:
            values[f.name] = f.default
        elif f.default_factory is not _MISSING:
            values[f.name] = f.default_factory()
        else:
            raise WireError(f"{prefix}{f.name}: missing (a {cls.__name__} needs it)")
    if strict:
        unknown = sorted(set(data) - {f.name for f in fields})
        if unknown:
            raise WireError(f"{path or cls.__name__}: unknown members {', '.join(unknown)}")
    return cls(**values)


class WireView:
    """Mixin of the wire views: `view.encode()` and `View.decode(json)`."""

    __slots__ = ()

    def encode(self) -> Json:
        """This view as a JSON object (`core.wire.codec.encode`)."""
        return encode(self)

    @classmethod
    def decode(cls: type[T], data: Any, *, strict: bool = False) -> T:
        """A view of this type from a JSON object (`core.wire.codec.decode`)."""
        return decode(cls, data, strict=strict)
