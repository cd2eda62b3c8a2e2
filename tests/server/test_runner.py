"""Starting the phone server in a running loop: the port, the join address, and what happens when taken."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import aiohttp

from facilitate.server import runner as runner_module
from facilitate.server.runner import lan_address, start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_in(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


async def test_serves_on_loopback_and_says_which_port_when_taken(tmp_path: Path) -> None:
    session = session_in(tmp_path)
    port = free_port()
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        server = await start_phone_server(
            session, host="127.0.0.1", port=port, public_url="http://10.9.8.7:1234/"
        )
        try:
            assert server.port != port and f"Port {port} is in use" in server.port_note
            assert server.join_url == f"http://10.9.8.7:1234/j/{session.join_secret}"
            url = f"http://127.0.0.1:{server.port}/j/{session.join_secret}"
            async with aiohttp.ClientSession() as client, client.get(url) as response:
                assert response.status == 200
        finally:
            await server.stop()


async def test_without_a_network_the_join_screen_says_so(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(runner_module, "_interface_addresses", lambda: [("lo", "127.0.0.1")])
    assert lan_address() is None
    server = await start_phone_server(session_in(tmp_path), host="127.0.0.1", port=free_port())
    try:
        assert server.join_url.startswith("http://127.0.0.1:")
        assert "only this computer" in server.lan_warning
    finally:
        await server.stop()


def test_prefers_a_private_address_on_a_real_interface(monkeypatch) -> None:
    monkeypatch.setattr(
        runner_module,
        "_interface_addresses",
        lambda: [("lo", "127.0.0.1"), ("docker0", "172.17.0.1"), ("wlan0", "192.168.1.23")],
    )
    assert lan_address() == "192.168.1.23"


async def test_the_join_address_follows_a_change_of_network(tmp_path: Path, monkeypatch) -> None:
    interfaces = [("lo", "127.0.0.1"), ("wlan0", "192.168.1.23")]
    monkeypatch.setattr(runner_module, "_interface_addresses", lambda: list(interfaces))
    server = await start_phone_server(session_in(tmp_path), host="127.0.0.1", port=free_port())
    # What the join screen says when listening on every interface (the default); the test itself
    # serves on loopback only.
    everywhere = replace(server, host="0.0.0.0")
    try:
        assert everywhere.join_url.startswith("http://192.168.1.23:") and everywhere.lan_warning is None
        interfaces[1] = ("wlan0", "10.0.0.8")  # the laptop moved to the venue's other Wi-Fi
        assert everywhere.join_url.startswith("http://10.0.0.8:")
        del interfaces[1]  # the Wi-Fi went away
        assert everywhere.join_url.startswith("http://127.0.0.1:") and "No network" in everywhere.lan_warning
        async with aiohttp.ClientSession() as client, client.get(everywhere.join_url) as response:
            assert response.status == 200  # still serving this computer meanwhile
    finally:
        await server.stop()


async def test_a_specific_host_is_the_join_address(tmp_path: Path, monkeypatch) -> None:
    """With `--host 127.0.0.1` (or any one address) phones can reach only that address, not the LAN's."""
    monkeypatch.setattr(
        runner_module, "_interface_addresses", lambda: [("lo", "127.0.0.1"), ("wlan0", "192.0.2.2")]
    )
    session = session_in(tmp_path)
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    try:
        assert server.join_url == f"http://127.0.0.1:{server.port}/j/{session.join_secret}"
        assert "only this computer" in server.lan_warning  # loopback: say so on the join screen
        async with aiohttp.ClientSession() as client, client.get(server.join_url) as response:
            assert response.status == 200
        on_lan = replace(server, host="192.0.2.2")
        assert on_lan.join_url.startswith("http://192.0.2.2:") and on_lan.lan_warning is None
        assert replace(server, host="::1").join_url.startswith("http://[::1]:")
        assert replace(server, host="::").join_url.startswith("http://192.0.2.2:")  # every interface
        pinned = replace(server, public_url="http://10.9.8.7:1234/")
        assert pinned.join_url == f"http://10.9.8.7:1234/j/{session.join_secret}"  # --public-url wins
        assert pinned.lan_warning is None
    finally:
        await server.stop()
