"""E-mail (MIME, stdlib ``email``): the sample as the body in a charset the language's
mail programs use, with another rendered document attached if given; and short cover
e-mails ("please find attached our invoice ...") in each language."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime

from docflow.samples import de_pools, en_pools, fr_pools
from docflow.samples.common import Sample, ascii_slug, below, chance, pick
from docflow.samples.render_text import cp1252, latin1, mail_headers


def person(rng: random.Random, language: str) -> tuple[str, str]:
    """(display name, company) of someone writing in `language`."""
    if language == "de":
        return de_pools.full_name(rng), pick(rng, de_pools.COMPANIES)
    if language == "fr":
        return fr_pools.full_name(rng), pick(rng, fr_pools.COMPANIES)
    return en_pools.person(rng), pick(rng, en_pools.COMPANIES)


def address(name: str, company: str, language: str) -> str:
    tld = {"de": "de", "fr": "fr"}.get(language, "com")
    first, _, last = name.partition(" ")
    return f"{name} <{ascii_slug(first)}.{ascii_slug(last or first)}@{ascii_slug(company)}.{tld}>"


_INBOXES = {"en": ("accounts", "invoices", "office", "info"),
            "de": ("buchhaltung", "rechnungseingang", "info", "kontakt"),
            "fr": ("comptabilite", "factures", "contact", "accueil")}  # fmt: skip


def _charset(rng: random.Random, language: str, text: str) -> tuple[str, str]:
    """(charset, transfer encoding) as mail programs pick them."""
    if text.isascii():
        return "us-ascii", pick(rng, ("7bit", "quoted-printable"))
    if language != "en" and chance(rng, 0.3):
        return pick(rng, ("iso-8859-1", "windows-1252")), "quoted-printable"
    return "utf-8", pick(rng, ("quoted-printable", "base64", "8bit"))


def _body(text: str, charset: str) -> str:
    if charset == "iso-8859-1":
        return latin1(text)
    if charset == "windows-1252":
        return cp1252(text).decode("cp1252")
    return text


def email(
    rng: random.Random,
    sample: Sample,
    when: datetime,
    attachment: tuple[str, str, bytes] | None = None,
    html: str | None = None,
) -> bytes:
    """The sample as an e-mail; `attachment` is (filename, MIME type, data)."""
    headers, body = mail_headers(sample.text)
    sender_name, company = person(rng, sample.language)
    sender = headers.get("From") or address(sender_name, company, sample.language)
    domain = sender.rpartition("@")[2].rstrip(">") or "example.com"
    recipient = (
        headers.get("To")
        or f"{pick(rng, _INBOXES[sample.language])}@{ascii_slug(person(rng, sample.language)[1])}.{domain.rpartition('.')[2]}"
    )
    message = EmailMessage()
    message["From"], message["To"] = sender, recipient
    message["Subject"] = headers.get("Subject") or sample.heading
    zone = UTC if sample.language == "en" else timezone(timedelta(hours=1))
    message["Date"] = format_datetime(when.astimezone(zone))
    message["Message-ID"] = f"<{rng.getrandbits(64):016x}.{below(rng, 10**6)}@{domain}>"
    message["MIME-Version"] = "1.0"
    if chance(rng, 0.3):
        message["X-Mailer"] = pick(
            rng, ("Microsoft Outlook 16.0", "Apple Mail (2.3731)", "Thunderbird 115.8.0")
        )
    charset, cte = _charset(rng, sample.language, body)
    message.set_content(_body(body, charset), charset=charset, cte=cte)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        name, mime, data = attachment
        main, _, sub = mime.partition("/")
        message.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return message.as_bytes()


# Per language: what the attachment is, by category, and the cover note's parts.
_WHAT = {
    "en": {"invoice": "our invoice", "receipt": "the receipt", "contract": "the signed contract",
           "identity_document": "a copy of my ID", "correspondence": "our letter", "other": "the document"},
    "de": {"invoice": "unsere Rechnung", "receipt": "den Beleg", "contract": "den unterschriebenen Vertrag",
           "identity_document": "die Kopie meines Ausweises", "correspondence": "unser Schreiben", "other": "das Dokument"},
    "fr": {"invoice": "notre facture", "receipt": "le justificatif", "contract": "le contrat signé",
           "identity_document": "la copie de ma pièce d'identité", "correspondence": "notre courrier", "other": "le document"},
}  # fmt: skip
_COVER = {
    "en": (("Dear Sir or Madam,", "Hello,", "Hi {first},"),
           ("please find attached {what} {ref}.", "attached you will find {what} {ref}.", "as discussed, I am sending you {what} {ref}."),
           ("If you have any questions, please do not hesitate to contact us.", "Please confirm receipt.", "The original will follow by post."),
           ("Kind regards,", "Best regards,", "Many thanks,")),
    "de": (("Sehr geehrte Damen und Herren,", "Guten Tag,", "Hallo {first},"),
           ("anbei erhalten Sie {what} {ref} als PDF-Datei.", "im Anhang finden Sie {what} {ref}.", "wie besprochen sende ich Ihnen {what} {ref}."),
           ("Bei Fragen stehen wir Ihnen gerne zur Verfügung.", "Bitte bestätigen Sie kurz den Eingang.", "Das Original folgt per Post."),
           ("Mit freundlichen Grüßen", "Viele Grüße", "Beste Grüße")),
    "fr": (("Madame, Monsieur,", "Bonjour,", "Bonjour {first},"),
           ("veuillez trouver ci-joint {what} {ref}.", "je vous prie de trouver en pièce jointe {what} {ref}.", "comme convenu, je vous adresse {what} {ref}."),
           ("Nous restons à votre disposition pour toute question.", "Merci de bien vouloir en accuser réception.", "L'original suit par courrier."),
           ("Cordialement,", "Bien cordialement,", "Bien à vous,")),
}  # fmt: skip
_SUBJECTS = {"en": ("{What} {ref}", "Your document: {what} {ref}", "FW: {What} {ref}"),
             "de": ("{What} {ref}", "Ihre Unterlagen: {what} {ref}", "WG: {What} {ref}"),
             "fr": ("{What} {ref}", "Envoi de {what} {ref}", "TR : {What} {ref}")}  # fmt: skip


def cover_text(rng: random.Random, attached: Sample) -> str:
    """A short e-mail sending `attached` in its language, as a printout (From, To, Subject,
    body); an invoice goes from its seller to its buyer's accounts mailbox."""
    language = attached.language
    what = _WHAT[language][attached.category]
    ref = attached.invoice.number if attached.invoice is not None else ""
    name, company = person(rng, language)
    to_company = person(rng, language)[1]
    if attached.invoice is not None:
        company, to_company = attached.invoice.seller.name, attached.invoice.buyer.name
    greetings, sends, extras, closings = _COVER[language]
    first = person(rng, language)[0].split()[0]
    body = (
        f"{pick(rng, greetings).format(first=first)}\n\n{pick(rng, sends).format(what=what, ref=ref).replace(' .', '.')}\n\n"
        f"{' '.join(rng.sample(extras, 1 + below(rng, 2)))}\n\n{pick(rng, closings)}\n{name}\n{company}\n"
    )  # fmt: skip
    noun = what.split(" ", 1)[-1]
    subject = pick(rng, _SUBJECTS[language]).format(
        What=noun[0].upper() + noun[1:], what=what, ref=ref
    )
    tld = address("a b", to_company, language).rpartition(".")[2].rstrip(">")
    to = f"{pick(rng, _INBOXES[language])}@{ascii_slug(to_company)}.{tld}"
    return f"From: {address(name, company, language)}\nTo: {to}\nSubject: {' '.join(subject.split())}\n\n{body}"
