//! Behaviour of the public API: findings, confidence, filters, column
//! reports, redaction in output, the classifier hook.

use probity_pii::{ClassifiedSpan, EntityType, ScanConfig, Scanner, TokenClassifier};
use std::sync::Arc;

fn scan(col: &str, text: &str) -> Vec<probity_pii::Finding> {
    Scanner::default().scan_cell(col, text)
}

fn kinds(col: &str, text: &str) -> Vec<EntityType> {
    scan(col, text).iter().map(|f| f.entity).collect()
}

#[test]
fn debug_and_display_never_print_the_raw_value() {
    let text = "Mail john.doe@example.com, card 4242 4242 4242 4242, SSN 123-45-6789, key AKIAIOSFODNN7EXAMPLE, \
                IBAN DE89 3704 0044 0532 0130 00, call +1 (415) 555-2671";
    let found = scan("notes", text);
    assert!(found.len() >= 6, "{found:?}");
    let raw = [
        "john.doe@example.com",
        "4242 4242 4242 4242",
        "4242424242424242",
        "123-45-6789",
        "AKIAIOSFODNN7EXAMPLE",
        "DE89 3704 0044 0532 0130 00",
        "555-2671",
        "john",
        "example.com",
    ];
    for f in &found {
        let dbg = format!("{f:?} {f} {:#?}", f);
        for r in raw {
            assert!(!dbg.contains(r), "{dbg} leaks {r}");
        }
        let json = serde_json::to_string(f).unwrap();
        for r in raw {
            assert!(!json.contains(r), "{json} leaks {r}");
        }
    }
    let report = Scanner::default().scan_column("notes", &[Some(text)]);
    let dbg = format!("{report:?}");
    for r in raw {
        assert!(!dbg.contains(r), "report leaks {r}");
    }
}

#[test]
fn checksums_move_confidence() {
    // Luhn-valid Visa: high
    let f = scan("notes", "ref 4111 1111 1111 1111");
    assert_eq!(f[0].entity, EntityType::CreditCard);
    assert!(f[0].confidence >= 0.9);
    // "card" context raises it further
    let g = scan("notes", "card 4111 1111 1111 1111");
    assert!(g[0].confidence > f[0].confidence);
    // Luhn failure: nothing
    assert!(kinds("notes", "ref 4111 1111 1111 1112").is_empty());
    // bad IBAN checksum: nothing
    assert!(!kinds("notes", "IBAN DE89 3704 0044 0532 0130 01").contains(&EntityType::Iban));
    // SSN rules
    assert_eq!(kinds("notes", "SSN 123-45-6789"), vec![EntityType::UsSsn]);
    assert!(kinds("notes", "SSN 666-45-6789").is_empty());
    assert!(kinds("notes", "SSN 123-00-6789").is_empty());
    assert!(kinds("notes", "SSN 123-45-0000").is_empty());
    // plain 9 digits: only with context
    assert!(kinds("notes", "total 123456789").is_empty());
    assert_eq!(kinds("ssn", "123456789"), vec![EntityType::UsSsn]);
}

#[test]
fn context_is_needed_where_the_format_is_ambiguous() {
    assert!(kinds("notes", "shipped 2021-07-14").is_empty());
    assert_eq!(
        kinds("notes", "DOB 1985-03-12"),
        vec![EntityType::DateOfBirth]
    );
    assert_eq!(
        kinds("date_of_birth", "12/03/1985"),
        vec![EntityType::DateOfBirth]
    );
    assert!(kinds("notes", "C01X00T47").is_empty());
    assert_eq!(
        kinds("notes", "passport C01X00T47"),
        vec![EntityType::Passport]
    );
    assert_eq!(
        kinds("notes", "driver's licence D1234567"),
        vec![EntityType::DriversLicence]
    );
    assert!(kinds("app_version", "1.2.3.4").is_empty());
    assert_eq!(
        kinds("notes", "login from 203.0.113.7"),
        vec![EntityType::Ipv4]
    );
    assert!(kinds("notes", "value Zx9vQ2LmT7pR4sW8yB1nC6kD").is_empty());
    assert_eq!(
        kinds("notes", "secret: Zx9vQ2LmT7pR4sW8yB1nC6kD"),
        vec![EntityType::HighEntropySecret]
    );
}

