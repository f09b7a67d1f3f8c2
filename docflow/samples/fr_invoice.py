"""French invoices: company invoices with their legal mentions (SIRET, RCS, TVA
intracommunautaire, late-payment penalties), building works at 10 % or 5,5 % VAT,
micro-entrepreneurs without VAT (art. 293 B du CGI), fee notes and accounting exports."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from docflow.samples.common import (
    Invoice,
    InvoiceLine,
    Sample,
    ascii_slug,
    below,
    chance,
    day,
    pick,
    pool,
    some,
)
from docflow.samples.fr_pools import (
    BANKS,
    COMPANIES,
    MONTHS,
    NAF,
    amount,
    any_date,
    bank_account,
    euro,
    full_name,
    party,
    person,
    phone,
    short_date,
    siret,
    spaced,
    street,
)

# Sellers of one trade and what they invoice: (description, unit as printed, UN/ECE unit
# code, lowest and highest unit price, VAT %).
Goods = tuple[tuple[str, str, str, float, float, float], ...]
_SECTORS: tuple[tuple[tuple[str, ...], Goods], ...] = (
    (("Solutions Numériques Garnier SAS", "Informatique Girard Services SAS", "Alpes Ingénierie SAS"), (
        ("Prestation de conseil, consultant senior", "h", "HUR", 90, 170, 20),
        ("Abonnement logiciel, licence annuelle", "licence", "C62", 8, 60, 20),
        ("Hébergement serveur cloud 4 vCPU", "mois", "MON", 40, 220, 20),
        ("Intervention technicien sur site", "h", "HUR", 60, 110, 20),
        ("Station d'accueil USB-C", "u", "H87", 90, 240, 20),
        ("Formation RGPD, par participant", "pers.", "C62", 120, 350, 20),
        ("Création site vitrine, forfait", "forfait", "LS", 600, 2400, 20),
    )),
    (("Fournitures Marchand SARL", "Bretagne Emballages SA", "Librairie Faure SARL"), (
        ("Fauteuil de bureau ergonomique", "u", "H87", 180, 420, 20),
        ("Ramettes papier A4 80 g", "carton", "H87", 18, 32, 20),
        ("Cartouche de toner noir", "u", "H87", 45, 110, 20),
        ("Cartons d'expédition 40 x 30 x 20", "lot", "H87", 18, 40, 20),
        ("Ouvrage Droit des sociétés, 8e éd.", "u", "H87", 29, 79, 5.5),
        ("Café en grains, 1 kg", "sachet", "H87", 14, 26, 5.5),
    )),
    (("Transports Moreau SAS", "Provence Logistique SAS"), (
        ("Transport de marchandises Lyon - Paris", "palette", "C62", 60, 140, 20),
        ("Stockage en entrepôt", "semaine", "WEE", 4, 11, 20),
        ("Préparation de commandes", "ligne", "C62", 0.8, 2.5, 20),
        ("Supplément livraison express", "envoi", "C62", 15, 45, 20),
        ("Surcharge carburant", "forfait", "LS", 20, 90, 20),
    )),
    (("Imprimerie du Rhône SARL", "Agence Lumière Communication SAS", "Atelier Vincent Design SAS"), (
        ("Impression brochures A4, 16 pages", "cent", "C62", 40, 95, 20),
        ("Shooting photo produits", "h", "HUR", 80, 150, 20),
        ("Conception d'une annonce presse", "forfait", "LS", 250, 900, 20),
        ("Location de stand, salon professionnel", "jour", "DAY", 450, 900, 20),
        ("Traduction FR>EN, document technique", "page", "C62", 25, 60, 20),
        ("Kakémono 85 x 200 cm", "u", "H87", 60, 140, 20),
    )),
    (("Nettoyage Pro Île-de-France SAS", "Traiteur Les Saveurs de Lyon SARL", "Hôtel du Parc SARL"), (
        ("Nettoyage des bureaux", "m²", "MTK", 1.2, 3.5, 20),
        ("Nettoyage des vitres", "m²", "MTK", 1.5, 4, 20),
        ("Plateaux-repas livrés", "couvert", "C62", 14, 32, 10),
        ("Cocktail déjeunatoire", "personne", "C62", 18, 45, 10),
        ("Nuitée chambre individuelle", "nuit", "C62", 79, 149, 10),
        ("Forfait séminaire journée", "personne", "C62", 39, 79, 20),
    )),
    (("Cabinet Lefèvre Expertise Comptable", "Cabinet Perrin & Associés", "Conseil Blanchard & Roche SAS"), (
        ("Honoraires, tenue de la comptabilité", "mois", "MON", 150, 600, 20),
        ("Établissement des comptes annuels", "forfait", "LS", 900, 2600, 20),
        ("Conseil juridique", "h", "HUR", 140, 260, 20),
        ("Bulletins de paie", "bulletin", "C62", 18, 35, 20),
        ("Frais de déplacement", "forfait", "LS", 40, 250, 20),
    )),
)  # fmt: skip
_WORKS = (
    ("Main d'œuvre, ouvrier qualifié", "h", "HUR", 38, 55, 10),
    ("Main d'œuvre, chef de chantier", "h", "HUR", 48, 65, 10),
    ("Déplacement", "forfait", "LS", 25, 60, 10),
    ("Fourniture et pose carrelage grès cérame", "m²", "MTK", 45, 90, 10),
    ("Peinture murs et plafonds, deux couches", "m²", "MTK", 18, 32, 10),
    ("Remplacement mitigeur thermostatique", "u", "H87", 140, 260, 10),
    ("Évacuation des gravats", "forfait", "LS", 60, 180, 10),
    ("Isolation des combles, laine soufflée", "m²", "MTK", 18, 35, 5.5),
    ("Pompe à chaleur air/eau, fourniture et pose", "u", "H87", 6500, 11000, 5.5),
    ("Fenêtre PVC double vitrage", "u", "H87", 420, 890, 5.5),
)
_FREELANCE = (
    ("Rédaction d'articles pour le blog", "article", "C62", 80, 220),
    ("Correction et relecture de manuscrit", "page", "C62", 3, 8),
    ("Création d'identité visuelle", "forfait", "LS", 400, 1500),
    ("Reportage photo événement", "h", "HUR", 60, 120),
    ("Cours particuliers de mathématiques", "h", "HUR", 25, 45),
    ("Séance de sophrologie en entreprise", "séance", "C62", 70, 150),
    ("Développement module boutique en ligne", "jour", "DAY", 300, 550),
)
_TITLES = pool(
    "FACTURE|Facture|Facture n° {number}|FACTURE N° {number}|Facture d'acompte n° {number}|Facture de solde n° {number}"
)
_TERMS = pool("""
    Paiement à 30 jours fin de mois, soit au plus tard le {due}.
    Conditions de paiement : à réception de facture.
    Règlement par virement bancaire à {days} jours date de facture (échéance : {due}).
    Date d'échéance : {due}. Règlement par virement ou par chèque à l'ordre de {seller}.
    Paiement comptant à réception, sans escompte.
