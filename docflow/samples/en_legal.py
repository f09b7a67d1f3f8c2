"""English contracts and identity documents (output for a seed unchanged, draw for draw)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from docflow.samples.common import BIRTH_EPOCH, Sample, below, day, pick, pool, slug, split_name
from docflow.samples.en_pools import COMPANIES, FIRST, LAST, PLACES, address, long_date, person

_CONTRACT_KINDS = pool("""
    Services Agreement|Non-Disclosure Agreement|Commercial Lease Agreement|Supply Agreement
    Software Licence Agreement|Consultancy Agreement|Data Processing Agreement|Distribution Agreement
""")
_WHEREAS = pool("""
    WHEREAS the Supplier carries on the business of providing the services described in Schedule 1;
    WHEREAS the Customer wishes to engage the Supplier on the terms and conditions hereof;
    WHEREAS the parties intend to exchange confidential information about a joint venture;
    WHEREAS the Licensor owns all intellectual property rights in the software;
    WHEREAS the parties have agreed to record their arrangement in writing;
""")
# Every contract has the first two clauses (term, termination) and a sample of the rest.
_CLAUSES = pool("""
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
_LAWS = pool("""
    the laws of England and Wales, and the courts of London shall have exclusive jurisdiction
    the laws of the Federal Republic of Germany; place of jurisdiction is Munich
    the laws of the Netherlands, and disputes shall be settled by arbitration in Amsterdam
    the laws of Ireland, and the parties submit to the exclusive jurisdiction of the Irish courts
""")
_CONTRACT_NAMES = pool(
    "contract-{other}-{year}-{n:04d}|{kind}_agreement_{n:04d}|signed_{other}_{n:04d}"
)


def contract(rng: random.Random) -> Sample:
    first, second = rng.sample(COMPANIES, 2)
    kind = pick(rng, _CONTRACT_KINDS)
    signed = day(rng)
    markdown = rng.random() < 0.3
    h = "## " if markdown else ""
    clauses = [_CLAUSES[0], *rng.sample(_CLAUSES[2:], 4 + below(rng, 4)), _CLAUSES[1]]
    body = "\n\n".join(f"{h}{i}. {clause}" for i, clause in enumerate(clauses, 2))
    text = (
        f"{'# ' if markdown else ''}{kind.upper()}\n\n"
        f'This {kind} (the "Agreement") is made on {long_date(signed)} (the "Effective Date")\n\n'
        f"BETWEEN:\n(1) {first}, whose registered office is at {address(rng, ', ')} "
        f'(hereinafter the "Supplier"); and\n(2) {second}, whose registered office is at '
        f'{address(rng, ", ")} (hereinafter the "Customer"),\n'
        'each a "party" and together the "parties".\n\n'
        + "\n".join(rng.sample(_WHEREAS, 3))
        + "\n\nNOW, THEREFORE, the parties hereby agree as follows:\n\n"
        f"{h}1. Definitions. Capitalised terms have the meaning given in this clause 1.\n\n"
        f"{body}\n\n{h}{len(clauses) + 2}. Governing law. This Agreement is governed by "
        f"{pick(rng, _LAWS)}.\n\nIN WITNESS WHEREOF the parties have executed this Agreement "
        f"as of the Effective Date.\n\nSigned for and on behalf of {first}: ____________  "
        f"Name: {person(rng)}, Director\nSigned for and on behalf of {second}: ____________  "
        f"Name: {person(rng)}, Managing Director\n"
    )
    filename = pick(rng, _CONTRACT_NAMES).format(
        other=slug(second), year=signed.year, kind=slug(kind), n=below(rng, 10000)
    )
    if markdown:
        return Sample("contract", "en", filename, text, "text/markdown", ".md", kind)
    return Sample("contract", "en", filename, text, "text/plain", ".txt", kind)


# --- identity documents ---

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
_ID_NOTES = pool("""
    This document is the property of the issuing state and must be surrendered on request.
    The holder's signature, photograph and date of birth were checked against the chip data.
    Any alteration of this document renders it invalid. Report loss or theft to the authority.
    Observations / Observations: none. Endorsements / Mentions: none.
    Onboarding check: photo matches selfie, document not expired, MRZ check digits valid.
    Scanned at 300 dpi, front and back, OCR confidence 0.94. Hologram and UV features present.
    Liveness check passed on the second attempt; the first selfie was too dark to compare.
    Proof of address supplied separately and matched to the name on this document.
""")
_ID_NAMES = pool("{slug}-scan-{n:04d}.txt|kyc_{n:04d}_{slug}.txt|scan_{n:04d}.txt")


def identity_document(rng: random.Random) -> Sample:
    title, code, number_label, slug, remarks = pick(rng, _ID_KINDS)
    state, nationality, authority = pick(rng, _NATIONS)
    surname = pick(rng, LAST).upper()
    given = f"{pick(rng, FIRST)} {pick(rng, FIRST)}".upper()
    born = date.fromordinal(BIRTH_EPOCH + below(rng, 20000))
    issued = day(rng)
    expires = issued.replace(year=issued.year + 10, day=min(issued.day, 28))
    number = f"{pick(rng, 'CEKLPX')}{below(rng, 10**8):08d}"
    sex = pick(rng, "MF")
    mrz_name = f"{surname}<<{given}".replace("'", "").replace(" ", "<")
    check = below(rng, 10**4)
    text = (
        f"Document scan, page 1 of 2\n\n{title}\n{nationality}\n\n"
        f"Type / Type: {code}    Code of issuing State / Code de l'État émetteur: {state}\n"
        f"{number_label}: {number}\n\n"
        f"Surname / Nom: {surname}\nGiven names / Prénoms: {given}\n"
        f"Nationality / Nationalité: {nationality}\n"
        f"Date of birth / Date de naissance: {born:%d %b %Y}\nSex / Sexe: {sex}\n"
        f"Place of birth / Lieu de naissance: {pick(rng, PLACES)[0].upper()}\n"
        f"Date of issue / Date de délivrance: {issued:%d %b %Y}\n"
        f"Date of expiry / Date d'expiration: {expires:%d %b %Y}\n"
        f"Authority / Autorité: {authority}\n"
        f"Height / Taille: 1.{52 + below(rng, 46)} m    Eyes: {pick(rng, ('BLUE', 'BROWN'))}\n"
        f"Holder's signature / Signature du titulaire: [signature]\n\n"
        f"{code}<{state}{mrz_name:<<39.39}\n{number}<{check % 10}{state}{born:%y%m%d}"
        f"{check // 10 % 10}{sex}{expires:%y%m%d}{check // 100 % 10}{'<' * 14}0{check // 1000}\n\n"
        f"Document scan, page 2 of 2\n\n{remarks}\n{' '.join(rng.sample(_ID_NOTES, 6))}\n"
        f"Verified by: {person(rng)}, onboarding team, {long_date(issued + timedelta(3))}\n"
    )
    filename = pick(rng, _ID_NAMES).format(n=below(rng, 10000), slug=slug)
    stem, ext = split_name(filename)
    return Sample("identity_document", "en", stem, text, "text/plain", ext, title.split(" /")[0])
