"""Web pages served by the centre server: sign-in, clerk console, manager view, admin
pages and the public ticket-status page. Pages are Jinja2 templates (autoescaped)
with small scripts that talk to the REST API and the event stream."""
