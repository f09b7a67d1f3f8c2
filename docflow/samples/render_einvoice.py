"""E-invoices from an invoice's fields: UBL 2.1 (as XRechnung and Peppol send it) and
UN/CEFACT CII (the XML inside Factur-X and ZUGFeRD), both after EN 16931.

Built as strings (escaped), not with ElementTree: a document takes a few dozen
microseconds. Amounts add up: line totals, the VAT breakdown per rate, and the totals.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docflow.samples.common import Invoice, Party

EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG = f"{EN16931}#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"


def _e(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _category(rate: float) -> str:
    """The VAT category code: S standard (any rate above zero), E exempt."""
    return "S" if rate else "E"


_EXEMPT = "Kleinunternehmer / small enterprise, no VAT charged"


def _ubl_party(party: Party) -> str:
    tax = (
        f"<cac:PartyTaxScheme><cbc:CompanyID>{_e(party.vat_id)}</cbc:CompanyID>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
        if party.vat_id
        else ""
    )
    return (
        f"<cac:Party><cac:PartyName><cbc:Name>{_e(party.name)}</cbc:Name></cac:PartyName>"
        f"<cac:PostalAddress><cbc:StreetName>{_e(party.street)}</cbc:StreetName>"
        f"<cbc:CityName>{_e(party.city)}</cbc:CityName><cbc:PostalZone>{_e(party.postcode)}</cbc:PostalZone>"
        f"<cac:Country><cbc:IdentificationCode>{party.country}</cbc:IdentificationCode></cac:Country>"
        f"</cac:PostalAddress>{tax}<cac:PartyLegalEntity><cbc:RegistrationName>{_e(party.name)}"
        "</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>"
    )


def _ubl_tax(invoice: Invoice) -> str:
    cur = invoice.currency
    subtotals = "".join(
        f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="{cur}">{base:.2f}</cbc:TaxableAmount>'
        f'<cbc:TaxAmount currencyID="{cur}">{tax:.2f}</cbc:TaxAmount><cac:TaxCategory>'
        f"<cbc:ID>{_category(rate)}</cbc:ID><cbc:Percent>{rate:.2f}</cbc:Percent>"
        + ("" if rate else f"<cbc:TaxExemptionReason>{_EXEMPT}</cbc:TaxExemptionReason>")
        + "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal>"
        for rate, base, tax in invoice.taxes
    )
    return f'<cac:TaxTotal><cbc:TaxAmount currencyID="{cur}">{invoice.tax:.2f}</cbc:TaxAmount>{subtotals}</cac:TaxTotal>'


def _ubl_lines(invoice: Invoice) -> str:
    cur = invoice.currency
    return "".join(
        f"<cac:InvoiceLine><cbc:ID>{i}</cbc:ID>"
        f'<cbc:InvoicedQuantity unitCode="{line.unit}">{line.quantity:g}</cbc:InvoicedQuantity>'
        f'<cbc:LineExtensionAmount currencyID="{cur}">{line.net:.2f}</cbc:LineExtensionAmount>'
        f"<cac:Item><cbc:Name>{_e(line.description)}</cbc:Name><cac:ClassifiedTaxCategory>"
        f"<cbc:ID>{_category(line.vat_rate)}</cbc:ID><cbc:Percent>{line.vat_rate:.2f}</cbc:Percent>"
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>"
        f'<cac:Price><cbc:PriceAmount currencyID="{cur}">{line.unit_price:.2f}</cbc:PriceAmount></cac:Price>'
        "</cac:InvoiceLine>"
        for i, line in enumerate(invoice.lines, 1)
    )


def ubl(invoice: Invoice, buyer_reference: str = "") -> bytes:
    """A UBL 2.1 Invoice (XRechnung's customization when the seller is German)."""
    cur = invoice.currency
    customization = XRECHNUNG if invoice.seller.country == "DE" else EN16931
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">\n'
        f"<cbc:CustomizationID>{customization}</cbc:CustomizationID><cbc:ProfileID>{PEPPOL}</cbc:ProfileID>\n"
        f"<cbc:ID>{_e(invoice.number)}</cbc:ID><cbc:IssueDate>{invoice.issued}</cbc:IssueDate>"
        f"<cbc:DueDate>{invoice.due}</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>\n"
        f"<cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode>"
        f"<cbc:BuyerReference>{_e(buyer_reference or invoice.order or invoice.number)}</cbc:BuyerReference>\n"
        + (f"<cac:OrderReference><cbc:ID>{_e(invoice.order)}</cbc:ID></cac:OrderReference>\n" if invoice.order else "")
        + f"<cac:AccountingSupplierParty>{_ubl_party(invoice.seller)}</cac:AccountingSupplierParty>\n"
        f"<cac:AccountingCustomerParty>{_ubl_party(invoice.buyer)}</cac:AccountingCustomerParty>\n"
        "<cac:PaymentMeans><cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>"
        f"<cbc:PaymentID>{_e(invoice.number)}</cbc:PaymentID><cac:PayeeFinancialAccount>"
        f"<cbc:ID>{invoice.iban.replace(' ', '')}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>\n"
        f"<cac:PaymentTerms><cbc:Note>{_e(invoice.terms)}</cbc:Note></cac:PaymentTerms>\n"
        f"{_ubl_tax(invoice)}\n<cac:LegalMonetaryTotal>"
        f'<cbc:LineExtensionAmount currencyID="{cur}">{invoice.net:.2f}</cbc:LineExtensionAmount>'
        f'<cbc:TaxExclusiveAmount currencyID="{cur}">{invoice.net:.2f}</cbc:TaxExclusiveAmount>'
        f'<cbc:TaxInclusiveAmount currencyID="{cur}">{invoice.total:.2f}</cbc:TaxInclusiveAmount>'
        f'<cbc:PayableAmount currencyID="{cur}">{invoice.total:.2f}</cbc:PayableAmount>'
        f"</cac:LegalMonetaryTotal>\n{_ubl_lines(invoice)}\n</Invoice>\n"
    )  # fmt: skip
    return xml.encode("utf-8")


