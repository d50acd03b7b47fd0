//! Tests of the whole scanner (skipping work never changes a finding, the
//! small helpers against their plain forms) and the random inputs the
//! submodules' tests share.

use super::address::has_rue;
use super::network::has_double_colon;
use super::prefilter::Features;
use super::secrets::{ENTROPY_CLASS, SECRET_CLASS, has_run};
use super::*;

/// A small deterministic generator (xorshift64*).
pub(super) struct Rng(pub(super) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces random texts are made of: anchors and context words, names,
/// numbers of many shapes, separators, non-ASCII letters and punctuation.
const PIECES: &[&str] = &[
    "rue",
    "Rue",
    "avenue",
    "allée",
    "quai",
    "route",
    "cours",
    "passage",
    "de la",
    "Paix",
    "Victor",
    "Hugo",
    "dob",
    "D.O.B",
    "born",
    "birth",
    "geboren",
    "geb.",
    "né",
    "née",
    "passport",
    "passeport",
    "licen",
    "DL",
    "driver",
    "permis",
    "key",
    "secret",
    "token",
    "pass",
    "pwd",
    "api",
    "auth",
    "bearer",
    "access",
    "AKIA",
    "ghp_",
    "xoxb-",
    "sk_live_",
    "AIza",
    "eyJ",
    "-----BEGIN",
    "://",
    "@",
    "example.com",
    "John",
    "Smith",
    "Mr",
    "dr",
    "Dear",
    "Jean-Pierre",
    "O'Brien",
    "Müller",
    "Straße",
    "Berliner",
    "Str.",
    "Lane",
    "Street",
    "12",
    "123",
    "1234",
    "12345",
    "123456789",
    "4111 1111 1111 1111",
    "078-05-1120",
    "+1 (555) 123-4567",
    "x89",
    "ext. 12",
    "192.168.1.1",
    "10.0.0.1",
    "1.2.3",
    "2001:db8::1",
    "::",
    "00:1A:2B:3C:4D:5E",
    "0123.4567.89ab",
    "1985-03-12",
    "12/03/1985",
    "3 March 1990",
    "GB82 WEST 1234 5698 7654 32",
    "DE89370400440532013000",
    "X1234567",
    "AB-123-CD",
    "aZ9+/_-!#%$&*?^~aZ9+/_-!#%",
    "abcdefghijklmnopqrstuvwxyz0123456789ABCD",
    "a1b2c3d4e5f6",
    // national ids (checksums verified in the validators' tests), their
    // words, and near misses
    "943 476 5919",
    "NHS",
    "AB 12 34 56 C",
    "AB123456C",
    "QQ123456C",
    "123.456.789-09",
    "12.345.678/0001-95",
    "CPF",
    "12345678Z",
    "X-1234567-L",
    "RSSMRA85T10A562S",
    "RSSMRA85T10A562",
    "123 456 782",
    "123456782",
    "BSN",
    "TFN",
    "SIN",
    "ATU13585627",
    "AT U13585627",
    "ES X1234567L",
    "AT",
    "U13585627",
    "DE",
    "VAT",
    "USt-IdNr",
    "S1234567D",
    "ABCPE1234F",
    "2A",
    "’",
    "“",
    "\u{a0}",
    "é",
    "ÉCOLE",
    "日本",
    "-",
    "'",
    ".",
    ",",
    ":",
    "/",
    "(",
    ")",
    "#",
    "_",
    " ",
    "  ",
    "\n",
    "\t",
];

/// A random text of 1-12 [`PIECES`] in random case, joined by spaces or
/// ". ".
pub(super) fn random_text(r: &mut Rng) -> String {
    let mut t = String::new();
    for _ in 0..1 + r.below(12) {
        let p = PIECES[r.below(PIECES.len())];
        match r.below(6) {
            0 => t.push_str(&p.to_ascii_uppercase()),
            1 => t.push_str(&p.to_ascii_lowercase()),
            _ => t.push_str(p),
        }
        match r.below(4) {
            0 => {}
            1 => t.push_str(". "),
            _ => t.push(' '),
        }
    }
    t
}

/// The labeled corpus: (column name, cell text) of each line.
fn corpus() -> Vec<(String, String)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/corpus.jsonl");
    std::fs::read_to_string(path)
        .expect("corpus")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            (
                v["column"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The pre-checks that only skip work (anchor pass, entropy regex,
/// person names, MAC, IPv6 and "rue" checks) never change a finding:
/// the same cells scanned with them switched off give the same findings,
/// with the default threshold and with every candidate kept.
#[test]
fn skipping_work_never_changes_findings() {
    let scanners = [
        Scanner::default(),
        Scanner::new(ScanConfig {
            min_confidence: 0.0,
            entities: None,
            ..Default::default()
        }),
    ];
    let columns = [
        "notes",
        "bsn",
        "tax_id",
        "sku",
        "customer_name",
        "secret_key",
        "dob",
        "passport_no",
        "drivers_licence",
        "home_address",
        "ip_address",
    ];
    let mut r = Rng(0x5eed);
    let mut cells: Vec<(String, String)> = corpus();
    for _ in 0..4000 {
        let t = random_text(&mut r);
        cells.push((columns[r.below(columns.len())].to_string(), t));
    }
    for (k, (col, text)) in cells.iter().enumerate() {
        for c in [col.as_str(), columns[k % columns.len()]] {
            for sc in &scanners {
                let fast = sc.scan_cell(c, text);
                EXHAUSTIVE.set(true);
                let all = sc.scan_cell(c, text);
                EXHAUSTIVE.set(false);
                assert_eq!(fast, all, "{c}: {text:?}");
            }
        }
    }
}

/// Up to `max` random bytes of `alphabet`.
pub(super) fn random_bytes(r: &mut Rng, alphabet: &[u8], max: usize) -> Vec<u8> {
    (0..r.below(max + 1))
        .map(|_| alphabet[r.below(alphabet.len())])
        .collect()
}

#[test]
fn helpers_match_their_plain_forms() {
    let mut r = Rng(2);
    let alphabet = b"ab:.-_ e0F9+/rRuU!@ \xc3\xa9x";
    for _ in 0..20000 {
        let b = random_bytes(&mut r, alphabet, 60);
        // longest run of a class
        for (n, class) in [
            (16, &SECRET_CLASS),
            (20, &ENTROPY_CLASS),
            (1, &ENTROPY_CLASS),
        ] {
            let longest = b
                .split(|c| !class[*c as usize])
                .map(<[u8]>::len)
                .max()
                .unwrap_or(0);
            assert_eq!(has_run(&b, n, class), longest >= n, "{b:?}");
        }
        assert_eq!(has_double_colon(&b), b.windows(2).any(|w| w == b"::"));
        assert_eq!(has_rue(&b), b.windows(3).any(|w| w == b"rue"));
    }
    // "rue" needs two letters that are not hex digits
    for _ in 0..20000 {
        let t = random_text(&mut r);
        let f = Features::of(t.as_bytes());
        if t.contains("rue") {
            assert!(f.lower + f.upper >= f.hex_letters + 2, "{t}");
        }
    }
}
