"""The JSON contract between Rinda's programs: typed wire views, one home for all.

Every payload a terminal, the console or the network hub reads has a frozen
dataclass here, with one encoder and one decoder (`view.encode()`,
`View.decode(json)`, both from `codec`):

    codec       the encoder and decoder of every view; `Json`, `WireError`
    version     `SCHEMA_VERSION` and the rule readers apply (`UnsupportedVersion`)
    payloads    REST answers: tickets, services, counters, the centre, the queue,
                recent calls, health, application forms, feedback visits
    event_data  the data of each event type
    events      the event envelope, `EVENT_DATA` (type -> data view),
                `encode_event` / `decode_event`

The server builds its answers and events from these views and declares them as its
response models (`server.api.wire_models`), so `/api/v1/openapi.json` is generated
from this package; terminals decode into them instead of reading dicts. Pure:
standard library and pure `core` only.
"""
