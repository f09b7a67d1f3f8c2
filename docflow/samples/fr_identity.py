"""French identity documents (carte nationale d'identité, old and new format, passeport,
titre de séjour) as a scan's transcription or an identity check report, each with a
machine readable zone whose check digits are right."""

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
    mrz_check,
    mrz_name,
    mrz_td1,
    mrz_td3,
    pick,
    pool,
    some,
    to_ascii,
    years_later,
)
from docflow.samples.fr_pools import FIRST_F, FIRST_M, LAST, full_name, place, short_date, street

_FOREIGN = (("DZA", "Algérienne"), ("MAR", "Marocaine"), ("PRT", "Portugaise"), ("TUN", "Tunisienne"),
            ("SEN", "Sénégalaise"), ("CHN", "Chinoise"), ("USA", "Américaine"))  # fmt: skip
_NOTES = pool("""
    Le document a été numérisé recto verso à 300 dpi.|La photo correspond à la personne qui s'est présentée au guichet.
    Le client a présenté l'original du document.|Les informations concordent avec la demande d'ouverture de compte.
    La copie est conservée uniquement pour la vérification d'identité prévue par le Code monétaire et financier.
    Le justificatif de domicile a été contrôlé séparément.|Le document est en bon état et les éléments de sécurité sont visibles.
    Une nouvelle vérification sera nécessaire à la date d'expiration du document.|Le reflet sur le recto ne gêne pas la lecture des données.
""")
_CHECKS = pool("""
    Clés de contrôle de la bande MRZ : conformes|Validité du document : en cours|Hologramme : présent
    Comparaison faciale avec le selfie : concordante (score 0,91)|Puce électronique lue : oui, signature valide
    Éléments visibles sous UV : présents|Consultation du fichier des documents volés : aucun résultat
    Contrôle de cohérence des dates : conforme|Âge minimum de 18 ans : vérifié
""")
_SIGNED = pool("""
    Signature du titulaire : [signature]|Signature : [illisible]|Signature du titulaire / Holder's signature : présente
    [signature manuscrite]|Signature : (manuscrite)
""")
_HEADERS = pool("""
    Copie pour le dossier client - vérification d'identité uniquement|Pièce d'identité jointe à la demande d'ouverture de compte
    Numérisation du justificatif d'identité déposé sur l'espace client|Pièce justificative pour le dossier de location
    Copie certifiée conforme à l'original|Justificatif d'identité - dossier d'inscription
    Pièce jointe au dossier de demande de prêt|Document transmis pour la souscription du contrat
""")
_STATES = ("RÉPUBLIQUE FRANÇAISE", "République française", "RÉPUBLIQUE FRANÇAISE / FRENCH REPUBLIC")
_LABELS = {"Nom": "Surname", "Prénoms": "Given names", "Sexe": "Sex", "Nationalité": "Nationality",
           "Date de naissance": "Date of birth", "Lieu de naissance": "Place of birth",
           "N° du document": "Document No", "Date d'expiration": "Expiry date", "Adresse": "Address",
           "Taille": "Height", "Délivré le": "Date of issue", "Autorité": "Authority"}  # fmt: skip


_EXPIRY = "Date d'expiration"


def _old_card(surname: str, given: str, born: date, sex: str, issued: date) -> tuple[str, str]:
    """The document number and two 36-character lines of a pre-2021 French ID card."""
    dept = f"{born.day % 95 + 1:02d}"
    office = f"{issued.toordinal() % 1000:03d}"
    line1 = f"IDFRA{to_ascii(surname).upper().replace(' ', '<').replace(chr(39), ''):<<25.25}{dept:<<3}{office}"
    number = f"{issued:%y%m}{dept}{office[0]}{issued.toordinal() % 100000:05d}"[:12]
    names = to_ascii(given).upper().replace(", ", "<<").replace(" ", "<").replace("'", "")
    line2 = (
        f"{number}{mrz_check(number)}{names:<<14.14}{born:%y%m%d}{mrz_check(f'{born:%y%m%d}')}{sex}"
    )
    return number, f"{line1}\n{line2}{mrz_check(line1 + line2)}"