""")
_LEGAL = pool("""
    En cas de retard de paiement, une pénalité égale à trois fois le taux d'intérêt légal sera exigible (article L441-10 du Code de commerce).
    Une indemnité forfaitaire pour frais de recouvrement de 40 € est due en cas de retard de paiement.
    Pas d'escompte pour paiement anticipé.
    Tout retard de paiement entraîne de plein droit des pénalités au taux de 10 % l'an.
""")
_NOTES = pool("""
    Merci de rappeler le numéro de facture dans le libellé de votre virement.
    Nous vous remercions de votre confiance.
    Les marchandises restent notre propriété jusqu'au paiement intégral du prix.
    Pour toute question concernant cette facture, contactez notre service comptabilité au {phone}.
    Toute réclamation doit nous parvenir dans un délai de huit jours après réception.
""")
_NAMES = pool(
    "facture_{number}|Facture-{number}|{seller}_facture_{date}|FA{number}|scan_{n:04d}|facture-{n}"
)
_COLUMNS = ("Désignation", "Qté", "P.U. HT", "Montant HT")


def _lines(rng: random.Random, goods: Goods, low: int, high: int) -> tuple[tuple[InvoiceLine, str], ...]:  # fmt: skip
    rows = []
    for name, unit, code, lo, hi, rate in rng.sample(
        goods, min(len(goods), low + below(rng, high - low + 1))
    ):
        if code in ("HUR", "MTK"):
            qty = float((1 + below(rng, 40)) / 2)
        else:
            qty = 1.0 if code == "LS" else float(1 + below(rng, 10))
        rows.append(
            (InvoiceLine(name, qty, round(lo + rng.random() * (hi - lo), 2), rate, code), unit)
        )
    return tuple(rows)


def _goods(rng: random.Random) -> tuple[str, Goods]:
    sellers, goods = pick(rng, _SECTORS)
    return pick(rng, sellers), goods


def _draft(
    rng: random.Random, lines: tuple[InvoiceLine, ...], seller: str = ""
) -> tuple[Invoice, str, str]:
    """An invoice from `seller` (else a drawn firm) to a drawn firm, the buyer's address block
    and the seller's SIREN."""
    buyer = pick(rng, [c for c in COMPANIES if c != seller])
    seller = seller or pick(rng, [c for c in COMPANIES if c != buyer])
    issued = day(rng)
    days = pick(rng, (15, 30, 30, 45, 60))
    _, iban, bic = bank_account(rng)
    seller_party, _, siren = party(rng, seller)
    buyer_party, buyer_block, _ = party(rng, buyer)
    n = below(rng, 10000)
    number = pick(rng, (f"FA-{issued.year}-{n:04d}", f"F{issued.year}{n:04d}", f"{issued.year}-{n:03d}",
                        f"FAC{issued:%y%m}-{n % 1000:03d}", str(n)))  # fmt: skip
    terms = f"Paiement à {days} jours par virement bancaire."
    invoice = Invoice(number, issued, issued + timedelta(days), "EUR", seller_party, buyer_party,
                      lines, iban, bic, terms, columns=_COLUMNS)  # fmt: skip
    return invoice, f"{buyer}\n{buyer_block}", siren