#[test]
fn secrets_and_network() {
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assert_eq!(kinds("notes", jwt), vec![EntityType::Jwt]);
    assert_eq!(
        kinds("notes", "ghp_0123456789abcdefghijABCDEFGHIJ012345"),
        vec![EntityType::GithubToken]
    );
    assert_eq!(
        kinds("notes", "postgres://admin:s3cr3t@db.example.com:5432/app"),
        vec![EntityType::UrlCredentials]
    );
    assert_eq!(
        kinds("notes", "fe80::1ff:fe23:4567:890a"),
        vec![EntityType::Ipv6]
    );
    assert_eq!(
        kinds("notes", "00:1A:2B:3C:4D:5E"),
        vec![EntityType::MacAddress]
    );
    assert!(kinds("notes", "12:34:56").is_empty());
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
    let f = scan("notes", pem);
    assert_eq!(
        (f[0].entity, f[0].start, f[0].end),
        (EntityType::PrivateKey, 0, pem.len())
    );
    assert_eq!(f[0].redacted, "-----BEGIN RSA PRIVATE KEY----- ********");
}

#[test]
fn spans_are_byte_offsets() {
    let text = "Müller: anna.müller@x.de oder jürgen@example.de";
    let f = scan("notes", text);
    let e: Vec<&str> = f
        .iter()
        .filter(|f| f.entity == EntityType::Email)
        .map(|f| &text[f.start..f.end])
        .collect();
    assert_eq!(e, vec!["anna.müller@x.de", "jürgen@example.de"]);
}

#[test]
fn min_confidence_and_entity_filter() {
    let text = "Call 0171 1234567, mail a.b@example.org";
    let only_email = Scanner::new(ScanConfig {
        min_confidence: 0.5,
        entities: Some(vec![EntityType::Email]),
        ..Default::default()
    });
    let f = only_email.scan_cell("notes", text);
    assert!(f.iter().all(|f| f.entity == EntityType::Email) && f.len() == 1);
    let strict = Scanner::new(ScanConfig {
        min_confidence: 0.99,
        entities: None,
        ..Default::default()
    });
    assert!(strict.scan_cell("notes", text).is_empty());
    let loose = Scanner::new(ScanConfig {
        min_confidence: 0.0,
        entities: None,
        ..Default::default()
    });
    assert!(
        loose
            .scan_cell("notes", "ref 84729341")
            .iter()
            .any(|f| f.entity == EntityType::Phone)
    );
}

#[test]
fn column_report() {
    let cells = vec![
        Some("a.b@example.org"),
        None,
        Some("nothing here"),
        Some("c.d@example.org and e.f@example.net"),
        Some("a.b@example.org"),
    ];
    let r = Scanner::default().scan_column("contact", &cells);
    assert_eq!((r.rows, r.non_null_rows, r.rows_affected), (5, 4, 3));
    assert!((r.share_affected - 0.6).abs() < 1e-12);
    assert_eq!(r.entities.len(), 1);
    let e = &r.entities[0];
    assert_eq!(
        (e.entity, e.findings, e.rows_affected),
        (EntityType::Email, 4, 3)
    );
    assert_eq!(
        e.examples,
        vec!["a***@e***.org", "c***@e***.org", "e***@e***.net"]
    );
    let rows: Vec<usize> = r.findings.iter().map(|f| f.row).collect();
    assert_eq!(rows, vec![0, 3, 3, 4]);
    assert!(r.mean_confidence > 0.8 && r.mean_confidence <= 1.0);
    // many rows: parallel path, same result as sequential
    let many: Vec<Option<&str>> = (0..5000)
        .map(|i| {
            if i % 7 == 0 {
                Some("SSN 123-45-6789")
            } else {
                Some("ok")
            }
        })
        .collect();
    let r = Scanner::default().scan_column("notes", &many);
    assert_eq!(r.rows_affected, many.iter().step_by(7).count());
    assert!(r.findings.windows(2).all(|w| w[0].row < w[1].row));
}

struct Fixed;
impl TokenClassifier for Fixed {
    fn classify(&self, _column: &str, text: &str) -> Vec<ClassifiedSpan> {
        match text.find("Zorblax") {
            Some(s) => vec![ClassifiedSpan {
                start: s,
                end: s + 7,
                entity: EntityType::PersonName,
                score: 0.9,
            }],
            None => vec![],
        }
    }
}

#[test]
fn classifier_hook() {
    let text = "ticket opened by Zorblax yesterday";
    assert!(Scanner::default().scan_cell("notes", text).is_empty());
    let s = Scanner::default().with_classifier(Arc::new(Fixed));
    let f = s.scan_cell("notes", text);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].entity, &text[f[0].start..f[0].end]),
        (EntityType::PersonName, "Zorblax")
    );
    assert_eq!(f[0].redacted, "Z******");
}

