"""The billing service client: POST one usage report, accepted or a :class:`BillingError`.

One client (one pooled keep-alive session) serves a whole report_usage run. Each report
is a JSON POST to DOCFLOW_BILLING_URL with an ``Idempotency-Key`` header, and
``Authorization: Bearer <DOCFLOW_BILLING_TOKEN>`` when a token is set.

2xx is accepted, and so is 409 Conflict: the service answers it to a key it has already
received, which happens when an earlier attempt got through but its answer was lost (a
timeout). A key names one tenant's frozen figures for one period, so the report held
under it is this one. Anything else fails: a 3xx too, as redirects are never followed
(the token would go wherever the Location points). Errors name the status and a short
excerpt of the answer, or the kind of network error; they are built from exception types
rather than messages (which may quote the URL), and the token never appears in them.
"""

from __future__ import annotations

import json
import re
import socket
import ssl
from types import TracebackType
from typing import Any

import requests
import urllib3.exceptions

from docflow.errors import BillingError, ConfigError
from docflow.settings import Settings
from docflow.useragent import USER_AGENT

EXCERPT_CHARS = 200
ALREADY_RECEIVED = 409

_CAUSES = (  # the first found among an error's causes names it
    (ConnectionRefusedError, "connection refused"),
    (ConnectionResetError, "connection reset by the billing service"),
    ((socket.gaierror, urllib3.exceptions.NameResolutionError), "could not resolve the host"),
    (ssl.SSLError, "TLS error"),
)


class BillingClient:
    """Sends usage reports to the billing service; closes a session it created itself."""

    def __init__(self, settings: Settings, session: requests.Session | None = None) -> None:
        if settings.billing_url is None:
            raise ConfigError("no billing service configured: set DOCFLOW_BILLING_URL")
        self._url = settings.billing_url
        self._token = settings.billing_token
        self._timeout = settings.billing_timeout_seconds
        self._owns_session = session is None
        self._session = session or _new_session()

    def send(self, report: dict[str, Any], idempotency_key: str) -> None:
        """POST ``report``; return when the service accepted it, else raise BillingError."""
        headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        body = json.dumps(report, separators=(",", ":")).encode("utf-8")
        try:
            response = self._session.post(
                self._url,
                data=body,
                headers=headers,
                timeout=(self._timeout, self._timeout),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise BillingError(f"usage report not sent: {self._describe(exc)}") from exc
        status = response.status_code
        if 200 <= status < 300 or status == ALREADY_RECEIVED:
            return
        if 300 <= status < 400:
            raise BillingError(f"billing service answered HTTP {status}: redirect not followed")
        excerpt = self._excerpt(response.content[:4096].decode("utf-8", "replace"))
        raise BillingError(
            f"billing service answered HTTP {status}" + (f": {excerpt}" if excerpt else "")
        )

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> BillingClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _excerpt(self, text: str) -> str:
        text = re.sub(r"\s+", " ", text).strip()
        if self._token:  # a service echoing the request back must not leak the token
            text = text.replace(self._token, "***")
        return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"

    def _describe(self, exc: requests.RequestException) -> str:
        if isinstance(exc, requests.ConnectTimeout):
            return f"connecting to the billing service timed out after {self._timeout:g}s"
        if isinstance(exc, requests.Timeout):
            return f"the billing service did not answer within {self._timeout:g}s"
        causes: list[BaseException] = []
        cause: BaseException | None = exc
        while cause is not None and len(causes) < 10:  # bounded: causes may form a cycle
            causes.append(cause)
            reason = getattr(cause, "reason", None)  # urllib3 keeps the cause there
            chained = cause.__cause__ or cause.__context__
            cause = reason if isinstance(reason, BaseException) else chained
        for types, kind in _CAUSES:
            if any(isinstance(c, types) for c in causes):
                return kind
        return f"request failed ({type(exc).__name__})"


def _new_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials from the environment
    session.headers["User-Agent"] = USER_AGENT
    return session
