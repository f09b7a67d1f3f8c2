"""German invoices: firm invoices in letter form, craftsmen's invoices, small-business
invoices without VAT (§ 19 UStG) and accounting exports, with 19 % and 7 % VAT."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

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
from docflow.samples.de_pools import (
    BANKS,
    COMPANIES,
    MONTHS,
    amount,
    any_date,
    area_of,
    bank_account,
    court_of,
    euro,
    full_name,
    party,
    person,
    phone,
    place,
    salutation,
    short_date,
    street,
    tax_number,
)

# Sellers of one trade and what they invoice: (description, unit as printed, UN/ECE unit
# code, lowest and highest unit price, VAT %).
Goods = tuple[tuple[str, str, str, float, float, float], ...]
_SECTORS: tuple[tuple[tuple[str, ...], Goods], ...] = (
    (("Nordlicht Software AG", "Datenwerk Systemhaus GmbH", "Krüger IT-Service UG (haftungsbeschränkt)"), (
        ("Beratung Senior Consultant", "Std.", "HUR", 95, 180, 19),
        ("Softwarelizenz, Jahresabonnement", "Lizenz", "C62", 8, 60, 19),
        ("Cloud-Server 4 vCPU / 16 GB", "Monat", "MON", 40, 220, 19),
        ("Vor-Ort-Service Techniker", "Std.", "HUR", 65, 110, 19),
        ("Laptop-Dockingstation USB-C", "Stk.", "H87", 90, 240, 19),
        ("Einrichtung Arbeitsplatzrechner", "Stk.", "H87", 60, 140, 19),
        ("Schulung Datenschutz im Büro", "Teiln.", "C62", 120, 350, 19),
        ("Fachbuch IT-Sicherheit, 3. Aufl.", "Stk.", "H87", 29, 59, 7),
        ("Webdesign Landingpage, pauschal", "pausch.", "LS", 600, 2400, 19),
    )),
    (("Becker Bürobedarf GmbH", "Vogel Verpackungen GmbH", "Schneider & Söhne KG"), (
        ("Bürostuhl ergonomisch, Modell Ergo Pro", "Stk.", "H87", 180, 420, 19),
        ("Kopierpapier A4, 80 g/m², Karton", "Karton", "H87", 18, 32, 19),
        ("Toner schwarz, hohe Kapazität", "Stk.", "H87", 45, 110, 19),
        ("Ordner A4, 8 cm, blau", "Stk.", "H87", 2, 5, 19),
        ("Versandkarton 40 x 30 x 20 cm", "Bund", "H87", 18, 40, 19),
        ("Fachbuch Steuerrecht kompakt, 12. Aufl.", "Stk.", "H87", 29, 79, 7),
        ("Kaffeebohnen Espresso, 1 kg", "Beutel", "H87", 14, 26, 7),
        ("Bio-Obstkorb fürs Büro, 5 kg", "Korb", "H87", 19, 35, 7),
        ("Fachzeitschrift, Jahresbezug", "Jahr", "ANN", 60, 180, 7),
    )),
    (("Elbe Spedition GmbH", "Rheinland Logistik GmbH & Co. KG"), (
        ("Spedition Hamburg - München", "Palette", "C62", 60, 140, 19),
        ("Lagerung Palettenstellplatz", "Woche", "WEE", 4, 11, 19),
        ("Kommissionierung", "Position", "C62", 0.8, 2.5, 19),
        ("Expresszuschlag", "Sendung", "C62", 15, 45, 19),
        ("Maut- und Dieselzuschlag", "pausch.", "LS", 20, 90, 19),
        ("Verpackungsmaterial", "pausch.", "LS", 15, 60, 19),
    )),
    (("Zimmermann Druck & Medien GmbH", "Ostsee Werbeagentur GmbH", "Lindner Messebau GmbH"), (
        ("Druck Broschüren A4, 16 Seiten", "100 Stk.", "C62", 40, 95, 19),
        ("Produktfotografie im Studio", "Std.", "HUR", 80, 150, 19),
        ("Gestaltung Anzeige, halbe Seite", "pausch.", "LS", 250, 900, 19),
        ("Messestand Aufbau und Abbau", "Tag", "DAY", 450, 900, 19),
        ("Übersetzung DE>EN, Fachtext", "Seite", "C62", 25, 60, 19),
        ("Roll-up Banner 85 x 200 cm", "Stk.", "H87", 60, 140, 19),
        ("Bildbandproduktion, Auflage", "Stk.", "H87", 12, 29, 7),
    )),
    (("Brandt Gebäudereinigung GmbH", "Sonnenschein Catering GmbH", "Fischer Haustechnik GmbH", "Alpenblick Hotelbetriebs GmbH"), (
        ("Unterhaltsreinigung Büroflächen", "m²", "MTK", 1.2, 3.5, 19),
        ("Glasreinigung", "m²", "MTK", 1.5, 4, 19),
        ("Catering Mittagsbuffet", "Person", "C62", 14, 32, 19),
        ("Tagungspauschale", "Person", "C62", 39, 79, 19),
        ("Übernachtung Einzelzimmer", "Nacht", "C62", 79, 149, 7),
        ("Wartung Heizungsanlage", "pausch.", "LS", 120, 260, 19),
        ("Getränkepauschale", "Person", "C62", 8, 18, 19),
    )),
    (("Hanse Consulting GmbH", "Wendt & Partner mbB"), (
        ("Beratung Geschäftsführung", "Std.", "HUR", 140, 260, 19),
        ("Jahresabschluss und Steuererklärung", "pausch.", "LS", 900, 2600, 19),
        ("Workshop Strategie, ganztägig", "Tag", "DAY", 1200, 2400, 19),
        ("Reisekosten", "pausch.", "LS", 80, 400, 19),
        ("Lohnbuchhaltung", "Abrechnung", "C62", 18, 35, 19),
    )),
)  # fmt: skip
_LABOUR: Goods = (
    ("Arbeitszeit Geselle", "Std.", "HUR", 52, 68, 19),
    ("Arbeitszeit Meister", "Std.", "HUR", 68, 85, 19),
    ("Arbeitszeit Auszubildender", "Std.", "HUR", 28, 38, 19),
    ("Anfahrtspauschale", "pausch.", "LS", 25, 60, 19),
)
_CRAFTS: dict[str, Goods] = {
    "Sanitär- und Heizungstechnik": (
        ("Kupferrohr 15 mm", "m", "MTR", 6, 14, 19),
        ("Pressfitting 15 mm, Bogen 90°", "Stk.", "H87", 3, 9, 19),
        ("Thermostatkopf mit Flüssigfühler", "Stk.", "H87", 14, 32, 19),
        ("Einhebelmischer Waschtisch", "Stk.", "H87", 69, 189, 19),
        ("Silikon sanitär, weiß", "Kartusche", "H87", 6, 11, 19),
    ),
    "Malerbetrieb": (
        ("Wandfarbe weiß, 10 l", "Eimer", "H87", 39, 79, 19),
        ("Tiefengrund, 5 l", "Kanister", "H87", 18, 32, 19),
        ("Abdeckfolie und Kleinmaterial", "pausch.", "LS", 12, 45, 19),
        ("Malervlies, Rolle 25 m", "Rolle", "H87", 24, 49, 19),
    ),
    "Elektroinstallation": (
        ("Steckdose mit Rahmen, unterputz", "Stk.", "H87", 9, 24, 19),
        ("Mantelleitung NYM-J 3 x 1,5", "m", "MTR", 0.9, 2.2, 19),
        ("LED-Einbauleuchte", "Stk.", "H87", 19, 45, 19),
        ("FI-Schutzschalter 40 A", "Stk.", "H87", 45, 95, 19),
    ),
    "Fliesenlegermeister": (
        ("Fliesenkleber flexibel, 25 kg", "Sack", "H87", 18, 34, 19),
        ("Fugenmörtel grau, 5 kg", "Eimer", "H87", 12, 24, 19),
        ("Feinsteinzeug 60 x 60 cm", "m²", "MTK", 29, 69, 19),
        ("Entsorgung Altmaterial", "pausch.", "LS", 20, 80, 19),
    ),
    "Schreinerei": (
        ("Eichenbrett geölt, 2 m", "Stk.", "H87", 39, 89, 19),
        ("Scharniere mit Dämpfung", "Paar", "H87", 8, 19, 19),
        ("Einbauschrank nach Maß, Korpus", "Stk.", "H87", 480, 1400, 19),
        ("Kleinmaterial Schrauben und Dübel", "pausch.", "LS", 8, 25, 19),
    ),
}
_FREELANCE = (
    ("Texterstellung Website, Seite", "Seite", "C62", 80, 220),
    ("Lektorat Manuskript", "Normseite", "C62", 4, 9),
    ("Grafikdesign Logoentwicklung", "pausch.", "LS", 400, 1500),
    ("Fotoshooting Veranstaltung", "Std.", "HUR", 60, 120),
    ("Nachhilfe Mathematik", "Std.", "HUR", 25, 45),
    ("Yogakurs für Mitarbeitende", "Termin", "C62", 70, 150),
    ("Übersetzung Urkunde FR>DE", "Seite", "C62", 35, 70),
    ("Programmierung Erweiterung Onlineshop", "Std.", "HUR", 55, 95),
)
_INTROS = pool("""
    vielen Dank für Ihren Auftrag. Für die erbrachten Leistungen erlauben wir uns, Ihnen Folgendes in Rechnung zu stellen:
    gemäß unserem Angebot vom {offer} berechnen wir Ihnen die folgenden Leistungen:
    wie vereinbart stellen wir Ihnen unsere Lieferungen und Leistungen wie folgt in Rechnung:
    für die Lieferung vom {delivery} berechnen wir Ihnen:
    wir bedanken uns für die gute Zusammenarbeit und berechnen Ihnen für den Leistungszeitraum {month}:
""")
_TERMS = pool("""
    Bitte überweisen Sie den Rechnungsbetrag ohne Abzug bis zum {due} auf das unten genannte Konto.
    Zahlbar innerhalb von {days} Tagen ohne Abzug. Bei Zahlung bis zum {skonto} gewähren wir 2 % Skonto.
    Zahlungsziel: {days} Tage netto, fällig am {due}.
    Der Rechnungsbetrag ist sofort nach Erhalt ohne Abzug fällig.
    Bitte begleichen Sie den Betrag innerhalb von {days} Tagen nach Rechnungsdatum.
""")
_NOTES = pool("""
    Bitte geben Sie bei der Zahlung die Rechnungsnummer als Verwendungszweck an.
    Die gelieferte Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.
    Sofern nicht anders angegeben, entspricht das Leistungsdatum dem Rechnungsdatum.
    Diese Rechnung wurde maschinell erstellt und ist ohne Unterschrift gültig.
    Bei Rückfragen zu dieser Rechnung erreichen Sie unsere Buchhaltung unter {phone}.
    Beanstandungen bitten wir innerhalb von 8 Tagen nach Erhalt schriftlich mitzuteilen.
    Bitte beachten Sie unsere Allgemeinen Geschäftsbedingungen, die wir Ihnen gerne zusenden.
    Wir danken Ihnen für Ihren Auftrag und freuen uns auf die weitere Zusammenarbeit.