def _document(rng: random.Random, h: dict[str, str | date]) -> tuple[str, str, str, str, str]:
    """(title, number, expiry, nationality, MRZ) of a drawn kind of document for `h`."""
    born, issued = h["born"], h["issued"]
    assert isinstance(born, date) and isinstance(issued, date)
    surname, given, sex = str(h["surname"]), str(h["given"]), str(h["sex"])
    kind = below(rng, 10)
    if kind < 4:
        number = document_number(rng, "XYZTVW")
        expires = years_later(issued, 10) - timedelta(1)
        mrz = mrz_td1("ID", "FRA", number, born, sex, expires, "FRA", mrz_name(surname, given, 30))
        return (
            "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ / IDENTITY CARD",
            number,
            short_date(expires),
            "Française",
            mrz,
        )
    if kind < 6:
        issued = issued.replace(year=min(issued.year, 2020))
        number, mrz = _old_card(surname, given, born, sex, issued)
        return (
            "RÉPUBLIQUE FRANÇAISE\nCARTE NATIONALE D'IDENTITÉ",
            number,
            short_date(years_later(issued, 15)),
            "Française",
            mrz,
        )
    if kind < 9:
        number = f"{issued:%y}{pick(rng, 'ABCDEFGHKLMN')}{pick(rng, 'ABCDEFGHKLMN')}{below(rng, 10**5):05d}"
        expires = years_later(issued, 10)
        mrz = mrz_td3("P", "FRA", number, born, sex, expires, "FRA", mrz_name(surname, given, 39))
        return (
            "RÉPUBLIQUE FRANÇAISE\nPASSEPORT / PASSPORT",
            number,
            short_date(expires),
            "Française",
            mrz,
        )
    code, nationality = pick(rng, _FOREIGN)
    number = document_number(rng, "NR")
    expires = years_later(issued, 1 + below(rng, 10))
    mrz = mrz_td1("IR", "FRA", number, born, sex, expires, code, mrz_name(surname, given, 30))
    return "RÉPUBLIQUE FRANÇAISE\nTITRE DE SÉJOUR / RESIDENCE PERMIT", number, short_date(expires), nationality, mrz  # fmt: skip


def _holder(rng: random.Random) -> dict[str, str | date]:
    female = chance(rng, 0.5)
    given = ", ".join(pick(rng, FIRST_F if female else FIRST_M) for _ in range(1 + below(rng, 3)))
    city, postcode, _ = place(rng)
    return {
        "surname": pick(rng, LAST).upper(), "given": given, "born": birthday(rng), "issued": day(rng),
        "sex": "F" if female else "M", "birthplace": pick(rng, ("Paris 14e", "Lyon 3e", "Marseille", "Rennes", "Lille", "Alger", "Bordeaux", "Metz")),
        "address": f"{street(rng)}, {postcode} {city}", "height": f"1,{52 + below(rng, 46)} m",
        "authority": pick(rng, (f"Préfecture de {city}", f"Mairie de {city}", f"Sous-préfecture de {city}")),
    }  # fmt: skip


def _kind(title: str) -> str:
    second = title.split("\n")[-1].split(" /")[0]
    return second[0] + second[1:].lower()


