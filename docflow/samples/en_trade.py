"""English invoices and receipts (the generators DocFlow started with; their output for a
seed is kept unchanged, draw for draw)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

from docflow.samples.common import (
    Invoice,
    InvoiceLine,
    Party,
    Sample,
    below,
    day,
    pick,
    pool,
    slug,
    split_name,
)
from docflow.samples.en_pools import COMPANIES, FIRST, PLACES, STREETS, long_date, party, person

# (description, lowest unit price, highest unit price)
_SERVICES = (
    ("Consulting services, senior consultant (hours)", 90, 180),
    ("Software subscription, annual (seats)", 8, 60),
    ("Cloud hosting, 4 vCPU / 16 GB instance (months)", 40, 220),
    ("On-site support engineer (days)", 450, 900),
    ("Office chairs, ergonomic, model K2", 120, 390),
    ("A4 copier paper, 80 gsm (boxes)", 18, 32),
    ("Freight Rotterdam - Manchester (pallets)", 60, 140),
    ("Website maintenance retainer (months)", 300, 1200),
    ("Catering for staff workshop (covers)", 12, 35),
    ("Laptop docking station USB-C", 90, 240),
    ("Translation EN>DE, technical (pages)", 25, 60),
    ("Security audit and penetration test (days)", 700, 1400),
    ("Toner cartridge, black, high yield", 45, 110),
    ("Data migration, fixed fee (phases)", 1500, 4000),
    ("Printing of brochures, 16 pp. (hundreds)", 40, 95),
    ("Warehouse storage (pallet weeks)", 4, 11),
)
_UNITS = {"hours": "HUR", "days": "DAY", "months": "MON"}
_INVOICE_NOTES = pool("""
    Payment is due within the stated terms. Late payment interest is 8% above base rate.
    Please quote the invoice number as the payment reference so that we can match your remittance.
    Thank you for your business. Questions about this invoice: accounts@ledger.example.
    Goods remain our property until the invoice has been paid in full.
    This invoice was issued electronically and is valid without a signature.
    Reverse charge: the customer accounts for the VAT where the supply is cross-border in the EU.
    Please notify us of any disputed item within 14 days of the invoice date.
    An early payment discount of 2% applies if this invoice is settled within 10 days.
