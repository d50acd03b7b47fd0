//! Context words: in the text around a candidate, and in the column name.

use crate::entity::EntityType;
use crate::phone::PhoneRegion;

/// A context word list (see [`words`]) with what the search needs of it
/// computed once: per byte, the set of words that start with it (ASCII
/// case-insensitively), and the length of the shortest word.
pub(crate) struct Words {
    pub(crate) list: &'static [&'static str],
    /// Bit k set: `list[k]` starts with this byte (either case).
    first: [u64; 256],
    shortest: usize,
}

impl Words {
    pub(crate) const fn new(list: &'static [&'static str]) -> Words {
        assert!(list.len() <= 64);
        let mut first = [0u64; 256];
        let mut shortest = usize::MAX;
        let mut i = 0;
        while i < list.len() {
            let w = list[i].as_bytes();
            let c = w[0];
            // lower-case lists: the search lower-cases the text
            assert!(!c.is_ascii_uppercase());
            first[c.to_ascii_lowercase() as usize] |= 1 << i;
            first[c.to_ascii_uppercase() as usize] |= 1 << i;
            let len = if w[w.len() - 1] == b'*' {
                w.len() - 1
            } else {
                w.len()
            };
            if len < shortest {
                shortest = len;
            }
            i += 1;
        }
        Words {
            list,
            first,
            shortest,
        }
    }
}

