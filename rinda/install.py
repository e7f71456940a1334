"""`rinda install server|kiosk|display`: make this machine a centre server or terminal.

What it sets up (as root, on Debian 12 or Raspberry Pi OS):

- a system user: `rinda` for the server; `rinda-kiosk` / `rinda-display` for a
  terminal (in the groups that may use the screen, input, sound and printers);
- a settings file (left alone when it exists): `/etc/rinda/server.toml`, or the
  terminal's `/var/lib/rinda-<kind>/<kind>.toml`, in its own user's home, so that
  `rinda pair` run as that user can write its token and the server's CA there;
- a systemd unit, enabled, that restarts on a crash and logs to the journal:
  `rinda-server.service` (`Type=notify`: systemd knows when it is ready, and
  restarts it when its watchdog pings stop, see `server.systemd`), or
  `rinda-kiosk.service` / `rinda-display.service`: the terminal as the user's
  session on tty1, under `xinit` (an X server with no window manager, screen
  blanking, power saving and the pointer switched off) or the `cage` Wayland
  kiosk compositor;
- where the machine has a hardware watchdog (`/dev/watchdog`, as on a
  Raspberry Pi), systemd feeds it (`RuntimeWatchdogSec`), so a hung kernel reboots.

`--root DIR` writes the files under DIR instead and changes nothing else (no
user, no systemctl): for checking the units (`systemd-analyze verify`) and for
building images.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("server", "kiosk", "display")
SESSIONS = ("xinit", "cage")
TERMINAL_GROUPS = ("video", "render", "input", "audio", "lp", "dialout", "plugdev")
"""Screen, GPU, touch, sound, and printers on USB or serial (plugdev: the udev rule of
`rinda printer setup`)."""
WATCHDOG_SECONDS = 30
HARDWARE_WATCHDOG_SECONDS = 15
"""Under the 15 s most watchdog chips allow (the Raspberry Pi's bcm2835 at most)."""


@dataclass(frozen=True)
class Plan:
    """What installing one kind writes: files (path under the root → text, mode)."""

    kind: str
    user: str
    files: dict[str, tuple[str, int]]
    unit: str


def _rinda(prefix: Path) -> str:
    return str(prefix / ".venv" / "bin" / "rinda")


def server_unit(prefix: Path, user: str = "rinda") -> str:
    """The server's unit."""
    command = f"{_rinda(prefix)} server --config /etc/rinda/server.toml"
    return f"""[Unit]
Description=Rinda centre server
Documentation=file://{prefix}/docs/deployment.md
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
NotifyAccess=main
User={user}
Group={user}
ExecStart={command}
Restart=always
RestartSec=2
WatchdogSec={WATCHDOG_SECONDS}
TimeoutStopSec=20
StateDirectory=rinda
StateDirectoryMode=0750
Environment=PYTHONUNBUFFERED=1
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
PrivateTmp=yes
ReadWritePaths=/var/lib/rinda /var/backups/rinda
SyslogIdentifier=rinda-server

[Install]
WantedBy=multi-user.target
"""


def terminal_unit(kind: str, prefix: Path, user: str, session: str) -> str:
    """A kiosk's or hall display's unit: its user's session on tty1 (the pattern of
    cage's own documentation, which serves xinit too)."""
    app = f"{_rinda(prefix)} {kind} --config {terminal_settings_path(kind)}"
    if session == "cage":
        # -d: no client decorations; -s: allow switching VT (for maintenance).
        start = f"/usr/bin/cage -d -s -- {app}"
        environment = "Environment=XDG_SESSION_TYPE=wayland\n"
    else:
        # X with no window manager: -nocursor hides the pointer, -s 0 and -dpms keep the
        # screen on; -nolisten tcp: no X over the network.
        start = f"/usr/bin/xinit {app} -- :0 vt1 -keeptty -nolisten tcp -nocursor -s 0 -dpms"
        environment = "Environment=XDG_SESSION_TYPE=x11\n"
    title = "hall display" if kind == "display" else "kiosk"
    return f"""[Unit]
Description=Rinda {title} on tty1
Documentation=file://{prefix}/docs/deployment.md
After=systemd-user-sessions.service plymouth-quit-wait.service network-online.target
Wants=network-online.target
Conflicts=getty@tty1.service
After=getty@tty1.service

[Service]
User={user}
PAMName=login
TTYPath=/dev/tty1
TTYReset=yes
TTYVHangup=yes
TTYVTDisallocate=yes
StandardInput=tty-fail
StandardOutput=journal
StandardError=journal
UtmpIdentifier=tty1
UtmpMode=user
{environment}Environment=KIVY_NO_ARGS=1 KIVY_NO_FILELOG=1 PYTHONUNBUFFERED=1
ExecStart={start}
Restart=always
RestartSec=3
SyslogIdentifier=rinda-{kind}

[Install]
WantedBy=graphical.target
"""


SERVER_SETTINGS = """# Rinda centre server (keys as the flags of `rinda server`; docs/deployment.md)
data_dir = "/var/lib/rinda"
tls = true
backup_to = "/var/backups/rinda"
backup_every_hours = 24
backup_keep = 14
# catalogue = "/etc/rinda/centre.toml"
# public_url = "https://rinda.example.lv"
"""

TERMINAL_SETTINGS = """# Rinda {kind} (docs/deployment.md). Pair it with the server, as its user:
#   sudo -u rinda-{kind} {rinda} pair --server https://SERVER:8787 \\
#       --config {path} --name NAME --role {role}
fullscreen = true
"""


def terminal_settings_path(kind: str) -> Path:
    """Where a terminal's settings live: its user's home."""
    return Path(f"/var/lib/rinda-{kind}/{kind}.toml")


HARDWARE_WATCHDOG = f"""# Written by `rinda install`: systemd feeds the hardware watchdog,
# so a machine that hangs reboots.
[Manager]
RuntimeWatchdogSec={HARDWARE_WATCHDOG_SECONDS}s
RebootWatchdogSec=2min
"""


def plan(kind: str, prefix: Path, session: str = "xinit", hardware_watchdog: bool = False) -> Plan:
    """The files installing `kind` writes (paths relative to the root)."""
    if kind == "server":
        user, unit = "rinda", "rinda-server.service"
        files = {
            f"etc/systemd/system/{unit}": (server_unit(prefix, user), 0o644),
            "etc/rinda/server.toml": (SERVER_SETTINGS, 0o640),
        }
    else:
        user, unit = f"rinda-{kind}", f"rinda-{kind}.service"
        role = "display" if kind == "display" else "kiosk"
        settings = TERMINAL_SETTINGS.format(
            kind=kind, role=role, rinda=_rinda(prefix), path=terminal_settings_path(kind)
        )
        files = {
            f"etc/systemd/system/{unit}": (terminal_unit(kind, prefix, user, session), 0o644),
            str(terminal_settings_path(kind)).lstrip("/"): (settings, 0o600),
        }
    if hardware_watchdog:
        files["etc/systemd/system.conf.d/rinda-watchdog.conf"] = (HARDWARE_WATCHDOG, 0o644)
    return Plan(kind, user, files, unit)


def has_hardware_watchdog() -> bool:
    """Whether the machine has a watchdog device systemd can feed."""
    return any(Path(p).exists() for p in ("/dev/watchdog0", "/dev/watchdog"))


def register(commands: Any) -> None:
    """Add `rinda install`."""
    install = commands.add_parser(
        "install",
        help="install this machine as a centre server, kiosk or hall display (systemd, as root)",
        description=__doc__.split("\n\n")[1] if __doc__ else None,
    )
    install.add_argument("kind", choices=KINDS)
    install.add_argument(
        "--session", choices=SESSIONS, default="xinit", help="kiosk/display: X or Wayland (cage)"
    )
    install.add_argument(
        "--prefix",
        type=Path,
        default=Path(__file__).resolve().parents[1],
        help="where Rinda is (with its .venv; default: this checkout)",
    )
    install.add_argument("--root", type=Path, help="write the files under DIR and do nothing else")
    install.add_argument(
        "--no-hardware-watchdog", action="store_true", help="leave the hardware watchdog alone"
    )
    install.add_argument("--no-start", action="store_true", help="enable, but do not start now")
    install.set_defaults(handler=_install)


def _install(args: argparse.Namespace) -> int:
    root = args.root or Path("/")
    staged = args.root is not None
    if not staged and os.geteuid() != 0:
        print("error: run as root (or with --root DIR to only write the files)", file=sys.stderr)
        return 2
    watchdog = not args.no_hardware_watchdog and (staged or has_hardware_watchdog())
    chosen = plan(args.kind, args.prefix.resolve(), args.session, watchdog)
    if not staged:
        _create_user(chosen)
    for relative, (text, mode) in chosen.files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".toml" and path.exists():
            print(f"kept {path} (it exists)")
            continue
        path.write_text(text)
        path.chmod(mode)
        if not staged and path.suffix == ".toml":
            shutil.chown(path, "root" if args.kind == "server" else chosen.user, chosen.user)
        print(f"wrote {path}")
    if staged:
        return 0
    if args.kind == "server":
        for directory in (Path("/var/lib/rinda"), Path("/var/backups/rinda")):
            directory.mkdir(mode=0o750, parents=True, exist_ok=True)
            shutil.chown(directory, chosen.user, chosen.user)
    _run("systemctl", "daemon-reload")
    _run("systemctl", "enable", *([] if args.no_start else ["--now"]), chosen.unit)
    if args.kind != "server":
        _run("systemctl", "set-default", "graphical.target")
    print(f"{chosen.unit} enabled; logs: journalctl -u {chosen.unit} -f")
    return 0


def _create_user(chosen: Plan) -> None:
    try:
        pwd.getpwnam(chosen.user)
    except KeyError:
        if chosen.kind == "server":
            _run(
                "useradd",
                "--system",
                "--home-dir",
                "/var/lib/rinda",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                chosen.user,
            )
        else:
            _run(
                "useradd",
                "--system",
                "--create-home",
                "--home-dir",
                f"/var/lib/{chosen.user}",
                "--shell",
                "/usr/sbin/nologin",
                chosen.user,
            )
    if chosen.kind != "server":
        groups = [g for g in TERMINAL_GROUPS if _group_exists(g)]
        _run("usermod", "--append", "--groups", ",".join(groups), chosen.user)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _run(*command: str) -> None:
    print(f"+ {shlex.join(command)}")
    subprocess.run(command, check=True)
