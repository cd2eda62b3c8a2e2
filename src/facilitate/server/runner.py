"""Start the phone server in the running asyncio loop and work out the address phones should use."""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import socket
import struct
import sys
from dataclasses import dataclass, field

from aiohttp import web

from facilitate.server.app import TakeawayOptions, create_app
from facilitate.server.collector import collect_when_quiet
from facilitate.server.connections import (
    BODY_SECONDS_KEY,
    SLOW_SECONDS,
    Capacity,
    cap_connections,
    runner_options,
)
from facilitate.server.joins import JoinGate
from facilitate.server.turns import TURNS_KEY
from facilitate.session.session import Session

DEFAULT_PORT = 8765
PORT_TRIES = 20
_VIRTUAL_PREFIXES = ("lo", "docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "wg")


@dataclass
class PhoneServer:
    runner: web.AppRunner
    port: int
    secret: str
    public_url: str | None
    port_note: str | None  # said when the asked-for port was taken
    host: str = "0.0.0.0"  # what the server listens on: every interface, or one address (--host)
    capacity: Capacity | None = None  # how many phones fit in this process's open files
    joins: JoinGate = field(default_factory=JoinGate)  # room size, phones waiting for a yes, bursts
    collector: asyncio.Task[None] | None = None  # full garbage collections when phones are quiet
    room_secret: str | None = None  # the browser room view's own secret (server/room.py)

    @property
    def room_url(self) -> str | None:
        """The browser room view's address: for the facilitator's eyes only (`v`)."""
        return None if self.room_secret is None else f"{self._base()[0]}/r/{self.room_secret}"

    @property
    def room_viewers(self) -> int:
        """Browser room views following the session now."""
        from facilitate.server.room import VIEWERS_KEY

        app = self.runner.app
        return app[VIEWERS_KEY].count if app is not None and VIEWERS_KEY in app else 0

    @property
    def join_url(self) -> str:
        """Worked out afresh each time it is shown: the laptop may have changed networks (or lost one)
        since the server started. Listening on every interface, only the LAN address changes; listening
        on one address (`--host`), that address is the only one phones can use."""
        return f"{self._base()[0]}/j/{self.secret}"

    @property
    def lan_warning(self) -> str | None:
        """Said on the join screen when phones cannot reach the address."""
        return self._base()[1]

    def _base(self) -> tuple[str, str | None]:
        if self.public_url:
            return self.public_url.rstrip("/"), None
        if not is_wildcard(self.host):
            bare = self.host.strip("[]")
            shown = f"[{bare}]" if ":" in bare else bare  # an IPv6 address goes in brackets in a URL
            warning = None
            if _is_loopback(self.host):
                warning = (
                    f"The server listens only on {self.host}: only this computer can open this address. "
                    "Phones need the laptop's network address (leave out --host)."
                )
            return f"http://{shown}:{self.port}", warning
        address = lan_address()
        if address is None:
            return f"http://127.0.0.1:{self.port}", (
                "No network found: only this computer can open this address. Join a Wi-Fi or start a hotspot."
            )
        return f"http://{address}:{self.port}", None

    async def stop(self) -> None:
        if self.collector is not None:
            self.collector.cancel()
        await self.runner.cleanup()


def is_wildcard(host: str | None) -> bool:
    """Whether `host` means every interface (the default) rather than one specific address."""
    return host is None or host.strip("[]") in ("", "0.0.0.0", "::", "*")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _interface_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) pairs, read from the kernel: no packet is sent anywhere."""
    found: list[tuple[str, str]] = []
    if sys.platform.startswith("linux"):
        import fcntl

        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _, name in socket.if_nameindex():
                request = struct.pack("256s", name[:15].encode())
                try:
                    reply = fcntl.ioctl(probe.fileno(), 0x8915, request)  # SIOCGIFADDR
                except OSError:
                    continue
                found.append((name, socket.inet_ntoa(reply[20:24])))
    if not found:
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                found.append(("host", str(info[4][0])))
        except OSError:
            pass
    return found


def lan_address() -> str | None:
    """The address phones on the same network can reach: a private IPv4 on a real interface."""
    best: tuple[int, str] | None = None
    for name, address in _interface_addresses():
        ip = ipaddress.ip_address(address)
        if ip.is_loopback or ip.is_link_local:
            continue
        rank = (0 if ip.is_private else 1) + (2 if name.startswith(_VIRTUAL_PREFIXES) else 0)
        if best is None or rank < best[0]:
            best = (rank, address)
    return best[1] if best else None


async def start_phone_server(
    session: Session,
    *,
    host: str = "0.0.0.0",
    port: int = DEFAULT_PORT,
    public_url: str | None = None,
    takeaway: TakeawayOptions | None = None,
    room_secret: str | None = None,
    room_size: int | None = None,
    capacity: Capacity | None = None,
    slow_seconds: float = SLOW_SECONDS,
) -> PhoneServer:
    """Serve the phone page on `port`, or the next free one (and say so). Raises OSError if none is free.
    `room_size`: people in the room (phones beyond it and a margin wait for a yes; see server/joins.py);
    `capacity`: the phones this process has room for (by default worked out from its open-file limit,
    raised first as far as it goes); `slow_seconds`: how long a connection may stay
    silent, or take to send its request's headers or body; `room_secret`: serve the browser room view
    at `/r/{room_secret}` (server/room.py)."""
    capacity = capacity or Capacity.of_this_process()
    joins = JoinGate(room_size=room_size, per_address=public_url is None)
    app = create_app(session, takeaway, public_url=public_url, capacity=capacity, joins=joins)
    app[BODY_SECONDS_KEY] = slow_seconds
    started: list[PhoneServer] = []
    if room_secret is not None:
        from facilitate.server.room import add_room_routes

        add_room_routes(app, room_secret, lambda: started[0].join_url if started else None)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, **runner_options(slow_seconds))
    await runner.setup()
    assert runner.server is not None
    cap_connections(runner.server, capacity.connections)
    last_error: OSError | None = None
    for candidate in range(port, port + PORT_TRIES):
        site = web.TCPSite(runner, host, candidate)
        try:
            await site.start()
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                await runner.cleanup()
                raise
            last_error = exc
            continue
        note = None if candidate == port else f"Port {port} is in use, so phones use port {candidate}."
        turns = app[TURNS_KEY]
        collector = asyncio.get_running_loop().create_task(collect_when_quiet(turns.last_busy_at))
        started.append(
            PhoneServer(
                runner,
                candidate,
                session.join_secret,
                public_url,
                note,
                host,
                capacity,
                joins,
                collector,
                room_secret=room_secret,
            )
        )
        return started[0]
    await runner.cleanup()
    raise OSError(
        f"no free port from {port} to {port + PORT_TRIES - 1}: choose one with --port"
    ) from last_error
