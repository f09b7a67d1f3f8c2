"""Realistic generated document content, for `docflow seed` and the benchmarks.

A document is assembled from pre-built phrase pools with a caller-supplied
``random.Random``: no templating engine and a few dozen cheap calls per document,
so a hundred thousand documents take seconds and a seed reproduces the same set.
Texts are 1-3 KB, about 1.9 KB on average over :data:`CATEGORY_WEIGHTS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import TypeVar

from docflow.errors import InvalidArgument
from docflow.settings import CATEGORIES

# The default mix of a back-office inbox: mostly invoices and receipts.
CATEGORY_WEIGHTS: dict[str, float] = {
    "invoice": 0.30,
    "receipt": 0.25,
    "contract": 0.10,
    "identity_document": 0.10,
    "correspondence": 0.15,
    "other": 0.10,
}
_CATEGORY_NAMES = tuple(CATEGORY_WEIGHTS)
_CUM_WEIGHTS = tuple(accumulate(CATEGORY_WEIGHTS.values()))

T = TypeVar("T")


# random.randrange and random.choice cost ~0.5 us each (bit-exact rejection sampling);
# a document makes dozens of draws, where slight bias does not matter but speed does.
def _below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _pick(rng: random.Random, pool: Sequence[T]) -> T:
    return pool[int(rng.random() * len(pool))]


def _pool(block: str) -> tuple[str, ...]:
    """One item per line, or several per line separated by '|'."""
    return tuple(item.strip() for line in block.strip().splitlines() for item in line.split("|"))


_FIRST = _pool("""
    James|Olivia|Liam|Emma|Noah|Ava|Lucas|Mia|Ethan|Sofia|Mateo|Chloe|Leon|Hannah|Oskar|Amelia|Luca
    Freya|Elias|Zoe|Jonas|Isla|Arjun|Priya|Tomasz|Agnieszka|Jean|Camille|Pieter|Sanne|Marco|Giulia
    Jakob|Lena|Samuel|Aisha|René|José|Björn|Inès
""")
_LAST = _pool("""
    Smith|Jones|Taylor|Brown|Williams|Wilson|Johnson|Davies|Müller|Schmidt|Schneider|Fischer|Weber
    Dubois|Martin|Bernard|Rossi|Russo|Ferrari|Kowalski|Nowak|Jansen|de Vries|Patel|Khan|Nguyen
    O'Brien|Murphy|Andersson|Nielsen|García|Fernández|López
""")
_COMPANIES = _pool("""
    Acme Industrial Supplies Ltd|Northwind Logistics GmbH|Blue Harbor Consulting LLC
    Globex Software BV|Initech Facilities Ltd|Umbrella Office Furniture SARL
    Hooli Cloud Services Inc.|Stark Engineering Ltd|Wayne Office Solutions plc
    Vandelay Imports Ltd|Soylent Catering Co.|Tyrell Data Systems AG|Cyberdyne Print & Design
    Pied Piper Media Ltd|Wonka Wholesale Confectionery|Gringotts Asset Partners LLP
    Oceanic Freight Forwarding BV|Massive Dynamic Labs GmbH|Dunder Paper Company
    Brightline Energy SE
""")
_PLACES = tuple(
    tuple(place.split(","))
    for place in _pool("""
        London,EC1A 1BB,United Kingdom|Manchester,M1 2AB,United Kingdom
        Bristol,BS1 4DJ,United Kingdom
        Berlin,10115,Germany|Munich,80331,Germany|Amsterdam,1012 AB,Netherlands
        Rotterdam,3011 AA,Netherlands|Paris,75002,France|Lyon,69002,France|Dublin,D02 X285,Ireland
        Milan,20121,Italy|Kraków,31-008,Poland
    """)
)
_STREETS = _pool("""
    Market Street|High Street|Station Road|Church Lane|Mill Road|King Street|Victoria Road
    Hauptstraße|Keizersgracht|Rue de Rivoli|Via Roma|Quay Street|Park Avenue|Harbour Way