def bank_of(invoice: Invoice) -> str:
    code = invoice.iban.replace(" ", "")[4:9]
    return next((name for name, bank_code, _ in BANKS if bank_code == code), "BNP Paribas")


_HEADINGS = (("Désignation", "Description", "Libellé", "Article / prestation"), ("Qté", "Quantité", "Qté"),
             ("P.U. HT", "Prix unit.", "PU HT"), ("Montant HT", "Total HT", "Montant"))  # fmt: skip


def _table(rng: random.Random, rows: tuple[tuple[InvoiceLine, str], ...]) -> str:
    vat = chance(rng, 0.6) and any(line.vat_rate for line, _ in rows)
    label, qty, price, total = (pick(rng, labels) for labels in _HEADINGS)
    head = (
        f"{label:<44}{qty:>7} {'Unité':<9}{price:>10}"
        + (f"{'TVA':>7}" if vat else "")
        + f"{total:>12}"
    )
    body = [
        f"{line.description:<44}{amount(line.quantity).removesuffix(',00'):>7} {unit:<9}{amount(line.unit_price):>10}"
        + (f"{amount(line.vat_rate).removesuffix(',00') + ' %':>7}" if vat else "") + f"{amount(line.net):>12}"
        for line, unit in rows
    ]  # fmt: skip
    rule = "-" * len(head)
    return f"{head}\n{rule}\n" + "\n".join(body) + f"\n{rule}\n"


def _totals(invoice: Invoice) -> str:
    out = [f"{'Total HT':<24}{euro(invoice.net):>16}"]
    for rate, base, tax in invoice.taxes:
        label = f"TVA {amount(rate).removesuffix(',00')} %"
        out.append(
            f"{label:<24}{euro(tax):>16}"
            + (f"   (base {euro(base)})" if len(invoice.taxes) > 1 else "")
        )
    out.append(f"{'Total TTC':<24}{euro(invoice.total):>16}")
    out.append(f"{'Net à payer':<24}{euro(invoice.total):>16}")
    return "\n".join(out) + "\n"


def _mentions(rng: random.Random, invoice: Invoice, siren: str, number: str, form: str) -> str:
    seller = invoice.seller
    capital = f"{form} au capital de {euro(1000 * pick(rng, (1, 5, 8, 10, 20, 50, 100)))}"
    return (
        f"{seller.name} - {capital} - SIRET {number} - RCS {seller.city} {spaced(siren)}\n"
        f"Code APE {pick(rng, NAF)} - N° TVA intracommunautaire : {seller.vat_id}\n"
        f"Banque : {bank_of(invoice)} - IBAN : {invoice.iban} - BIC : {invoice.bic}\n"
    )


def _values(rng: random.Random, invoice: Invoice) -> dict[str, str]:
    return {"number": invoice.number, "due": short_date(invoice.due), "seller": invoice.seller.name,
            "days": str((invoice.due - invoice.issued).days), "phone": phone(rng)}  # fmt: skip


