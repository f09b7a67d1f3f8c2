"""German receipts: till receipts (Kassenbon) of supermarkets, drugstores, bakeries and
petrol stations with their TSE data, restaurant receipts for expenses (Bewirtungsbeleg),
taxi receipts and hand-written receipts (Quittung)."""

from __future__ import annotations

import random
from datetime import date

from docflow.samples.common import Sample, ascii_slug, below, chance, day, pick, pool
from docflow.samples.de_pools import (
    FIRST_F,
    FIRST_M,
    amount,
    full_name,
    person,
    phone,
    place,
    short_date,
    street,
    tax_number,
    vat_id,
)


def _goods(block: str) -> tuple[tuple[str, float, str], ...]:
    """'NAME 1,29 A' lines as (name, price, tax code); A is 7 % VAT, B 19 %."""
    out = []
    for item in pool(block):
        rest, _, code = item.rpartition(" ")
        name, _, price = rest.rpartition(" ")
        out.append((name, float(price.replace(",", ".")), code))
    return tuple(out)


_MARKET = _goods("""
    BIO VOLLMILCH 3,8% 1L 1,29 A|BUTTER 250G 2,19 A|ROGGENBROT 750G 2,49 A|GOUDA JUNG SCHEIBEN 2,29 A
    SPAGHETTI 500G 0,99 A|TOMATEN PASSIERT 0,89 A|EIER FREILAND 10ER 3,29 A|JOGHURT NATUR 500G 1,19 A
    APFELSAFT 1L 1,49 A|KAFFEE GEMAHLEN 500G 6,99 A|HAFERFLOCKEN 500G 0,89 A|KARTOFFELN 2,5KG 2,99 A
    ZWIEBELN 1KG 1,29 A|HAEHNCHENBRUST 400G 5,49 A|LACHSFILET 250G 4,99 A|SCHOKOLADE VOLLMILCH 1,19 A
    MINERALWASSER 6X1,5L 2,94 B|PFAND 1,50 B|BIER PILS 0,5L 0,89 B|ROTWEIN TROCKEN 0,75L 4,99 B
    SPUELMITTEL 500ML 1,45 B|KUECHENROLLE 4ER 2,79 B|ZAHNPASTA 75ML 0,95 B|TEELICHTER 50ER 2,49 B
    BATTERIEN AA 8ER 5,99 B|BLUMENSTRAUSS 7,99 A|TIEFKUEHLPIZZA 2,79 A|KÄSE EMMENTALER 3,49 A
    GURKE 0,79 A|PAPRIKA ROT 1,29 A|MÜSLI KNUSPER 2,79 A|FRISCHKÄSE 0,99 A|SAHNE 200G 0,89 A
""")
_DRUGSTORE = _goods("""
    SHAMPOO 300ML 1,95 B|DUSCHGEL 250ML 0,85 B|ZAHNBUERSTE MITTEL 1,45 B|SONNENCREME LSF30 4,95 B
    WINDELN GR.4 9,95 B|TASCHENTUECHER 0,99 B|WASCHMITTEL 20WL 4,45 B|HANDCREME 1,25 B
    BABYNAHRUNG GLAS 1,15 A|MUESLIRIEGEL 1,45 A|KRÄUTERTEE 0,75 A|VITAMIN C BRAUSE 0,95 A
    DEO SPRAY 1,95 B|WATTEPADS 0,85 B|RASIERKLINGEN 8,95 B|HAARGEL 1,75 B|NAGELLACK 2,95 B
    PFLASTER SENSITIV 1,65 B|FOTOABZUEGE 10X15 1,90 B|GESCHENKPAPIER 1,49 B|DUFTKERZE 3,95 B
""")
_BAKERY = _goods("""
    BRÖTCHEN 0,45 A|LAUGENBREZEL 0,85 A|CROISSANT 1,30 A|ROGGENMISCHBROT 3,80 A|BUTTERKUCHEN 1,90 A
    KÄSEKUCHEN STÜCK 2,90 A|CAPPUCCINO 3,20 B|KAFFEE 2,40 B|BELEGTES BRÖTCHEN 3,50 A
    ORANGENSAFT 0,3L 2,90 B|MOHNSCHNECKE 1,60 A|DINKELBROT 4,20 A|LATTE MACCHIATO 3,60 B
    APFELSTRUDEL 2,80 A|VOLLKORNBRÖTCHEN 0,65 A|HEISSE SCHOKOLADE 3,10 B
""")
_STATION = _goods("""
    SCHOKORIEGEL 1,49 A|KAFFEE TO GO 2,99 B|SCHEIBENREINIGER 1L 4,99 B|TAGESZEITUNG 1,80 A
    WASCHANLAGE PROGRAMM 2 12,00 B|WASSER 0,5L 1,79 B|BELEGTES BAGUETTE 4,49 A|KAUGUMMI 1,29 A
""")
_FUELS = (("Super E10", 1.689, 1.899), ("Super E5", 1.749, 1.959), ("Diesel", 1.559, 1.799))
_SHOPS = (
    (pool("REWE|EDEKA Neukauf|ALDI SÜD|Lidl|Kaufland|Netto Marken-Discount|PENNY|tegut|Globus"), _MARKET, 14, 34),
    (pool("dm-drogerie markt|ROSSMANN|Müller Drogerie"), _DRUGSTORE, 4, 14),
    (pool("Backhaus Lange|Café am Markt|Bäckerei & Konditorei Weber|Stadtbäckerei Kessler"), _BAKERY, 3, 9),
    (pool("ARAL Tankstelle|Shell Station|JET Tankstelle|Star Tankstelle"), _STATION, 0, 3),
)  # fmt: skip
_THANKS = pool("""
    Vielen Dank für Ihren Einkauf!|Wir danken für Ihren Besuch und wünschen einen schönen Tag.
    Vielen Dank und auf Wiedersehen!|Danke für Ihren Einkauf, bis zum nächsten Mal!
""")
_FOOTERS = pool("""
    Umtausch nur mit dem Kassenbon innerhalb von 14 Tagen.|Bitte bewahren Sie den Kassenbon als Garantienachweis auf.
    Sie haben mit diesem Einkauf {points} Punkte auf Ihrem Kundenkonto gesammelt.|Öffnungszeiten: Mo-Sa 7-22 Uhr
    Jetzt neu: der digitale Kassenbon in unserer App, ganz ohne Papier.|Es bediente Sie heute {cashier}.
    Reklamationen nur mit diesem Beleg.|Die gesetzliche Gewährleistung bleibt von der Umtauschregel unberührt.
    Pfandbons sind nur in der ausgebenden Filiale einlösbar.|Sagen Sie uns Ihre Meinung auf der Website und gewinnen Sie einen Gutschein.
""")
_RATES = {"A": 7, "B": 19}