""")
_MONTHS = _pool(
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_EPOCH = date(2021, 1, 1).toordinal()


def _person(rng: random.Random) -> str:
    return f"{_pick(rng, _FIRST)} {_pick(rng, _LAST)}"


def _address(rng: random.Random, sep: str = "\n") -> str:
    city, postcode, country = _pick(rng, _PLACES)
    return f"{_below(rng, 240) + 1} {_pick(rng, _STREETS)}{sep}{postcode} {city}{sep}{country}"


def _day(rng: random.Random) -> date:
    return date.fromordinal(_EPOCH + _below(rng, 1500))


def _long(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _slug(name: str) -> str:
    """The first word of `name`, lowercased and reduced to letters and digits, for filenames."""
    return "".join(filter(str.isalnum, name.split()[0].lower()))


# --- invoices -------------------------------------------------------------------------------

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
_INVOICE_NOTES = _pool("""
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
_INVOICE_NAMES = _pool(
    "invoice-{year}-{n}.txt|INV_{year}{n}.txt|{seller}-invoice-{n}.txt|scan_{n}.txt"
)


def _invoice(rng: random.Random) -> tuple[str, str, str]:
    seller, buyer = rng.sample(_COMPANIES, 2)
    issued = _day(rng)
    due = issued + timedelta(_pick(rng, (14, 30, 30, 45, 60)))
    n = f"{_below(rng, 10000):04d}"
    number = f"INV-{issued.year}-{n}"
    currency = _pick(rng, ("EUR", "GBP", "EUR", "USD"))
    vat = _pick(rng, (20, 19, 21, 0))
    rows = []
    for name, low, high in rng.sample(_SERVICES, 7 + _below(rng, 10)):
        qty, price = 1 + _below(rng, 40), round(low + rng.random() * (high - low), 2)
        rows.append((name, qty, price, qty * price))
    subtotal = sum(row[3] for row in rows)
    tax = round(subtotal * vat / 100, 2)
    iban = f"GB{10 + _below(rng, 90)} NWBK {_below(rng, 10**6):06d} {_below(rng, 10**8):08d}"
    if rng.random() < 0.15:
        # An accounting-system export: one row per line item, totals in the last rows.
        head = "invoice_number,invoice_date,due_date,bill_to,description,qty,unit_price,amount"
        body = "\n".join(
            f'{number},{issued},{due},"{buyer}","{d}",{q},{p:.2f},{a:.2f}' for d, q, p, a in rows
        )
        text = (
            f"{head}\n{body}\n,,,,Subtotal,,,{subtotal:.2f}\n,,,,VAT {vat}%,,,{tax:.2f}\n"
            f",,,,Total due {currency},,,{subtotal + tax:.2f}\n,,,,Pay to IBAN {iban},,,\n"
        )
        return f"invoice-export-{issued.year}-{n}.csv", "text/csv", text
    # %-formatting is about twice as fast as an f-string with format specs, per row.
    items = "\n".join("%-50s%5d%11.2f%13.2f" % row for row in rows)  # noqa: UP031
    rule = "-" * 79
    text = (
        f"{seller}\n{_address(rng)}\nVAT registration no. GB{_below(rng, 10**9):09d}\n\n"
        f"INVOICE\n\nInvoice number: {number}\nInvoice date: {_long(issued)}\n"
        f"Due date: {_long(due)}\nPurchase order: PO-{10000 + _below(rng, 90000)}\n"
        f"Customer account: C{_below(rng, 10**5):05d}\n\n"
        f"Bill to:\n{buyer}\nAttn: {_person(rng)}, Accounts Payable\n{_address(rng)}\n\n"
        f"{'Description':<50}{'Qty':>5}{'Unit price':>11}{'Amount':>13}\n{rule}\n{items}\n{rule}\n"
        f"Subtotal: {currency} {subtotal:,.2f}\nVAT {vat}%: {currency} {tax:,.2f}\n"
        f"Total due: {currency} {subtotal + tax:,.2f}\n\n"
        f"Payment terms: net {(due - issued).days} days from the invoice date, by bank transfer.\n"
        f"Bank: NatWest, IBAN: {iban}, BIC: NWBKGB2L\n\n{' '.join(rng.sample(_INVOICE_NOTES, 4))}\n"
    )
    filename = _pick(rng, _INVOICE_NAMES).format(year=issued.year, n=n, seller=_slug(seller))
    return filename, "text/plain", text