#[test]
fn conflicting_readings_go_to_the_stronger_evidence() {
    use EntityType::*;
    // a 3-2-4 number is an SSN (area numbers may start with 0), not a phone
    for col in ["notes", "phone", "contact"] {
        assert_eq!(kinds(col, "079-29-9306"), vec![UsSsn], "{col}");
    }
    assert_eq!(kinds("notes", "SSN on file: 079-29-9306"), vec![UsSsn]);
    // Luhn-valid card numbers of 12 to 19 digits are cards, never phones
    for number in [
        "4111 1111 1111 1111",
        "3530111333300000",
        "371449635398431",
        "6759 6498 2643 8453",
        "213112345678904",
    ] {
        assert_eq!(
            kinds("notes", &format!("paid with {number}")),
            vec![CreditCard],
            "{number}"
        );
    }
    // digests and commit ids are not secrets, even after a key word
    let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    for text in [
        format!("sha256 {sha256}"),
        format!("cache key sha256:{sha256}"),
        format!("api release checksum {sha256}"),
        "token refresh at commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39".to_string(),
    ] {
        assert!(kinds("notes", &text).is_empty(), "{text}");
    }
    // a secret stays a secret
    assert_eq!(
        kinds("notes", "api_key=Xk7pQ2mN9vR4tY8wZ3bC6dF1gH5jL0sA"),
        vec![HighEntropySecret]
    );
}

#[test]
fn phone_numbers_are_checked_against_the_regions_numbering_plans() {
    use EntityType::Phone;
    let found = |config: ScanConfig, col: &str, text: &str| {
        Scanner::new(config)
            .scan_cell(col, text)
            .iter()
            .filter(|f| f.entity == Phone)
            .map(|f| f.confidence)
            .next()
    };
    let default = || ScanConfig::default();
    // written as the default regions write their numbers: found without a phone word
    for text in [
        "020 7946 0958",
        "06 12 34 56 78",
        "(202) 555-0143",
        "030 12345678",
    ] {
        let confidence = found(default(), "notes", &format!("ask {text}")).unwrap_or(0.0);
        assert!(confidence >= 0.5, "{text}: {confidence}");
    }
    // international numbers need a country code; a valid number of it scores higher
    let valid = found(default(), "notes", "ring +44 20 7946 0958").unwrap();
    let unknown_number = found(default(), "notes", "ring +44 289018086").unwrap();
    assert!(valid > unknown_number && unknown_number >= 0.5);
    assert_eq!(found(default(), "notes", "ring +999 123 456 789"), None);
    // declared regions: a Spanish mobile is a phone in Spanish data; a
    // grouped number valid in none of the regions is not reported
    let spain = || ScanConfig {
        phone_regions: vec!["ES".into()],
        ..Default::default()
    };
    assert!(found(spain(), "notes", "ask 612 34 56 78").unwrap() >= 0.75);
    assert_eq!(found(default(), "notes", "ask 612 34 56 78"), None);
    assert_eq!(found(spain(), "notes", "ask 012 34 56 78"), None);
    // a column may name the region of its numbers
    assert!(found(default(), "phone_es", "612 34 56 78").unwrap() >= 0.75);
}

/// Whether `text` in `col` yields `e` over exactly `needle` (default threshold).
fn finds_exactly(col: &str, text: &str, needle: &str, e: EntityType) -> bool {
    let s = text.find(needle).expect("needle in text");
    scan(col, text)
        .iter()
        .any(|f| f.entity == e && f.start == s && f.end == s + needle.len())
}

