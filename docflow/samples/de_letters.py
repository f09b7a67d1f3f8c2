"""German correspondence: business letters laid out after DIN 5008 and e-mails, about
complaints, cancellations, payment reminders, meeting requests, notices, enquiries and
applications. Each scenario has its subjects and sentences; a letter samples and orders
them, so two letters of a kind rarely share more than a salutation."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from docflow.samples.common import Sample, ascii_slug, below, chance, day, pick, pool
from docflow.samples.de_pools import (
    COMPANIES,
    any_date,
    euro,
    long_date,
    person,
    phone,
    place,
    salutation,
    short_date,
    street,
)

# scenario -> (subjects, openings, details, requests)
_SCENARIOS: dict[str, tuple[tuple[str, ...], ...]] = {
    "complaint": (
        pool(
            "Reklamation Ihrer Lieferung vom {date}|Mängelanzeige zu Auftrag {ref}|Beschwerde über die verspätete Lieferung"
        ),
        pool("""
            leider müssen wir Ihnen mitteilen, dass die am {date} gelieferte Ware nicht unseren Anforderungen entspricht.
            mit Bedauern stelle ich fest, dass meine Bestellung {ref} auch nach mehrfacher Nachfrage noch nicht vollständig eingetroffen ist.
            ich wende mich heute mit einer Beschwerde an Sie, da die vereinbarten Arbeiten nicht fachgerecht ausgeführt wurden.
        """),
        pool("""
            Bei der Wareneingangskontrolle haben wir festgestellt, dass drei Kartons beschädigt waren und der Inhalt teilweise unbrauchbar ist.
            Die zugesagte Lieferung innerhalb von fünf Werktagen wurde um mehr als zwei Wochen überschritten.
            Fotos der Schäden und eine Kopie des Lieferscheins haben wir diesem Schreiben beigefügt.
            Ihr Kundenservice hat uns am Telefon einen Rückruf zugesagt, der bis heute nicht erfolgt ist.
            Durch die Verzögerung konnten wir einen eigenen Kundentermin nicht einhalten.
            Die gelieferten Geräte weisen deutliche Gebrauchsspuren auf, obwohl Neuware bestellt war.
        """),
        pool("""
            Wir bitten Sie, uns bis zum {deadline} Ersatz zu liefern oder den Kaufpreis zu erstatten.
            Bitte teilen Sie mir kurzfristig mit, wie Sie den Mangel beheben möchten.
            Ich setze Ihnen hiermit eine Frist zur Nachbesserung bis zum {deadline}.
        """),
    ),
    "cancellation": (
        pool(
            "Kündigung meiner Mitgliedschaft, Mitgliedsnummer {ref}|Kündigung des Wartungsauftrags {ref}|Kündigung zum nächstmöglichen Termin"
        ),
        pool("""
            hiermit kündige ich meine Mitgliedschaft mit der Nummer {ref} fristgerecht zum nächstmöglichen Zeitpunkt.
            hiermit kündigen wir den bestehenden Wartungsauftrag {ref} unter Einhaltung der vereinbarten Frist.
            leider sehe ich mich gezwungen, mein Abonnement zu beenden.
        """),
        pool("""
            Bitte bestätigen Sie mir den Eingang dieser Kündigung sowie das Datum, zu dem sie wirksam wird.
            Eine erteilte Einzugsermächtigung widerrufe ich zum selben Zeitpunkt.
            Grund für die Kündigung ist ein Umzug in eine andere Stadt.
            Bitte senden Sie mir keine weiteren Werbeangebote zu.
            Bereits im Voraus gezahlte Beiträge bitte ich auf mein Konto zurückzuerstatten.
        """),
        pool("""
            Für Ihre schriftliche Bestätigung bis zum {deadline} danke ich Ihnen im Voraus.
            Ich bitte um eine kurze Bestätigung per E-Mail.
        """),
    ),
    "reminder": (
        pool(
            "Zahlungserinnerung zu Rechnung {ref}|Erinnerung: offener Betrag {amount}|2. Mahnung Rechnung {ref}"
        ),
        pool("""
            sicher ist es Ihrer Aufmerksamkeit entgangen, dass unsere Rechnung {ref} vom {date} über {amount} noch nicht beglichen ist.
            bei der Durchsicht unserer Buchhaltung ist uns aufgefallen, dass der Betrag von {amount} noch offen ist.
            trotz unserer Zahlungserinnerung konnten wir bis heute keinen Zahlungseingang feststellen.
        """),
        pool("""
            Die Zahlung war zum {past} fällig.
            Sollten Sie die Zahlung bereits veranlasst haben, betrachten Sie dieses Schreiben bitte als gegenstandslos.
            Eine Kopie der Rechnung fügen wir diesem Schreiben bei.
            Bei Fragen zur Rechnung steht Ihnen unsere Buchhaltung gerne zur Verfügung.
            Wir erlauben uns, für diese Mahnung Gebühren von 5,00 € zu berechnen.
        """),
        pool("""
            Bitte überweisen Sie den Betrag bis spätestens {deadline}.
            Wir bitten Sie, den offenen Betrag innerhalb von sieben Tagen auszugleichen.
        """),
    ),
    "meeting": (
        pool(
            "Terminanfrage: Abstimmung zum Projekt {project}|Einladung zur Besprechung am {soon}|Vorschlag für ein Kennenlerngespräch"
        ),
        pool("""
            gerne würde ich mit Ihnen einen Termin vereinbaren, um die nächsten Schritte im Projekt {project} zu besprechen.
            hiermit laden wir Sie herzlich zu unserer Besprechung am {soon} um {time} Uhr ein.
            im Anschluss an unser Telefonat schlage ich ein persönliches Treffen vor.
        """),
        pool("""
            Als Termine kämen für mich der {soon} oder der {deadline} jeweils ab {time} Uhr in Frage.
            Die Besprechung findet in unserem Büro in {city} statt; alternativ können wir uns per Videokonferenz treffen.
            Auf der Tagesordnung stehen der aktuelle Projektstand, das Budget und die weitere Zeitplanung.
            Bitte bringen Sie die aktuellen Unterlagen zum Projekt mit.
            Wir rechnen mit einer Dauer von etwa neunzig Minuten.
        """),
        pool("""
            Bitte teilen Sie mir mit, welcher Termin Ihnen am besten passt.
            Ich freue mich auf Ihre Rückmeldung und ein baldiges Gespräch.
        """),
    ),
    "address": (
        pool("Änderung unserer Anschrift|Neue Geschäftsadresse ab {soon}|Umzug unseres Büros"),
        pool("""
            wir möchten Sie darüber informieren, dass sich unsere Geschäftsadresse ab dem {soon} ändert.
            unser Büro zieht um: Ab dem {soon} finden Sie uns an neuer Stelle in {city}.
        """),
        pool("""
            Unsere neue Anschrift lautet: {address}.
            Telefonnummern und E-Mail-Adressen bleiben unverändert.
            Post an die alte Adresse wird noch sechs Monate nachgesendet.
            Am Umzugstag sind wir telefonisch nur eingeschränkt erreichbar.
            In den neuen Räumen stehen Ihnen auch Parkplätze für Besucher zur Verfügung.
        """),
        pool("""
            Bitte aktualisieren Sie Ihre Unterlagen entsprechend.
            Wir freuen uns, Sie bald in unseren neuen Räumen begrüßen zu dürfen.
        """),
    ),
    "holidays": (
        pool(
            "Betriebsferien vom {soon} bis {deadline}|Hinweis auf unsere Betriebsferien|Eingeschränkte Erreichbarkeit zwischen den Jahren"
        ),
        pool("""
            bitte beachten Sie, dass unser Betrieb vom {soon} bis zum {deadline} geschlossen bleibt.
            wie in jedem Jahr machen wir eine kurze Pause: Unsere Betriebsferien beginnen am {soon}.
        """),
        pool("""
            Bestellungen, die bis zum {past} bei uns eingehen, liefern wir noch vor den Ferien aus.
            Dringende Anfragen beantworten wir in dieser Zeit per E-Mail.
            Für Notfälle ist unser Bereitschaftsdienst unter {phone} erreichbar.
            Ab dem {deadline} sind wir wieder wie gewohnt für Sie da.
        """),
        pool("""
            Vielen Dank für Ihr Verständnis.
            Wir wünschen Ihnen eine erholsame Zeit.
        """),
    ),
    "prices": (
        pool(
            "Preisanpassung ab {soon}|Information zu unseren neuen Preisen|Anpassung der Konditionen"
        ),
        pool("""
            aufgrund gestiegener Material- und Energiekosten müssen wir unsere Preise zum {soon} anpassen.
            nach drei Jahren stabiler Preise kommen wir leider nicht umhin, unsere Konditionen zu überarbeiten.
        """),
        pool("""
            Die neue Preisliste erhalten Sie mit diesem Schreiben.
            Bestehende Aufträge werden selbstverständlich zu den bisherigen Konditionen ausgeführt.
            Die Anpassung beträgt im Durchschnitt 4,5 Prozent.
            Für Rahmenkunden gelten die vereinbarten Preise bis zum Ende der Laufzeit.
            Gerne erläutern wir Ihnen die Änderungen in einem persönlichen Gespräch.
        """),
        pool("""
            Wir danken Ihnen für Ihr Verständnis und Ihre Treue.
            Bei Fragen wenden Sie sich bitte an Ihren Ansprechpartner im Vertrieb.
        """),
    ),
    "enquiry": (
        pool(
            "Anfrage: Angebot für {project}|Bitte um Informationen zu Ihren Leistungen|Anfrage Rahmenvereinbarung"
        ),
        pool("""
            wir sind auf Ihr Unternehmen aufmerksam geworden und bitten um ein unverbindliches Angebot für {project}.
            für ein anstehendes Vorhaben suchen wir einen zuverlässigen Partner und würden uns über Informationen zu Ihren Leistungen freuen.
        """),
        pool("""
            Der Umfang beläuft sich auf etwa {count} Einheiten pro Monat.
            Wichtig sind uns kurze Lieferzeiten und ein fester Ansprechpartner.
            Bitte nennen Sie uns auch Ihre Zahlungs- und Lieferbedingungen.
            Gerne senden wir Ihnen vorab weitere Unterlagen zu.
            Eine Entscheidung möchten wir bis Ende des Monats treffen.
        """),
        pool("""
            Über ein Angebot bis zum {deadline} würden wir uns sehr freuen.
            Für Rückfragen stehe ich Ihnen gerne telefonisch zur Verfügung.
        """),
    ),
    "application": (
        pool("Bewerbung als {job}|Ihre Stellenanzeige vom {date}: Bewerbung|Initiativbewerbung"),
        pool("""
            mit großem Interesse habe ich Ihre Stellenanzeige gelesen und bewerbe mich hiermit als {job}.
            auf der Suche nach einer neuen Herausforderung bin ich auf Ihr Unternehmen gestoßen.
        """),
        pool("""
            Derzeit arbeite ich als Sachbearbeiterin in einem mittelständischen Unternehmen in {city}.
            In meiner bisherigen Tätigkeit habe ich umfangreiche Erfahrungen in der Kundenbetreuung gesammelt.
            Zu meinen Stärken zählen Zuverlässigkeit, Teamfähigkeit und ein strukturierter Arbeitsstil.
            Meinen Lebenslauf und meine Zeugnisse finden Sie in der Anlage.
            Ich stehe Ihnen ab dem {deadline} zur Verfügung.
        """),
        pool("""
            Über eine Einladung zu einem persönlichen Gespräch freue ich mich sehr.
            Gerne überzeuge ich Sie in einem Vorstellungsgespräch von meiner Motivation.
        """),
    ),
}
_GENERIC = pool("""
    Für Rückfragen stehen wir Ihnen jederzeit gerne zur Verfügung.
    Sie erreichen mich werktags zwischen 9 und 16 Uhr unter {phone}.
    Vielen Dank für Ihre Mühe.
    Wir danken Ihnen für die bisherige gute Zusammenarbeit.
