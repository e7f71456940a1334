"""The terminal client shared by the kiosk, the hall display and the feedback terminal:
the server client with SSE resume, the link that keeps a terminal in touch, offline
speech and audio, and the Kivy set-up. I/O lives here; the rules stay in `core`."""
