"""XML e-invoices, UBL 2.1 and UN/CEFACT CII (Factur-X, ZUGFeRD, XRechnung), read as text.

The invoice's fields become labelled lines ("Invoice number: ...", "Seller: ...",
"Total: 1,190.00 EUR"), which reads well for people and classifiers alike. A document
whose root is a UBL Invoice or CreditNote, or a CII CrossIndustryInvoice, with an id and
a seller or an amount, counts as a valid e-invoice: strong evidence for ``invoice``.
Other XML gives its text content. DTDs are refused: no e-invoice has one, and entity
tricks (billion laughs, external entities) need one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

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
_TYPE_NAMES = {"380": "commercial invoice", "381": "credit note", "384": "corrected invoice",
               "389": "self-billed invoice", "326": "partial invoice", "386": "prepayment invoice",
               "751": "invoice information"}  # fmt: skip


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


def invoice_lines(root: ET.Element) -> tuple[list[str], bool] | None:
    """The labelled lines of an e-invoice and whether it is a valid one (an id, and a seller
    or an amount); None when ``root`` is no e-invoice at all."""
    fields: tuple[tuple[str, str], ...]
    if root.tag in UBL_ROOTS:
        fields, kind = UBL_FIELDS, "Credit note" if root.tag.endswith("CreditNote") else "Invoice"
        standard, suffix = "UBL 2.1", False
    elif root.tag in CII_ROOTS:
        fields, kind, standard, suffix = CII_FIELDS, "Invoice", "UN/CEFACT CII", True
    else:
        return None
    lines = [f"{kind} (e-invoice, {standard})"]
    found: dict[str, list[str]] = {}
    elements = list(_walk(root))
    for label, path in fields:
        wanted = tuple(path.split("/"))
        for element in (e for p, e in elements if _matches(p, wanted, suffix=suffix)):
            value = " ".join("".join(element.itertext()).split())
            if not value:
                continue
            if label == "Type":
                value = _TYPE_NAMES.get(value, value)
            elif label in ("Tax", "Net total", "Total", "Amount due") and element.get("currencyID"):
                value = f"{value} {element.get('currencyID')}"
            if value not in found.setdefault(label, []):
                found[label].append(value)
                lines.append(f"{label}: {value}")
    valid = "Invoice number" in found and bool({"Seller", "Total", "Amount due"} & set(found))
    return lines, valid


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
