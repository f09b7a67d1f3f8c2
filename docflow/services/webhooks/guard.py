"""Refuse webhook URLs that would make DocFlow call into its own network (SSRF).

Every address a host resolves to is checked, not just the first: a name with one public and
one private record could otherwise be delivered to the private one.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import SplitResult, urlsplit, urlunsplit

from docflow.errors import UnresolvableHost, UnsafeDestination
from docflow.redaction import without_userinfo

Resolver = Callable[[str, int], list[str]]

_SHARED = ip_network("100.64.0.0/10")
_UNIQUE_LOCAL = ip_network("fc00::/7")
_NAT64 = ip_network("64:ff9b::/96")
_HINT = "set DOCFLOW_WEBHOOK_ALLOW_PRIVATE=true only for tests and local demos"


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(ip: IPv6Address) -> tuple[str, IPv4Address] | None:
    if ip.ipv4_mapped is not None:
        return "IPv4-mapped", ip.ipv4_mapped
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip in _NAT64:
        return "NAT64", IPv4Address(int(ip) & 0xFFFF_FFFF)
    return None  # Teredo (2001::/32) is not global, so the checks below refuse it anyway.


def _refusal(ip: IPv4Address | IPv6Address) -> str | None:
    """Why ``ip`` must not be called, or None when it is a public address."""
    if isinstance(ip, IPv6Address) and (embedded := _embedded_ipv4(ip)):
        # These reach the IPv4 address they carry, so that address decides.
        kind, inner = embedded
        reason = _refusal(inner)
        return reason and f"{kind} address wrapping {reason} {inner}"
    checks = (
        ("unspecified address", ip.is_unspecified),
        ("loopback address", ip.is_loopback),
        ("link-local address", ip.is_link_local),
        ("multicast address", ip.is_multicast),
        ("shared address space", ip in _SHARED),
        ("unique-local address", ip in _UNIQUE_LOCAL),
        ("site-local address", isinstance(ip, IPv6Address) and ip.is_site_local),
        ("private address", ip.is_private),
        ("reserved address", ip.is_reserved or not ip.is_global),
    )
    return next((reason for reason, hit in checks if hit), None)


def is_public_address(address: str) -> bool:
    try:
        return _refusal(ip_address(address)) is None
    except ValueError:
        return False


def _display(parts: SplitResult) -> str:
    # Without userinfo, query and fragment: they can carry credentials or tokens.
    return without_userinfo(urlunsplit(parts._replace(query="", fragment="")))


def check_url(url: str, *, allow_private: bool, resolve: Resolver | None = None) -> None:
    """Raise UnsafeDestination unless ``url`` is an http(s) URL whose host is safe to call."""
    try:
        parts = urlsplit(url.strip())
        scheme, host = parts.scheme.lower(), parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        # The parser's message quotes the URL, credentials and all.
        raise UnsafeDestination("refusing a malformed webhook URL (bad host or port)") from None
    if scheme not in ("http", "https"):
        # Only scheme and host are shown: without "//", urlsplit reads "user:pass@..." as a
        # scheme and a path, so echoing more could leak a password.
        problem = f"URL with scheme {scheme!r}" if scheme else "URL without a scheme"
        if host:
            problem += f" (host {host})"
        raise UnsafeDestination(
            f"refusing {problem}: webhook URLs must start with http:// or https://"
        )
    if not host:
        raise UnsafeDestination(f"refusing {_display(parts)}: the URL has no host")

    try:
        literal = ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [host]
    else:
        try:
            addresses = (resolve or _system_resolve)(host, port)
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(f"cannot resolve {host} for {_display(parts)}: {exc}") from exc
        if not addresses:
            raise UnresolvableHost(f"cannot resolve {host} for {_display(parts)}: no addresses")
    if allow_private:
        return

    for address in addresses:
        try:
            reason = _refusal(ip_address(address))
        except ValueError:
            reason = "not an IP address"
        if reason:
            where = f"{host} is not public" if literal else f"{host} resolves to {address}"
            raise UnsafeDestination(f"refusing {_display(parts)}: {where} ({reason}); {_HINT}")