""")
_LETTER_CLOSINGS = pool(
    "Mit freundlichen Grüßen|Freundliche Grüße|Mit besten Grüßen|Hochachtungsvoll"
)
_MAIL_CLOSINGS = pool(
    "Viele Grüße|Beste Grüße|Freundliche Grüße|Mit freundlichen Grüßen|Herzliche Grüße"
)
_PROJECTS = pool(
    "Umbau Filiale Nord|Relaunch Website|Umstellung der Lagerverwaltung|Messeauftritt 2025|Büroumzug"
)
_JOBS = pool("Sachbearbeiterin Einkauf|Bürokaufmann|Teamleitung Kundenservice|Buchhalterin")
_ROLES = pool(
    "Geschäftsführung|Kundenservice|Einkauf|Buchhaltung|Projektleitung|Vertrieb|Assistenz der Geschäftsleitung"
)
_NAMES = {"complaint": "reklamation", "cancellation": "kuendigung", "reminder": "zahlungserinnerung",
          "meeting": "terminanfrage", "address": "adressaenderung", "holidays": "mitteilung", "prices": "preisanpassung", "enquiry": "anfrage", "application": "bewerbung"}  # fmt: skip


def _values(rng: random.Random, city: str, when: date) -> dict[str, str]:
    """What the scenario sentences mention: dates before and after the letter's, and more."""
    past, soon = when - timedelta(5 + below(rng, 40)), when + timedelta(4 + below(rng, 14))
    return {
        "date": pick(rng, (short_date(past), long_date(past))), "past": short_date(past),
        "soon": pick(rng, (short_date(soon), long_date(soon))),
        "deadline": short_date(soon + timedelta(7 + below(rng, 14))),
        "ref": f"{pick(rng, ('A', 'M', 'RE', 'K'))}-{below(rng, 10**6):06d}", "amount": euro(50 + below(rng, 5000) + 0.5),
        "project": pick(rng, _PROJECTS), "time": f"{9 + below(rng, 8)}:{pick(rng, ('00', '30'))}",
        "city": city,
        "address": f"{street(rng)}, {place(rng)[1]} {city}", "phone": phone(rng), "count": str(10 * (2 + below(rng, 50))),
        "job": pick(rng, _JOBS),
    }  # fmt: skip