/// Context words per entity. A trailing `*` allows any continuation
/// (`birth*` matches `birthday`); otherwise the word must end at a
/// non-alphanumeric byte. Matching is ASCII case-insensitive and needs a
/// non-alphanumeric byte (or the window start) before the word.
pub(crate) fn words(entity: EntityType) -> &'static Words {
    use EntityType::*;
    match entity {
        Email => {
            static W: Words = Words::new(&["email*", "e-mail*", "mail*", "contact*"]);
            &W
        }
        Phone => {
            static W: Words = Words::new(&[
                "phone*",
                "tel",
                "tel.",
                "telephone*",
                "mobil*",
                "mob",
                "cell*",
                "call*",
                "fax",
                "sms",
                "whatsapp",
                "contact*",
                "handy*",
                "telefon*",
                "téléphone",
                "portable",
                "dial*",
                "ring",
                "reach",
                "text",
                "ph",
                "ph.",
                "tél*",
                "teléfono",
                "telèfon",
                "tlf*",
                "tfno*",
                "móvil",
                "movil",
                "celular",
                "cel",
                "cel.",
                "natel",
                "gsm",
                "komórk*",
                "komork*",
                "puhelin*",
                "puh.",
                "llam*",
                "llám*",
                "liga",
                "ligue",
                "ligar",
                "chiam*",
                "dzwoni*",
                "erreichbar",
                "rückruf*",
                "anruf*",
                "bellen",
                "ringe",
                "soita*",
                "zavolej*",
                "volejte",
            ]);
            &W
        }
        CreditCard => {
            static W: Words = Words::new(&[
                "card*",
                "visa",
                "mastercard",
                "amex",
                "credit*",
                "debit*",
                "cc",
                "pan",
                "payment*",
                "discover",
                "jcb",
                "diners",
                "unionpay",
                "karte",
                "carte",
            ]);
            &W
        }
        Iban => {
            static W: Words = Words::new(&[
                "iban",
                "bank*",
                "account*",
                "acct",
                "transfer*",
                "sepa",
                "konto",
                "wire",
            ]);
            &W
        }
        UsSsn => {
            static W: Words = Words::new(&[
                "ssn*",
                "social security*",
                "soc sec",
                "ss#",
                "ss no",
                "social",
            ]);
            &W
        }
        Ipv4 | Ipv6 => {
            static W: Words = Words::new(&[
                "ip",
                "ipv4",
                "ipv6",
                "ip-address",
                "host*",
                "server*",
                "addr*",
                "client*",
                "gateway",
                "dns",
                "remote",
                "peer",
                "connect*",
                "from",
                "src",
                "dst",
                "login*",
                "nat",
            ]);
            &W
        }
        MacAddress => {
            static W: Words = Words::new(&[
                "mac", "ether*", "hw*", "hardware", "wifi", "bssid", "nic", "device",
            ]);
            &W
        }
        DateOfBirth => {
            // en, de, fr, es, pt, it, nl, sv, da, no, fi, pl, cs, sk, ro, hu, el, lt, lv, et, hr, sl
            static W: Words = Words::new(&[
                "dob",
                "d.o.b",
                "d.o.b.",
                "born",
                "birth*",
                "geboren",
                "geb.",
                "geburt*",
                "né",
                "née",
                "naissance",
                "nacimiento",
                "nacido",
                "nacida",
                "nac.",
                "nascimento",
                "nascido",
                "nascida",
                "nasc.",
                "nascita",
                "nato",
                "nata",
                "geboorte*",
                "född",
                "födelse*",
                "født",
                "fødd",
                "fødsel*",
                "syntymä*",
                "syntynyt",
                "synt.",
                "urodzenia",
                "urodzon*",
                "urodzin*",
                "ur.",
                "narození",
                "narozen*",
                "narodenia",
                "narodený",
                "narodená",
                "nar.",
                "nașterii",
                "nasterii",
                "născut*",
                "nascut*",
                "születési",
                "született",
                "szül.",
                "γέννησης",
                "γεννήθηκε",
                "gimimo",
                "gimęs",
                "dzimšanas",
                "dzimis",
                "sünniaeg",
                "sündinud",
                "rođen*",
                "rojen*",
                "rojstva",
            ]);
            &W
        }
        Passport => {
            static W: Words = Words::new(&[
                "passport*",
                "passeport",
                "reisepass",
                "pass no",
                "pass-nr",
                "pass nr",
                "pass nº",
                "passnummer",
                "passnr",
                "pasnummer",
                "pas nr",
                "pasaport*",
                "pașaport*",
                "passaport*",
                "paspoort*",
                "paszport*",
                "passi",
                "passin",
                "cestovní pas",
                "cestovního pasu",
                "cestovný pas",
                "útlevél*",
                "διαβατήρι*",
                "pasas",
                "pase nr",
                "pp#",
                "pp no",
                "pp nr",
                "travel document*",
                "document de voyage",
                "documento de viaje",
                "documento di viaggio",
                "reisedokument*",
            ]);
            &W
        }
        DriversLicence => {
            static W: Words = Words::new(&[
                "driver*",
                "licen*",
                "dl",
                "dl#",
                "dln",
                "driving",
                "führerschein*",
                "fuehrerschein*",
                "permis",
                "patente",
                "carteira de motorista",
                "carteira de habilitação",
                "habilitação",
                "cnh",
                "carta de condução",
                "carnet de conducir",
                "rijbewijs*",
                "prawo jazdy",
                "prawa jazdy",
                "körkort*",
                "kørekort*",
                "førerkort*",
                "ajokortti*",
                "řidičsk*",
                "ridicsk*",
                "vodičsk*",
                "jogosítvány*",
                "vezetői engedély*",
                "vozačk*",
                "vozniško",
                "vairuotojo",
                "autovadītāja",
                "juhiluba",
                "άδεια οδήγησης",
            ]);
            &W
        }
        StreetAddress => {
            static W: Words = Words::new(&[
                "address*",
                "addr*",
                "street",
                "lives",
                "live",
                "living",
                "residing",
                "resides",
                "located",
                "ship*",
                "mailing",
                "deliver*",
                "adresse",
                "anschrift",
                "wohnt",
                "home",
                "dirección",
                "direccion",
                "domicili*",
                "indirizzo",
                "residente",
                "endereço",
                "endereco",
                "morada",
                "adres*",
                "adresa",
                "adresă",
                "osoite",
                "cím",
                "lakcím",
                "aadress",
                "gatuadress",
                "leveransadress",
                "afleveradres",
                "lieferadresse",
                "woon*",
                "wohnhaft",
                "wohne",
                "vive",
                "vivo",
                "bor",
                "bosatt",
                "mieszkam",
                "zamieszka*",
                "moro",
                "mora",
                "abito",
                "abita",
                "habite",
                "asun",
                "asuu",
                "bydlím",
                "locuiesc",
                "gyvenu",
                "entregar",
                "consegna*",
                "livraison",
                "envío",
                "leverans*",
                "levering",
                "dostaw*",
            ]);
            &W
        }
        PersonName => {
            static W: Words = Words::new(&[
                "name*",
                "contact*",
                "customer",
                "patient",
                "dear",
                "signed",
                "employee",
                "user",
                "client",
                "author",
                "by",
                "hi",
                "hello",
                "nom",
                "herr",
                "frau",
                "nombre",
                "nome",
                "naam",
                "namn",
                "navn",
                "nimi",
                "jméno",
                "imię",
                "nazwisko",
                "nume",
                "név",
                "cliente",
                "klient*",
                "kunde",
                "kund",
                "klant",
                "asiakas",
                "pacient*",
                "pacjent*",
                "paziente",
                "patiënt",
                "empleado",
                "dipendente",
                "mitarbeiter*",
                "medewerker",
                "titular",
                "intestat*",
                "regards",
                "saludos",
                "hola",
                "olá",
                "hej",
                "ciao",
            ]);
            &W
        }
        UkNhsNumber => {
            static W: Words = Words::new(&[
                "nhs*",
                "national health*",
                "chi number",
                "chi no",
                "chi no.",
                "health and care number",
                "h&c number",
            ]);
            &W
        }
        UkNino => {
            static W: Words = Words::new(&[
                "nino",
                "ni no",
                "ni no.",
                "ni number",
                "ni#",
                "nin",
                "national insurance*",
                "nat ins*",
                "insurance number",
            ]);
            &W
        }
        DeTaxId => {
            static W: Words = Words::new(&[
                "steuer-id*",
                "steuerid*",
                "steuer id*",
                "steueridentifikationsnummer",
                "identifikationsnummer",
                "idnr*",
                "id-nr*",
                "tin",
                "tax id*",
                "tax-id*",
                "taxid*",
                "tax identification*",
            ]);
            &W
        }
        FrNir => {
            static W: Words = Words::new(&[
                "nir",
                "insee",
                "sécurité sociale",
                "sÉcuritÉ sociale",
                "securite sociale",
                "sécu",
                "secu",
                "n° ss",
                "nss",
                "n° sécu",
                "social security*",
                "carte vitale",
                "vitale",
                "immatricul*",
            ]);
            &W
        }
        EsDni => {
            static W: Words = Words::new(&[
                "dni",
                "d.n.i",
                "d.n.i.",
                "documento nacional*",
                "nif",
                "n.i.f",
                "n.i.f.",
                "identidad",
            ]);
            &W
        }
        EsNie => {
            static W: Words = Words::new(&[
                "nie",
                "n.i.e",
                "n.i.e.",
                "nif",
                "n.i.f",
                "n.i.f.",
                "extranjero*",
                "identidad",
            ]);
            &W
        }
        ItFiscalCode => {
            static W: Words = Words::new(&[
                "codice fiscale",
                "codicefiscale",
                "cod. fisc*",
                "cod.fisc*",
                "cod fisc*",
                "c.f.",
                "c.f",
                "cf",
                "fiscal code",
                "tax code",
            ]);
            &W
        }
        NlBsn => {
            static W: Words = Words::new(&[
                "bsn",
                "burgerservicenummer",
                "burgerservice*",
                "sofinummer",
                "sofi-nummer",
                "sofi",
                "citizen service number",
            ]);
            &W
        }
        SePersonnummer => {
            static W: Words = Words::new(&[
                "personnum*",
                "personnr",
                "pers.nr",
                "pnr",
                "person number",
                "personal identity number",
                "personal number",
                "samordningsnum*",
            ]);
            &W
        }
        PlPesel => {
            static W: Words = Words::new(&["pesel*"]);
            &W
        }
        InAadhaar => {
            static W: Words = Words::new(&[
                "aadhaar*",
                "aadhar*",
                "adhaar*",
                "uid",
                "uidai",
                "unique identification*",
            ]);
            &W
        }
        InPan => {
            static W: Words = Words::new(&[
                "pan",
                "pan#",
                "permanent account*",
                "income tax*",
                "income-tax*",
            ]);
            &W
        }
        AuTfn => {
            static W: Words = Words::new(&["tfn", "tax file*"]);
            &W
        }
        AuMedicare => {
            static W: Words = Words::new(&["medicare*"]);
            &W
        }
        CaSin => {
            static W: Words = Words::new(&[
                "sin",
                "sin#",
                "s.i.n",
                "s.i.n.",
                "social insurance*",
                "nas",
                "n.a.s",
                "assurance sociale",
            ]);
            &W
        }
        BrCpf => {
            static W: Words = Words::new(&["cpf*", "c.p.f", "c.p.f.", "cadastro de pessoa*"]);
            &W
        }
        BrCnpj => {
            static W: Words = Words::new(&["cnpj*", "c.n.p.j", "c.n.p.j.", "cadastro nacional*"]);
            &W
        }
        SgNric => {
            static W: Words = Words::new(&[
                "nric*",
                "fin",
                "ic no*",
                "ic number",
                "i/c",
                "identity card*",
                "uin",
            ]);
            &W
        }
        EuVat => {
            static W: Words = Words::new(&[
                "vat*",
                "ust-id*",
                "ustid*",
                "ust.-id*",
                "umsatzsteuer*",
                "mwst*",
                "tva",
                "iva",
                "p.iva",
                "p. iva",
                "piva",
                "partita iva",
                "btw*",
                "nip",
                "moms*",
                "cif",
                "nif",
                "vies",
            ]);
            &W
        }
        HighEntropySecret | AwsAccessKey | GithubToken | SlackToken | StripeKey | GoogleApiKey
        | Jwt | PrivateKey | UrlCredentials => {
            static W: Words = Words::new(&[
                "key*",
                "secret*",
                "token*",
                "password*",
                "passwd",
                "pwd",
                "pass",
                "api*",
                "credential*",
                "auth*",
                "bearer",
                "apikey",
                "access*",
                "contraseña",
                "contrasena",
                "clave*",
                "senha",
                "chave*",
                "wachtwoord",
                "passwort",
                "kennwort",
                "lösenord",
                "losenord",
                "passord",
                "adgangskode",
                "mot de passe",
                "mdp",
                "parola",
                "parolă",
                "parool",
                "hasło",
                "haslo",
                "heslo",
                "salasana",
                "jelszó",
                "jelszo",
                "lozinka",
                "geslo",
                "slaptažodis",
                "κωδικός",
                "geheim*",
                "segret*",
                "secreto",
                "segredo",
                "chiave*",
                "clé*",
                "jeton*",
                "klucz*",
                "schlüssel*",
                "nøgle*",
                "nyckel*",
                "avain*",
                "kulcs*",
                "cheie",
            ]);
            &W
        }
    }
}