def _cii_party(tag: str, party: Party) -> str:
    tax = (
        f'<ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{_e(party.vat_id)}</ram:ID>'
        "</ram:SpecifiedTaxRegistration>"
        if party.vat_id
        else ""
    )
    return (
        f"<ram:{tag}><ram:Name>{_e(party.name)}</ram:Name><ram:PostalTradeAddress>"
        f"<ram:PostcodeCode>{_e(party.postcode)}</ram:PostcodeCode><ram:LineOne>{_e(party.street)}</ram:LineOne>"
        f"<ram:CityName>{_e(party.city)}</ram:CityName><ram:CountryID>{party.country}</ram:CountryID>"
        f"</ram:PostalTradeAddress>{tax}</ram:{tag}>"
    )


def _cii_lines(invoice: Invoice) -> str:
    return "".join(
        f"<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>{i}"
        f"</ram:LineID></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>"
        f"{_e(line.description)}</ram:Name></ram:SpecifiedTradeProduct><ram:SpecifiedLineTradeAgreement>"
        f"<ram:NetPriceProductTradePrice><ram:ChargeAmount>{line.unit_price:.2f}</ram:ChargeAmount>"
        "</ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement><ram:SpecifiedLineTradeDelivery>"
        f'<ram:BilledQuantity unitCode="{line.unit}">{line.quantity:g}</ram:BilledQuantity>'
        "</ram:SpecifiedLineTradeDelivery><ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax>"
        f"<ram:TypeCode>VAT</ram:TypeCode><ram:CategoryCode>{_category(line.vat_rate)}</ram:CategoryCode>"
        f"<ram:RateApplicablePercent>{line.vat_rate:.2f}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        "<ram:SpecifiedTradeSettlementLineMonetarySummation>"
        f"<ram:LineTotalAmount>{line.net:.2f}</ram:LineTotalAmount>"
        "</ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>"
        "</ram:IncludedSupplyChainTradeLineItem>\n"
        for i, line in enumerate(invoice.lines, 1)
    )  # fmt: skip