def _transcription(rng: random.Random, h: dict[str, str | date]) -> str:
    title, number, expiry, nationality, mrz = _document(rng, h)
    born, issued = h["born"], h["issued"]
    assert isinstance(born, date) and isinstance(issued, date)
    two = chance(rng, 0.5)

    def label(name: str) -> str:
        return f"{name} / {_LABELS[name]}" if two else name

    recto = [f"{label('Nom')} : {h['surname']}", f"{label('Prénoms')} : {h['given']}",
             f"{label('Date de naissance')} : {short_date(born)}", f"{label('Sexe')} : {h['sex']}",
             f"{label('Nationalité')} : {'FRA' if nationality == 'Française' else nationality}",
             f"{label('Lieu de naissance')} : {h['birthplace']}",
             f"{label('N° du document')} : {number}", f"{label(_EXPIRY)} : {expiry}"]  # fmt: skip
    verso = [f"{label('Adresse')} : {h['address']}", f"{label('Taille')} : {h['height']}",
             f"{label('Délivré le')} : {short_date(issued)}", f"{label('Autorité')} : {h['authority']}"]  # fmt: skip
    shown = (
        title.replace(_STATES[0], pick(rng, _STATES)) if chance(rng, 0.7) else title.split("\n")[-1]
    )
    header = f"{pick(rng, _HEADERS)}\n\n" if chance(rng, 0.8) else ""
    return (
        f"{header}{pick(rng, ('Recto', 'Page 1 - recto', 'Numérisation du recto'))}\n\n{shown}\n\n"
        + "\n".join(recto[:3] + some(rng, recto[3:], 3, 5))
        + f"\n{pick(rng, _SIGNED)}\n\n"
        f"{pick(rng, ('Verso', 'Page 2 - verso', 'Numérisation du verso'))}\n\n"
        + "\n".join(some(rng, verso, 2, 4)) + f"\n\n{mrz}\n\n"
        + " ".join(rng.sample(_NOTES, 3 + below(rng, 2))) + "\n"
    )  # fmt: skip


def _report(rng: random.Random, h: dict[str, str | date]) -> str:
    title, number, expiry, nationality, mrz = _document(rng, h)
    born = h["born"]
    assert isinstance(born, date)
    checked = day(rng)
    heading = pick(rng, ("Rapport de vérification d'identité", "Procès-verbal de vérification - entrée en relation",
                         "Contrôle KYC : pièce d'identité"))  # fmt: skip
    return (
        f"{heading}\nDossier n° {pick(rng, ('KYC', 'DOS', 'ID'))}-{below(rng, 10**7):07d}\n"
        f"Date du contrôle : {short_date(checked)} à {8 + below(rng, 10)} h {below(rng, 60):02d}\n\n"
        f"Document présenté : {_kind(title)}\n"
        f"État émetteur : France (FRA)\nNuméro du document : {number}\nDate d'expiration : {expiry}\n\n"
        f"Nom : {str(h['surname']).title()}\nPrénoms : {h['given']}\nDate de naissance : {short_date(born)}\n"
        f"Lieu de naissance : {h['birthplace']}\nNationalité : {nationality}\nAdresse déclarée : {h['address']}\n\n"
        f"Bande MRZ lue :\n{mrz}\n\nRésultats des contrôles :\n- "
        + "\n- ".join(rng.sample(_CHECKS, 4 + below(rng, 3)))
        + f"\n\n{' '.join(rng.sample(_NOTES, 2))}\n\n"
        f"Conclusion : {pick(rng, ('identité vérifiée', 'contrôle conforme', 'document authentique, aucune anomalie'))}\n"
        f"Contrôle effectué par : {full_name(rng)}, {pick(rng, ('service conformité', 'équipe KYC', 'agence principale'))}\n"
    )  # fmt: skip


def identity_document(rng: random.Random) -> Sample:
    h = _holder(rng)
    text = _report(rng, h) if chance(rng, 0.4) else _transcription(rng, h)
    kind = next(
        k
        for k in ("Carte nationale d'identité", "Passeport", "Titre de séjour")
        if k.upper() in text.upper()
    )
    slug = {"Passeport": "passeport", "Titre de séjour": "titre_sejour"}.get(kind, "cni")
    n = below(rng, 10000)
    stem = pick(rng, (f"{slug}_{n:04d}", f"piece_identite_{n:04d}", f"kyc_{n:04d}_{slug}", f"scan_{n:04d}",
                      f"{slug}_{ascii_slug(str(h['surname']))}"))  # fmt: skip
    return Sample("identity_document", "fr", stem, text, "text/plain", ".txt", kind)