def _clock(rng: random.Random) -> str:
    return f"{7 + below(rng, 14):02d}:{below(rng, 60):02d}:{below(rng, 60):02d}"


def _items(rng: random.Random, goods: tuple[tuple[str, float, str], ...], low: int, high: int) -> tuple[list[str], dict[str, float]]:  # fmt: skip
    """Receipt lines and the gross amount per tax code."""
    lines, gross = [], {"A": 0.0, "B": 0.0}
    for name, price, code in rng.choices(goods, k=low + below(rng, high - low + 1)):
        qty = 1 + below(rng, 3) if chance(rng, 0.15) else 1
        if qty > 1:
            lines.append(f"  {qty} x {amount(price)}")
        lines.append(f"{name:<30}{amount(price * qty):>9} {code}")
        gross[code] += price * qty
    return lines, gross


def _fuel(rng: random.Random, gross: dict[str, float]) -> list[str]:
    name, low, high = pick(rng, _FUELS)
    litres, price = round(15 + rng.random() * 45, 2), round(low + rng.random() * (high - low), 3)
    gross["B"] += round(litres * price, 2)
    return [f"{name} Säule {1 + below(rng, 8)}",
            f"  {amount(litres)} l x {price:.3f} EUR/l".replace(".", ",") + f"{amount(litres * price):>12} B"]  # fmt: skip


