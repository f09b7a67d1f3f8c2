"""Refuse webhook URLs that would make DocFlow call into its own network (SSRF).

A URL is read strictly (:func:`parse_url`), and whatever two URL parsers could read
differently is refused: the host checked here must be the host the HTTP client connects
to. Every address a host resolves to is checked, not just the first: a name with one
public and one private record could otherwise be delivered to the private one. The
connection checks the addresses once more before connecting (transport.py).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

from docflow.errors import UnresolvableHost, UnsafeDestination

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


@dataclass(frozen=True)
class Target:
    """Where a webhook URL sends requests, read as the HTTP client reads it."""

    scheme: str
    host: str  # lowercase; an IPv6 address without its brackets
    port: int
    shown: str  # the URL as messages show it: no userinfo, query or fragment


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_USERINFO = re.compile(r"(?:[A-Za-z0-9._~!$&'()*+,;=:-]|%[0-9A-Fa-f]{2})*")
_HOST_PORT = re.compile(r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]*)(?::(?P<port>[0-9]*))?")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_url(url: str) -> Target:
    """Read ``url`` strictly, or raise UnsafeDestination saying what to change.

    The guard checks a host and the HTTP client connects to a host: both must be the same,
    so whatever the parsers read differently is refused, not interpreted. urllib.parse
    keeps a backslash in the authority where urllib3 (and browsers) end the authority at
    it (``http://127.0.0.1:8080\\@name/``: urllib.parse checks ``name``, urllib3 connects
    to 127.0.0.1); urllib.parse silently drops tabs and line breaks; non-ASCII is
    normalised differently by each. A second ``@`` hides which part is the host.
    Messages never quote the userinfo.
    """
    url = url.strip()
    scheme_match = _SCHEME.match(url)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme not in _DEFAULT_PORTS:
        raise UnsafeDestination(f"refusing {_other_scheme(url, scheme)}: {_SCHEMES}")
    if not url.isascii():
        raise UnsafeDestination(
            "refusing a webhook URL with non-ASCII characters: write its host in the xn-- "
            "(IDNA) form and percent-encode the rest"
        )
    if bad := re.search(r"[\x00-\x20\x7f\\]", url):
        what = "a backslash" if bad.group() == "\\" else "a space or control character"
        raise UnsafeDestination(
            f"refusing a webhook URL with {what}: HTTP clients disagree on where such a "
            f"URL's host ends; percent-encode it (%{ord(bad.group()):02X}) or remove it"
        )
    rest = url[len(scheme) + 1 :]
    if not rest.startswith("//"):
        raise UnsafeDestination(f"refusing a {scheme} URL without // after {scheme}: {_SCHEMES}")
    authority = re.split(r"[/?#]", rest[2:], maxsplit=1)[0]
    path = re.split(r"[?#]", rest[2 + len(authority) :], maxsplit=1)[0]
    userinfo, at, host_port = authority.rpartition("@")
    if "@" in userinfo:
        raise UnsafeDestination(
            "refusing a webhook URL with more than one '@' before its host, which hides "
            "where the host begins: percent-encode an '@' in the user or password as %40"
        )
    if at and not _USERINFO.fullmatch(userinfo):
        raise UnsafeDestination(
            "refusing a webhook URL whose user or password holds characters that must be "
            "percent-encoded (anything but letters, digits and -._~!$&'()*+,;=: is %XX)"
        )
    parts = _HOST_PORT.fullmatch(host_port)
    host = parts.group("host") if parts else ""
    if parts is None or (host and not _valid_host(host)):
        raise UnsafeDestination(
            "refusing a webhook URL whose host is not a DNS name (letters, digits, '-' and "
            "'.') or an IP address (IPv6 in [brackets]), followed by an optional :port"
        )
    shown = f"{scheme}://{host_port}{path}"
    if not host:
        raise UnsafeDestination(f"refusing {shown}: the URL has no host")
    port = parts.group("port")
    if port is not None and not (port.isdigit() and 1 <= int(port) <= 65535):
        raise UnsafeDestination(f"refusing {shown}: the port must be a number from 1 to 65535")
    return Target(
        scheme, host.strip("[]").lower(), int(port) if port else _DEFAULT_PORTS[scheme], shown
    )


_SCHEMES = "webhook URLs must start with http:// or https://"


def _other_scheme(url: str, scheme: str) -> str:
    # Only scheme and host are shown: without "//", urlsplit reads "user:pass@..." as a
    # scheme and a path, so echoing more could leak a password.
    if not scheme:
        return "URL without a scheme"
    try:
        host = urlsplit(url).hostname
    except ValueError:
        host = None
    return f"URL with scheme {scheme!r}" + (f" (host {host})" if host else "")


def _valid_host(host: str) -> bool:
    if host.startswith("["):
        try:
            return isinstance(ip_address(host[1:-1]), IPv6Address)
        except ValueError:
            return False
    # Empty labels ("a..b", ".a") are refused by some resolvers and read as others by some.
    return all(host.removesuffix(".").split("."))


def check_url(url: str, *, allow_private: bool, resolve: Resolver | None = None) -> None:
    """Raise UnsafeDestination unless ``url`` is an http(s) URL whose host is safe to call."""
    target = parse_url(url)
    if _is_address(target.host):
        addresses = [target.host]
    else:
        try:
            addresses = (resolve or _system_resolve)(target.host, target.port)
        except (OSError, UnicodeError) as exc:
            raise UnresolvableHost(
                f"cannot resolve {target.host} for {target.shown}: {exc}"
            ) from exc
        if not addresses:
            raise UnresolvableHost(f"cannot resolve {target.host} for {target.shown}: no addresses")
    check_addresses(target, addresses, allow_private=allow_private)


def check_addresses(target: Target, addresses: list[str], *, allow_private: bool) -> None:
    """Raise UnsafeDestination if one of ``addresses``, those of ``target``'s host, may not
    be called."""
    if allow_private:
        return
    for address in addresses:
        try:
            reason = _refusal(ip_address(address))
        except ValueError:
            reason = "not an IP address"
        if reason:
            where = (
                f"{target.host} is not public"
                if _is_address(target.host)
                else f"{target.host} resolves to {address}"
            )
            raise UnsafeDestination(f"refusing {target.shown}: {where} ({reason}); {_HINT}")


def _is_address(host: str) -> bool:
    try:
        ip_address(host)
    except ValueError:
        return False
    return True
