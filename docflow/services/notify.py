"""Email notices to tenants, sent with the standard library's smtplib.

DOCFLOW_SMTP_URL picks the server and how the connection is secured:

* ``smtp://[user:password@]host[:port]``: plain SMTP, port 25 by default;
* ``smtp+starttls://...``: upgraded with STARTTLS before logging in, port 587 by default;
* ``smtps://...``: TLS from the first byte, port 465 by default.

User and password are percent-decoded, and the client logs in only when a user is
given. TLS certificates are verified against the system's trust store. Every failure
becomes a :class:`NotificationError` naming the server and the kind of error; the
password never appears in it, neither as typed nor in the base64 the AUTH exchange sends
(servers quote it in their refusals).

With no DOCFLOW_SMTP_URL, tenant notices are switched off: callers check
``settings.smtp_url`` and do not call :func:`send_email` at all.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from docflow.errors import ConfigError, NotificationError
from docflow.redaction import scrub
from docflow.settings import Settings

DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class SmtpServer:
    scheme: str
    host: str
    port: int
    user: str | None
    # Out of the repr, so that logging or printing a server never shows the password.
    password: str | None = field(default=None, repr=False)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_server(url: str) -> SmtpServer:
    """The server, security and credentials an SMTP URL names (already validated by settings)."""
    parts = urlsplit(url)
    return SmtpServer(
        scheme=parts.scheme,
        host=parts.hostname or "",
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text email from ``settings.email_sender`` to ``to``.

    Raises :class:`NotificationError` when the message cannot be built or the server does
    not accept it (the original error as ``__cause__``), and :class:`ConfigError` when no
    SMTP server is configured, which callers rule out beforehand.
    """
    if settings.smtp_url is None:
        raise ConfigError("no SMTP server configured: set DOCFLOW_SMTP_URL to send email")
    server = smtp_server(settings.smtp_url)
    try:
        message = EmailMessage()
        message["From"] = settings.email_sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
    except (ValueError, TypeError) as exc:
        # Header values with line breaks are refused here: no header injection.
        raise NotificationError(f"email to {to} not sent: invalid message: {exc}") from exc
    try:
        _deliver(server, message, settings.smtp_timeout_seconds)
    except OSError as exc:  # smtplib.SMTPException, socket and TLS errors are all OSErrors
        raise NotificationError(
            f"email to {to} not sent: SMTP server {server.address}: {_describe(exc, server)}"
        ) from exc


def _deliver(server: SmtpServer, message: EmailMessage, timeout: float) -> None:
    context = ssl.create_default_context()
    if server.scheme == "smtps":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            server.host, server.port, timeout=timeout, context=context
        )
    else:
        client = smtplib.SMTP(server.host, server.port, timeout=timeout)
    with client:
        if server.scheme == "smtp+starttls":
            client.starttls(context=context)
        if server.user:
            client.login(server.user, server.password or "")
        client.send_message(message)


def _describe(exc: OSError, server: SmtpServer) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        # The reply as text, not the repr of its bytes, whose escapes could split a secret.
        reply = exc.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        detail = f"{exc.smtp_code} {text}"
    else:
        detail = str(exc)
    # A server may echo what it was sent, the AUTH line included: never let that carry
    # the password out, in plain text or as the client encoded it.
    for form in _credential_forms(server):
        detail = detail.replace(form, "***")
    return f"{type(exc).__name__}: {scrub(detail)}"


def _credential_forms(server: SmtpServer) -> list[str]:
    """The password and what smtplib sends for it: base64 of NUL user NUL password (AUTH
    PLAIN), of the user and of the password (AUTH LOGIN); longest first, so that masking
    one never leaves part of another. Padding is left off: servers may quote without it."""
    if not server.user:  # without a user, the client never logs in
        return []
    user, password = server.user, server.password or ""
    forms = {password, *(_b64(value) for value in (f"\0{user}\0{password}", user, password))}
    return sorted(filter(None, forms), key=len, reverse=True)


def _b64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii").rstrip("=")