""")
_TITLES = pool("""
    Rechnung|RECHNUNG|Rechnung Nr. {number}|Abschlagsrechnung Nr. {number}|Schlussrechnung
    Rechnung / Leistungsnachweis|Sammelrechnung {month}|Rechnung {number}
""")
_NET = pool("Nettobetrag|Summe netto|Zwischensumme netto|Warenwert netto|Gesamt netto")
_VAT = pool("zzgl. {rate} % USt.|MwSt. {rate} %|Umsatzsteuer {rate} %|zzgl. {rate} % MwSt.")
_GROSS = pool("Rechnungsbetrag|Gesamtbetrag|Bruttobetrag|Zu zahlender Betrag|Endbetrag")
_NAMES = pool("""
    rechnung_{number}|Rechnung_{number}_{seller}|RE{number}|{seller}_rechnung_{date}
    scan_{n:04d}|Rechnung-{n}|rg_{date}_{n:04d}
""")
_COLUMNS = ("Bezeichnung", "Menge", "Einzelpreis", "Gesamtpreis")


def _lines(rng: random.Random, goods: Goods, low: int, high: int) -> tuple[tuple[InvoiceLine, str], ...]:  # fmt: skip
    """Invoice lines drawn from `goods`, each with its unit as printed."""
    rows = []
    for name, unit, code, lo, hi, rate in rng.sample(
        goods, min(len(goods), low + below(rng, high - low + 1))
    ):
        hourly = code in ("HUR", "MTK", "MTR")
        qty = (
            (1 + below(rng, 24)) / 2 if hourly else float(1 + below(rng, 12 if code != "LS" else 1))
        )
        price = round(lo + rng.random() * (hi - lo), 2)
        rows.append((InvoiceLine(name, qty, price, rate, code), unit))
    return tuple(rows)


def _number(rng: random.Random, issued: date) -> str:
    n, year = below(rng, 10000), issued.year
    return pick(rng, (f"RE-{year}-{n:04d}", f"{year}-{n:04d}", f"R{year % 100}{n:04d}",
                      f"RG{10000 + n}", f"{issued:%Y%m}-{n % 1000:03d}"))  # fmt: skip


def _goods(rng: random.Random) -> tuple[str, Goods]:
    """A seller and the goods of its trade."""
    sellers, goods = pick(rng, _SECTORS)
    return pick(rng, sellers), goods


def _draft(
    rng: random.Random, lines: tuple[InvoiceLine, ...], seller: str = ""
) -> tuple[Invoice, str]:
    """An invoice from `seller` (else a drawn firm) to a drawn firm, and the buyer's address."""
    buyer = pick(rng, [c for c in COMPANIES if c != seller])
    seller = seller or pick(rng, [c for c in COMPANIES if c != buyer])
    issued = day(rng)
    days = pick(rng, (7, 14, 14, 30, 30, 60))
    bank, iban, bic = bank_account(rng)
    seller_party, _ = party(rng, seller)
    buyer_party, buyer_block = party(rng, buyer)
    terms = f"Zahlbar innerhalb von {days} Tagen ohne Abzug."
    invoice = Invoice(_number(rng, issued), issued, issued + timedelta(days), "EUR",
                      seller_party, buyer_party, lines, iban, bic, terms, columns=_COLUMNS)  # fmt: skip
    return invoice, f"{buyer}\n{buyer_block}"


