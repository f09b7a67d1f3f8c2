"""Email (MIME, .eml): headers and decoded bodies as text; each attachment handed back as
a file, to become a document of its own (linked to the email).

Any charset and transfer encoding the stdlib ``email`` package knows; an unknown charset
falls back to detection. Plain-text bodies are preferred; HTML bodies are read as text
when there is no plain one.
"""

from __future__ import annotations

import email
import email.policy
import os
import uuid
from email.message import EmailMessage, Message

from docflow.services.extract.html import html_to_text
from docflow.services.extract.language import guess_language
from docflow.services.extract.result import MIME, Attachment, Extraction, Limits, clip
from docflow.services.extract.text import decode
from docflow.services.storage import sanitize_filename

_HEADERS = ("Subject", "From", "To", "Cc", "Date")
# Signatures travel as attachments but are no documents.
_SIGNATURES = {"application/pgp-signature", "application/pkcs7-signature",
               "application/x-pkcs7-signature"}  # fmt: skip


def _payload_text(part: Message) -> str:
    """A text part's content, decoded whatever its declared charset says."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        # A wrong or missing charset shows as replacement characters: detect instead.
        if isinstance(content, str) and "\ufffd" not in content:
            return content
    except (LookupError, UnicodeError, ValueError, AssertionError):
        pass
    raw = part.get_payload(decode=True)
    return decode(raw)[0] if isinstance(raw, bytes) else ""


def _attachment_bytes(part: Message) -> bytes:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        message = inner[0] if isinstance(inner, list) and inner else inner
        return message.as_bytes() if isinstance(message, Message) else b""
    raw = part.get_payload(decode=True)
    return raw if isinstance(raw, bytes) else b""


class EmailExtractor:
    formats = ("email",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        message = email.message_from_bytes(data, policy=email.policy.default)
        warnings: list[str] = []
        plain: list[str] = []
        html: list[str] = []
        attachments: list[Attachment] = []
        names: list[str] = []
        for part in self._leaves(message):
            kind = part.get_content_type()
            if kind in _SIGNATURES:
                continue
            filename = part.get_filename()
            is_attachment = (
                part.get_content_disposition() == "attachment"
                or (filename is not None and kind not in ("text/plain", "text/html"))
                or kind == "message/rfc822"
            )
            if is_attachment:
                name = filename or ("message.eml" if kind == "message/rfc822" else "attachment")
                names.append(name)
                saved = self._save(part, name, limits, len(attachments), warnings)
                if saved is not None:
                    attachments.append(saved)
            elif kind == "text/plain":
                plain.append(_payload_text(part))
            elif kind == "text/html":
                html.append(html_to_text(_payload_text(part), limits.max_chars))
        lines = [f"{h}: {message[h]}" for h in _HEADERS if message[h]]
        if names:
            lines.append("Attachments: " + ", ".join(names))
        body = "\n\n".join(b.strip() for b in (plain or html) if b.strip())
        text = clip("\n".join(lines) + "\n\n" + body, limits, warnings)
        return Extraction(text, "email", MIME, language=guess_language(body or text),
                          warnings=tuple(warnings), attachments=tuple(attachments))  # fmt: skip

    @staticmethod
    def _leaves(message: EmailMessage) -> list[Message]:
        """The parts that hold content; an attached message counts as one part."""
        leaves: list[Message] = []
        stack: list[Message] = [message]
        while stack:
            part = stack.pop(0)
            if part.get_content_type() == "message/rfc822" and part is not message:
                leaves.append(part)
            elif part.is_multipart():
                payload = part.get_payload()
                stack[:0] = (
                    [p for p in payload if isinstance(p, Message)]
                    if isinstance(payload, list)
                    else []
                )
            else:
                leaves.append(part)
        return leaves

    @staticmethod
    def _save(
        part: Message, name: str, limits: Limits, count: int, warnings: list[str]
    ) -> Attachment | None:
        if not limits.scratch_dir:
            return None
        if count >= limits.max_attachments:
            warnings.append(f"attachments past the first {limits.max_attachments} not kept "
                            "(DOCFLOW_EXTRACT_MAX_ATTACHMENTS)")  # fmt: skip
            return None
        data = _attachment_bytes(part)
        if not data:
            warnings.append(f"attachment {name!r} is empty; not kept")
            return None
        path = os.path.join(
            limits.scratch_dir, f"{uuid.uuid4().hex[:12]}-{sanitize_filename(name)}"
        )
        with open(path, "wb") as file:
            file.write(data)
        return Attachment(name[:255], path, len(data))