/// Words that *lower* an IPv4 finding (version strings).
pub(crate) static VERSION_WORDS: Words = Words::new(&[
    "version*", "ver", "ver.", "v", "build*", "release*", "firmware", "rev", "patch", "sdk", "os",
]);

/// Words that name an identifier of a key or account rather than the secret
/// itself: nearer to a value than any secret word, they say it is no secret
/// (`"private_key_id": "3f2a…"`, `client_id`).
pub(crate) static KEY_ID_WORDS: Words = Words::new(&["id", "ids", "uuid", "guid", "kid"]);

/// Words that name a hash: a hex digest after one is no secret (`sha256:9f86…`, `commit 3f2a…`).
pub(crate) static DIGEST_WORDS: Words = Words::new(&[
    "sha*",
    "md5*",
    "hash*",
    "digest*",
    "checksum*",
    "commit*",
    "etag",
    "fingerprint*",
    "sum",
    "crc*",
    "blake*",
    "integrity",
    "revision",
]);

/// Words that name a product, order or document number: right before a
/// phone-shaped number they say it is not a phone (`SKU 216-152-1179`).
pub(crate) static IDENTIFIER_WORDS: Words = Words::new(&[
    "sku",
    "order*",
    "invoice*",
    "part",
    "serial*",
    "tracking",
    "item",
    "product*",
    "ticket*",
    "case",
    "ref",
    "ref.",
    "reference",
    "po",
    "model",
    "batch",
    "lot",
    "article",
    "isbn",
    "ean",
    "upc",
    "asin",
    "shipment",
    "parcel",
    "booking",
    "confirmation",
    "receipt*",
    "bestell*",
    "commande",
    "pedido",
    "art",
    "art.",
    "artikel*",
    "articolo",
    "artículo",
    "articulo",
    "artigo",
    "articol*",
    "produkt*",
    "prodotto",
    "producto",
    "produto",
    "produit",
    "auftrag*",
    "ordine",
    "ordem",
    "ordre",
    "rechnung*",
    "fattura",
    "factura",
    "fatura",
    "faktura",
    "sendung*",
    "spedizione",
    "envío",
    "envio",
]);

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Position (start) of the last occurrence of any of `words` in `hay`,
/// ASCII case-insensitive, respecting word boundaries (see [`words`]).
///
/// One backward pass over `hay`: the last position where any word occurs
/// is the largest of each word's last occurrence. The set of words that
/// start with the byte at a position ([`Words`]) rejects most positions
/// with one lookup, and only those words are compared.
fn last_word_pos(hay: &[u8], words: &Words) -> Option<usize> {
    if hay.is_empty() || words.shortest > hay.len() {
        return None;
    }
    let mut i = hay.len() - words.shortest + 1;
    while i > 0 {
        i -= 1;
        let mut cands = words.first[hay[i] as usize];
        while cands != 0 {
            let k = cands.trailing_zeros() as usize;
            cands &= cands - 1;
            let w = words.list[k].as_bytes();
            let (w, prefix) = match w.split_last() {
                Some((b'*', p)) => (p, true),
                _ => (w, false),
            };
            if i + w.len() > hay.len() || !hay[i..i + w.len()].eq_ignore_ascii_case(w) {
                continue;
            }
            let before_ok = i == 0 || !is_word_byte(hay[i - 1]) || !is_word_byte(w[0]);
            let j = i + w.len();
            let after_ok =
                prefix || j == hay.len() || !is_word_byte(hay[j]) || !is_word_byte(w[w.len() - 1]);
            if before_ok && after_ok {
                return Some(i);
            }
        }
    }
    None
}

