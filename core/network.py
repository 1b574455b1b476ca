"""Where phones in the room can reach this server: its address on the local network.

A class uses the app from phones on the classroom's network, so "localhost" (what the teacher's own
browser often shows) is useless to them. The server can tell its own address on that network by
asking the operating system which interface would carry a packet out of the machine: a UDP
socket's ``connect`` picks the route without sending anything, and works offline as long as the
machine has a network at all.
"""

from __future__ import annotations

import ipaddress
import socket

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "")


def is_local(host: str) -> bool:
    """True for an address only this machine can reach (localhost, 127.x, ::1)."""
    host = host.strip("[]")
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This machine's IPv4 address on its local network, or None when it has none (no network)."""
    # A private address that is never routed off the LAN: connect() on UDP only picks the interface.
    for probe in ("10.255.255.255", "192.168.255.255", "172.31.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0]
        except OSError:
            continue
        if address and not is_local(address):
            return address
    return None


def split_host(host_header: str) -> tuple[str, int | None]:
    """A Host header's name and port: "10.0.0.5:8501" -> ("10.0.0.5", 8501); "[::1]:80" -> ("::1", 80)."""
    host, port = host_header.strip(), None
    if host.startswith("["):  # an IPv6 literal
        end = host.find("]")
        name, rest = host[1:end], host[end + 1 :]
        return name, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    if host.count(":") == 1:
        host, _, tail = host.partition(":")
        port = int(tail) if tail.isdigit() else None
    return host, port


def class_url(host_header: str | None, port: int, path: str, lan: str | None = None) -> tuple[str, bool]:
    """The address to give students, and whether phones can reach it.

    ``host_header`` is what the teacher's browser asked for (their address bar): used when it is
    not local, since it is the address that already works. Otherwise ``lan`` (default:
    :func:`lan_address`) with the server's ``port``. When neither exists the teacher's own address
    is returned, marked unreachable from phones.
    """
    name, asked_port = split_host(host_header or "")
    if name and not is_local(name):
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}{f':{asked_port}' if asked_port else ''}/{path.lstrip('/')}", True
    lan = lan if lan is not None else lan_address()
    if lan:
        return f"http://{lan}:{port}/{path.lstrip('/')}", True
    return f"http://localhost:{port}/{path.lstrip('/')}", False
