//! Context words: in the text around a candidate, and in the column name.

use crate::entity::EntityType;

/// Context words per entity. A trailing `*` allows any continuation
/// (`birth*` matches `birthday`); otherwise the word must end at a
/// non-alphanumeric byte. Matching is ASCII case-insensitive and needs a
/// non-alphanumeric byte (or the window start) before the word.
pub(crate) fn words(entity: EntityType) -> &'static [&'static str] {
    use EntityType::*;
    match entity {
        Email => &["email*", "e-mail*", "mail*", "contact*"],
        Phone => &[
            "phone*",
            "tel",
            "tel.",
            "telephone*",
            "mobile*",
            "mob",
            "cell*",
            "call*",
            "fax",
            "sms",
            "whatsapp",
            "contact*",
            "handy",
            "telefon*",
            "téléphone",
            "portable",
            "dial*",
            "ring",
            "reach",
            "text",
        ],
        CreditCard => &[
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
        ],
        Iban => &[
            "iban",
            "bank*",
            "account*",
            "acct",
            "transfer*",
            "sepa",
            "konto",
            "wire",
        ],
        UsSsn => &[
            "ssn*",
            "social security*",
            "soc sec",
            "ss#",
            "ss no",
            "social",
        ],
        Ipv4 | Ipv6 => &[
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
        ],
        MacAddress => &[
            "mac", "ether*", "hw*", "hardware", "wifi", "bssid", "nic", "device",
        ],
        DateOfBirth => &[
            "dob",
            "d.o.b",
            "d.o.b.",
            "born",
            "birth*",
            "date of birth",
            "geboren",
            "geb.",
            "geburtsdatum",
            "né",
            "née",
            "naissance",
        ],
        Passport => &["passport*", "passeport", "reisepass", "pass no", "pass-nr"],
        DriversLicence => &[
            "driver*",
            "licen*",
            "dl",
            "dl#",
            "dln",
            "driving",
            "führerschein",
            "permis",
        ],
        StreetAddress => &[
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
        ],
        PersonName => &[
            "name*", "contact*", "customer", "patient", "dear", "signed", "employee", "user",
            "client", "author", "by", "hi", "hello", "nom", "herr", "frau",
        ],
        HighEntropySecret | AwsAccessKey | GithubToken | SlackToken | StripeKey | GoogleApiKey
        | Jwt | PrivateKey | UrlCredentials => &[
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
        ],
    }
}

/// Words that *lower* an IPv4 finding (version strings).
pub(crate) const VERSION_WORDS: &[&str] = &[
    "version*", "ver", "ver.", "v", "build*", "release*", "firmware", "rev", "patch", "sdk", "os",
];

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// Position (start) of the last occurrence of any of `words` in `hay`,
/// ASCII case-insensitive, respecting word boundaries (see [`words`]).
///
/// One backward pass over `hay`: the last position where any word occurs
/// is the largest of each word's last occurrence. A bitmap of the words'
/// first bytes rejects most positions with one lookup.
fn last_word_pos(hay: &[u8], words: &[&str]) -> Option<usize> {
    if hay.is_empty() {
        return None;
    }
    let mut first = [0u64; 4];
    let mut shortest = usize::MAX;
    for w in words {
        let c = w.as_bytes()[0];
        first[(c >> 6) as usize] |= 1 << (c & 63);
        shortest = shortest.min(w.trim_end_matches('*').len());
    }
    if shortest > hay.len() {
        return None;
    }
    let mut i = hay.len() - shortest + 1;
    while i > 0 {
        i -= 1;
        let c = hay[i].to_ascii_lowercase();
        if first[(c >> 6) as usize] & (1 << (c & 63)) == 0 {
            continue;
        }
        for w in words {
            let (w, prefix) = match w.strip_suffix('*') {
                Some(p) => (p.as_bytes(), true),
                None => (w.as_bytes(), false),
            };
            let w0 = w[0];
            if c != w0 || i + w.len() > hay.len() || !hay[i..i + w.len()].eq_ignore_ascii_case(w) {
                continue;
            }
            let before_ok = i == 0 || !is_word_byte(hay[i - 1]) || !is_word_byte(w0);
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
    words: &[&str],
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
    words: &[&str],
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
    pub(crate) bits: u32,
    pub(crate) version: bool,
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
        let mut bits = 0u32;
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
        ]) || joined.contains("phone")
        {
            set(Phone);
        }
        if has_any(&[
            "card",
            "cc",
            "pan",
            "ccnum",
            "creditcard",
            "cardnumber",
            "ccn",
        ]) || joined.contains("creditcard")
        {
            set(CreditCard);
        }
        if has_any(&["iban", "bank", "account", "acct", "konto"]) || joined.contains("iban") {
            set(Iban);
        }
        if has_any(&["ssn", "social", "socialsecurity"])
            || joined.contains("ssn") && !joined.contains("session")
        {
            set(UsSsn);
        }
        if has_any(&[
            "dob",
            "birth",
            "birthday",
            "birthdate",
            "born",
            "geburtsdatum",
            "naissance",
        ]) || joined.contains("birth")
        {
            set(DateOfBirth);
        }
        if has_any(&["passport", "passeport", "reisepass"]) || joined.contains("passport") {
            set(Passport);
        }
        if has_any(&[
            "licence",
            "license",
            "dl",
            "driver",
            "drivers",
            "dln",
            "fuehrerschein",
        ]) || joined.contains("licen")
        {
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
            ]) || joined.contains("streetaddress"))
        {
            set(StreetAddress);
        }
        if has_any(&[
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
            "vorname",
            "nachname",
        ]) && !has_any(&[
            "file", "filename", "host", "hostname", "user", "username", "product", "company",
            "domain", "table", "column", "field", "street",
        ]) {
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
        ]) {
            set(HighEntropySecret);
        }
        let version = has_any(&["version", "ver", "build", "release", "firmware"]);
        ColumnContext { bits, version }
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
                            reference(&b[s..e2], words(e)),
                            "{t:?} {s}..{e2} {e}"
                        );
                    }
                }
            }
            assert_eq!(
                last_word_pos(t.as_bytes(), VERSION_WORDS),
                reference(t.as_bytes(), VERSION_WORDS)
            );
        }
    }

    #[test]
    fn windows() {
        let t = "Customer DOB: 1985-03-12";
        assert!(around(t, 14, 24, BEFORE, AFTER, words(DateOfBirth)));
        assert!(!around("shipping 10.0.0.1", 9, 17, BEFORE, 0, &["ip"]));
        assert!(around("ip 10.0.0.1", 3, 11, BEFORE, 0, &["ip"]));
        assert!(around("Birthday 1985", 9, 13, BEFORE, 0, &["birth*"]));
        assert_eq!(
            nearest_before("passport X, licence: ", 21, 64, &["licen*"]),
            Some(9)
        );
    }
}