/// Bytes looked at before a candidate for context words.
pub(crate) const BEFORE: usize = 64;
/// Bytes looked at after a candidate for context words.
pub(crate) const AFTER: usize = 24;

/// Distance (in bytes, from the window's end) of the nearest context word
/// in the `before` bytes ending at `pos`, if any.
pub(crate) fn nearest_before(
    text: &str,
    pos: usize,
    before: usize,
    words: &Words,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let start = pos.saturating_sub(before);
    let hay = &bytes[start..pos];
    last_word_pos(hay, words).map(|p| hay.len() - p)
}

/// Whether a context word occurs within the `before` bytes before `start` or
/// the `after` bytes after `end`.
pub(crate) fn around(
    text: &str,
    start: usize,
    end: usize,
    before: usize,
    after: usize,
    words: &Words,
) -> bool {
    if nearest_before(text, start, before, words).is_some() {
        return true;
    }
    if after == 0 {
        return false;
    }
    let bytes = text.as_bytes();
    let stop = (end + after).min(bytes.len());
    last_word_pos(&bytes[end..stop], words).is_some()
}

/// Context derived from a column name: the entities the name points at,
/// as a bit set over [`EntityType`], plus whether it names a version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnContext {
    pub(crate) bits: u64,
    pub(crate) version: bool,
    /// The name says the column holds product, order or document numbers.
    pub(crate) identifier: bool,
    /// The name says the column holds a tax or national id of no named
    /// country (`tax_id`, `tin`, `national_id`).
    pub(crate) national: bool,
    /// The region a phone column names (`phone_de`, `mobile_fr`, `tel_uk`).
    pub(crate) phone_region: Option<PhoneRegion>,
}