def _company(rng: random.Random) -> Sample:
    seller_name, goods = _goods(rng)
    rows = _lines(rng, goods, 2, 8)
    invoice, buyer_block, siren = _draft(rng, tuple(line for line, _ in rows), seller_name)
    seller = invoice.seller
    values = _values(rng, invoice)
    form = next((f for f in ("SARL", "SAS", "SA", "EURL") if seller.name.endswith(f)), "SAS")
    first, last, civility = person(rng)
    title = pick(rng, _TITLES)
    registration = siret(rng, siren)
    info = [f"Date de facturation : {any_date(rng, invoice.issued)}", f"Date d'échéance : {short_date(invoice.due)}",
            f"Date de livraison : {short_date(invoice.issued - timedelta(2))}", f"N° client : C{below(rng, 10**5):05d}",
            f"Bon de commande n° {below(rng, 10**6):06d}", f"Affaire suivie par : {full_name(rng)}"]  # fmt: skip
    head = (
        f"{seller.name}\n{seller.street}\n{seller.postcode} {seller.city}\nTél. {phone(rng)}\n"
        f"SIRET : {registration}\n\n"
        f"{pick(rng, ('Client :', 'Facturé à :', 'Adresse de facturation :'))}\n{buyer_block}\n"
        + (f"À l'attention de {civility} {first} {last}\n" if chance(rng, 0.5) else "")
        + f"\n{title.format(**values)}\n"
        + ("" if "{number}" in title else f"Facture n° {invoice.number}\n")
        + "\n".join(some(rng, info, 3, 5)) + "\n\n"
        + (pick(rng, ("Objet : prestations du mois de " + MONTHS[invoice.issued.month - 1],
                      "Objet : commande du " + short_date(invoice.issued - timedelta(12)),
                      "Nous vous prions de trouver ci-dessous le détail de notre facture.")) + "\n\n")
    )  # fmt: skip
    table = _table(rng, rows)
    tail = (
        f"{_totals(invoice)}\n{pick(rng, _TERMS).format(**values)}\n"
        + " ".join(rng.sample(_LEGAL, 2 + below(rng, 2)))
        + "\n"
        + " ".join(rng.sample(_NOTES, 1 + below(rng, 2))).format(**values)
        + f"\n\n{_mentions(rng, invoice, siren, registration, form)}"
    )
    return _sample(rng, invoice, head, table, tail)


def _works(rng: random.Random) -> Sample:
    """A builder's invoice for works in a home: reduced VAT, with the site and the period."""
    rows = _lines(rng, _WORKS, 3, 8)
    invoice, buyer_block, siren = _draft(rng, tuple(line for line, _ in rows))
    first, last, title = person(rng)
    owner = full_name(rng)
    trade = pick(
        rng,
        ("Plomberie - Chauffage", "Peinture et décoration", "Rénovation générale", "Menuiserie"),
    )
    seller = replace(invoice.seller, name=f"{trade} {owner.split()[-1]}")
    invoice = replace(
        invoice, seller=seller, buyer=replace(invoice.buyer, name=f"{title} {first} {last}")
    )
    site = f"{street(rng)}, {invoice.buyer.postcode} {invoice.buyer.city}"
    head = (
        f"{seller.name}\nArtisan - {owner}\n{seller.street}, {seller.postcode} {seller.city}\n"
        f"Tél. {phone(rng)} - SIRET {siret(rng, siren)}\nAssurance décennale n° {below(rng, 10**7):07d}\n\n"
        f"{title} {first} {last}\n{buyer_block.split(chr(10), 1)[1]}\n\n"
        f"{pick(rng, ('FACTURE DE TRAVAUX', 'Facture', 'Facture travaux'))} n° {invoice.number}\n"
        f"Date : {short_date(invoice.issued)}\nChantier : {site}\n"
        f"Travaux réalisés du {short_date(invoice.issued - timedelta(9))} au {short_date(invoice.issued - timedelta(2))}\n"
        f"Selon devis n° D{below(rng, 10**4):04d} accepté le {short_date(invoice.issued - timedelta(40))}\n\n"
    )  # fmt: skip
    table = _table(rng, rows)
    reduced = ("TVA au taux réduit : travaux dans un logement achevé depuis plus de deux ans, "
               "attestation du client conservée (article 279-0 bis du CGI).")  # fmt: skip
    tail = (
        f"{_totals(invoice)}\n{reduced}\n"
        f"Acompte versé : {euro(round(invoice.total * 0.3, 2))} - Reste à payer : {euro(round(invoice.total * 0.7, 2))}\n"
        f"{pick(rng, _TERMS).format(**_values(rng, invoice))}\n{pick(rng, _LEGAL)}\n"
        f"IBAN : {invoice.iban} - BIC : {invoice.bic}\n\n{pick(rng, ('Merci de votre confiance.', 'Cordialement,', 'Avec nos remerciements.'))}\n{owner}\n"
    )  # fmt: skip
    return _sample(rng, invoice, head, table, tail)