# --- receipts -------------------------------------------------------------------------------

_STORES = _pool("""
    TESCO EXTRA|SAINSBURY'S LOCAL|ALBERT HEIJN|REWE CITY|CARREFOUR MARKET|LIDL|BOOTS PHARMACY
    WHSMITH TRAVEL|PRET A MANGER|IKEA|DECATHLON|MEDIAMARKT|COSTA COFFEE
""")
# Shelf prices are fixed, so each receipt line is formatted once, here.
_GOODS = tuple(
    (f"{name:<32}{float(price):>8.2f} A", float(price))
    for name, _, price in (
        item.rpartition(" ")
        for item in _pool("""
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
_RECEIPT_FOOTERS = _pool("""
    Thank you for shopping with us. Please keep your receipt as proof of purchase.
    Returns and exchanges within 28 days with this receipt. Refunds go to the original payment card.
    You earned loyalty points on this transaction. Scan your member card next time to collect more.
    Tell us how we did and win a voucher: see the survey code printed below the barcode.
    Customer copy. Please retain this receipt for your records. VAT receipt available at the till.
""")
_RECEIPT_NAMES = _pool("""
    receipt_{when:%Y%m%d}_{n:04d}.txt|{store}-receipt-{n:04d}.txt|IMG_{n:04d}.txt
    expense-{when:%Y-%m}-{n:04d}.txt
""")


def _receipt(rng: random.Random) -> tuple[str, str, str]:
    store = _pick(rng, _STORES)
    city, postcode, _ = _pick(rng, _PLACES)
    when = _day(rng)
    store_no, till, seq = 100 + _below(rng, 9900), 1 + _below(rng, 19), _below(rng, 10**6)
    bought = rng.choices(_GOODS, k=16 + _below(rng, 26))
    total = sum(price for _, price in bought)
    vat_part = total / 6
    if rng.random() < 0.6:
        tender = (
            f"VISA CONTACTLESS{total:>24.2f}\nCard ending **** {_below(rng, 10000):04d}\n"
            f"AID: A0000000031010  Auth code: {_below(rng, 10**6):06d}\n"
            f"Merchant ID: {_below(rng, 10**8):08d}  Terminal: {_below(rng, 10**4):04d}\n"
            "CARDHOLDER COPY - PLEASE RETAIN\n"
        )
    else:
        paid = float(int(total // 10 + 1) * 10)
        tender = f"CASH{paid:>36.2f}\nCHANGE DUE{paid - total:>30.2f}\n"
    text = (
        f"{store}\n{_below(rng, 240) + 1} {_pick(rng, _STREETS)}, {city} {postcode}\n"
        f"Tel 020 7946 {_below(rng, 10**4):04d}   VAT No GB {_below(rng, 10**9):09d}\n"
        f"Store {store_no}  Till {till:02d}  Cashier: {_pick(rng, _FIRST).upper()}\n"
        f"{when:%d/%m/%Y} {7 + _below(rng, 15):02d}:{_below(rng, 60):02d}"
        f"   Receipt no {store_no}-{till:02d}-{seq:06d}\n\n"
        + "\n".join(line for line, _ in bought)
        + f"\n{'-' * 42}\n{len(bought)} ITEMS\nSUBTOTAL{total:>32.2f}\nTOTAL TO PAY{total:>28.2f}\n"
        f"{tender}\nVAT SUMMARY  A 20%  NET {total - vat_part:.2f}  VAT {vat_part:.2f}\n\n"
        f"{' '.join(rng.sample(_RECEIPT_FOOTERS, 3))}\nThank you for shopping at {store}!\n"
    )
    filename = _pick(rng, _RECEIPT_NAMES).format(when=when, n=seq % 10000, store=_slug(store))
    return filename, "text/plain", text


# --- contracts ------------------------------------------------------------------------------

_CONTRACT_KINDS = _pool("""
    Services Agreement|Non-Disclosure Agreement|Commercial Lease Agreement|Supply Agreement
    Software Licence Agreement|Consultancy Agreement|Data Processing Agreement|Distribution Agreement
""")
_WHEREAS = _pool("""
    WHEREAS the Supplier carries on the business of providing the services described in Schedule 1;
    WHEREAS the Customer wishes to engage the Supplier on the terms and conditions hereof;
    WHEREAS the parties intend to exchange confidential information about a joint venture;
    WHEREAS the Licensor owns all intellectual property rights in the software;
    WHEREAS the parties have agreed to record their arrangement in writing;
""")
# Every contract has the first two clauses (term, termination) and a sample of the rest.
_CLAUSES = _pool("""
    Term. This Agreement commences on the Effective Date and continues for an initial term of twenty-four months, after which it renews for successive periods of twelve months unless either party gives notice.
    Termination. Either party may terminate this Agreement with immediate effect by written notice if the other party commits a material breach which is not remedied within thirty days.
    Fees. The Customer shall pay the fees set out in Schedule 2 within thirty days. The Supplier may suspend performance if any undisputed amount remains unpaid after written notice.
    Confidentiality. Each party shall keep the other party's confidential information secret and shall not disclose it to any third party except its advisers bound by equivalent obligations.
    Intellectual property. All intellectual property rights arising from the performance of this Agreement shall vest in the Customer upon payment, save for the Supplier's pre-existing materials.
    Warranties. Each party represents and warrants that it has full power and authority to enter into this Agreement and that doing so does not breach any other obligation binding on it.
    Limitation of liability. Neither party shall be liable for indirect or consequential loss. Each party's aggregate liability under this Agreement is limited to the fees paid in the preceding twelve months.
    Indemnity. The Supplier shall indemnify and hold harmless the Customer against all claims arising from any breach of this Agreement or negligence of the Supplier, its employees or subcontractors.
    Force majeure. Neither party shall be in breach of this Agreement if it is prevented from performing its obligations by events beyond its reasonable control.
    Assignment. Neither party may assign, transfer or subcontract its rights or obligations hereunder without the prior written consent of the other party.
    Severability. If any provision of this Agreement is held invalid or unenforceable, the remaining provisions shall continue in full force and effect.
    Entire agreement. This Agreement constitutes the entire agreement between the parties and supersedes all prior negotiations, representations and understandings.
    Notices. Any notice under this Agreement shall be in writing and delivered by hand or by recorded delivery to the registered address of the receiving party.
    Data protection. Each party shall comply with applicable data protection law, and the Processor shall process personal data only on the documented instructions of the Controller.
""")  # noqa: E501
_LAWS = _pool("""
    the laws of England and Wales, and the courts of London shall have exclusive jurisdiction
    the laws of the Federal Republic of Germany; place of jurisdiction is Munich
    the laws of the Netherlands, and disputes shall be settled by arbitration in Amsterdam
    the laws of Ireland, and the parties submit to the exclusive jurisdiction of the Irish courts
""")
_CONTRACT_NAMES = _pool(
    "contract-{other}-{year}-{n:04d}|{kind}_agreement_{n:04d}|signed_{other}_{n:04d}"
)


def _contract(rng: random.Random) -> tuple[str, str, str]:
    first, second = rng.sample(_COMPANIES, 2)
    kind = _pick(rng, _CONTRACT_KINDS)
    signed = _day(rng)
    markdown = rng.random() < 0.3
    h = "## " if markdown else ""
    clauses = [_CLAUSES[0], *rng.sample(_CLAUSES[2:], 4 + _below(rng, 4)), _CLAUSES[1]]
    body = "\n\n".join(f"{h}{i}. {clause}" for i, clause in enumerate(clauses, 2))
    text = (
        f"{'# ' if markdown else ''}{kind.upper()}\n\n"
        f'This {kind} (the "Agreement") is made on {_long(signed)} (the "Effective Date")\n\n'
        f"BETWEEN:\n(1) {first}, whose registered office is at {_address(rng, ', ')} "
        f'(hereinafter the "Supplier"); and\n(2) {second}, whose registered office is at '
        f'{_address(rng, ", ")} (hereinafter the "Customer"),\n'
        'each a "party" and together the "parties".\n\n'
        + "\n".join(rng.sample(_WHEREAS, 3))
        + "\n\nNOW, THEREFORE, the parties hereby agree as follows:\n\n"
        f"{h}1. Definitions. Capitalised terms have the meaning given in this clause 1.\n\n"
        f"{body}\n\n{h}{len(clauses) + 2}. Governing law. This Agreement is governed by "
        f"{_pick(rng, _LAWS)}.\n\nIN WITNESS WHEREOF the parties have executed this Agreement "
        f"as of the Effective Date.\n\nSigned for and on behalf of {first}: ____________  "
        f"Name: {_person(rng)}, Director\nSigned for and on behalf of {second}: ____________  "
        f"Name: {_person(rng)}, Managing Director\n"
    )
    filename = _pick(rng, _CONTRACT_NAMES).format(
        other=_slug(second), year=signed.year, kind=_slug(kind), n=_below(rng, 10000)
    )
    if markdown:
        return f"{filename}.md", "text/markdown", text
    return f"{filename}.txt", "text/plain", text


# --- identity documents ---------------------------------------------------------------------

# (title, MRZ type code, number label, filename slug, kind-specific page 2 remarks)
_ID_KINDS = (
    ("PASSPORT / PASSEPORT", "P", "Passport No.", "passport", "Visas: none recorded."),
    ("DRIVING LICENCE", "D", "Licence number", "driving_licence", "Categories: AM, B, B1, BE"),
    ("NATIONAL IDENTITY CARD", "I", "Card No.", "id_card", "Card access number: on the front."),
    ("RESIDENCE PERMIT", "R", "Permit No.", "residence_permit", "Remarks: skilled worker."),
)
# (issuing state code, nationality as printed, issuing authority)
_NATIONS = (
    ("GBR", "BRITISH CITIZEN", "HM Passport Office"),
    ("DEU", "DEUTSCH", "Stadt Köln"),
    ("NLD", "NEDERLANDSE", "Burgemeester van Amsterdam"),
    ("FRA", "FRANÇAISE", "Préfecture du Rhône"),
    ("IRL", "IRISH", "Department of Foreign Affairs"),
)
_ID_NOTES = _pool("""
    This document is the property of the issuing state and must be surrendered on request.
    The holder's signature, photograph and date of birth were checked against the chip data.
    Any alteration of this document renders it invalid. Report loss or theft to the authority.
    Observations / Observations: none. Endorsements / Mentions: none.
    Onboarding check: photo matches selfie, document not expired, MRZ check digits valid.
    Scanned at 300 dpi, front and back, OCR confidence 0.94. Hologram and UV features present.
    Liveness check passed on the second attempt; the first selfie was too dark to compare.
    Proof of address supplied separately and matched to the name on this document.
""")
_BIRTH_EPOCH = date(1950, 1, 1).toordinal()
_ID_NAMES = _pool("{slug}-scan-{n:04d}.txt|kyc_{n:04d}_{slug}.txt|scan_{n:04d}.txt")


def _identity_document(rng: random.Random) -> tuple[str, str, str]:
    title, code, number_label, slug, remarks = _pick(rng, _ID_KINDS)
    state, nationality, authority = _pick(rng, _NATIONS)
    surname = _pick(rng, _LAST).upper()
    given = f"{_pick(rng, _FIRST)} {_pick(rng, _FIRST)}".upper()
    born = date.fromordinal(_BIRTH_EPOCH + _below(rng, 20000))
    issued = _day(rng)
    expires = issued.replace(year=issued.year + 10, day=min(issued.day, 28))
    number = f"{_pick(rng, 'CEKLPX')}{_below(rng, 10**8):08d}"
    sex = _pick(rng, "MF")
    mrz_name = f"{surname}<<{given}".replace("'", "").replace(" ", "<")
    check = _below(rng, 10**4)
    text = (
        f"Document scan, page 1 of 2\n\n{title}\n{nationality}\n\n"
        f"Type / Type: {code}    Code of issuing State / Code de l'État émetteur: {state}\n"
        f"{number_label}: {number}\n\n"
        f"Surname / Nom: {surname}\nGiven names / Prénoms: {given}\n"
        f"Nationality / Nationalité: {nationality}\n"
        f"Date of birth / Date de naissance: {born:%d %b %Y}\nSex / Sexe: {sex}\n"
        f"Place of birth / Lieu de naissance: {_pick(rng, _PLACES)[0].upper()}\n"
        f"Date of issue / Date de délivrance: {issued:%d %b %Y}\n"
        f"Date of expiry / Date d'expiration: {expires:%d %b %Y}\n"
        f"Authority / Autorité: {authority}\n"
        f"Height / Taille: 1.{52 + _below(rng, 46)} m    Eyes: {_pick(rng, ('BLUE', 'BROWN'))}\n"
        f"Holder's signature / Signature du titulaire: [signature]\n\n"
        f"{code}<{state}{mrz_name:<<39.39}\n{number}<{check % 10}{state}{born:%y%m%d}"
        f"{check // 10 % 10}{sex}{expires:%y%m%d}{check // 100 % 10}{'<' * 14}0{check // 1000}\n\n"
        f"Document scan, page 2 of 2\n\n{remarks}\n{' '.join(rng.sample(_ID_NOTES, 6))}\n"
        f"Verified by: {_person(rng)}, onboarding team, {_long(issued + timedelta(3))}\n"
    )
    filename = _pick(rng, _ID_NAMES).format(n=_below(rng, 10000), slug=slug)
    return filename, "text/plain", text


# --- correspondence -------------------------------------------------------------------------

_SUBJECTS = _pool("""
    Change of registered address|Your enquiry of last week|Complaint about delayed delivery
    Follow-up to our meeting on Tuesday|Request for references|Application for the analyst position
    Renewal of your membership|Apology for the service interruption|Invitation to our open day
""")
_PARAGRAPHS = _pool("""
    I am writing to let you know that our office will move to a new address from the first of next month. Please update your records accordingly; our telephone numbers remain the same.
    Thank you for your letter and for taking the time to explain the situation in such detail. I have passed your comments to the team concerned and asked them to look into the matter.
    I was disappointed to learn that the delivery you were promised did not arrive. Please accept my sincere apologies for the inconvenience this has caused you and your colleagues.
    Following our conversation on the telephone, I would be grateful if you could send me the documents we discussed at your earliest convenience, so that we can proceed without delay.
    It was a pleasure to meet you at the conference. As promised, I enclose a copy of the presentation and a short summary of the points we agreed to explore further.
    We are pleased to confirm your appointment on the date requested. Should you need to reschedule, please reply to this letter or call our front desk.
    Unfortunately we are unable to help with your request at this time, but we will keep your details on file and contact you if our circumstances change.
    I would like to take this opportunity to thank you for your continued support over the past year. It has been a pleasure working with you and your team.
    Please do not hesitate to contact me if you have any questions or would like to discuss this further. I look forward to hearing from you.
    With reference to your email of last Friday, I can confirm that we have received your application and that it is currently being reviewed by the panel.
    We would be delighted if you could join us for our open day. Refreshments will be served, and there will be an opportunity to meet the whole team.
    I should be grateful if you would acknowledge receipt of this letter and let me know who will be handling the matter on your side.
    Regarding the invoice you sent last month, our accounts team has a question about two of the items. Could you send us the delivery notes so that we can check them?
    As discussed, we would like to extend the agreement for another year on the same terms. Our legal team will be in touch with a draft in the coming weeks.
""")  # noqa: E501
_CLOSINGS = _pool("Yours sincerely,|Yours faithfully,|Kind regards,|Best regards,|Best wishes,")
_ROLES = _pool("Customer Relations Manager|Head of Operations|Office Manager|HR Advisor|Director")
_LETTER_NAMES = _pool("{kind}-to-{to}.txt|{kind}_{n:04d}.txt|re-{subject}-{n:04d}.txt")


def _correspondence(rng: random.Random) -> tuple[str, str, str]:
    sender, recipient = _person(rng), _person(rng)
    company = _pick(rng, _COMPANIES)
    subject = _pick(rng, _SUBJECTS)
    first_name, surname = recipient.split(" ", 1)
    if rng.random() < 0.4:
        kind = "email"
        head = (
            f"From: {sender} <{_slug(sender)}@{_slug(company)}.example>\n"
            f"To: {recipient} <{_slug(first_name)}@example.org>\nSubject: Re: {subject}\n"
            f"Date: {_day(rng):%a, %d %b %Y} 09:{_below(rng, 60):02d}\n\nHello {first_name},\n\n"
        )
    else:
        kind = "letter"
        head = (
            f"{company}\n{_address(rng)}\n\n{_long(_day(rng))}\n\n{recipient}\n{_address(rng)}\n\n"
            f"Dear {_pick(rng, ('Mr', 'Ms', 'Dr'))} {surname},\n\nRe: {subject}\n\n"
        )
    body = "\n\n".join(rng.sample(_PARAGRAPHS, 7 + _below(rng, 5)))
    text = f"{head}{body}\n\n{_pick(rng, _CLOSINGS)}\n\n{sender}\n{_pick(rng, _ROLES)}, {company}\n"
    filename = _pick(rng, _LETTER_NAMES).format(
        kind=kind, n=_below(rng, 10000), to=_slug(surname.split()[-1]), subject=_slug(subject)
    )
    return filename, "text/plain", text


# --- other ----------------------------------------------------------------------------------

_MEETING_NOTES = _pool("""
    Attendees: product, engineering and support leads; apologies from the design team, who are at the user research day. Minutes taken by the product lead.
    Agenda: roadmap for the next quarter, hiring plan, on-call rota and the office move. Item four was postponed because the facilities manager could not attend.
    Decision: the mobile release slips by one week so that the accessibility fixes can ship together with the new onboarding flow rather than in a follow-up.
    Action: Priya drafts the on-call rota and shares it before Friday; Marco benchmarks the new search index against last month's numbers and reports back.
    Discussion: feedback from the support team shows that the export feature is hard to find in the menu. Design will try moving it next to the share button.
    Risks: two engineers are away in August, so the database migration window may need to move to September. We agreed to decide at the next meeting.
    Hiring: three interviews are booked for the backend role and one offer is pending approval. The frontend role stays open until the end of the month.
    Office move: desks are labelled, network cabling is booked for Saturday and everyone packs their own drawers by Thursday evening. Next meeting same time next week.
""")  # noqa: E501
_RECIPE = _pool("""
    Preheat the oven to 180°C (160°C fan, gas mark 4) and line a 900 g loaf tin with greaseproof paper, leaving some overhang so the cake is easy to lift out.
    Ingredients: 225 g softened butter, 225 g caster sugar, 4 large eggs, 225 g self-raising flour, the finely grated zest of two lemons and a pinch of salt.
    For the drizzle: the juice of one and a half lemons and 85 g icing sugar. Some cooks add a spoonful of granulated sugar for a crunchier top.
    Beat the butter and sugar together until pale and fluffy, then add the eggs one at a time, beating well after each. Add a spoonful of flour if the mixture curdles.
    Fold in the flour and the lemon zest until just combined; overmixing makes the crumb tough. Spoon into the tin and level the top with the back of the spoon.
    Bake for 45 to 50 minutes, until golden and risen. A skewer pushed into the centre should come out clean; if not, give it another five minutes.
    While the cake is still warm, prick it all over with a fork, mix the lemon juice with the icing sugar and spoon it evenly over the top so it soaks in.
    Leave to cool in the tin before lifting out. Keeps for three days in an airtight tin. Serves ten. Variation: use two limes instead of one lemon and add poppy seeds.
""")  # noqa: E501
_MANUAL = _pool("""
    Unpack the purifier and place it upright on a flat, stable surface at least 30 cm from walls and furniture. Remove all plastic wrapping from the filter first.
    Connect the power adapter to the socket at the back and to the mains. The ring light glows white for a few seconds while the unit runs its start-up check.
    Press the fan button to cycle through the speeds: night, low, medium, high and turbo. Night mode dims the display and keeps the fan below 25 dB.
    Hold the fan button for three seconds to switch on automatic mode, shown by a blue light. The unit then adjusts the fan speed to the measured air quality.
    The filter indicator turns orange after about 2,000 hours of use. Open the filter door, pull out the old filter by its tab and slide in a new one.
    Clean the pre-filter every two weeks with a soft brush or a vacuum cleaner. Do not wash the main filter with water; it cannot be dried out properly.
    Troubleshooting: if the unit does not start, check the adapter and try another socket. If the display shows E2, the filter door is open; close it until it clicks.
    Keep the unit away from water, heaters and direct sunlight, and do not cover the air outlet. Unplug it before cleaning or moving it to another room.
""")  # noqa: E501
# (title, filename slug, extension, lines): none of them is something a back office files.
_OTHER_KINDS = (
    ("Meeting notes", "meeting-notes", ".md", _MEETING_NOTES),
    ("Recipe: lemon drizzle cake", "recipe", ".txt", _RECIPE),
    ("Quick start guide: AirPure 300 purifier", "manual", ".txt", _MANUAL),
)
_OTHER_NAMES = _pool("{slug}-{when:%Y-%m-%d}{ext}|{slug}_{n:04d}{ext}|scan_{n:04d}{ext}")


def _other(rng: random.Random) -> tuple[str, str, str]:
    title, slug, ext, lines = _pick(rng, _OTHER_KINDS)
    when = _day(rng)
    bullet = "- " if ext == ".md" else ""
    # Keep the lines in their written order: a recipe read backwards is no longer a recipe.
    picked = sorted(rng.sample(range(len(lines)), 7 + _below(rng, 2)))
    body = "\n".join(bullet + lines[i] for i in picked)
    text = f"{title}\n{_long(when)}\n\n{body}\n\nWritten by {_person(rng)}.\n"
    filename = _pick(rng, _OTHER_NAMES).format(slug=slug, when=when, n=_below(rng, 10000), ext=ext)
    return filename, "text/markdown" if bullet else "text/plain", text


_GENERATORS: dict[str, Callable[[random.Random], tuple[str, str, str]]] = {
    "invoice": _invoice,
    "receipt": _receipt,
    "contract": _contract,
    "identity_document": _identity_document,
    "correspondence": _correspondence,
    "other": _other,
}


def generate(rng: random.Random, category: str) -> tuple[str, str, str]:
    """(filename, content_type, text) of a realistic document of `category`, text ~1-3 KB."""
    try:
        make = _GENERATORS[category]
    except KeyError:
        raise InvalidArgument(
            f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}"
        ) from None
    return make(rng)


def pick_category(rng: random.Random) -> str:
    """A category drawn from :data:`CATEGORY_WEIGHTS`."""
    return rng.choices(_CATEGORY_NAMES, cum_weights=_CUM_WEIGHTS)[0]
