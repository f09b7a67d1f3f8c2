"""XML e-invoices read as text: UBL 2.1 and UN/CEFACT CII (Peppol, Factur-X, ZUGFeRD,
XRechnung), Italy's FatturaPA and Brazil's NF-e family.

The invoice's fields become labelled lines ("Invoice number: ...", "Seller: ...",
"Total: 1,190.00 EUR"), which reads well for people and classifiers alike. A document
whose root is one of these standards' invoices, with an id and a seller or an amount,
counts as a valid e-invoice: strong evidence for ``invoice``. Brazil's consumer receipts
(NFC-e) and passenger tickets (BP-e) share the NF-e schema; they are read the same way,
headed as receipts, and are no evidence for ``invoice``.
Other XML gives its text content. DTDs are refused: no e-invoice has one, and entity
tricks (billion laughs, external entities) need one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import NamedTuple

from docflow.errors import CorruptDocument
from docflow.services.extract.language import guess_language
from docflow.services.extract.result import E_INVOICE, MARKUP, Extraction, Limits, clip, describe

UBL_ROOTS = {
    "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice",
    "{urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote",
}
CII_ROOTS = {
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice",
    # ZUGFeRD 1.0, still sent by German businesses.
    "{urn:ferd:CrossIndustryDocument:invoice:1p0}CrossIndustryDocument",
}

# (label, path of local names below the root; "*" matches any one element)
UBL_FIELDS = (
    ("Invoice number", "ID"),
    ("Issue date", "IssueDate"),
    ("Due date", "DueDate"),
    ("Type", "InvoiceTypeCode"),
    ("Currency", "DocumentCurrencyCode"),
    ("Buyer reference", "BuyerReference"),
    ("Order", "OrderReference/ID"),
    ("Seller", "AccountingSupplierParty/Party/PartyName/Name"),
    ("Seller", "AccountingSupplierParty/Party/PartyLegalEntity/RegistrationName"),
    ("Seller VAT", "AccountingSupplierParty/Party/PartyTaxScheme/CompanyID"),
    ("Buyer", "AccountingCustomerParty/Party/PartyName/Name"),
    ("Buyer", "AccountingCustomerParty/Party/PartyLegalEntity/RegistrationName"),
    ("Payment account", "PaymentMeans/PayeeFinancialAccount/ID"),
    ("Payment terms", "PaymentTerms/Note"),
    ("Tax", "TaxTotal/TaxAmount"),
    ("Net total", "LegalMonetaryTotal/TaxExclusiveAmount"),
    ("Total", "LegalMonetaryTotal/TaxInclusiveAmount"),
    ("Amount due", "LegalMonetaryTotal/PayableAmount"),
    ("Note", "Note"),
    ("Item", "InvoiceLine/Item/Name"),
    ("Item", "CreditNoteLine/Item/Name"),
)
# CII nests the same fields differently across versions: matched by the end of their path.
CII_FIELDS = (
    ("Invoice number", "ExchangedDocument/ID"),
    ("Type", "ExchangedDocument/TypeCode"),
    ("Issue date", "ExchangedDocument/IssueDateTime/DateTimeString"),
    ("Note", "ExchangedDocument/IncludedNote/Content"),
    ("Seller", "SellerTradeParty/Name"),
    ("Seller VAT", "SellerTradeParty/SpecifiedTaxRegistration/ID"),
    ("Buyer", "BuyerTradeParty/Name"),
    ("Buyer reference", "BuyerReference"),
    ("Currency", "InvoiceCurrencyCode"),
    ("Payment account", "IBANID"),
    ("Payment terms", "SpecifiedTradePaymentTerms/Description"),
    ("Due date", "DueDateDateTime/DateTimeString"),
    ("Net total", "TaxBasisTotalAmount"),
    ("Tax", "TaxTotalAmount"),
    ("Total", "GrandTotalAmount"),
    ("Amount due", "DuePayableAmount"),
    ("Item", "SpecifiedTradeProduct/Name"),
)
# FatturaPA: every path is matched by its end, below FatturaElettronicaHeader/Body.
FATTURAPA_FIELDS = (
    ("Invoice number", "DatiGeneraliDocumento/Numero"),
    ("Type", "DatiGeneraliDocumento/TipoDocumento"),
    ("Issue date", "DatiGeneraliDocumento/Data"),
    ("Currency", "DatiGeneraliDocumento/Divisa"),
    ("Note", "DatiGeneraliDocumento/Causale"),
    ("Seller", "CedentePrestatore/DatiAnagrafici/Anagrafica/Denominazione"),
    ("Seller", "CedentePrestatore/DatiAnagrafici/Anagrafica/Cognome"),  # a person
    ("Seller", "CedentePrestatore/Cognome"),  # the simplified invoice
    ("Seller VAT", "CedentePrestatore/IdFiscaleIVA/IdCodice"),
    ("Seller VAT", "CedentePrestatore/DatiAnagrafici/IdFiscaleIVA/IdCodice"),
    ("Buyer", "CessionarioCommittente/DatiAnagrafici/Anagrafica/Denominazione"),
    ("Buyer", "CessionarioCommittente/AltriDatiIdentificativi/Denominazione"),
    ("Payment account", "DettaglioPagamento/IBAN"),
    ("Due date", "DettaglioPagamento/DataScadenzaPagamento"),
    ("Net total", "DatiRiepilogo/ImponibileImporto"),
    ("Tax", "DatiRiepilogo/Imposta"),
    ("Total", "DatiGeneraliDocumento/ImportoTotaleDocumento"),
    ("Amount due", "DettaglioPagamento/ImportoPagamento"),
    ("Item", "DettaglioLinee/Descrizione"),
    ("Item", "DatiBeniServizi/Descrizione"),
)
NFE_FIELDS = (
    ("Invoice number", "ide/nNF"),
    ("Invoice number", "ide/nBP"),
    ("Type", "ide/mod"),
    ("Issue date", "ide/dhEmi"),
    ("Issue date", "ide/dEmi"),
    ("Seller", "emit/xNome"),
    ("Seller VAT", "emit/CNPJ"),
    ("Buyer", "dest/xNome"),
    ("Total", "ICMSTot/vNF"),
    ("Total", "total/vNF"),
    ("Total", "infValorBPe/vBP"),
    ("Item", "prod/xProd"),
    ("Note", "infAdic/infCpl"),
)
_NFE_ROOTS = {"NFe", "nfeProc", "NFCom", "nfcomProc", "NF3e", "nf3eProc", "BPe", "bpeProc",
              "BPeTM"}  # fmt: skip
_NFE_RECEIPTS = {"65": "consumer receipt (NFC-e)", "63": "passenger ticket (BP-e)"}
# Type codes per standard: UNTDID 1001 (UBL, CII), FatturaPA's TipoDocumento, NF-e's mod.
_UNTDID_TYPES = {"380": "commercial invoice", "381": "credit note", "384": "corrected invoice",
                 "389": "self-billed invoice", "326": "partial invoice",
                 "386": "prepayment invoice", "751": "invoice information"}  # fmt: skip
_FATTURAPA_TYPES = {"TD01": "invoice", "TD02": "advance invoice", "TD04": "credit note",
                    "TD05": "debit note", "TD06": "fee note", "TD07": "simplified invoice",
                    "TD08": "simplified credit note", "TD24": "deferred invoice"}  # fmt: skip
_NFE_TYPES = {"55": "invoice (NF-e)", "62": "communication services invoice (NFCom)",
              "66": "energy invoice (NF3e)", **_NFE_RECEIPTS}  # fmt: skip


class Standard(NamedTuple):
    fields: tuple[tuple[str, str], ...]
    kind: str  # Invoice, Credit note or Receipt
    name: str
    suffix: bool  # match field paths by their end (nesting differs across versions)
    types: dict[str, str]


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _walk(
    element: ET.Element, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], ET.Element]]:
    """Every element below ``element`` with the local names of its path from there."""
    for child in element:
        here = (*path, _local(child.tag))
        yield here, child
        yield from _walk(child, here)


def _matches(path: tuple[str, ...], wanted: tuple[str, ...], *, suffix: bool) -> bool:
    if suffix:
        # HeaderExchangedDocument (ZUGFeRD 1) ends like ExchangedDocument.
        return len(path) >= len(wanted) and all(
            p == w or (i == 0 and p.endswith(w))
            for i, (p, w) in enumerate(zip(path[-len(wanted) :], wanted, strict=True))
        )
    return path == wanted


def parse_xml(data: bytes) -> ET.Element:
    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in head:
        raise CorruptDocument("XML with a document type definition (DTD) is not read")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise CorruptDocument(f"not well-formed XML ({describe(exc)})") from None


def _standard(root: ET.Element) -> Standard | None:
    if root.tag in UBL_ROOTS:
        kind = "Credit note" if root.tag.endswith("CreditNote") else "Invoice"
        return Standard(UBL_FIELDS, kind, "UBL 2.1", False, _UNTDID_TYPES)
    if root.tag in CII_ROOTS:
        return Standard(CII_FIELDS, "Invoice", "UN/CEFACT CII", True, _UNTDID_TYPES)
    if _local(root.tag) in ("FatturaElettronica", "FatturaElettronicaSemplificata"):
        return Standard(FATTURAPA_FIELDS, "Invoice", "FatturaPA", True, _FATTURAPA_TYPES)
    if _local(root.tag) in _NFE_ROOTS and "portalfiscal.inf.br" in root.tag:
        model = next((e.text for e in root.iter() if _local(e.tag) == "mod"), None)
        kind = "Receipt" if model in _NFE_RECEIPTS else "Invoice"
        return Standard(NFE_FIELDS, kind, "NF-e", True, _NFE_TYPES)
    return None


def invoice_lines(root: ET.Element) -> tuple[list[str], bool] | None:
    """The labelled lines of an e-invoice and whether it is a valid one (an id, and a seller
    or an amount); None when ``root`` is no e-invoice at all. A receipt is never valid."""
    standard = _standard(root)
    if standard is None:
        return None
    fields, kind, name, suffix, types = standard
    lines = [f"{kind} (e-invoice, {name})" if kind != "Receipt" else f"Receipt ({name})"]
    found: dict[str, list[str]] = {}
    elements = list(_walk(root))
    for label, path in fields:
        wanted = tuple(path.split("/"))
        for element in (e for p, e in elements if _matches(p, wanted, suffix=suffix)):
            value = " ".join("".join(element.itertext()).split())
            if not value:
                continue
            if label == "Type":
                value = types.get(value, value)
            elif label in ("Tax", "Net total", "Total", "Amount due") and element.get("currencyID"):
                value = f"{value} {element.get('currencyID')}"
            if value not in found.setdefault(label, []):
                found[label].append(value)
                lines.append(f"{label}: {value}")
    valid = "Invoice number" in found and bool({"Seller", "Total", "Amount due"} & set(found))
    return lines, valid and kind != "Receipt"


class XmlExtractor:
    """``xml``: e-invoices as labelled fields; any other XML as its text content."""

    formats = ("xml",)
    isolated = True

    def extract(self, data: bytes, limits: Limits) -> Extraction:
        root = parse_xml(data)
        warnings: list[str] = []
        invoice = invoice_lines(root)
        if invoice is not None:
            lines, valid = invoice
            if not valid:
                warnings.append(
                    "e-invoice structure without an invoice number and a seller or amount"
                )
            text = clip("\n".join(lines), limits, warnings)
            return Extraction(text, "xml", E_INVOICE, language=guess_language(text),
                              warnings=tuple(warnings), einvoice=valid)  # fmt: skip
        words = (" ".join(t.split()) for t in root.itertext())
        text = clip("\n".join(w for w in words if w), limits, warnings)
        return Extraction(
            text, "xml", MARKUP, language=guess_language(text), warnings=tuple(warnings)
        )