def _cii_settlement(invoice: Invoice) -> str:
    cur = invoice.currency
    taxes = "".join(
        f"<ram:ApplicableTradeTax><ram:CalculatedAmount>{tax:.2f}</ram:CalculatedAmount>"
        f"<ram:TypeCode>VAT</ram:TypeCode>"
        + ("" if rate else f"<ram:ExemptionReason>{_EXEMPT}</ram:ExemptionReason>")
        + f"<ram:BasisAmount>{base:.2f}</ram:BasisAmount><ram:CategoryCode>{_category(rate)}</ram:CategoryCode>"
        f"<ram:RateApplicablePercent>{rate:.2f}</ram:RateApplicablePercent></ram:ApplicableTradeTax>"
        for rate, base, tax in invoice.taxes
    )
    return (
        f"<ram:ApplicableHeaderTradeSettlement><ram:PaymentReference>{_e(invoice.number)}</ram:PaymentReference>"
        f"<ram:InvoiceCurrencyCode>{cur}</ram:InvoiceCurrencyCode>"
        "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58</ram:TypeCode>"
        f"<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{invoice.iban.replace(' ', '')}</ram:IBANID>"
        f"</ram:PayeePartyCreditorFinancialAccount></ram:SpecifiedTradeSettlementPaymentMeans>{taxes}"
        f"<ram:SpecifiedTradePaymentTerms><ram:Description>{_e(invoice.terms)}</ram:Description>"
        f'<ram:DueDateDateTime><udt:DateTimeString format="102">{invoice.due:%Y%m%d}</udt:DateTimeString>'
        "</ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>"
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        f"<ram:LineTotalAmount>{invoice.net:.2f}</ram:LineTotalAmount>"
        f"<ram:TaxBasisTotalAmount>{invoice.net:.2f}</ram:TaxBasisTotalAmount>"
        f'<ram:TaxTotalAmount currencyID="{cur}">{invoice.tax:.2f}</ram:TaxTotalAmount>'
        f"<ram:GrandTotalAmount>{invoice.total:.2f}</ram:GrandTotalAmount>"
        f"<ram:DuePayableAmount>{invoice.total:.2f}</ram:DuePayableAmount>"
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation></ram:ApplicableHeaderTradeSettlement>"
    )  # fmt: skip


def cii(invoice: Invoice, buyer_reference: str = "") -> bytes:
    """A UN/CEFACT CrossIndustryInvoice (D16B), the EN 16931 profile of Factur-X/ZUGFeRD."""
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
        'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100" '
        'xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100" '
        'xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">\n'
        "<rsm:ExchangedDocumentContext><ram:GuidelineSpecifiedDocumentContextParameter>"
        f"<ram:ID>{EN16931}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n"
        f"<rsm:ExchangedDocument><ram:ID>{_e(invoice.number)}</ram:ID><ram:TypeCode>380</ram:TypeCode>"
        f'<ram:IssueDateTime><udt:DateTimeString format="102">{invoice.issued:%Y%m%d}</udt:DateTimeString>'
        f"</ram:IssueDateTime></rsm:ExchangedDocument>\n<rsm:SupplyChainTradeTransaction>\n{_cii_lines(invoice)}"
        f"<ram:ApplicableHeaderTradeAgreement><ram:BuyerReference>{_e(buyer_reference or invoice.order or invoice.number)}"
        f"</ram:BuyerReference>{_cii_party('SellerTradeParty', invoice.seller)}{_cii_party('BuyerTradeParty', invoice.buyer)}"
        + (f"<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{_e(invoice.order)}</ram:IssuerAssignedID>"
           "</ram:BuyerOrderReferencedDocument>" if invoice.order else "")
        + "</ram:ApplicableHeaderTradeAgreement>\n<ram:ApplicableHeaderTradeDelivery><ram:ActualDeliverySupplyChainEvent>"
        f'<ram:OccurrenceDateTime><udt:DateTimeString format="102">{invoice.issued:%Y%m%d}</udt:DateTimeString>'
        "</ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent></ram:ApplicableHeaderTradeDelivery>\n"
        f"{_cii_settlement(invoice)}\n</rsm:SupplyChainTradeTransaction>\n</rsm:CrossIndustryInvoice>\n"
    )  # fmt: skip
    return xml.encode("utf-8")