""")
# Filename patterns; only the one picked is formatted.
_INVOICE_NAMES = pool(
    "invoice-{year}-{n}.txt|INV_{year}{n}.txt|{seller}-invoice-{n}.txt|scan_{n}.txt"
)
_COLUMNS = f"{'Description':<50}{'Qty':>5}{'Unit price':>11}{'Amount':>13}\n"


def _unit(description: str) -> str:
    return _UNITS.get(description.rpartition("(")[2].rstrip(")"), "C62")


def _export(
    draft: Invoice, rows: list[tuple[str, int, float, float]], vat: int, subtotal: float, tax: float
) -> Sample:
    """An accounting-system export: one row per line item, totals in the last rows."""
    number, issued, due, currency = draft.number, draft.issued, draft.due, draft.currency
    buyer, iban = draft.buyer.name, draft.iban
    head = "invoice_number,invoice_date,due_date,bill_to,description,qty,unit_price,amount"
    body = "\n".join(
        f'{number},{issued},{due},"{buyer}","{d}",{q},{p:.2f},{a:.2f}' for d, q, p, a in rows
    )
    text = (
        f"{head}\n{body}\n,,,,Subtotal,,,{subtotal:.2f}\n,,,,VAT {vat}%,,,{tax:.2f}\n"
        f",,,,Total due {currency},,,{subtotal + tax:.2f}\n,,,,Pay to IBAN {iban},,,\n"
    )
    # The export names no addresses: an e-invoice of it takes them from the number.
    extra = random.Random(number + draft.seller.name)
    fields = replace(draft, seller=party(extra, draft.seller.name)[0], buyer=party(extra, buyer)[0])
    stem = f"invoice-export-{issued.year}-{number[-4:]}"
    return Sample("invoice", "en", stem, text, "text/csv", ".csv", f"Invoice {number}", fields)


def invoice(rng: random.Random) -> Sample:
    seller, buyer = rng.sample(COMPANIES, 2)
    issued = day(rng)
    due = issued + timedelta(pick(rng, (14, 30, 30, 45, 60)))
    n = f"{below(rng, 10000):04d}"
    number = f"INV-{issued.year}-{n}"
    currency = pick(rng, ("EUR", "GBP", "EUR", "USD"))
    vat = pick(rng, (20, 19, 21, 0))
    rows = []
    for name, low, high in rng.sample(_SERVICES, 7 + below(rng, 10)):
        qty, price = 1 + below(rng, 40), round(low + rng.random() * (high - low), 2)
        rows.append((name, qty, price, qty * price))
    subtotal = sum(row[3] for row in rows)
    tax = round(subtotal * vat / 100, 2)
    iban = f"GB{10 + below(rng, 90)} NWBK {below(rng, 10**6):06d} {below(rng, 10**8):08d}"
    lines = tuple(InvoiceLine(d, q, p, vat, _unit(d)) for d, q, p, _ in rows)
    terms = f"Net {(due - issued).days} days from the invoice date, by bank transfer."
    draft = Invoice(number, issued, due, currency, Party(seller, "", "", "", "GB"),
                    Party(buyer, "", "", "", "GB"), lines, iban, "NWBKGB2L", terms)  # fmt: skip
    if rng.random() < 0.15:
        return _export(draft, rows, vat, subtotal, tax)
    seller_party, seller_address = party(rng, seller)
    vat_id = f"GB{below(rng, 10**9):09d}"
    order = f"PO-{10000 + below(rng, 90000)}"
    account = f"C{below(rng, 10**5):05d}"
    attn = person(rng)
    buyer_party, buyer_address = party(rng, buyer)
    notes = " ".join(rng.sample(_INVOICE_NOTES, 4))
    # %-formatting is about twice as fast as an f-string with format specs, per row.
    items = "\n".join("%-50s%5d%11.2f%13.2f" % row for row in rows)  # noqa: UP031
    rule = "-" * 79
    head = (
        f"{seller}\n{seller_address}\nVAT registration no. {vat_id}\n\n"
        f"INVOICE\n\nInvoice number: {number}\nInvoice date: {long_date(issued)}\n"
        f"Due date: {long_date(due)}\nPurchase order: {order}\n"
        f"Customer account: {account}\n\n"
        f"Bill to:\n{buyer}\nAttn: {attn}, Accounts Payable\n{buyer_address}\n\n"
    )
    table = f"{_COLUMNS}{rule}\n{items}\n{rule}\n"
    text = (
        f"{head}{table}"
        f"Subtotal: {currency} {subtotal:,.2f}\nVAT {vat}%: {currency} {tax:,.2f}\n"
        f"Total due: {currency} {subtotal + tax:,.2f}\n\n"
        f"Payment terms: net {(due - issued).days} days from the invoice date, by bank transfer.\n"
        f"Bank: NatWest, IBAN: {iban}, BIC: NWBKGB2L\n\n{notes}\n"
    )
    filename = pick(rng, _INVOICE_NAMES).format(year=issued.year, n=n, seller=slug(seller))
    fields = replace(
        draft, seller=replace(seller_party, vat_id=vat_id), buyer=buyer_party, order=order
    )
    stem, ext = split_name(filename)
    span = (len(head), len(head) + len(table))
    return Sample("invoice", "en", stem, text, "text/plain", ext, f"Invoice {number}", fields, span)


_STORES = pool("""
    TESCO EXTRA|SAINSBURY'S LOCAL|ALBERT HEIJN|REWE CITY|CARREFOUR MARKET|LIDL|BOOTS PHARMACY
    WHSMITH TRAVEL|PRET A MANGER|IKEA|DECATHLON|MEDIAMARKT|COSTA COFFEE