_HEADINGS = (("Bezeichnung", "Artikel / Leistung", "Leistung", "Beschreibung"),
             ("E-Preis", "Einzelpreis", "Preis"), ("Gesamt", "Betrag", "Gesamtpreis"))  # fmt: skip


def _table(rng: random.Random, rows: tuple[tuple[InvoiceLine, str], ...]) -> str:
    label, price, total = (pick(rng, labels) for labels in _HEADINGS)
    if chance(rng, 0.5):
        head = f"{'Pos.':<5}{label:<42}{'Menge':>8} {'Einh.':<9}{price:>10}{total:>12}"
        body = [f"{i:<5}{line.description:<42}{amount(line.quantity).removesuffix(',00'):>8} "
                f"{unit:<9}{amount(line.unit_price):>10}{amount(line.net):>12}"
                for i, (line, unit) in enumerate(rows, 1)]  # fmt: skip
    else:
        head = f"{'Menge':>7} {'Einheit':<9}{label:<42}{price:>10}{total:>12}"
        body = [f"{amount(line.quantity).removesuffix(',00'):>7} {unit:<9}{line.description:<42}"
                f"{amount(line.unit_price):>10}{amount(line.net):>12}" for line, unit in rows]  # fmt: skip
    rule = "-" * len(head)
    return f"{head}\n{rule}\n" + "\n".join(body) + f"\n{rule}\n"