impl ColumnContext {
    /// Derives the context of a column from its name (`customer_email`,
    /// `dateOfBirth`, `SSN`, `ip_address`, ...).
    pub fn from_name(name: &str) -> ColumnContext {
        use EntityType::*;
        // split into lower-case tokens on non-alphanumerics and camelCase humps
        let mut tokens: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut prev_lower = false;
        for c in name.chars() {
            if !c.is_alphanumeric() {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
                prev_lower = false;
                continue;
            }
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            prev_lower = c.is_lowercase() || c.is_ascii_digit();
            cur.extend(c.to_lowercase());
        }
        if !cur.is_empty() {
            tokens.push(cur);
        }
        let joined: String = tokens.concat();
        let has = |t: &str| tokens.iter().any(|x| x == t);
        let has_any = |ts: &[&str]| ts.iter().any(|t| has(t));
        let contains_any = |stems: &[&str]| stems.iter().any(|stem| joined.contains(stem));
        let mut bits = 0u64;
        let mut set = |e: EntityType| bits |= e.bit();

        let is_ip = has_any(&[
            "ip",
            "ipv4",
            "ipv6",
            "ipaddr",
            "ipaddress",
            "host",
            "hostip",
        ]) || joined.contains("ipaddress");
        let is_mac = has_any(&["mac", "macaddr", "macaddress", "bssid", "hwaddr"])
            || joined.contains("macaddress");
        let is_email =
            has_any(&["email", "mail", "emails", "emailaddress"]) || joined.contains("email");
        if is_email {
            set(Email);
        }
        if is_ip {
            set(Ipv4);
            set(Ipv6);
        }
        if has("ipv6") {
            set(Ipv6);
        }
        if is_mac {
            set(MacAddress);
        }
        if has_any(&[
            "phone",
            "tel",
            "telephone",
            "mobile",
            "cell",
            "cellphone",
            "fax",
            "msisdn",
            "telefon",
            "handy",
            "telefono",
            "teléfono",
            "telefone",
            "celular",
            "cellulare",
            "movil",
            "móvil",
            "mobil",
            "mobiel",
            "natel",
            "gsm",
            "tlf",
            "puhelin",
            "komorka",
            "komórka",
            "cel",
        ]) || joined.contains("phone")
            || joined.contains("telefon")
        {
            set(Phone);
        }
        // A payment column holds card numbers unless it names an identifier of the payment.
        let payment = has("payment")
            && !has_any(&[
                "id",
                "ref",
                "reference",
                "order",
                "invoice",
                "transaction",
                "txn",
            ]);
        if has_any(&[
            "card",
            "cc",
            "pan",
            "ccnum",
            "creditcard",
            "cardnumber",
            "ccn",
        ]) || joined.contains("creditcard")
            || payment
        {
            set(CreditCard);
        }
        if has_any(&["iban", "bank", "account", "acct", "konto"]) || joined.contains("iban") {
            set(Iban);
        }
        // "social insurance" is Canada's SIN, not a US SSN
        if has_any(&["ssn", "socialsecurity"])
            || (has("social") && !has("insurance"))
            || joined.contains("ssn") && !joined.contains("session")
        {
            set(UsSsn);
        }
        if has_any(&["dob", "born", "naissance", "gebdat"])
            || contains_any(&[
                "birth",
                "geburt",
                "nacim",
                "nascim",
                "nascita",
                "geboorte",
                "födelse",
                "fodelse",
                "fødsel",
                "fodsel",
                "syntym",
                "urodz",
                "narozen",
                "narodeni",
                "naster",
                "naşter",
                "naștere",
                "nașterii",
                "szület",
                "szulet",
                "gimimo",
                "dzimš",
                "dzims",
                "sünni",
                "sunni",
                "rođen",
                "roden",
                "rojstv",
            ])
        {
            set(DateOfBirth);
        }
        if has_any(&["passeport", "reisepass", "passnr", "passi", "pas"])
            || contains_any(&[
                "passport",
                "pasaport",
                "pașaport",
                "passaport",
                "paspoort",
                "paszport",
                "passnummer",
                "pasnummer",
                "cestovnipas",
                "útlevél",
                "utlevel",
                "traveldocument",
            ])
        {
            set(Passport);
        }
        if has_any(&[
            "dl",
            "driver",
            "drivers",
            "dln",
            "patente",
            "cnh",
            "permis",
            "habilitacao",
            "habilitação",
        ]) || contains_any(&[
            "licen",
            "führerschein",
            "fuhrerschein",
            "fuehrerschein",
            "rijbewijs",
            "prawojazdy",
            "körkort",
            "korkort",
            "kørekort",
            "korekort",
            "førerkort",
            "forerkort",
            "ajokortti",
            "řidičsk",
            "ridicsk",
            "vodičsk",
            "vodicsk",
            "jogosítvány",
            "jogositvany",
            "permisconduire",
            "permisdeconduire",
            "permisdeconducere",
            "carteirademotorista",
            "cartadeconducao",
            "carnetdeconducir",
            "vozačk",
            "vozack",
            "vairuotojo",
        ]) {
            set(DriversLicence);
        }
        if !is_ip
            && !is_mac
            && !is_email
            && (has_any(&[
                "address",
                "addr",
                "street",
                "address1",
                "address2",
                "addr1",
                "adresse",
                "anschrift",
                "direccion",
                "dirección",
                "domicilio",
                "domicile",
                "indirizzo",
                "residenza",
                "endereco",
                "endereço",
                "morada",
                "logradouro",
                "calle",
                "rua",
                "strasse",
                "straße",
                "straat",
                "adres",
                "adresa",
                "adresă",
                "adrese",
                "adresas",
                "aadress",
                "osoite",
                "katuosoite",
                "cim",
                "cím",
                "lakcim",
                "ulica",
                "ulice",
                "gade",
                "gata",
                "gatuadress",
                "dieccion",
                "διευθυνση",
                "διεύθυνση",
                "tirahan",
            ]) || contains_any(&[
                "streetaddress",
                "address",
                "adress",
                "adres",
                "direcc",
                "indirizz",
                "endereco",
                "endereço",
                "domicil",
                "anschrift",
                "strasse",
                "osoite",
                "lakcim",
            ]))
            && !has_any(&[
                "web", "url", "website", "wallet", "btc", "eth", "crypto", "bitcoin", "contract",
                "memory", "mem", "pointer", "hex", "server", "host", "ipv4", "ipv6", "mac",
            ])
        {
            set(StreetAddress);
        }
        // a token that means a (first, last, full) name, in many languages,
        // or ends like one ("kundenname", "voornaam", "fornavn", "etunimi")
        let person_word = |t: &String| {
            [
                "name",
                "names",
                "fullname",
                "firstname",
                "lastname",
                "surname",
                "forename",
                "givenname",
                "customer",
                "patient",
                "person",
                "employee",
                "nom",
                "prenom",
                "prénom",
                "vorname",
                "nachname",
                "nombre",
                "nombres",
                "apellido",
                "apellidos",
                "nome",
                "cognome",
                "naam",
                "voornaam",
                "achternaam",
                "tussenvoegsel",
                "namn",
                "fornamn",
                "förnamn",
                "efternamn",
                "navn",
                "fornavn",
                "efternavn",
                "etternavn",
                "nimi",
                "etunimi",
                "sukunimi",
                "jmeno",
                "jméno",
                "prijmeni",
                "příjmení",
                "meno",
                "priezvisko",
                "imie",
                "imię",
                "nazwisko",
                "nume",
                "prenume",
                "nev",
                "név",
                "vezeteknev",
                "vezetéknév",
                "keresztnev",
                "keresztnév",
                "utonev",
                "utónév",
                "vardas",
                "pavarde",
                "pavardė",
                "vards",
                "vārds",
                "uzvards",
                "uzvārds",
                "eesnimi",
                "perekonnanimi",
                "onoma",
                "όνομα",
                "eponymo",
                "επώνυμο",
                "pangalan",
                "apelyido",
                "sobrenome",
                "titular",
                "titulaire",
                "intestatario",
                "cliente",
                "klient",
                "kunde",
                "kund",
                "klant",
                "asiakas",
                "paciente",
                "pacjent",
                "pacient",
                "paziente",
                "potilas",
                "assignee",
                "cardholder",
                "accountholder",
                "holder",
            ]
            .contains(&t.as_str())
                || (t.len() > 4
                    && ["name", "naam", "namn", "navn", "nimi"]
                        .iter()
                        .any(|s| t.ends_with(s))
                    && ![
                        "file",
                        "host",
                        "user",
                        "path",
                        "dir",
                        "class",
                        "type",
                        "domain",
                        "table",
                        "field",
                        "column",
                        "server",
                        "device",
                        "app",
                        "brand",
                        "product",
                        "company",
                        "firmen",
                        "bedrijfs",
                        "produkt",
                        "street",
                        "strassen",
                        "straat",
                        "city",
                        "stadt",
                        "bank",
                        "account",
                        "konto",
                        "key",
                        "schema",
                        "nick",
                        "screen",
                        "display",
                        "login",
                        "bestands",
                        "datei",
                        "tiedosto",
                        "käyttäjä",
                        "gebruikers",
                        "benutzer",
                        "användar",
                        "bruger",
                        "bruker",
                    ]
                    .iter()
                    .any(|p| t.starts_with(p)))
        };
        if tokens.iter().any(person_word)
            && !has_any(&[
                "file",
                "filename",
                "host",
                "hostname",
                "user",
                "username",
                "product",
                "company",
                "domain",
                "table",
                "column",
                "field",
                "street",
                "city",
                "country",
                "bank",
                "brand",
                "model",
                "device",
                "app",
                "server",
                "branch",
                "store",
                "shop",
                "item",
                "category",
                "region",
                "state",
                "place",
                "location",
                "event",
                "project",
                "team",
                "group",
                "role",
                "department",
                "dept",
                "org",
                "organization",
                "organisation",
                "business",
                "display",
                "screen",
                "nick",
                "nickname",
                "login",
                "empresa",
                "compania",
                "compañia",
                "azienda",
                "ditta",
                "societa",
                "società",
                "bedrijf",
                "firma",
                "produkt",
                "producto",
                "produto",
                "prodotto",
                "ciudad",
                "cidade",
                "citta",
                "città",
                "stad",
                "stadt",
                "miasto",
                "calle",
                "rua",
                "via",
                "straat",
                "strasse",
                "ulica",
                "gata",
                "banco",
                "banca",
                "archivo",
                "arquivo",
                "fichier",
                "datei",
                "bestand",
                "usuario",
                "utente",
                "utilisateur",
                "benutzer",
                "gebruiker",
                "pais",
                "país",
                "paese",
                "land",
                "provincia",
                "estado",
                "pueblo",
                "municipio",
                "comune",
                "gemeente",
                "kommun",
                "lugar",
                "ort",
                "plaats",
                "articulo",
                "artikel",
                "categoria",
                "marca",
                "modelo",
                "tienda",
                "negozio",
                "winkel",
                "proyecto",
                "progetto",
                "equipo",
                "grupo",
                "departamento",
                "afdeling",
                "abteilung",
                "dispositivo",
                "servidor",
                "dominio",
                "campaign",
                "evento",
                "curso",
                "course",
                "plan",
                "tarifa",
                "servicio",
                "servizio",
                "service",
                "hotel",
                "school",
                "escuela",
                "scuola",
                "hospital",
                "id",
                "no",
                "nr",
                "number",
                "num",
                "code",
                "ref",
                "type",
            ])
        {
            set(PersonName);
        }
        if has_any(&[
            "key",
            "secret",
            "token",
            "password",
            "passwd",
            "pwd",
            "apikey",
            "credential",
            "credentials",
            "auth",
            "bearer",
            "jwt",
            "contraseña",
            "contrasena",
            "senha",
            "wachtwoord",
            "passwort",
            "kennwort",
            "lösenord",
            "losenord",
            "passord",
            "adgangskode",
            "mdp",
            "motdepasse",
            "parola",
            "parool",
            "hasło",
            "haslo",
            "heslo",
            "salasana",
            "jelszó",
            "jelszo",
            "lozinka",
            "geslo",
        ]) {
            set(HighEntropySecret);
        }
        // national identifiers and tax numbers
        if has_any(&["nhs", "nhsno", "nhsnum", "nhsnumber", "chi", "chinumber"])
            || joined.contains("nhsnumber")
        {
            set(UkNhsNumber);
        }
        if has_any(&["nino", "nin", "ninumber", "ninum"])
            || (has("ni") && has_any(&["no", "number", "num", "nr"]))
            || joined.contains("nationalinsurance")
        {
            set(UkNino);
        }
        if has_any(&[
            "steuerid",
            "steueridnr",
            "idnr",
            "steueridentifikationsnummer",
        ]) || (has("steuer") && has_any(&["id", "idnr", "nr"]))
            || joined.contains("steuerid")
            || joined.contains("identifikationsnummer")
        {
            set(DeTaxId);
        }
        // `n_ss`, `no_ss`: numéro de sécurité sociale
        if has_any(&["nir", "insee", "nss", "secu", "numsecu"])
            || (has("ss") && has_any(&["n", "no", "num", "numero", "numéro"]))
            || joined.contains("securitesociale")
            || joined.contains("sécuritésociale")
            || joined.contains("secusociale")
        {
            set(FrNir);
        }
        // Spanish `documento` (de identidad): a DNI or a NIE
        if has_any(&["dni", "nif", "documento"]) {
            set(EsDni);
        }
        if has_any(&["nie", "nif", "documento"]) {
            set(EsNie);
        }
        if has_any(&["cf", "codfisc", "codfiscale", "fiscalcode", "taxcode"])
            || joined.contains("codicefiscale")
            || joined.contains("fiscalcode")
        {
            set(ItFiscalCode);
        }
        if has_any(&["bsn", "bsnnummer", "sofi", "sofinummer"])
            || joined.contains("burgerservicenummer")
        {
            set(NlBsn);
        }
        if has_any(&["personnummer", "personnr", "pnr", "samordningsnummer"])
            || (has_any(&["person", "personal"]) && has_any(&["nr", "no", "number", "nummer"]))
            || joined.contains("personnummer")
        {
            set(SePersonnummer);
        }
        if joined.contains("pesel") {
            set(PlPesel);
        }
        if has_any(&["uid", "uidai"]) || joined.contains("aadha") || joined.contains("aadhar") {
            set(InAadhaar);
        }
        if has_any(&["pan", "pancard", "panno", "pannumber"]) {
            set(InPan);
        }
        if has("tfn") || joined.contains("taxfile") {
            set(AuTfn);
        }
        if joined.contains("medicare") {
            set(AuMedicare);
        }
        if has_any(&["sin", "nas"])
            || joined.contains("socialinsurance")
            || joined.contains("assurancesociale")
        {
            set(CaSin);
        }
        if joined.contains("cpf") {
            set(BrCpf);
        }
        if joined.contains("cnpj") {
            set(BrCnpj);
        }
        if has_any(&["nric", "fin", "nricfin", "uin"]) || joined.contains("nric") {
            set(SgNric);
        }
        if has_any(&[
            "vat",
            "vatid",
            "vatno",
            "vatnr",
            "vatnumber",
            "vatin",
            "ustid",
            "ustidnr",
            "tva",
            "iva",
            "piva",
            "partitaiva",
            "btw",
            "btwnummer",
            "btwid",
            "nip",
            "moms",
            "momsnr",
            "mwst",
            "cif",
            "nif",
        ]) || joined.contains("vatnumber")
            || joined.contains("vatid")
            || joined.contains("partitaiva")
            || joined.contains("ustid")
        {
            set(EuVat);
        }
        // a tax or national id of no named country: weaker than a named one
        let national = has_any(&["tin", "nid", "taxid", "taxnumber", "taxno", "nationalid"])
            || (has("tax") && has_any(&["id", "number", "no", "nr", "code"]))
            || (has("national") && has_any(&["id", "number", "no"]));
        let version = has_any(&["version", "ver", "build", "release", "firmware"]);
        // a customer's, client's or member's number is an account number, not a phone or an id
        let account_number =
            has_any(&["customer", "client", "cliente", "kunde", "kunden", "member"])
                && has_any(&["no", "nr", "number", "num", "nummer", "numero", "id"]);
        // (`ticket_body`, `order_notes`: free text about a ticket or order)
        let free_text = has_any(&[
            "body",
            "text",
            "description",
            "desc",
            "notes",
            "note",
            "comment",
            "comments",
            "message",
            "details",
            "content",
            "remarks",
        ]);
        let identifier = !free_text
            && (account_number
                || IDENTIFIER_WORDS
                    .list
                    .iter()
                    .any(|word| has(word.trim_end_matches(['*', '.']))));
        // a two-letter region code next to a phone word: the region its numbers are written for
        let phone_region = if bits & EntityType::Phone.bit() != 0 {
            tokens
                .iter()
                .filter(|token| token.len() == 2)
                .find_map(|token| PhoneRegion::from_code(token))
        } else {
            None
        };
        ColumnContext {
            bits,
            version,
            identifier,
            national,
            phone_region,
        }
    }