""")
# Shelf prices are fixed, so each receipt line is formatted once, here.
_GOODS = tuple(
    (f"{name:<32}{float(price):>8.2f} A", float(price))
    for name, _, price in (
        item.rpartition(" ")
        for item in pool("""
            SEMI SKIMMED MILK 2L 1.45|FREE RANGE EGGS 12PK 3.10|WHOLEMEAL BREAD 800G 1.35
            BANANAS LOOSE 0.92|CHEDDAR MATURE 400G 3.75|BASMATI RICE 1KG 2.40|OLIVE OIL 500ML 6.25
            CHOPPED TOMATOES 400G 0.65|GREEK YOGHURT 500G 2.10|APPLES PINK LADY 4PK 2.50
            COFFEE BEANS 1KG 11.99|ORANGE JUICE 1L 1.85|CHICKEN BREAST 600G 5.60|SPAGHETTI 500G 0.95
            SPARKLING WATER 6X1.5L 2.99|TOOTHPASTE 75ML 1.80|SHAMPOO 400ML 3.49|KITCHEN ROLL 2.75
            BATTERIES AA 8PK 6.49|NOTEBOOK A5 RULED 2.99|FLAT WHITE LARGE 3.65|CROISSANT ALMOND 2.45
            HDMI CABLE 2M 9.99|USB-C CHARGER 30W 19.99|LED BULB E27 4.25|DARK CHOCOLATE 100G 1.69
            PEANUT BUTTER 340G 2.29|FROZEN PEAS 1KG 1.99|RED WINE 75CL 8.50|MIXED LEAF SALAD 1.25
        """)
    )
)
_RECEIPT_FOOTERS = pool("""
    Thank you for shopping with us. Please keep your receipt as proof of purchase.
    Returns and exchanges within 28 days with this receipt. Refunds go to the original payment card.
    You earned loyalty points on this transaction. Scan your member card next time to collect more.
    Tell us how we did and win a voucher: see the survey code printed below the barcode.
    Customer copy. Please retain this receipt for your records. VAT receipt available at the till.
""")
_RECEIPT_NAMES = pool("""
    receipt_{when:%Y%m%d}_{n:04d}.txt|{store}-receipt-{n:04d}.txt|IMG_{n:04d}.txt
    expense-{when:%Y-%m}-{n:04d}.txt
""")


def receipt(rng: random.Random) -> Sample:
    store = pick(rng, _STORES)
    city, postcode, _ = pick(rng, PLACES)
    when = day(rng)
    store_no, till, seq = 100 + below(rng, 9900), 1 + below(rng, 19), below(rng, 10**6)
    bought = rng.choices(_GOODS, k=16 + below(rng, 26))
    total = sum(price for _, price in bought)
    vat_part = total / 6
    if rng.random() < 0.6:
        tender = (
            f"VISA CONTACTLESS{total:>24.2f}\nCard ending **** {below(rng, 10000):04d}\n"
            f"AID: A0000000031010  Auth code: {below(rng, 10**6):06d}\n"
            f"Merchant ID: {below(rng, 10**8):08d}  Terminal: {below(rng, 10**4):04d}\n"
            "CARDHOLDER COPY - PLEASE RETAIN\n"
        )
    else:
        paid = float(int(total // 10 + 1) * 10)
        tender = f"CASH{paid:>36.2f}\nCHANGE DUE{paid - total:>30.2f}\n"
    text = (
        f"{store}\n{below(rng, 240) + 1} {pick(rng, STREETS)}, {city} {postcode}\n"
        f"Tel 020 7946 {below(rng, 10**4):04d}   VAT No GB {below(rng, 10**9):09d}\n"
        f"Store {store_no}  Till {till:02d}  Cashier: {pick(rng, FIRST).upper()}\n"
        f"{when:%d/%m/%Y} {7 + below(rng, 15):02d}:{below(rng, 60):02d}"
        f"   Receipt no {store_no}-{till:02d}-{seq:06d}\n\n"
        + "\n".join(line for line, _ in bought)
        + f"\n{'-' * 42}\n{len(bought)} ITEMS\nSUBTOTAL{total:>32.2f}\nTOTAL TO PAY{total:>28.2f}\n"
        f"{tender}\nVAT SUMMARY  A 20%  NET {total - vat_part:.2f}  VAT {vat_part:.2f}\n\n"
        f"{' '.join(rng.sample(_RECEIPT_FOOTERS, 3))}\nThank you for shopping at {store}!\n"
    )
    filename = pick(rng, _RECEIPT_NAMES).format(when=when, n=seq % 10000, store=slug(store))
    stem, ext = split_name(filename)
    return Sample("receipt", "en", stem, text, "text/plain", ext, f"{store} receipt")