_TAX_HEADS = (("MwSt", "Netto", "MwSt", "Brutto"), ("Satz", "Netto", "Steuer", "Umsatz"),
              ("USt", "Netto", "USt", "Gesamt"), ("Steuer", "Netto", "Betrag", "Brutto"))  # fmt: skip


def _tax_table(rng: random.Random, gross: dict[str, float]) -> str:
    a, b, c, d = pick(rng, _TAX_HEADS)
    rows = [f"{a:<6}{b:>10}{c:>10}{d:>10}"]
    for code, total in gross.items():
        if total:
            net = total / (1 + _RATES[code] / 100)
            rows.append(
                f"{code}={_RATES[code]:>2}% {amount(net):>9}{amount(total - net):>10}{amount(total):>10}"
            )
    return "\n".join(rows)


def _payment(rng: random.Random, total: float) -> str:
    if chance(rng, 0.35):
        given = float(int(total // 5 + 1) * 5)
        return f"{'Gegeben BAR':<26}EUR{amount(given):>10}\n{'Rückgeld BAR':<26}EUR{amount(given - total):>10}"
    card = pick(rng, ("girocard", "girocard kontaktlos", "VISA", "Mastercard", "Debit Mastercard"))
    return (
        f"{'Geg. ' + card.split()[0].upper():<26}EUR{amount(total):>10}\n\n"
        f"{pick(rng, ('*** Kundenbeleg ***', 'Kundenbeleg', '-- Kartenzahlung --'))}\n{card}\n"
        f"Terminal-ID: {53000000 + below(rng, 10**6)}  TA-Nr.: {below(rng, 10**6):06d}\n"
        f"Karte: ############{below(rng, 10000):04d}  BNr.: {below(rng, 10000):04d}\n"
        f"Betrag EUR {amount(total)}\n{pick(rng, ('Zahlung erfolgt', 'Autorisiert', 'Genehmigt'))}"
    )


def _tse(rng: random.Random, when: date, clock: str) -> str:
    serial = f"{below(rng, 10**10):010d}{below(rng, 10**10):010d}"
    return (
        f"TSE-Seriennr.: {serial}\nTSE-Signaturzähler: {below(rng, 10**6)}\n"
        f"TSE-Start: {when.isoformat()}T{clock}.000\nTSE-Transaktion: {below(rng, 10**5)}"
    )


def _till(rng: random.Random) -> Sample:
    names, goods, low, high = pick(rng, _SHOPS)
    shop = pick(rng, names)
    city, postcode, area, _ = place(rng)
    when, clock = day(rng), _clock(rng)
    lines, gross = _items(rng, goods, low, high)
    if goods is _STATION:
        lines[:0] = _fuel(rng, gross)
    total = sum(gross.values())
    cashier = pick(rng, FIRST_F + FIRST_M)
    bon, till = below(rng, 10000), 1 + below(rng, 9)
    ids = pick(rng, (f"UID Nr.: {vat_id(rng)}", f"St.-Nr. {tax_number(rng)}"))
    stamp = f"{short_date(when)} {clock[:5]}  Bon-Nr. {bon:04d}  Kasse {till}  Bed. {cashier}"
    top, bottom = (stamp, "") if chance(rng, 0.5) else ("", stamp)
    footer = " ".join(rng.sample(_FOOTERS, 2 + below(rng, 2))).format(
        points=below(rng, 60) + 1, cashier=cashier
    )
    footer = (
        f"{footer}\n{pick(rng, _THANKS)}" if chance(rng, 0.5) else f"{pick(rng, _THANKS)}\n{footer}"
    )
    text = (
        f"{shop}\n{street(rng)}\n{postcode} {city}\nTel. {phone(rng, area)}\n{ids}\n"
        f"{top}\n\n{'EUR':>40}\n" + "\n".join(lines) + f"\n{'-' * 42}\n"
        f"{pick(rng, ('SUMME', 'Summe', 'ZU ZAHLEN', 'GESAMT')):<26}EUR{amount(total):>10}\n{'=' * 42}\n"
        f"{_payment(rng, total)}\n\n{_tax_table(rng, gross)}\n\n{_tse(rng, when, clock)}\n{bottom}\n\n{footer}\n"
    )
    stem = pick(rng, (f"kassenbon_{when:%Y%m%d}_{bon:04d}", f"{ascii_slug(shop)}_{when:%Y-%m-%d}",
                      f"IMG_{below(rng, 10000):04d}", f"beleg_{bon:04d}"))  # fmt: skip
    return Sample("receipt", "de", stem, text, "text/plain", ".txt", f"{shop} Kassenbon")


_DISHES = _goods("""
    Weißbier 0,5l 4,60 B|Pils 0,4l 3,90 B|Apfelschorle 0,4l 3,50 B|Mineralwasser 0,75l 5,20 B
    Schweinebraten mit Knödel 14,90 B|Wiener Schnitzel 19,80 B|Käsespätzle 12,50 B
    Flammkuchen Elsässer Art 10,90 B|Tagessuppe 5,90 B|Rinderroulade 18,50 B|Espresso 2,40 B
    Grüner Salat 4,90 B|Apfelstrudel mit Vanilleeis 6,50 B|Riesling 0,2l 6,80 B|Forelle Müllerin 21,40 B
    Gemüsecurry mit Reis 13,80 B|Cappuccino 3,40 B|Kaiserschmarrn 9,90 B
""")
_REASONS = pool("""
    Projektbesprechung|Kundengespräch über den Rahmenauftrag|Vorstellung neuer Produkte
    Abschluss des Messeprojekts|Arbeitsessen mit Lieferanten|Einarbeitung neuer Mitarbeiterin
""")


def _restaurant(rng: random.Random) -> Sample:
    name = pick(
        rng,
        (
            "Gasthaus Zum Löwen",
            "Ristorante Da Michele",
            "Brauhaus am Dom",
            "Restaurant Lindenhof",
            "Wirtshaus Alte Post",
        ),
    )
    city, postcode, area, _ = place(rng)
    when, clock = day(rng), _clock(rng)
    total, lines = 0.0, []
    for dish, price, _ in rng.sample(_DISHES, 4 + below(rng, 7)):
        qty = 1 + below(rng, 3)
        total += qty * price
        lines.append(f"{qty} x {dish:<32}{amount(price):>7}{amount(qty * price):>9}")
    net = total / 1.19
    guests = ", ".join(full_name(rng) for _ in range(1 + below(rng, 3)))
    host = full_name(rng)
    text = (
        f"{name}\n{street(rng)} · {postcode} {city}\nTel. {phone(rng, area)} · St.-Nr. {tax_number(rng)}\n\n"
        f"Tisch {1 + below(rng, 30)}   Bedienung: {pick(rng, FIRST_F + FIRST_M)}\n"
        f"{pick(rng, ('Beleg-Nr.', 'Bon', 'Rechnung Nr.'))} {below(rng, 100000)}   {short_date(when)} {clock[:5]}\n\n"
        + "\n".join(lines)
        + f"\n{'-' * 52}\nSumme EUR{amount(total):>43}\n"
        f"Netto{amount(net):>47}\nMwSt 19 %{amount(total - net):>43}\n"
        f"{pick(rng, ('Bezahlt: Karte', 'Bezahlt: bar', 'Zahlart: EC-Karte'))}\nTrinkgeld: ________\n\n"
        f"{pick(rng, ('Vielen Dank für Ihren Besuch!', 'Wir freuen uns auf Ihren nächsten Besuch.', 'Guten Appetit und bis bald!'))}\n\n"
        "Bewirtungsbeleg - Angaben zum Nachweis der Höhe und der betrieblichen Veranlassung von "
        "Bewirtungsaufwendungen (§ 4 Abs. 5 Satz 1 Nr. 2 EStG)\n"
        f"Tag der Bewirtung: {short_date(when)}\nOrt der Bewirtung: {name}, {city}\n"
        f"Bewirtete Person(en): {guests}\nAnlass der Bewirtung: {pick(rng, _REASONS)}\n"
        f"Höhe der Aufwendungen: {amount(total)} EUR zzgl. Trinkgeld\nGastgeber: {host}\n"
        f"Ort, Datum, Unterschrift: {city}, {short_date(when)}  ____________________\n"
    )
    stem = pick(
        rng,
        (
            f"bewirtung_{when:%Y%m%d}",
            f"bewirtungsbeleg_{ascii_slug(name.split()[-1])}",
            f"beleg_{below(rng, 10000):04d}",
        ),
    )
    return Sample("receipt", "de", stem, text, "text/plain", ".txt", f"Bewirtungsbeleg {name}")


_ONES = pool(
    "null|ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn"
)
_TENS = pool("|zehn|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig")


def in_words(n: int) -> str:
    """A whole number below 10,000 in German words, as written on receipts."""
    if n >= 1000:
        return (
            ("ein" if n // 1000 == 1 else in_words(n // 1000))
            + "tausend"
            + (in_words(n % 1000) if n % 1000 else "")
        )
    if n >= 100:
        return _ONES[n // 100] + "hundert" + (in_words(n % 100) if n % 100 else "")
    if n < 20:
        return _ONES[n]
    return (_ONES[n % 10] + "und" if n % 10 else "") + _TENS[n // 10]


def _handwritten(rng: random.Random) -> Sample:
    """A receipt form filled in by hand: a tradesman's, a taxi driver's or a private sale."""
    first, last, title = person(rng)
    city, _, _, _ = place(rng)
    when = day(rng)
    gross = float(20 + below(rng, 600))
    taxi = chance(rng, 0.35)
    rate = 7 if taxi else pick(rng, (19, 19, 0))
    net = gross / (1 + rate / 100)
    purpose = ("Taxifahrt von " + pick(rng, ("Hauptbahnhof", "Flughafen", "Messe Süd", "Klinikum")) + " nach "
               + pick(rng, ("Innenstadt", "Hotel am Park", "Gewerbegebiet Nord", "Konferenzzentrum"))) if taxi else pick(rng, (
        "Gartenarbeiten laut Absprache", "Reparatur Fahrrad", "Umzugshilfe, 2 Helfer", "Teppichreinigung",
        "Nachhilfeunterricht März", "Verkauf gebrauchter Bürostuhl"))  # fmt: skip
    tax_line = (
        f"+ {rate} % MwSt.: {amount(gross - net)} EUR\n"
        if rate
        else "Kein Ausweis der Umsatzsteuer.\n"
    )
    text = (
        f"{'TAXI-QUITTUNG' if taxi else pick(rng, ('QUITTUNG', 'Quittung'))}   Nr. {below(rng, 1000)}\n\n"
        f"Netto: {amount(net)} EUR\n{tax_line}Gesamtbetrag: {amount(gross)} EUR\n"
        f"Gesamtbetrag in Worten: ---{in_words(int(gross))}--- Euro\n\n"
        f"von: {title} {first} {last}\nfür: {purpose}\n\nBetrag dankend erhalten.\n\n"
        f"Ort / Datum: {city}, {short_date(when)}\n"
        + (f"Ordnungsnummer: {below(rng, 2000) + 1}\nUnterschrift Fahrer/in: ______________\n" if taxi
           else "Stempel / Unterschrift des Empfängers: ______________\n")
        + f"Empfänger: {full_name(rng)}, {street(rng)}, {city}\n"
    )  # fmt: skip
    return Sample("receipt", "de", f"quittung_{when:%Y%m%d}_{below(rng, 1000):03d}", text,
                  "text/plain", ".txt", "Quittung")  # fmt: skip


def receipt(rng: random.Random) -> Sample:
    r = rng.random()
    if r < 0.12:
        return _restaurant(rng)
    if r < 0.22:
        return _handwritten(rng)
    return _till(rng)