    /// Whether the column name is context for `entity`.
    pub fn has(&self, entity: EntityType) -> bool {
        self.bits & entity.bit() != 0
    }

    /// The entities this column name points at.
    pub fn entities(&self) -> Vec<EntityType> {
        EntityType::ALL
            .iter()
            .copied()
            .filter(|e| self.has(*e))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityType::*;

    #[test]
    fn column_names() {
        assert!(ColumnContext::from_name("customer_email").has(Email));
        assert!(ColumnContext::from_name("dateOfBirth").has(DateOfBirth));
        assert!(ColumnContext::from_name("DOB").has(DateOfBirth));
        assert!(ColumnContext::from_name("SSN").has(UsSsn));
        assert!(ColumnContext::from_name("phone_number").has(Phone));
        let ip = ColumnContext::from_name("ip_address");
        assert!(ip.has(Ipv4) && !ip.has(StreetAddress));
        assert!(ColumnContext::from_name("home_address").has(StreetAddress));
        assert!(ColumnContext::from_name("first_name").has(PersonName));
        assert!(!ColumnContext::from_name("file_name").has(PersonName));
        assert!(ColumnContext::from_name("drivers_license").has(DriversLicence));
        assert!(ColumnContext::from_name("app_version").version);
        for (name, e) in [
            ("nhs_number", UkNhsNumber),
            ("NHSNumber", UkNhsNumber),
            ("ni_number", UkNino),
            ("national_insurance_no", UkNino),
            ("steuer_id", DeTaxId),
            ("SteuerIdNr", DeTaxId),
            ("numero_securite_sociale", FrNir),
            ("nir", FrNir),
            ("dni", EsDni),
            ("nie", EsNie),
            ("codice_fiscale", ItFiscalCode),
            ("bsn", NlBsn),
            ("personnummer", SePersonnummer),
            ("pesel_number", PlPesel),
            ("aadhaarNo", InAadhaar),
            ("pan_number", InPan),
            ("tfn", AuTfn),
            ("medicare_number", AuMedicare),
            ("sin", CaSin),
            ("social_insurance_number", CaSin),
            ("cpf_cnpj", BrCpf),
            ("cpf_cnpj", BrCnpj),
            ("nric", SgNric),
            ("vat_id", EuVat),
            ("ust_idnr", EuVat),
            ("partita_iva", EuVat),
        ] {
            assert!(ColumnContext::from_name(name).has(e), "{name} {e}");
        }
        // a social insurance number is Canada's SIN, not a US SSN
        assert!(!ColumnContext::from_name("social_insurance_number").has(UsSsn));
        assert!(ColumnContext::from_name("social_security_number").has(UsSsn));
        assert!(ColumnContext::from_name("tax_id").national);
        assert!(ColumnContext::from_name("TIN").national);
        assert!(!ColumnContext::from_name("customer_id").national);
        for name in ["customer_id", "order_id", "amount", "session_id", "sku"] {
            let c = ColumnContext::from_name(name);
            assert!(!c.entities().iter().any(|e| e.is_national_id()), "{name}");
        }
        assert_eq!(ColumnContext::from_name("amount").bits, 0);
    }

    /// The single-pass search against a per-word reference.
    #[test]
    fn last_word_pos_matches_per_word_search() {
        fn reference(hay: &[u8], words: &[&str]) -> Option<usize> {
            let mut best: Option<usize> = None;
            for w in words {
                let (w, prefix) = match w.strip_suffix('*') {
                    Some(p) => (p.as_bytes(), true),
                    None => (w.as_bytes(), false),
                };
                if w.len() > hay.len() {
                    continue;
                }
                for i in (0..=hay.len() - w.len()).rev() {
                    if !hay[i..i + w.len()].eq_ignore_ascii_case(w) {
                        continue;
                    }
                    let before_ok = i == 0 || !is_word_byte(hay[i - 1]) || !is_word_byte(w[0]);
                    let j = i + w.len();
                    let after_ok = prefix
                        || j == hay.len()
                        || !is_word_byte(hay[j])
                        || !is_word_byte(w[w.len() - 1]);
                    if before_ok && after_ok {
                        best = Some(best.map_or(i, |b: usize| b.max(i)));
                        break;
                    }
                }
            }
            best
        }
        let texts = [
            "Customer DOB: 1985-03-12, born in Paris; birthday party",
            "call me on my cell or text, phone: 555 1234 (telephone)",
            "Téléphone portable: 06 12 34 56 78, né le 3 mars",
            "ip 10.0.0.1 from host server-1, connecting to the gateway",
            "my secret api_key=abc token bearer xyz PASSWORD pass",
            "",
            "x",
            "ss# 123-45-6789 social security number, soc sec",
        ];
        for t in texts {
            for e in EntityType::ALL {
                let b = t.as_bytes();
                for s in 0..=b.len() {
                    for e2 in [s, (s + 7).min(b.len()), b.len()] {
                        assert_eq!(
                            last_word_pos(&b[s..e2], words(e)),
                            reference(&b[s..e2], words(e).list),
                            "{t:?} {s}..{e2} {e}"
                        );
                    }
                }
            }
            assert_eq!(
                last_word_pos(t.as_bytes(), &VERSION_WORDS),
                reference(t.as_bytes(), VERSION_WORDS.list)
            );
        }
    }

    #[test]
    fn windows() {
        let t = "Customer DOB: 1985-03-12";
        assert!(around(t, 14, 24, BEFORE, AFTER, words(DateOfBirth)));
        assert!(!around(
            "shipping 10.0.0.1",
            9,
            17,
            BEFORE,
            0,
            &Words::new(&["ip"])
        ));
        assert!(around(
            "ip 10.0.0.1",
            3,
            11,
            BEFORE,
            0,
            &Words::new(&["ip"])
        ));
        assert!(around(
            "Birthday 1985",
            9,
            13,
            BEFORE,
            0,
            &Words::new(&["birth*"])
        ));
        assert_eq!(
            nearest_before("passport X, licence: ", 21, 64, &Words::new(&["licen*"])),
            Some(9)
        );
    }
}