def _totals(rng: random.Random, invoice: Invoice) -> str:
    out = [f"{pick(rng, _NET) + ':':<28}{euro(invoice.net):>16}"]
    template = pick(rng, _VAT)
    for rate, _, tax in invoice.taxes:
        label = template.format(rate=f"{rate:g}")
        out.append(f"{label + ':':<28}{euro(tax):>16}")
    out.append(f"{pick(rng, _GROSS) + ':':<28}{euro(invoice.total):>16}")
    return "\n".join(out) + "\n"


def _footer(rng: random.Random, invoice: Invoice, bank: str, court: str) -> str:
    seller = invoice.seller
    boss = full_name(rng)
    register = f"Amtsgericht {court}, HRB {below(rng, 90000) + 10000}"
    if "e.K." in seller.name:
        register = f"Amtsgericht {court}, HRA {below(rng, 9000) + 1000}"
    return (
        f"{seller.name} · {seller.street} · {seller.postcode} {seller.city}\n"
        f"Geschäftsführung: {boss} · {register}\n"
        f"USt-IdNr.: {seller.vat_id} · Steuernummer: {tax_number(rng)}\n"
        f"Bankverbindung: {bank} · IBAN: {invoice.iban} · BIC: {invoice.bic}\n"
    )


def _business(rng: random.Random) -> Sample:
    """A firm's invoice laid out as a business letter (DIN 5008)."""
    seller_name, goods = _goods(rng)
    rows = _lines(rng, goods, 2, 9)
    invoice, buyer_block = _draft(rng, tuple(line for line, _ in rows), seller_name)
    first, last, title = person(rng)
    _, _, area, _ = place(rng)
    seller = invoice.seller
    court = court_of(seller.city)
    values = {"number": invoice.number, "offer": short_date(invoice.issued - timedelta(20)),
              "delivery": short_date(invoice.issued - timedelta(3)), "due": short_date(invoice.due),
              "month": f"{MONTHS[invoice.issued.month - 1]} {invoice.issued.year}",
              "days": (invoice.due - invoice.issued).days, "phone": phone(rng, area),
              "skonto": short_date(invoice.issued + timedelta(10))}  # fmt: skip
    info = [f"Rechnungsnummer: {invoice.number}", f"Rechnungsdatum: {any_date(rng, invoice.issued)}",
            f"Kundennummer: {below(rng, 90000) + 10000}",
            pick(rng, (f"Lieferdatum: {values['delivery']}", f"Leistungszeitraum: {values['month']}")),
            f"Ihre Bestellung: {4500000000 + below(rng, 10**6)}"]  # fmt: skip
    head = (
        f"{seller.name} · {seller.street} · {seller.postcode} {seller.city}\n\n"
        f"{_attention(buyer_block, f'{title} {first} {last}')}\n\n"
        + "\n".join(info[:1] + some(rng, info[1:], 2, 4))
        + f"\n\n{pick(rng, _TITLES).format(**values)}\n\n"
        + (salutation(first, last, title) if chance(rng, 0.5) else "Sehr geehrte Damen und Herren,")
        + f"\n\n{pick(rng, _INTROS).format(**values)}\n\n"
    )
    table = _table(rng, rows)
    notes = " ".join(rng.sample(_NOTES, 1 + below(rng, 3))).format(**values)
    closing = pick(rng, ("Mit freundlichen Grüßen", "Freundliche Grüße", "Mit besten Grüßen"))
    tail = (
        f"{_totals(rng, invoice)}\n{pick(rng, _TERMS).format(**values)}\n{notes}\n\n"
        f"{closing}\n{full_name(rng)}\n{seller.name}\n\n"
        f"{_footer(rng, invoice, bank_of(invoice), court)}"
    )
    return _sample(rng, invoice, head, table, tail)


def _attention(block: str, name: str) -> str:
    """An address block with "z. Hd." (for the attention of) `name` below the firm."""
    firm, _, rest = block.partition("\n")
    return f"{firm}\nz. Hd. {name.replace('Herr ', 'Herrn ')}\n{rest}"


