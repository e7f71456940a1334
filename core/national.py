"""The national service catalogue and a centre's subscription to it.

The hub publishes the **national catalogue**: a catalogue document with only the
shared sections (`core.catalogue.SHARED_SECTIONS`: services with their standards,
departments, categories, life situations, application types), validated by the one
catalogue validator (`core.catalogue.parse_services`). Every change is a numbered
version; a service once published never disappears from later versions: one left
out is kept as withdrawn (`with_withdrawn`), so every centre can still serve the
tickets already issued for it.

A subscribed centre's own file keeps what is local (`[centre]`, `[policy]`,
`[hours]`, `[[counters]]`), says which national services it offers
(`[subscription] offer = [...]`), may set a national service's local operational
fields (`[[subscription.services]]`: `LOCAL_SERVICE_FIELDS`) and may add local-only
services (`[[services]]` with `local = true`, and their own categories, life
situations and departments). It can never set a national standard field: that is
refused naming the field. `subscribed_catalogue` joins the two into the centre's
`Catalogue`. Applications for a national department (institution) are forwarded to
the hub unless `[subscription] back_office = [...]` names it: the one rule of which
applications leave the centre (`Catalogue.forwarded_departments`).

`describe_changes` says in words what changed between two versions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from core.catalogue import (
    CENTRE_SECTIONS,
    SHARED_SECTIONS,
    Catalogue,
    Services,
    parse_catalogue,
    parse_services,
)
from core.catalogue_services import SERVICE_FIELDS
from core.errors import CatalogueError
from core.settings import Table

LOCAL_SERVICE_FIELDS = frozenset(
    {
        "id",
        "prefix",
        "expected_duration_minutes",
        "target_wait_minutes",
        "daily_cap",
        "hours",
        "appointments",
    }
)
"""What a centre may set for a national service it offers: how its queue (and its
appointments) run here."""
NATIONAL_STANDARD_FIELDS = SERVICE_FIELDS - LOCAL_SERVICE_FIELDS
"""The fields of a national service that only the national catalogue sets."""
SUBSCRIPTION = "subscription"


@dataclass(frozen=True)
class NationalCatalogue:
    """One version of the national catalogue: its document (parsed TOML) and what the
    one catalogue validator made of it."""

    data: Mapping[str, Any]
    services: Services

    @property
    def service_ids(self) -> tuple[str, ...]:
        """Every service id of the version, withdrawn ones included."""
        return tuple(s.id for s in self.services.services)


def parse_national(
    data: Mapping[str, Any], source: str = "national catalogue"
) -> NationalCatalogue:
    """Validate a national catalogue document (parsed TOML): only the shared sections,
    checked by the catalogue's own validator; no service marked local. Raises
    `CatalogueError` naming `source` and the field."""
    root = Table(dict(data), source=source, error=CatalogueError)
    unknown = sorted(set(root.data) - SHARED_SECTIONS)
    if unknown:
        where = "a centre's own file" if unknown[0] in CENTRE_SECTIONS else "a catalogue"
        raise CatalogueError(
            f"{source}: {unknown[0]}: is not part of the national catalogue (it belongs in "
            f"{where}); the national catalogue has {', '.join(sorted(SHARED_SECTIONS))}"
        )
    services = parse_services(root)
    for index, service in enumerate(services.services):
        if service.is_local:
            raise root.fail(f"services[{index}].local", "a national service cannot be local")
    return NationalCatalogue(dict(data), services)


def with_withdrawn(
    data: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> tuple[dict[str, Any], list[str]]:
    """`data` with every service of `previous` that it leaves out kept as withdrawn
    (its last definition, `withdrawn = true`): a published service id never disappears,
    so centres can finish the tickets issued for it. Returns the document and the ids
    so kept."""
    result = dict(data)
    if previous is None:
        return result, []
    present = {s.get("id") for s in result.get("services", []) if isinstance(s, dict)}
    kept = [
        {**service, "withdrawn": True}
        for service in previous.get("services", [])
        if isinstance(service, dict) and service.get("id") not in present
    ]
    if kept:
        result["services"] = [*result.get("services", []), *kept]
    return result, [str(s["id"]) for s in kept]


def subscribed_catalogue(
    local: Mapping[str, Any],
    national: Mapping[str, Any],
    *,
    version: int,
    source: str = "centre file",
) -> Catalogue:
    """The centre's catalogue: its own file (`local`, parsed TOML read from `source`)
    joined with national catalogue `version` (`national`, parsed TOML). The local file's
    services, categories, life situations, departments and application types come first,
    so an error names the field as it is in the local file. Raises `CatalogueError`."""
    root = Table(dict(local), source=source, error=CatalogueError)
    root.reject_unknown(SHARED_SECTIONS | CENTRE_SECTIONS | {SUBSCRIPTION})
    published = parse_national(national, f"national catalogue version {version}")
    by_id = {
        s["id"]: s
        for s in national.get("services", [])
        if isinstance(s, dict) and isinstance(s.get("id"), str)
    }
    subscription = root.child(SUBSCRIPTION)
    subscription.reject_unknown({"offer", "services", "back_office"})
    offer = subscription.string_list("offer")
    if not offer:
        raise subscription.fail("offer", "list the national services this centre offers")
    for service_id in offer:
        if service_id not in by_id:
            raise subscription.fail(
                "offer", f"{service_id!r} is not a service of national catalogue version {version}"
            )
    overrides = _local_settings(subscription, set(offer))
    _check_local_ids(root, published)
    merged: dict[str, Any] = {key: local[key] for key in CENTRE_SECTIONS if key in local}
    for section in ("categories", "life_situations", "departments"):
        merged[section] = [*local.get(section, []), *national.get(section, [])]
    merged["services"] = [
        *local.get("services", []),
        *({**by_id[service_id], **overrides.get(service_id, {})} for service_id in offer),
    ]
    offered = set(offer) | {s.get("id") for s in local.get("services", []) if isinstance(s, dict)}
    merged["application_types"] = [
        *local.get("application_types", []),
        *(
            kind
            for kind in national.get("application_types", [])
            if isinstance(kind, dict) and kind.get("service") in offered
        ),
    ]
    catalogue = parse_catalogue(merged, source, national_version=version)
    national_departments = {d.id for d in published.services.departments}
    back_office = subscription.string_list("back_office")
    for department_id in back_office:
        if department_id not in national_departments:
            raise subscription.fail(
                "back_office",
                f"{department_id!r} is not a department of national catalogue version "
                f"{version} (a centre's own departments are always its back office's)",
            )
    return replace(
        catalogue, forwarded_departments=frozenset(national_departments - set(back_office))
    )


def _local_settings(subscription: Table, offered: set[str]) -> dict[str, dict[str, Any]]:
    """`[[subscription.services]]`: a national service's local operational fields; a
    national standard field is refused naming it."""
    settings: dict[str, dict[str, Any]] = {}
    for node in subscription.children("services", required=False):
        service_id = node.ident("id")
        if service_id not in offered:
            raise node.fail("id", f"{service_id!r} is not in subscription.offer")
        for key in node.data:
            if key in NATIONAL_STANDARD_FIELDS:
                raise node.fail(
                    key,
                    "is a national standard field: it comes from the national catalogue "
                    "and a centre cannot override it (only "
                    f"{', '.join(sorted(LOCAL_SERVICE_FIELDS - {'id'}))} are set here)",
                )
        node.reject_unknown(LOCAL_SERVICE_FIELDS)
        if service_id in settings:
            raise node.fail("id", f"{service_id!r} is set twice")
        settings[service_id] = {k: v for k, v in node.data.items() if k != "id"}
    return settings


def _check_local_ids(root: Table, published: NationalCatalogue) -> None:
    """Local-only services are marked `local = true` and never reuse a national id."""
    national_ids = {
        "services": set(published.service_ids),
        "categories": {c.id for c in published.services.categories},
        "life_situations": {s.id for s in published.services.life_situations},
        "departments": {d.id for d in published.services.departments},
        "application_types": {a.id for a in published.services.application_types},
    }
    for section, ids in national_ids.items():
        for node in root.children(section, required=False):
            value = node.data.get("id")
            if value in ids:
                raise node.fail(
                    "id",
                    f"{value!r} is in the national catalogue; a centre's own {section} "
                    "need ids of their own",
                )
    for node in root.children("services", required=False):
        if node.data.get("local") is not True:
            raise node.fail(
                "local",
                "a service in a subscribed centre's file is local-only: mark it "
                "`local = true` (national services are offered in [subscription] offer)",
            )


# -- what changed, in words ------------------------------------------------------------

_SECTION_WORDS = {
    "services": "service",
    "departments": "department",
    "categories": "category",
    "life_situations": "life situation",
    "application_types": "application type",
}


def describe_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """What changed from document `old` to document `new`, one sentence each, e.g.
    `Service 'building-permit': standard.fee_amount changed from 10.0 to 12.5.`"""
    changes: list[str] = []
    for section, word in _SECTION_WORDS.items():
        before = _by_id(old.get(section, []))
        after = _by_id(new.get(section, []))
        for item_id, item in after.items():
            name = _name(item)
            if item_id not in before:
                changes.append(f"Added {word} {item_id!r}{name}.")
                continue
            was = before[item_id]
            if section == "services" and bool(was.get("withdrawn")) != bool(item.get("withdrawn")):
                verb = "Withdrew" if item.get("withdrawn") else "Restored"
                changes.append(f"{verb} service {item_id!r}{name}.")
            for key, (a, b) in _field_changes(was, item).items():
                if key == "withdrawn":
                    continue
                changes.append(
                    f"{word.capitalize()} {item_id!r}: {key} changed from {_shown(a)} to "
                    f"{_shown(b)}."
                )
        for item_id, item in before.items():
            if item_id not in after:
                changes.append(f"Removed {word} {item_id!r}{_name(item)}.")
    return changes


def _by_id(items: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(items, list):
        return {}
    return {str(i["id"]): i for i in items if isinstance(i, dict) and "id" in i}


def _name(item: Mapping[str, Any]) -> str:
    name = item.get("name")
    if isinstance(name, dict) and name.get("en"):
        return f" ({name['en']})"
    return ""


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        flat: dict[str, Any] = {}
        for key, inner in value.items():
            flat.update(_flat(inner, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: value}


def _field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, tuple[Any, Any]]:
    a, b = _flat(dict(before)), _flat(dict(after))
    return {
        key: (a.get(key), b.get(key))
        for key in sorted(a.keys() | b.keys())
        if a.get(key) != b.get(key)
    }


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "...'"
