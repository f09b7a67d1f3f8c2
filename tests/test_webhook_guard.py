import pytest
import urllib3.util

from docflow.errors import UnresolvableHost, UnsafeDestination
from docflow.services.webhooks.guard import check_url, is_public_address, parse_url

PUBLIC = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]


def resolver(*addresses: str):
    def resolve(host: str, port: int) -> list[str]:
        return list(addresses)

    return resolve


def refusal(url: str, **kwargs) -> str:
    kwargs.setdefault("allow_private", False)
    with pytest.raises(UnsafeDestination) as info:
        check_url(url, **kwargs)
    return str(info.value)


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://100.64.0.1/", "shared address space"),
        ("http://[fd00::1]/", "unique-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[2002:a00:1::1]/", "6to4"),
        ("http://[64:ff9b::a00:1]/", "NAT64"),
    ],
)
def test_internal_addresses_are_refused(url, words):
    message = refusal(url)
    assert words in message and "DOCFLOW_WEBHOOK_ALLOW_PRIVATE" in message


def test_localhost_is_refused_after_real_resolution():
    message = refusal("http://localhost/hook")
    assert "localhost resolves to" in message and "loopback" in message


def test_any_private_address_among_several_is_refused():
    message = refusal("http://internal.example/hook", resolve=resolver("93.184.216.34", "10.1.2.3"))
    assert "internal.example resolves to 10.1.2.3 (private address)" in message


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("file:///etc/passwd", "'file'"),
        ("ftp://example.com/x", "'ftp' (host example.com)"),
        ("gopher://example.com/", "'gopher'"),
        ("example.com/no-scheme", "without a scheme"),
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_non_http_schemes_are_refused_even_when_private_is_allowed(url, words, allow_private):
    message = refusal(url, allow_private=allow_private, resolve=resolver(*PUBLIC))
    assert words in message and "http://" in message


def test_url_without_host_is_refused():
    assert "no host" in refusal("http:///path", allow_private=True)


def test_unresolvable_host_is_its_own_error_because_dns_trouble_may_pass():
    def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    for resolve in (fail, resolver()):
        with pytest.raises(UnresolvableHost, match="cannot resolve nowhere.example"):
            check_url("https://nowhere.example/", allow_private=False, resolve=resolve)


def test_public_addresses_are_allowed():
    check_url("https://hooks.example/in?x=1", allow_private=False, resolve=resolver(*PUBLIC))
    check_url("http://93.184.216.34:8080/", allow_private=False)


def test_resolver_gets_the_default_port():
    seen = []

    def record(host: str, port: int) -> list[str]:
        seen.append((host, port))
        return PUBLIC

    check_url("https://a.example/", allow_private=False, resolve=record)
    check_url("http://b.example:8080/", allow_private=False, resolve=record)
    assert seen == [("a.example", 443), ("b.example", 8080)]


def test_loopback_is_allowed_when_private_is_allowed():
    check_url("http://127.0.0.1:8000/hook", allow_private=True)
    check_url("http://localhost/hook", allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["http://user:pass@10.0.0.1/?token=s3cr3t", "user:pass@10.0.0.1/", "http://user:pass@[::1/"],
)
def test_messages_never_carry_credentials(url):
    message = refusal(url)
    assert "user:pass" not in message and "pass" not in message and "s3cr3t" not in message


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("64:ff9b::5db8:d822", True),
        ("192.168.1.1", False),
        ("172.16.0.1", False),
        ("::", False),
        ("240.0.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("not-an-address", False),
    ],
)
def test_is_public_address(address, public):
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:18941\\@name.example/", "backslash"),
        ("http://name.example\\@127.0.0.1/", "backslash"),
        ("http://name.example/\\\\127.0.0.1/", "backslash"),
        ("http://a@b@127.0.0.1/", "more than one '@'"),
        ("http://user:p@ss@name.example/", "more than one '@'"),
        ("http://name.example\t.evil/", "space or control character"),
        ("http://name.ex\nample/", "space or control character"),
        ("http://name.example /", "space or control character"),
        ("http://name.example/\x00", "space or control character"),
        ("http://exämple.com/", "non-ASCII"),
        ("http://[::1%25eth0]/", "not a DNS name"),
        ("http://us er@name.example/", "space"),
        ("http://us%zzer@name.example/", "percent-encoded"),
        ("http://[v1.x]@name.example/", "percent-encoded"),
        ("http://name..example/", "not a DNS name"),
        ("http://name.example:80:80/", "not a DNS name"),
        ("http://name.example:/", "port must be a number"),
        ("http://name.example:0/", "port must be a number"),
        ("http://name.example:65536/", "port must be a number"),
        ("http:name.example/", "without // after http"),
        ("http:/name.example/", "without // after http"),
        ("https:\\\\name.example/", "backslash"),
    ],
)
def test_ambiguous_urls_are_refused_even_when_private_is_allowed(url, words):
    message = refusal(url, allow_private=True, resolve=resolver(*PUBLIC))
    assert words in message and "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example/in?x=1",
        "HTTPS://Hooks.Example:8443/a/b?c=d#e",
        "http://user:p%40ss@hooks.example/",
        "http://hooks.example?@127.0.0.1/",
        "http://hooks.example#@127.0.0.1/",
        "http://hooks.example/@127.0.0.1/",
        "http://127.0.0.1%2f@hooks.example/",
        "http://[2606:2800:220:1:248:1893:25c8:1946]:81/",
        "http://hooks.example./",
        "http://93.184.216.34/",
    ],
)
def test_what_the_guard_accepts_the_http_client_reads_the_same(url):
    target = parse_url(url)
    client = urllib3.util.parse_url(url)
    assert (target.scheme, target.host, target.port) == (
        client.scheme,
        client.host.strip("[]").lower(),
        client.port or {"http": 80, "https": 443}[client.scheme],
    )
    check_url(url, allow_private=False, resolve=resolver(*PUBLIC))


def test_refusals_keep_the_port_and_never_show_credentials():
    message = refusal("http://user:hunter2@127.0.0.1:18941/hook?token=s3cr3t")
    assert message.startswith("refusing http://127.0.0.1:18941/hook: 127.0.0.1 is not public")
    assert "hunter2" not in message and "s3cr3t" not in message and "user" not in message