def bank_of(invoice: Invoice) -> str:
    code = invoice.iban.replace(" ", "")[4:12]
    return next((name for name, bank_code, _ in BANKS if bank_code == code), "Sparkasse")


def _craft(rng: random.Random) -> Sample:
    """A craftsman's invoice: labour, material, travel, and the labour share for § 35a EStG."""
    trade = pick(rng, tuple(_CRAFTS))
    rows = _lines(rng, _LABOUR, 2, 4) + _lines(rng, _CRAFTS[trade], 2, 4)
    invoice, buyer_block = _draft(rng, tuple(line for line, _ in rows))
    first, last, title = person(rng)
    owner = full_name(rng)
    seller = replace(invoice.seller, name=f"{trade} {owner}")
    invoice = replace(invoice, seller=seller, buyer=replace(invoice.buyer, name=f"{first} {last}"))
    site = f"{street(rng)}, {invoice.buyer.postcode} {invoice.buyer.city}"
    labour = sum(
        line.net for line in invoice.lines if line.unit == "HUR" or "Anfahrt" in line.description
    )
    head = (
        f"{seller.name}\nMeisterbetrieb · {seller.street} · {seller.postcode} {seller.city}\n"
        f"Tel. {phone(rng, area_of(seller.city))} · {ascii_slug(owner.split()[-1])}@handwerk-{ascii_slug(trade)}.de\n\n"
        f"{title} {first} {last}\n{buyer_block.split(chr(10), 1)[1]}\n\n"
        f"{pick(rng, ('RECHNUNG', 'Rechnung', 'Handwerkerrechnung'))} Nr. {invoice.number}\n"
        f"Datum: {short_date(invoice.issued)}\nBaustelle / Objekt: {site}\n"
        f"Ausführungszeitraum: {short_date(invoice.issued - timedelta(6))} bis "
        f"{short_date(invoice.issued - timedelta(2))}\n\n"
        f"{salutation(first, last, title)}\n\n"
        f"{pick(rng, ('für die ausgeführten Arbeiten berechnen wir Ihnen:', 'wir danken für Ihren Auftrag und berechnen wie folgt:', 'nach Abschluss der Arbeiten stellen wir Ihnen in Rechnung:'))}\n\n"
    )
    table = (
        "\n".join(
            f"{i}. {line.description}\n   {amount(line.quantity).removesuffix(',00')} {unit} x "
            f"{euro(line.unit_price)} = {euro(line.net)}"
            for i, (line, unit) in enumerate(rows, 1)
        )
        + "\n\n"
    )
    tail = (
        f"{_totals(rng, invoice)}\n"
        f"Im Rechnungsbetrag enthaltene Lohn- und Anfahrtskosten (§ 35a EStG): {euro(labour)} netto.\n"
        f"{pick(rng, _TERMS).format(due=short_date(invoice.due), days=(invoice.due - invoice.issued).days, skonto=short_date(invoice.issued + timedelta(7)))}\n"
        f"Bankverbindung: {bank_of(invoice)}, IBAN {invoice.iban}, BIC {invoice.bic}\n"
        f"Steuernummer {tax_number(rng)} · USt-IdNr. {seller.vat_id}\n\n"
        f"{pick(rng, ('Vielen Dank für Ihr Vertrauen!', 'Wir bedanken uns für Ihren Auftrag.', 'Mit freundlichen Grüßen'))}\n{owner}\n"
    )
    return _sample(rng, invoice, head, table, tail)