def _micro(rng: random.Random) -> Sample:
    """A micro-entrepreneur's invoice: no VAT charged (franchise en base, art. 293 B du CGI)."""
    goods = tuple((d, u, c, lo, hi, 0.0) for d, u, c, lo, hi in _FREELANCE)
    rows = _lines(rng, goods, 1, 4)
    invoice, buyer_block, siren = _draft(rng, tuple(line for line, _ in rows))
    owner = full_name(rng)
    invoice = replace(invoice, seller=replace(invoice.seller, name=owner, vat_id=""))
    seller = invoice.seller
    head = (
        f"{owner} - Entrepreneur individuel (EI)\n{seller.street}\n{seller.postcode} {seller.city}\n"
        f"{ascii_slug(owner)}.{ascii_slug(owner.split()[-1])}@orange.fr - {phone(rng)}\n"
        f"SIRET : {siret(rng, siren)}\n\nÀ l'attention de :\n{buyer_block}\n\n"
        f"{seller.city}, le {any_date(rng, invoice.issued)}\n\n"
        f"{pick(rng, ('Facture', 'FACTURE', 'Note d’honoraires'))} n° {invoice.number}\n"
        f"Période : {MONTHS[invoice.issued.month - 1]} {invoice.issued.year}\n\n"
    )  # fmt: skip
    table = _table(rng, rows)
    tail = (
        f"{'Total à payer':<24}{euro(invoice.total):>16}\n\n"
        "TVA non applicable, article 293 B du CGI.\n"
        f"Paiement par virement avant le {short_date(invoice.due)}.\n"
        f"IBAN : {invoice.iban} - BIC : {invoice.bic} ({bank_of(invoice)})\n"
        f"{pick(rng, _LEGAL)}\n\n{pick(rng, ('Bien cordialement,', 'Merci pour votre confiance.', 'Cordialement,'))}\n{owner}\n"
    )  # fmt: skip
    return _sample(rng, invoice, head, table, tail)


def _csv(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _export(rng: random.Random) -> Sample:
    seller_name, goods = _goods(rng)
    rows = _lines(rng, goods, 3, 8)
    invoice, _, _ = _draft(rng, tuple(line for line, _ in rows), seller_name)
    head = "N° facture;Date;Échéance;Client;Ligne;Désignation;Quantité;PU HT;Taux TVA;Montant HT\n"
    body = "".join(
        f"{invoice.number};{short_date(invoice.issued)};{short_date(invoice.due)};"
        f'"{invoice.buyer.name}";{i};"{line.description}";{_csv(line.quantity)};'
        f"{_csv(line.unit_price)};{_csv(line.vat_rate)};{_csv(line.net)}\n"
        for i, line in enumerate(invoice.lines, 1)
    )
    taxes = "".join(f";;;;;TVA {amount(rate)} %;;;;{_csv(tax)}\n" for rate, _, tax in invoice.taxes)
    tail = (
        f";;;;;Total HT;;;;{_csv(invoice.net)}\n{taxes};;;;;Total TTC EUR;;;;{_csv(invoice.total)}\n"
        f";;;;;Règlement IBAN {invoice.iban};;;;\n"
    )
    text = head + body + tail
    stem = f"export_factures_{invoice.issued:%Y-%m}_{invoice.number}"
    return Sample(
        "invoice", "fr", stem, text, "text/csv", ".csv", f"Facture {invoice.number}", invoice
    )


def _sample(rng: random.Random, invoice: Invoice, head: str, table: str, tail: str) -> Sample:
    text = head + table + "\n" + tail
    name = pick(rng, _NAMES).format(number=invoice.number, seller=ascii_slug(invoice.seller.name),
                                    date=f"{invoice.issued:%Y%m%d}", n=below(rng, 10000))  # fmt: skip
    return Sample("invoice", "fr", name, text, "text/plain", ".txt", f"Facture {invoice.number}",
                  invoice, (len(head), len(head) + len(table)))  # fmt: skip


def invoice(rng: random.Random) -> Sample:
    r = rng.random()
    if r < 0.1:
        return _export(rng)
    if r < 0.3:
        return _works(rng)
    if r < 0.42:
        return _micro(rng)
    return _company(rng)
