"""Keywords of the document categories in German, French, Italian, Spanish, Portuguese,
Dutch and Polish, for :class:`~docflow.services.classifier.KeywordClassifier`.

The English table lives beside the classifier; this one has the same shape (category ->
weight -> space-separated words) and the same rule: a word names one category only, so
words shared by several ("total", "TVA", "Datum") are left out. Words are lower case as
the tokenizer folds them: ASCII letters are lowered, other letters are kept as written,
so "Grüße" matches "grüße" but "GRÜSSE" would not; both spellings of ß are listed.
"""

from __future__ import annotations

EUROPEAN: dict[str, dict[float, str]] = {
    "invoice": {
        3.0: "rechnung rechnungen rechnungsnummer rechnungsdatum facture factures fattura "
        "fatture factura facturas fatura faturas factuur facturen faktura faktury "
        "rechnungsbetrag",
        2.0: "zahlbar zahlungsziel zahlungsbedingungen bankverbindung überweisung "
        "leistungsdatum échéance imponibile scadenza vencimiento vervaldatum "
        "betalingstermijn bonifico virement płatności",
        1.0: "kundennummer lieferdatum débiteur fornitore proveedor leverancier",
    },
    "receipt": {
        3.0: "quittung kassenbon kassenbeleg scontrino ricevuta recibo recibos paragon "
        "kassabon bonnetje kwitantie quittance",
        2.0: "rückgeld espèces contanti efectivo kassierer caissier cassiere cajero treuepunkte",
        1.5: "einkauf filiale magasin negozio tienda",
        1.0: "achat acquisto compra",
    },
    "contract": {
        3.0: "vertrag verträge vertrages vertragsparteien contrat contrats contratto contratti "
        "contrato contratos overeenkomst umowa umowy arbeitsvertrag mietvertrag kaufvertrag",
        2.0: "vereinbarung kündigung gerichtsstand haftung vertragspartner vermieter mieter "
        "arbeitgeber arbeitnehmer résiliation bailleur locataire soussignés soussigné "
        "contraente locatore conduttore recesso arrendador arrendatario rescisión cláusula "
        "cláusulas huurder verhuurder opzegging najemca wynajmujący",
        1.0: "laufzeit strony",
    },
    "identity_document": {
        3.0: "reisepass personalausweis ausweis passaporto pasaporte passaporte paspoort "
        "paszport identità identidad identiteitskaart dowód staatsangehörigkeit nationalité "
        "nazionalità nacionalidad nationaliteit obywatelstwo geburtsdatum geburtsort "
        "führerschein fahrerlaubnis geboortedatum",
        2.0: "cittadinanza nascita nacimiento urodzenia ausstellungsdatum délivrance "
        "délivré rilascio expedición cognome apellidos familienname achternaam nazwisko",
        1.5: "gültig vorname prénom prénoms permis",
        1.0: "behörde",
    },
    "correspondence": {
        3.0: "geehrte geehrter grüßen grüße grüssen grüsse cordialement salutations cordiali "
        "saluti egregio atentamente estimado estimada saludos cordialmente prezado prezados "
        "atenciosamente geachte groet groeten hoogachtend szanowni szanowny szanowna "
        "pozdrawiam poważaniem",
        2.0: "madame gentile distinti bonjour anbei betreff asunto",
        1.5: "liebe lieber hallo ciao hola olá monsieur",
        1.0: "allegato adjunto bijlage objet oggetto onderwerp",
    },
}