def _freelance(rng: random.Random) -> Sample:
    """A small business's invoice without VAT (Kleinunternehmerregelung, § 19 UStG)."""
    goods = tuple((d, u, c, lo, hi, 0.0) for d, u, c, lo, hi in _FREELANCE)
    rows = _lines(rng, goods, 1, 4)
    invoice, buyer_block = _draft(rng, tuple(line for line, _ in rows))
    owner = full_name(rng)
    seller = replace(invoice.seller, name=owner, vat_id="")
    invoice = replace(invoice, seller=seller)
    period = f"{MONTHS[invoice.issued.month - 1]} {invoice.issued.year}"
    head = (
        f"{owner}\n{seller.street}\n{seller.postcode} {seller.city}\n"
        f"{ascii_slug(owner)}.{ascii_slug(owner.split()[-1])}@posteo.de · {phone(rng)}\n\n"
        f"An\n{buyer_block}\n\n{seller.city}, {any_date(rng, invoice.issued)}\n\n"
        f"Rechnung Nr. {invoice.number}\nLeistungszeitraum: {period}\n\n"
        f"{pick(rng, ('Guten Tag,', 'Sehr geehrte Damen und Herren,', 'Hallo zusammen,'))}\n\n"
        f"{pick(rng, ('für meine Leistungen im genannten Zeitraum stelle ich Ihnen in Rechnung:', 'hiermit berechne ich meine Tätigkeit wie vereinbart:', 'vielen Dank für den Auftrag. Ich berechne:'))}\n\n"
    )
    table = _table(rng, rows)
    tail = (
        f"{'Rechnungsbetrag:':<28}{euro(invoice.total):>16}\n\n"
        "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet (Kleinunternehmerregelung).\n"
        f"Bitte überweisen Sie den Betrag bis zum {short_date(invoice.due)} auf folgendes Konto:\n"
        f"{owner}, IBAN {invoice.iban}, BIC {invoice.bic} ({bank_of(invoice)})\n"
        f"Steuernummer: {tax_number(rng)}\n\n{pick(rng, ('Viele Grüße', 'Beste Grüße', 'Mit freundlichen Grüßen'))}\n{owner}\n"
    )
    return _sample(rng, invoice, head, table, tail)


def _export(rng: random.Random) -> Sample:
    """An accounting export: semicolons, decimal commas, one row per line item."""
    seller_name, goods = _goods(rng)
    rows = _lines(rng, goods, 3, 9)
    invoice, _ = _draft(rng, tuple(line for line, _ in rows), seller_name)
    head = (
        "Rechnungsnr;Rechnungsdatum;Fällig;Kunde;Pos;Bezeichnung;Menge;Einzelpreis;USt-Satz;Netto\n"
    )
    body = "".join(
        f"{invoice.number};{short_date(invoice.issued)};{short_date(invoice.due)};"
        f'"{invoice.buyer.name}";{i};"{line.description}";{amount(line.quantity)};'
        f"{amount(line.unit_price)};{line.vat_rate:g};{amount(line.net)}\n"
        for i, line in enumerate(invoice.lines, 1)
    )
    taxes = "".join(f";;;;;USt {rate:g} %;;;;{amount(tax)}\n" for rate, _, tax in invoice.taxes)
    tail = (
        f";;;;;Summe netto;;;;{amount(invoice.net)}\n{taxes}"
        f";;;;;Rechnungsbetrag EUR;;;;{amount(invoice.total)}\n"
        f";;;;;Zahlung an IBAN {invoice.iban};;;;\n"
    )
    text = head + body + tail
    stem = f"Rechnungsausgang_{invoice.issued:%Y-%m}_{invoice.number}"
    return Sample(
        "invoice", "de", stem, text, "text/csv", ".csv", f"Rechnung {invoice.number}", invoice
    )


def _sample(rng: random.Random, invoice: Invoice, head: str, table: str, tail: str) -> Sample:
    text = head + table + "\n" + tail
    name = pick(rng, _NAMES).format(
        number=invoice.number, seller=ascii_slug(invoice.seller.name),
        date=f"{invoice.issued:%Y%m%d}", n=below(rng, 10000),
    )  # fmt: skip
    return Sample("invoice", "de", name.replace("/", "-"), text, "text/plain", ".txt",
                  f"Rechnung {invoice.number}", invoice, (len(head), len(head) + len(table)))  # fmt: skip


def invoice(rng: random.Random) -> Sample:
    r = rng.random()
    if r < 0.1:
        return _export(rng)
    if r < 0.3:
        return _craft(rng)
    if r < 0.4:
        return _freelance(rng)
    return _business(rng)