def _body(rng: random.Random, scenario: str, values: dict[str, str]) -> tuple[str, str]:
    subjects, openings, details, requests = _SCENARIOS[scenario]
    subject = pick(rng, subjects).format(**values)
    middle = rng.sample(details, min(len(details), 3 + below(rng, 3)))
    paragraphs = [pick(rng, openings), " ".join(middle[: len(middle) // 2 + 1])]
    if len(middle) > 2:
        paragraphs.append(" ".join(middle[len(middle) // 2 + 1 :]))
    paragraphs.append(pick(rng, requests) + (" " + pick(rng, _GENERIC) if chance(rng, 0.6) else ""))
    return subject, "\n\n".join(paragraphs).format(**values)


def _footer(
    rng: random.Random, company: str, city: str, postcode: str, area: str, kind: str
) -> str:
    """A firm's letter footer (seat, register, management) or e-mail signature block."""
    web = f"www.{ascii_slug(company)}.de"
    if kind == "email":
        return (
            f"\n--\n{company}\n{street(rng)}, {postcode} {city}\nTel. {phone(rng, area)}\n{web}\n"
        )
    return (
        f"\n{company} · {street(rng)} · {postcode} {city} · Tel. {phone(rng, area)} · {web}\n"
        f"Sitz der Gesellschaft: {city} · Registergericht: Amtsgericht {city}, HRB {10000 + below(rng, 90000)}\n"
        f"Geschäftsführung: {pick(rng, ('Dr. ', '', ''))}{person(rng)[0]} {person(rng)[1]}\n"
    )


@dataclass(frozen=True)
class _People:
    """Who writes to whom: the recipient's first name, surname and 'Frau'/'Herr', the
    sender's name, the firm, and whether the sender writes as a private person."""

    first: str
    last: str
    title: str
    sender: str
    company: str
    private: bool


def _mail_head(rng: random.Random, p: _People, subject: str, when: date) -> str:
    domain = "web.de" if p.private else f"{ascii_slug(p.company)}.de"
    mailbox = ".".join(ascii_slug(part) for part in p.sender.split(" ", 1))
    to_domain = ascii_slug(pick(rng, COMPANIES))
    return (
        f"Von: {p.sender} <{mailbox}@{domain}>\n"
        f"An: {p.first} {p.last} <{ascii_slug(p.first)[0]}.{ascii_slug(p.last)}@{to_domain}.de>\n"
        f"Betreff: {pick(rng, ('', '', 'AW: ', 'WG: '))}{subject}\n"
        f"Datum: {any_date(rng, when)}, {8 + below(rng, 10)}:{below(rng, 60):02d}\n\n"
    )


def _letter_head(
    rng: random.Random, p: _People, subject: str, when: date, place_: tuple[str, str, str, str]
) -> str:
    city, postcode, area, _ = place_
    to_city, to_postcode, _, _ = place(rng)
    refs = (
        f"Ihr Zeichen: {pick(rng, ('', 'ab', 'kl/mw'))}   "
        f"Unser Zeichen: {ascii_slug(p.sender.split()[-1])[:2]}-{below(rng, 1000)}   "
        f"Telefon: {area} {below(rng, 90000) + 10000}\n"
    )
    return (
        f"{p.sender if p.private else p.company} · {street(rng)} · {postcode} {city}\n\n"
        f"{pick(rng, COMPANIES)}\n{p.title} {p.first} {p.last}\n{street(rng)}\n{to_postcode} {to_city}\n\n"
        + ("" if p.private else refs)
        + f"{city}, {any_date(rng, when)}\n\n{pick(rng, ('Betreff: ', '', ''))}{subject}\n\n"
    )


def correspondence(rng: random.Random) -> Sample:
    scenario = pick(rng, tuple(_SCENARIOS))
    here = place(rng)
    city, postcode, area, _ = here
    when = day(rng)
    subject, body = _body(rng, scenario, _values(rng, city, when))
    first, last, title = person(rng)
    sender_first, sender_last, _ = person(rng)
    private = scenario in ("cancellation", "application") or chance(rng, 0.15)
    p = _People(first, last, title, f"{sender_first} {sender_last}", pick(rng, COMPANIES), private)
    greeting = (
        salutation(first, last, title) if chance(rng, 0.6) else "Sehr geehrte Damen und Herren,"
    )
    signature = p.sender + ("" if private else f"\n{pick(rng, _ROLES)}\n{p.company}")
    if chance(rng, 0.4):
        kind, head, closing = "email", _mail_head(rng, p, subject, when), pick(rng, _MAIL_CLOSINGS)
        if chance(rng, 0.4):
            dear = f"Liebe{'' if title == 'Frau' else 'r'} {first},"
            greeting = pick(rng, (f"Hallo {title} {last},", f"Guten Tag {title} {last},", dear))
    else:
        kind, head, closing = (
            "brief",
            _letter_head(rng, p, subject, when, here),
            pick(rng, _LETTER_CLOSINGS),
        )
    enclosure = "\n\nAnlagen" if chance(rng, 0.2) and kind == "brief" else ""
    footer = "" if private else _footer(rng, p.company, city, postcode, area, kind)
    text = f"{head}{greeting}\n\n{body}\n\n{closing}\n\n{signature}{enclosure}\n{footer}"
    stem = pick(rng, (f"{_NAMES[scenario]}_{below(rng, 10000):04d}", f"{kind}_{ascii_slug(last)}_{below(rng, 100):02d}",
                      f"{kind}-{when:%Y%m%d}", f"schreiben_{below(rng, 10000):04d}"))  # fmt: skip
    return Sample("correspondence", "de", stem, text, "text/plain", ".txt", subject)