#[test]
fn context_words_and_columns_of_other_languages() {
    use EntityType::*;
    for (col, text, needle, e) in [
        (
            "notas",
            "Fecha de nacimiento: 12 de marzo de 1985",
            "12 de marzo de 1985",
            DateOfBirth,
        ),
        (
            "uwagi",
            "Sylwia, ur. 3 czerwca 1982",
            "3 czerwca 1982",
            DateOfBirth,
        ),
        (
            "anteckningar",
            "Karl, född 1937-04-23 i Borås",
            "1937-04-23",
            DateOfBirth,
        ),
        (
            "kommentar",
            "narozen 5. května 1990 v Brně",
            "5. května 1990",
            DateOfBirth,
        ),
        ("fodelsedatum", "1934-06-14", "1934-06-14", DateOfBirth),
        (
            "notes",
            "Marie-Thérèse Lüscher (*22.11.1967)",
            "22.11.1967",
            DateOfBirth,
        ),
        (
            "notes",
            "Dario Sidler *10. Februar 1982",
            "10. Februar 1982",
            DateOfBirth,
        ),
        ("data_nascimento", "05.08.1935", "05.08.1935", DateOfBirth),
        (
            "comentarios",
            "Pasaporte nº TPS4D7GY7",
            "TPS4D7GY7",
            Passport,
        ),
        ("notes", "PP# LH691816", "LH691816", Passport),
        ("passaporto", "XA1194334", "XA1194334", Passport),
        (
            "uwagi",
            "Prawo jazdy nr 02706/21/6323",
            "02706/21/6323",
            DriversLicence,
        ),
        (
            "notiz",
            "Führerscheinnummer 96656118",
            "96656118",
            DriversLicence,
        ),
        ("patente", "SW8524384W", "SW8524384W", DriversLicence),
        (
            "notes",
            "Handy: 0043 650 5832693",
            "0043 650 5832693",
            Phone,
        ),
        ("notas", "Móvil: 612 34 56 78", "612 34 56 78", Phone),
        (
            "config",
            "contraseña: g%7h*IjvK&cmodxr48ZpU48",
            "g%7h*IjvK&cmodxr48ZpU48",
            HighEntropySecret,
        ),
        (
            "notes",
            "wachtwoord: 6F5bLR/HO3mVMrDdQahU4NC5DlsClZ/lb",
            "6F5bLR/HO3mVMrDdQahU4NC5DlsClZ/lb",
            HighEntropySecret,
        ),
    ] {
        assert!(
            finds_exactly(col, text, needle, e),
            "{e} in [{col}] {text:?}: {:?}",
            scan(col, text)
        );
    }
}

#[test]
fn addresses_and_ids_in_parentheses_or_next_to_other_values() {
    use EntityType::*;
    for (col, text, needle, e) in [
        (
            "raw",
            "? (51.202.55.19) at 70:2a:30:0a:41:18 [ether] on eth0",
            "51.202.55.19",
            Ipv4,
        ),
        (
            "raw",
            "? (51.202.55.19) at 70:2a:30:0a:41:18 [ether] on eth0",
            "70:2a:30:0a:41:18",
            MacAddress,
        ),
        (
            "log",
            "DHCPREQUEST(br-lan) 192.168.128.140 9865.656d.e4d6",
            "192.168.128.140",
            Ipv4,
        ),
        (
            "notes",
            "Super fund needs your TFN (123 456 782) today",
            "123 456 782",
            AuTfn,
        ),
        (
            "env",
            "token xapp-1-A0123ABCDEF-1234567890123-0123456789abcdef0123456789abcdef",
            "xapp-1-A0123ABCDEF-1234567890123-0123456789abcdef0123456789abcdef",
            SlackToken,
        ),
        (
            "env",
            "token: xoxe.xoxp-1-8qzycQXUep2ecqGjMbhHXSwessVAtPX3MNsXJwQHgTd",
            "xoxe.xoxp-1-8qzycQXUep2ecqGjMbhHXSwessVAtPX3MNsXJwQHgTd",
            SlackToken,
        ),
    ] {
        assert!(
            finds_exactly(col, text, needle, e),
            "{e} in [{col}] {text:?}: {:?}",
            scan(col, text)
        );
    }
}

#[test]
fn article_order_and_key_id_words_of_other_languages_say_no() {
    for (col, text) in [
        ("descrizione", "Articolo cod. 309 973 2677 esaurito"),
        ("beschreibung", "Art.-Nr. 0621 3945827 nachbestellt"),
        ("notas", "Pedido 0052 55 1066 1254 enviado"),
        ("ean", "4071703088721"),
        ("customer_no", "0927522375"),
        (
            "config",
            r#""private_key_id": "0123456789abcdef0123456789abcdef01234567""#,
        ),
        ("env", "SLACK_SAMPLE=xoxb-sample"),
        ("notes", "running version 3.0.32.177"),
        ("notes", "* 2024-01-01 release notes"),
        ("notes", "rated 4*2024-01-01"),
    ] {
        assert!(
            kinds(col, text).is_empty(),
            "[{col}] {text:?}: {:?}",
            scan(col, text)
        );
    }
    // a card word still says yes, and a 16-digit card is not an article number
    assert_eq!(
        kinds("notes", "ref 4111 1111 1111 1111"),
        vec![EntityType::CreditCard]
    );
    assert_eq!(
        kinds("ean", "card 4071703088721"),
        vec![EntityType::CreditCard]
    );
}
