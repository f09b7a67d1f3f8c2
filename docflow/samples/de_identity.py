"""German identity documents (Personalausweis, Reisepass, Aufenthaltstitel) as a scan's
transcription, an identity check report or a video identification record, each with
a machine readable zone whose check digits are right."""

from __future__ import annotations

import random
from datetime import date, timedelta

from docflow.samples.common import (
    Sample,
    ascii_slug,
    below,
    birthday,
    chance,
    day,
    document_number,
    mrz_name,
    mrz_td1,
    mrz_td3,
    pick,
    pool,
    some,
    years_later,
)
from docflow.samples.de_pools import FIRST_F, FIRST_M, LAST, full_name, place, short_date, street

_EYES = pool("BLAU|BRAUN|GRÜN|GRAU|GRÜNBRAUN")
# Residence permits: (MRZ code, nationality as printed)
_FOREIGN = (("TUR", "TÜRKISCH"), ("POL", "POLNISCH"), ("UKR", "UKRAINISCH"), ("SYR", "SYRISCH"),
            ("ITA", "ITALIENISCH"), ("IND", "INDISCH"), ("BRA", "BRASILIANISCH"))  # fmt: skip
_PERMITS = pool("""
    Aufenthaltserlaubnis § 18b Abs. 1 AufenthG|Niederlassungserlaubnis § 9 AufenthG
    Blaue Karte EU § 18g AufenthG|Aufenthaltserlaubnis § 16b AufenthG (Studium)
""")
_CHECKS = pool("""
    Prüfziffern der MRZ: korrekt|Dokument gültig: ja|Hologramm und Kinegramm: vorhanden
    Lichtbildabgleich mit Selfie: übereinstimmend (Score 0,93)|Chip ausgelesen: ja, Signatur gültig
    UV-Merkmale: vorhanden|Abgleich mit Sperrliste: kein Treffer|Adressnachweis: separat geprüft
    Manipulationsprüfung: unauffällig|Mindestalter 18 Jahre: erfüllt
""")
_NOTES = pool("""
    Das Dokument wurde beidseitig mit 300 dpi gescannt.|Die Vorderseite war leicht spiegelnd, die Daten sind aber gut lesbar.
    Der Kunde hat das Dokument im Original vorgelegt.|Die Angaben stimmen mit dem Antrag auf Kontoeröffnung überein.
    Eine erneute Prüfung ist nach Ablauf des Dokuments erforderlich.|Die Kopie dient nur der Identitätsprüfung nach § 8 GwG.
    Das Lichtbild stimmt mit der vorsprechenden Person überein.|Die Anschrift wurde mit einer aktuellen Meldebescheinigung abgeglichen.
    Die Kopie ist nach Ablauf der gesetzlichen Aufbewahrungsfrist zu vernichten.|Der Ausweis ist unbeschädigt und die Sicherheitsmerkmale sind vorhanden.
""")
_SIGNED = pool("""
    Unterschrift / Signature: [Unterschrift]|Unterschrift: [unleserlich]|Unterschrift der Inhaberin / des Inhabers: vorhanden
    [Unterschrift des Inhabers]|Unterschrift / Signature / Signature: (handschriftlich)
""")
_HEADERS = pool("""
    Kopie für die Kundenakte - nur zur Identitätsprüfung|Ausweiskopie zum Antrag auf Eröffnung eines Kontos
    Scan des Ausweisdokuments, eingereicht über das Kundenportal|Identitätsnachweis für die Anmeldung bei der Vermietung
    Anlage zum Mietvertrag: Kopie des Ausweises|Legitimationsprüfung - Kopie des vorgelegten Dokuments
    Ausweiskopie (geschwärzt gemäß § 20 PAuswG)|Nachweis der Identität für die Zulassungsstelle
""")
_STATES = (
    "BUNDESREPUBLIK DEUTSCHLAND",
    "Bundesrepublik Deutschland",
    "BUNDESREPUBLIK DEUTSCHLAND / FEDERAL REPUBLIC OF GERMANY",
)
# German labels, and the English and French ones the documents print beside them.
_LABELS = {"Name": "Surname / Nom", "Vornamen": "Given names / Prénoms",
           "Geburtstag": "Date of birth / Date de naissance", "Geburtsort": "Place of birth / Lieu de naissance",
           "Gültig bis": "Date of expiry / Date d'expiration", "Dokumentennummer": "Document number",
           "Anschrift": "Address / Adresse", "Größe": "Height / Taille",
           "Augenfarbe": "Colour of eyes / Couleur des yeux", "Behörde": "Authority / Autorité",
           "Ausstellungsdatum": "Date of issue", "Staatsangehörigkeit": "Nationality / Nationalité"}  # fmt: skip


def _holder(rng: random.Random) -> dict[str, str | date]:
    female = chance(rng, 0.5)
    given = " ".join(pick(rng, FIRST_F if female else FIRST_M) for _ in range(1 + below(rng, 2)))
    surname = pick(rng, LAST)
    born = birthday(rng)
    issued = day(rng)
    city, postcode, _, _ = place(rng)
    return {
        "surname": surname.upper(), "given": given.upper(), "born": born,
        "birthplace": pick(rng, ("BERLIN", "HAMBURG", "KÖLN", "MÜNCHEN", "LEIPZIG", "ESSEN", "KASSEL", "ULM")),
        "sex": "F" if female else "M", "issued": issued, "city": city,
        "address": f"{street(rng)}, {postcode} {city}",
        "height": f"{152 + below(rng, 46)} cm", "eyes": pick(rng, _EYES),
        "authority": pick(rng, (f"Stadt {city}", f"Bürgeramt {city}", f"Landeshauptstadt {city}")),
    }  # fmt: skip


def _document(rng: random.Random, h: dict[str, str | date]) -> tuple[str, str, str, str, str]:
    """(title, number, expiry, extra lines, MRZ) of a drawn kind of document for holder `h`."""
    born, issued = h["born"], h["issued"]
    assert isinstance(born, date) and isinstance(issued, date)
    surname, given = str(h["surname"]), str(h["given"])
    kind = below(rng, 10)
    if kind < 5:
        number = document_number(rng, "LMNPRT")
        expires = years_later(issued, 10) - timedelta(1)
        can = f"{below(rng, 10**6):06d}"
        mrz = mrz_td1("ID", "D", number, born, "<", expires, "D", mrz_name(surname, given, 30))
        title = "BUNDESREPUBLIK DEUTSCHLAND\nPERSONALAUSWEIS / IDENTITY CARD / CARTE D'IDENTITÉ"
        return title, number, short_date(expires), f"Zugangsnummer (CAN): {can}", mrz
    if kind < 8:
        number = document_number(rng, "CFGHJK")
        expires = years_later(issued, 10) - timedelta(1)
        mrz = mrz_td3(
            "P", "D", number, born, str(h["sex"]), expires, "D", mrz_name(surname, given, 39)
        )
        title = "BUNDESREPUBLIK DEUTSCHLAND\nREISEPASS / PASSPORT / PASSEPORT"
        return title, number, short_date(expires), "Typ / Type: P   Kode / Code: D", mrz
    code, nationality = pick(rng, _FOREIGN)
    number = document_number(rng, "Y")
    expires = years_later(issued, 2 + below(rng, 4))
    mrz = mrz_td1(
        "AR", "D", number, born, str(h["sex"]), expires, code, mrz_name(surname, given, 30)
    )
    title = "AUFENTHALTSTITEL / RESIDENCE PERMIT / TITRE DE SÉJOUR"
    extra = f"Staatsangehörigkeit: {nationality}\nArt des Titels: {pick(rng, _PERMITS)}"
    return title, number, short_date(expires), extra, mrz


def _transcription(rng: random.Random, h: dict[str, str | date]) -> tuple[str, str]:
    title, number, expiry, extra, mrz = _document(rng, h)
    born, issued = h["born"], h["issued"]
    assert isinstance(born, date) and isinstance(issued, date)
    german = "Staatsangehörigkeit" not in extra
    three = chance(rng, 0.4)

    def label(name: str) -> str:
        return f"{name} / {_LABELS[name]}" if three else name

    front = [
        f"{label('Name')}: {h['surname']}",
        f"{label('Vornamen')}: {h['given']}",
        f"{label('Geburtstag')}: {short_date(born)}",
        f"{label('Geburtsort')}: {h['birthplace']}",
        f"{label('Staatsangehörigkeit')}: DEUTSCH" if german else extra,
        f"{label('Gültig bis')}: {expiry}",
        f"{label('Dokumentennummer')}: {number}",
    ]
    back = [
        f"{label('Anschrift')}: {str(h['address']).upper()}",
        f"{label('Größe')}: {h['height']}",
        f"{label('Augenfarbe')}: {h['eyes']}",
        f"{label('Behörde')}: {h['authority']}",
        f"{label('Ausstellungsdatum')}: {short_date(issued)}",
    ]
    if german:
        back.append(extra)
    page = pick(rng, ("Vorderseite", "Seite 1 (Vorderseite)", "Scan der Vorderseite"))
    shown = (
        title.replace(_STATES[0], pick(rng, _STATES)) if chance(rng, 0.7) else title.split("\n")[-1]
    )
    header = f"{pick(rng, _HEADERS)}\n\n" if chance(rng, 0.8) else ""
    text = (
        f"{header}{page}\n\n{shown}\n\n"
        + "\n".join(front[:3] + some(rng, front[3:], 3, 4))
        + f"\n{pick(rng, _SIGNED)}\n\n"
        f"{pick(rng, ('Rückseite', 'Seite 2 (Rückseite)', 'Scan der Rückseite'))}\n\n"
        + "\n".join(some(rng, back, 3, 6))
        + f"\n\n{mrz}\n\n"
        + " ".join(rng.sample(_NOTES, 3 + below(rng, 2)))
        + "\n"
    )
    return text, title.split("\n")[-1].split(" /")[0].title()


def _report(rng: random.Random, h: dict[str, str | date]) -> tuple[str, str]:
    title, number, expiry, extra, mrz = _document(rng, h)
    born = h["born"]
    assert isinstance(born, date)
    kind = title.split("\n")[-1].split(" /")[0].title()
    video = chance(rng, 0.4)
    heading = (
        "VideoIdent-Protokoll"
        if video
        else pick(
            rng,
            (
                "Identitätsprüfung - Ergebnisprotokoll",
                "Prüfbericht Ausweisdokument",
                "KYC-Prüfung: Ausweisdaten",
            ),
        )
    )
    checked = day(rng)
    text = (
        f"{heading}\nVorgangsnummer: {pick(rng, ('ID', 'KYC', 'VI'))}-{below(rng, 10**7):07d}\n"
        f"Datum der Prüfung: {short_date(checked)}, {8 + below(rng, 10):02d}:{below(rng, 60):02d} Uhr\n\n"
        f"Vorgelegtes Dokument: {kind}\nAusstellender Staat: Deutschland (D)\n"
        f"Dokumentennummer: {number}\nGültig bis: {expiry}\n\n"
        f"Familienname: {str(h['surname']).title()}\nVornamen: {str(h['given']).title()}\n"
        f"Geburtsdatum: {short_date(born)}\nGeburtsort: {str(h['birthplace']).title()}\n"
        f"{extra if 'Staatsangehörigkeit' in extra else 'Staatsangehörigkeit: deutsch'}\n"
        f"Anschrift: {h['address']}\n\n"
        f"Ausgelesene maschinenlesbare Zone:\n{mrz}\n\nPrüfergebnisse:\n- "
        + "\n- ".join(rng.sample(_CHECKS, 4 + below(rng, 3)))
        + ("\n\nDer Kunde hielt das Dokument vor die Kamera und kippte es, um die Sicherheitsmerkmale "
           "zu zeigen. Die TAN wurde per SMS übermittelt und korrekt eingegeben." if video else "")
        + f"\n\nErgebnis: {pick(rng, ('Identität bestätigt', 'bestanden', 'positiv, keine Auffälligkeiten'))}\n"
        f"Geprüft von: {full_name(rng)}, {pick(rng, ('Compliance', 'Kundenservice Onboarding', 'Identifizierungsteam'))}\n"
    )  # fmt: skip
    return text, kind


def identity_document(rng: random.Random) -> Sample:
    h = _holder(rng)
    text, kind = _report(rng, h) if chance(rng, 0.4) else _transcription(rng, h)
    n = below(rng, 10000)
    slug = {"Personalausweis": "personalausweis", "Reisepass": "reisepass"}.get(
        kind, "aufenthaltstitel"
    )
    stem = pick(rng, (f"{slug}_{n:04d}", f"ausweis_scan_{n:04d}", f"kyc_{n:04d}_{slug}", f"scan_{n:04d}",
                      f"{slug}_{ascii_slug(str(h['surname']))}"))  # fmt: skip
    return Sample("identity_document", "de", stem, text, "text/plain", ".txt", kind)
