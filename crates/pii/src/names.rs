//! Person names: bundled multi-country first/last name lists, title, cue and
//! context rules, and the [`TokenClassifier`] hook for a learned model.
//!
//! A candidate is a run of capitalised words (with name particles such as
//! `van der`, `de la`, `dos` inside). Its confidence comes from the name lists
//! (a known first name followed by a known surname is a name on its own) and
//! from structural cues around it, in many languages: a title (`Sr.`,
//! `dott.ssa`, `Pani`), a form label (`Nombre:`, `Navn:`, `Jméno:`), a
//! salutation (`Estimado`, `Hej`, `Kedves`), an introduction (`soy`, `jag
//! heter`, `nazywam się`), a closing line before a signature (`Saludos,`),
//! a chat handle (`[09:50] Ana:`, `<Ana Silva>`), an e-mail, phone or id right
//! next to it (`Name <mail>`, `Name (123456)`, `Name - CPF`), a preposition or
//! role word right before it (`con`, `met`, `cliente`). Runs that are street
//! names (`Via Alma Francisco 69`), places (`Port Carlos`) or companies
//! (`Berg Logistik AG`, `Fernandes et Fils`) are left out.

use crate::entity::EntityType;

use std::sync::LazyLock;

/// First names, lower case (US Census 1990, nam_dict.txt's 55 countries and
/// the most common first names of 105 countries from names-dataset); built by
/// `data/build_names.py`.
const FIRST_NAMES: &str = include_str!("../data/first_names.txt");
/// Surnames, lower case (US Census 1990 and the most common surnames of 105
/// countries from names-dataset); built by `data/build_names.py`.
const LAST_NAMES: &str = include_str!("../data/last_names.txt");
/// Names that are also function words or very frequent words of some
/// language (`per`, `will`, `olen`); built by `data/build_names.py`.
const NAME_WORDS: &str = include_str!("../data/name_words.txt");
/// Function words of 33 languages that are in neither name list (`ihre`,
/// `jag`, `the`); built by `data/build_names.py`.
const NON_NAMES: &str = include_str!("../data/non_names.txt");

/// Bit of a first name in the name table.
const FIRST_BIT: u8 = 1;
/// Bit of a last name in the name table.
const LAST_BIT: u8 = 2;
/// Bit of a name that is also a frequent word.
const WORD_BIT: u8 = 4;
/// Names of at most this many (lower-case) bytes are hashed in one step.
const INLINE: usize = 16;

/// One multiply-xorshift mix of a 128-bit key.
#[inline]
fn mix(v: u128) -> u64 {
    let lo = v as u64;
    let hi = (v >> 64) as u64;
    let mut x = lo.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ hi.wrapping_mul(0xc2b2_ae3d_27d4_eb4f);
    x ^= x >> 29;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 32;
    x
}

/// `s` (at most [`INLINE`] bytes) packed little-endian, zero-padded. Names
/// hold no NUL, so the packing is injective.
#[inline]
fn pack(s: &[u8]) -> u128 {
    let mut buf = [0u8; INLINE];
    buf[..s.len()].copy_from_slice(s);
    u128::from_le_bytes(buf)
}

/// The hash of a lower-case name (any length, UTF-8 bytes).
fn hash_lower(lower: &[u8]) -> u64 {
    if lower.len() <= INLINE {
        return mix(pack(lower));
    }
    let mut h = lower.len() as u64 ^ 0x51_7cc1_b727_220a;
    for chunk in lower.chunks(INLINE) {
        h = mix(pack(chunk) ^ ((h as u128) << 64));
    }
    h
}

/// Lower-case names in an open-addressing table (linear probing) of
/// 32-bit slots: the top bits of a name's 64-bit hash pick its first slot,
/// 28 other bits are kept as its fingerprint next to its four flag bits
/// (`fingerprint << 4 | flags`, 0 when empty). 1 MB holds the ~170,000
/// names and their forms without diacritics at a load under 0.7; a word that
/// is no name matches a slot it probes with probability 2^-28.
struct NameTable {
    slots: Box<[u32]>,
    shift: u32,
    first: usize,
    last: usize,
}

impl NameTable {
    fn with_capacity(n: usize) -> NameTable {
        // load factor at most 0.7 (a probe sequence mostly stays in its
        // 64-byte line of 16 slots)
        let bits = ((n.max(16) * 10 / 7).next_power_of_two()).trailing_zeros();
        NameTable {
            slots: vec![0u32; 1 << bits].into_boxed_slice(),
            shift: 64 - bits,
            first: 0,
            last: 0,
        }
    }

    /// The fingerprint of a hash: 28 bits that the slot index does not use.
    #[inline]
    fn fingerprint(h: u64) -> u32 {
        let f = (h as u32) & 0x0FFF_FFFF;
        if f == 0 { 1 } else { f }
    }

    fn insert_hash(&mut self, h: u64, bit: u8) {
        let fp = Self::fingerprint(h);
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let e = self.slots[i];
            if e == 0 {
                self.slots[i] = fp << 4 | bit as u32;
                return;
            }
            if e >> 4 == fp {
                self.slots[i] = e | bit as u32;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn get_hash(&self, h: u64) -> u8 {
        let fp = Self::fingerprint(h);
        let mask = self.slots.len() - 1;
        let mut i = (h >> self.shift) as usize;
        loop {
            let e = self.slots[i];
            if e == 0 {
                return 0;
            }
            if e >> 4 == fp {
                return (e & 0xF) as u8;
            }
            i = (i + 1) & mask;
        }
    }

    /// Flags of `lower` (already lower-cased).
    fn get_lower(&self, lower: &[u8]) -> u8 {
        self.get_hash(hash_lower(lower))
    }

    /// Adds every entry of `list` with `bit` (names also without their
    /// diacritics); name words only where a name is. Returns the number of
    /// entries.
    fn add(&mut self, list: &str, bit: u8) -> usize {
        let mut n = 0;
        let mut folded = String::new();
        // the lists are written in lower case (data/build_names.py)
        for lower in list.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let mut forms = [Some(lower), None];
            if !lower.is_ascii() {
                folded.clear();
                fold_into(lower, &mut folded);
                if folded != lower {
                    forms[1] = Some(folded.as_str());
                }
            }
            for f in forms.into_iter().flatten() {
                let h = hash_lower(f.as_bytes());
                if bit != WORD_BIT || self.get_hash(h) & (FIRST_BIT | LAST_BIT) != 0 {
                    self.insert_hash(h, bit);
                }
            }
            n += 1;
        }
        n
    }
}

static NAMES: LazyLock<NameTable> = LazyLock::new(|| {
    let lines = [FIRST_NAMES, LAST_NAMES]
        .iter()
        .map(|l| l.bytes().filter(|&c| c == b'\n').count())
        .sum::<usize>();
    // room for the forms without diacritics too
    let mut t = NameTable::with_capacity(lines + lines / 8);
    t.first = t.add(FIRST_NAMES, FIRST_BIT);
    t.last = t.add(LAST_NAMES, LAST_BIT);
    t.add(NAME_WORDS, WORD_BIT);
    t
});

/// Number of bundled (first, last) names.
pub fn name_list_sizes() -> (usize, usize) {
    (NAMES.first, NAMES.last)
}

/// Whether `token` (any case) is a bundled first name.
pub fn is_first_name(token: &str) -> bool {
    name_flags(token) & FIRST_BIT != 0
}

/// Whether `token` (any case) is a bundled last name.
pub fn is_last_name(token: &str) -> bool {
    name_flags(token) & LAST_BIT != 0
}

/// The base letter of a Latin letter with a diacritic, of a Greek letter
/// with an accent (and final sigma), or `c` itself; `ß`, `æ`, `ø`, `œ` and
/// the like become two letters.
fn fold_char(c: char, out: &mut String) {
    #[rustfmt::skip]
    const LATIN1: [char; 64] = ['a', 'a', 'a', 'a', 'a', 'a', 'æ', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 'ð', 'n', 'o', 'o', 'o', 'o', 'o', '×', 'ø', 'u', 'u', 'u', 'u', 'y', 'þ', 'ß', 'a', 'a', 'a', 'a', 'a', 'a', 'æ', 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i', 'ð', 'n', 'o', 'o', 'o', 'o', 'o', '÷', 'ø', 'u', 'u', 'u', 'u', 'y', 'þ', 'y'];
    #[rustfmt::skip]
    const EXT_A: [char; 128] = ['a', 'a', 'a', 'a', 'a', 'a', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'c', 'd', 'd', 'd', 'd', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'e', 'g', 'g', 'g', 'g', 'g', 'g', 'g', 'g', 'h', 'h', 'h', 'h', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'i', 'ĳ', 'ĳ', 'j', 'j', 'k', 'k', 'ĸ', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'l', 'n', 'n', 'n', 'n', 'n', 'n', 'ŉ', 'ŋ', 'ŋ', 'o', 'o', 'o', 'o', 'o', 'o', 'œ', 'œ', 'r', 'r', 'r', 'r', 'r', 'r', 's', 's', 's', 's', 's', 's', 's', 's', 't', 't', 't', 't', 't', 't', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'w', 'w', 'y', 'y', 'y', 'z', 'z', 'z', 'z', 'z', 'z', 's'];
    let folded = match c as u32 {
        0xC0..=0xFF => Some(LATIN1[c as usize - 0xC0]),
        0x100..=0x17F => Some(EXT_A[c as usize - 0x100]),
        0x218 | 0x219 => Some('s'),
        0x21A | 0x21B => Some('t'),
        0x1A0 | 0x1A1 => Some('o'),
        0x1AF | 0x1B0 => Some('u'),
        0x1EA0..=0x1EB7 => Some('a'),
        0x1EB8..=0x1EC7 => Some('e'),
        0x1EC8..=0x1ECB => Some('i'),
        0x1ECC..=0x1EE3 => Some('o'),
        0x1EE4..=0x1EF1 => Some('u'),
        0x1EF2..=0x1EF9 => Some('y'),
        0x3AC => Some('α'),
        0x3AD => Some('ε'),
        0x3AE => Some('η'),
        0x3AF | 0x3CA | 0x390 => Some('ι'),
        0x3CC => Some('ο'),
        0x3CD | 0x3CB | 0x3B0 => Some('υ'),
        0x3CE => Some('ω'),
        0x3C2 => Some('σ'),
        _ => None,
    };
    match folded {
        Some('æ') => out.push_str("ae"),
        Some('œ') => out.push_str("oe"),
        Some('ß') => out.push_str("ss"),
        Some('ĳ') => out.push_str("ij"),
        Some('ø') => out.push('o'),
        Some('ð') => out.push('d'),
        Some('þ') => out.push_str("th"),
        Some(f) if f != '×' && f != '÷' => out.push(f),
        _ => out.push(c),
    }
}

/// `lower` without diacritics (see [`fold_char`]), appended to `out`.
fn fold_into(lower: &str, out: &mut String) {
    for c in lower.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            fold_char(c, out);
        }
    }
}

/// The hash of `token` lower-cased (see [`hash_lower`]), and for a
/// non-ASCII token its lower-cased form.
#[inline]
fn token_hash(token: &str) -> (u64, Option<String>) {
    let b = token.as_bytes();
    if b.len() <= INLINE && b.is_ascii() {
        // the inline key of the lower-cased token, lower-cased in the word:
        // ASCII bytes (< 0x80) plus 0x3F / 0x25 carry into bit 7 exactly
        // from 'A' / from '[' on, and never into the next byte
        const ONES: u128 = u128::from_le_bytes([1; INLINE]);
        let k = pack(b);
        let upper = (k + 0x3F * ONES) & !(k + 0x25 * ONES) & (0x80 * ONES);
        return (mix(k | upper >> 2), None);
    }
    if token.is_ascii() && token.len() <= 64 {
        let mut buf = [0u8; 64];
        let b = &mut buf[..token.len()];
        b.copy_from_slice(token.as_bytes());
        b.make_ascii_lowercase();
        return (hash_lower(b), None);
    }
    // lower-case into a buffer; only a name unknown as written needs the
    // string (to look it up without diacritics)
    let mut buf = [0u8; 96];
    let mut n = 0;
    for c in token.chars() {
        for l in c.to_lowercase() {
            if n + 4 > buf.len() {
                let lower = token.to_lowercase();
                return (hash_lower(lower.as_bytes()), Some(lower));
            }
            n += l.encode_utf8(&mut buf[n..]).len();
        }
    }
    (hash_lower(&buf[..n]), None)
}

/// The name flags of a token from its [`token_hash`]: a non-ASCII token
/// unknown as written is looked up without its diacritics.
#[inline]
fn flags_of(h: u64, token: &str, lower: Option<&str>) -> u8 {
    let f = NAMES.get_hash(h);
    if f != 0 || token.is_ascii() {
        return f;
    }
    let owned;
    let lower = match lower {
        Some(l) => l,
        None => {
            owned = token.to_lowercase();
            owned.as_str()
        }
    };
    let mut folded = String::with_capacity(lower.len());
    fold_into(lower, &mut folded);
    if folded == lower {
        0
    } else {
        NAMES.get_lower(folded.as_bytes())
    }
}

/// [`FIRST_BIT`] | [`LAST_BIT`] | [`WORD_BIT`] of `token`
/// (any case).
fn name_flags(token: &str) -> u8 {
    if token.len() > 64 {
        return 0;
    }
    let (h, lower) = token_hash(token);
    flags_of(h, token, lower.as_deref())
}

/// The name flags and word kinds of a token (one hash for both).
fn token_info(token: &str) -> (u8, u32) {
    if token.len() > 64 {
        return (0, 0);
    }
    let (h, lower) = token_hash(token);
    let mut f = flags_of(h, token, lower.as_deref());
    if f == 0 && token.contains('-') {
        f = token_flags(token);
    }
    (f, WORDS.get(h))
}

/// Flags of a token, with a hyphenated one (`Clunies-Ross`, `Hanna-Riina`)
/// read from its parts when the whole is unknown.
fn token_flags(token: &str) -> u8 {
    let f = name_flags(token);
    if f != 0 || !token.contains('-') {
        return f;
    }
    let mut acc = 0u8;
    let mut words = WORD_BIT;
    for part in token.split('-').filter(|p| !p.is_empty()) {
        let p = name_flags(part);
        acc |= p & (FIRST_BIT | LAST_BIT);
        if p & (FIRST_BIT | LAST_BIT) != 0 && p & WORD_BIT == 0 {
            words = 0;
        }
    }
    if acc == 0 { 0 } else { acc | words }
}

/// A span labelled by a [`TokenClassifier`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassifiedSpan {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// The entity the classifier assigns.
    pub entity: EntityType,
    /// The classifier's score in [0, 1], used as the finding's confidence.
    pub score: f64,
}

/// A learned token classifier (for instance a TorchScript NER model adapter)
/// that adds spans to the rule-based detectors. Plug one in with
/// [`crate::Scanner::with_classifier`]. Implementations must be thread-safe:
/// `scan_column` calls them from several threads.
pub trait TokenClassifier: Send + Sync {
    /// Labels spans of `text` (byte offsets on char boundaries). `column` is
    /// the column name, for classifiers that use it.
    fn classify(&self, column: &str, text: &str) -> Vec<ClassifiedSpan>;
}

// ------------------------------------------------------------------ words

/// A title or honorific right before a name (`Sr.`, `Pani`, `dott.ssa`).
const W_TITLE: u32 = 1;
/// A salutation (`Dear`, `Hola`, `Hej`, `Kedves`).
const W_SALUTE: u32 = 1 << 1;
/// A form label or role noun (`Nombre`, `Navn`, `cliente`): a strong cue
/// before a ':' and a medium one right before the name.
const W_LABEL: u32 = 1 << 2;
/// A word that is a label only before a ':' (`From:`, `De:`, `Aan:`).
const W_COLON_LABEL: u32 = 1 << 3;
/// A preposition or verb that often precedes a person (`con`, `met`,
/// `called`): a medium cue.
const W_CONTEXT: u32 = 1 << 4;
/// The last word of an introduction (`soy`, `heter`, `appelle`): strong.
const W_INTRO: u32 = 1 << 5;
/// The second word of a two-word introduction (`name is`, `nome é`).
const W_INTRO2: u32 = 1 << 6;
/// A closing word of a letter (`regards`, `Saludos`, `Pozdrawiam`).
const W_CLOSING: u32 = 1 << 7;
/// A name particle inside a name (`van`, `de`, `dos`, `bin`).
const W_PARTICLE: u32 = 1 << 8;
/// A word that starts a place name (`Port`, `Lake`, `San`, `Sainte`).
const W_PLACE: u32 = 1 << 9;
/// A company form or word after a company's name (`GmbH`, `Ltda`, `Sons`).
const W_COMPANY: u32 = 1 << 10;
/// A street type before the street name (`Calle`, `Via`, `ulica`, `rue`).
const W_STREET_BEFORE: u32 = 1 << 11;
/// A street type after the street name (`Street`, `utca`, `iela`).
const W_STREET_AFTER: u32 = 1 << 12;
/// An unambiguous street type after the name: ends a name run even without
/// a house number (`Baker Street`).
const W_STREET_STRICT: u32 = 1 << 13;
/// A word that is never part of a name (`The`, `Please`, `Hotel`, months).
const W_NOT_NAME: u32 = 1 << 14;
/// A word that says the value is no real person (`Unknown`, `Test`).
const W_PLACEHOLDER: u32 = 1 << 15;
/// A title that is also a word or a name (`Don`, `Pan`, `Sri`): before one
/// word, only before a known name.
const W_TITLE_WEAK: u32 = 1 << 16;
/// A determiner: a capitalized run after one is a thing, not a person
/// (`The Kori Ville warehouse`).
const W_DETERMINER: u32 = 1 << 17;
/// A word that ends a place name (`Ville`, `City`, `Heights`).
const W_PLACE_AFTER: u32 = 1 << 18;
/// A word of a business name (`Logistics`, `Holdings`).
const W_COMPANY_WORD: u32 = 1 << 19;
/// A geographic word inside place names (`Oeste`, `Praia`, `Norte`).
const W_GEO: u32 = 1 << 20;
/// A word before a company's name (`PT`, `Firma`, `Hotel`).
const W_COMPANY_BEFORE: u32 = 1 << 21;
/// The last word of a two-word introduction (`is` of `name is`).
const W_INTRO2_END: u32 = 1 << 22;
/// A function word that is in no name list (`ihre`, `jag`, `the`).
const W_STOP: u32 = 1 << 23;

#[rustfmt::skip]
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "drs", "prof", "sir", "dame", "lord", "lady", "herr",
    "frau", "fr", "hr", "mme", "mlle", "mmes", "monsieur", "madame", "mademoiselle", "shri", "smt",
    "sri", "rev", "capt", "sr", "sra", "srta", "señor", "señora", "señorita", "don", "doña", "dña",
    "dra", "lic", "ing", "arq", "sig", "sigra", "signor", "signora", "signorina", "dott",
    "dottssa", "dottoressa", "avv", "geom", "rag", "ssa", "ra", "dhr", "mevr", "mevrouw", "meneer",
    "mw", "heer", "fru", "frk", "fröken", "frøken", "pan", "pani", "panna", "pán", "paní",
    "slečna", "mgr", "inż", "doc", "mudr", "judr", "phdr", "bc", "dipl", "mag", "senhor",
    "senhora", "srª", "dª", "domnul", "doamna", "dl", "dna", "úr", "asszony", "κ", "κος", "κα",
    "κύριος", "κυρία", "ponas", "ponia", "kungs", "kundze", "härra", "proua", "herra", "rouva",
    "neiti", "ginoo", "gng", "bb", "atty", "engr", "hon", "gospodin", "gospođa", "g", "gđa",
    "mevr", "mej", "juf", "ir", "drs",
    "m", "d",
];
#[rustfmt::skip]
const TITLES_WEAK: &[&str] = &[
    "sri", "shri", "smt", "don", "g", "bb", "doc", "mag", "hon", "dl", "dna", "ra", "ssa",
    "lord", "lady", "dame", "sir", "κ", "dipl", "bc", "lic", "ing", "rag", "geom", "avv", "mw",
    "fr", "hr", "rev", "capt", "heer", "gng", "atty", "engr", "doc", "arq",
];
#[rustfmt::skip]
const DETERMINERS: &[&str] = &[
    "the", "an", "der", "die", "das", "dem", "ein", "eine", "einem", "einer", "einen", "het", "een",
    "el", "los", "las", "il", "lo", "gli", "les", "un", "una", "uno", "une", "um", "uma", "uns",
    "umas", "unos", "unas", "this", "that", "these", "those", "our", "your", "their", "its",
    "dieser", "diese", "dieses", "deze", "ce", "cette", "ces", "este", "esta", "esse", "essa",
    "questo", "questa", "mon", "notre", "votre", "mein", "meine", "unser", "unsere", "nuestro",
    "nuestra", "nosso", "nossa", "nostro", "nostra", "onze", "vores", "vår", "vårt", "meidän",
    "nasz", "nasza", "náš", "naše", "nostru", "noastră", "a mi", "every", "each", "any", "some",
];
#[rustfmt::skip]
const PLACES_AFTER: &[&str] = &[
    "ville", "city", "town", "village", "heights", "springs", "falls", "beach", "harbor", "harbour",
    "valley", "ciudad", "cidade", "città", "warehouse", "store", "shop", "mall", "plaza", "center",
    "centre", "hotel", "hospital", "airport", "station", "school", "university", "college",
    "church", "club", "team", "group", "office", "department", "köping",
];
/// Words before a company's name (`PT Maju`, `Firma Kowalski`).
#[rustfmt::skip]
const COMPANY_BEFORE: &[&str] = &[
    "pt", "cv", "ud", "perum", "firma", "fa", "ets", "éts", "sté", "société", "cia", "grupo",
    "gruppo", "groupe", "zakład", "przedsiębiorstwo", "agencja", "biuro", "kancelaria",
    "spółdzielnia", "hotel", "restaurant", "restaurante", "ristorante", "café", "studio",
    "atelier", "taller", "salon", "clínica", "clinica", "klinik", "farmacia", "apotheke",
    "fundación", "fundação", "fondazione", "fondation", "stiftung", "stichting", "instituto",
    "institut", "istituto", "colegio", "escola", "escuela", "scuola", "école", "schule",
    "hospital", "universidad", "universidade", "università", "université", "universität",
    "banco", "banca", "banque", "club", "clube", "associação", "asociación", "associazione",
    "association", "verein", "vereniging", "förening", "forening", "yhdistys", "stowarzyszenie",
];
/// Geographic words of place names (after a particle: `do Oeste`).
#[rustfmt::skip]
const GEO: &[&str] = &[
    "norte", "sul", "sur", "leste", "este", "oeste", "nord", "süd", "ost", "west", "north",
    "south", "east", "ouest", "campo", "praia", "playa", "serra", "sierra", "rio", "río", "vale",
    "valle", "lago", "lagoa", "minas", "bosque", "floresta", "ilha", "isla", "puente", "puerto",
    "nova", "novo", "nueva", "nuevo", "velha", "velho", "valley", "river", "lake", "hill", "bay",
    "colle", "mare",
];
#[rustfmt::skip]
const SALUTES: &[&str] = &[
    "dear", "dearest", "hi", "hello", "hey", "hiya", "greetings", "hola", "estimado", "estimada",
    "estimados", "querido", "querida", "ciao", "salve", "caro", "cara", "gentile", "gentilissimo",
    "gentilissima", "egregio", "egregia", "olá", "ola", "oi", "prezado", "prezada", "bonjour",
    "bonsoir", "salut", "cher", "chère", "hallo", "liebe", "lieber", "geehrte", "geehrter",
    "servus", "moin", "beste", "geachte", "hoi", "hej", "hejsan", "kära", "käre", "bästa", "kære",
    "hei", "kjære", "hyvä", "moi", "szanowny", "szanowna", "drogi", "droga", "witaj", "cześć",
    "vážený", "vážená", "milý", "milá", "ahoj", "stimate", "stimată", "dragă", "dragi", "bună",
    "kedves", "tisztelt", "szia", "helló", "αγαπητέ", "αγαπητή", "γεια", "labas", "gerbiamas",
    "gerbiama", "sveiki", "sveiks", "cienījamais", "cienījamā", "lugupeetud", "tere", "kumusta",
    "halo", "poštovani", "poštovana", "zdravo", "merhaba", "sayın", "welcome", "bienvenido",
    "bienvenida", "benvenuto", "benvenuta", "bem-vindo", "bem-vinda", "bienvenue", "willkommen",
    "welkom", "välkommen", "velkommen", "tervetuloa", "witamy", "vítejte", "congratulations",
    "thanks", "gracias", "grazie", "obrigado", "obrigada", "merci", "danke", "bedankt", "tack",
    "tak", "takk", "kiitos", "dziękuję", "děkuji", "mulțumesc", "köszönöm", "ευχαριστώ", "ačiū",
    "paldies", "aitäh", "salamat",
];
#[rustfmt::skip]
const LABELS: &[&str] = &[
    "name", "names", "fullname", "nombre", "nombres", "apellido", "apellidos", "nome", "cognome",
    "naam", "voornaam", "achternaam", "namn", "förnamn", "efternamn", "navn", "fornavn",
    "efternavn", "etternavn", "nimi", "etunimi", "sukunimi", "jméno", "jmeno", "příjmení",
    "prijmeni", "meno", "priezvisko", "imię", "imie", "nazwisko", "nume", "prenume", "név", "nev",
    "vardas", "pavardė", "vārds", "uzvārds", "eesnimi", "perekonnanimi", "όνομα", "επώνυμο",
    "ονοματεπώνυμο", "pangalan", "apelyido", "nama", "prénom", "nom", "vorname", "nachname",
    "titular", "titulaire", "intestatario", "intestataria", "beneficiary", "beneficiario",
    "beneficiaria", "beneficiário", "bénéficiaire", "begünstigter", "destinatario", "destinatário",
    "destinataire", "empfänger", "recipient", "remitente", "sender", "absender", "expéditeur",
    "mittente", "holder", "inhaber", "kontoinhaber", "cardholder", "owner", "propietario",
    "proprietário", "proprietario", "propriétaire", "eigentümer", "contact", "contacto", "contato",
    "contatto", "kontakt", "kontaktperson", "contactpersoon", "yhteyshenkilö", "attn", "attention",
    "customer", "cliente", "client", "klient", "kunde", "kund", "klant", "asiakas", "ügyfél",
    "zákazník", "patient", "paciente", "pacjent", "pacient", "potilas", "beteg", "asiakkaan",
    "employee", "empleado", "empleada", "empregado", "empregada", "funcionário", "funcionária",
    "dipendente", "medewerker", "mitarbeiter", "mitarbeiterin", "anställd", "ansatt",
    "medarbejder", "työntekijä", "pracownik", "zaměstnanec", "angajat", "alkalmazott", "assignee",
    "responsable", "responsabile", "agent", "agente", "operator", "operador", "operatore",
    "opérateur", "signed", "firmado", "firmato", "assinado", "signé", "author", "autor", "autore",
    "auteur", "requester", "solicitante", "richiedente", "demandeur", "antragsteller", "aanvrager",
    "sökande", "guest", "huésped", "hóspede", "ospite", "gast", "passenger", "pasajero",
    "passageiro", "passeggero", "passager", "passagier", "tenant", "inquilino", "locataire",
    "mieter", "huurder", "member", "socio", "membre", "mitglied", "medlem", "jäsen", "członek",
    "membru", "student", "alumno", "alumna", "aluno", "aluna", "studente", "étudiant", "étudiante",
    "elev", "uczeń", "witness", "testigo", "testemunha", "testimone", "témoin", "zeuge", "getuige",
    "vittne", "doctor", "médico", "médica", "medico", "médecin", "arzt", "ärztin", "läkare",
    "læge", "lege", "lääkäri", "lekarz", "lékař", "colleague", "colega", "collega", "kollege",
    "kollegin", "collègue", "kollega", "manager", "gerente", "technician", "técnico", "tecnico",
    "technicien", "techniker", "monteur", "consultant", "asesor", "asesora", "consulente",
    "berater", "beraterin", "adviseur", "rådgivare", "rådgiver", "neuvoja", "doradca", "poradce",
    "consultor", "consultora", "usuario", "usuária", "usuário", "utente", "utilisateur",
    "benutzer", "gebruiker", "användare", "bruger", "bruker", "käyttäjä", "użytkownik", "uživatel",
    "utilizator", "felhasználó", "klientka", "pacientka", "pacjentka", "klientin", "patientin",
    "kundin", "vendedor", "vendedora", "venditore", "vendeur", "verkäufer", "verkoper", "säljare",
    "sælger", "selger", "myyjä", "sprzedawca", "prodejce", "comprador", "compradora", "acquirente",
    "acheteur", "käufer", "koper", "köpare", "køber", "kjøper", "ostaja", "kupujący", "kupující",
    "cumpărător", "vevő", "buyer", "seller", "owner", "landlord", "arrendador", "locador",
    "vermieter", "verhuurder", "hyresvärd", "utleier", "udlejer", "vuokranantaja", "wynajmujący",
    "pronajímatel", "proprietar", "bérbeadó", "applicant", "candidate", "candidato", "candidata",
    "candidat", "kandidat", "kandidaat", "hakija", "kandydat", "uchazeč", "jelölt", "parent",
    "guardian", "tutor", "padre", "madre", "pai", "mãe", "vater", "mutter", "vader", "moeder",
    "nurse", "enfermera", "enfermero", "enfermeira", "infermiere", "infermiera", "infirmière",
    "infirmier", "pflegekraft", "verpleegkundige", "sjuksköterska", "sygeplejerske", "sykepleier",
    "sairaanhoitaja", "pielęgniarka", "zdravotní", "asistentă", "ápoló", "driver", "conductor",
    "motorista", "autista", "chauffeur", "fahrer", "bestuurder", "förare", "sjåfør", "chauffør",
    "kuljettaja", "kierowca", "řidič", "șofer", "sofőr", "recipient", "addressee", "persona",
    "person", "personne", "pessoa", "osoba", "henkilö", "személy", "asmuo", "persoon",
    "cliënt", "klanten", "patiënt", "titulär",
    "氏名", "名前", "お名前", "姓名", "名字", "联系人", "客户", "이름", "성명", "고객", "ชื่อ", "ชื่อ-สกุล", "ลูกค้า",
];
#[rustfmt::skip]
const COLON_LABELS: &[&str] = &[
    "from", "to", "cc", "bcc", "von", "an", "de", "para", "a", "à", "van", "aan", "från", "till",
    "fra", "til", "od", "do", "lähettäjä", "vastaanottaja", "feladó", "címzett", "expeditor",
    "către", "από", "προς", "nuo", "kam", "no", "kellelt", "kellele", "mula", "kay", "by",
    "signature", "firma", "assinatura", "unterschrift", "handtekening", "underskrift",
    "allekirjoitus", "podpis", "semnătura", "aláírás", "υπογραφή", "parašas", "paraksts",
    "allkiri", "lagda", "who", "chi", "quien", "quién", "quem", "qui", "wer", "wie", "vem", "hvem",
    "kuka", "kto", "kdo", "cine", "ki", "ποιος", "kas", "kes", "sino", "rep",
];
#[rustfmt::skip]
const CONTEXT: &[&str] = &[
    "by", "with", "cc", "for", "to", "from", "via", "por", "con", "com", "met", "mit", "med",
    "avec", "par", "pour", "für", "voor", "för", "dla", "pentru", "para",
    "przez", "cu", "με", "από", "από", "kasama",
    "dengan", "oleh", "untuk", "called", "calls", "call", "spoke", "speak", "talked", "met",
    "meeting", "reunión", "reunião", "riunione", "réunion", "besprechung", "vergadering", "möte",
    "møde", "møte", "kokous", "spotkanie", "schůzka", "întâlnire", "találkozó", "termin",
    "afspraak", "cita", "appuntamento", "rendez-vous", "visited", "visit", "contacted", "emailed",
    "messaged", "assigned", "escalated", "approved", "requested", "reported", "submitted",
    "created", "updated", "closed", "opened", "handled", "signed", "sent", "received", "paid",
    "refunded", "ordered", "booked", "reserved", "attended", "atendido", "atendida", "atendimento",
    "llamó", "llamada", "habló", "hablé", "ligou", "falei", "falou", "chiamato", "chiamata",
    "parlato", "telefonato", "gebeld", "gesproken", "belde", "angerufen", "gesprochen", "anruf",
    "ringde", "talade", "ringede", "talte", "snakket", "soitti", "puhui", "dzwonił", "dzwoniła",
    "rozmawiałem", "rozmawiałam", "volal", "volala", "mluvil", "a sunat", "telefonált",
    "beszéltem", "τηλεφώνησε", "skambino", "zvanīja", "helistas", "tumawag", "appelé", "appelée",
    "rappelé", "parlé", "téléphoné", "contactado", "contactada", "contattato", "kontaktiert",
    "benaderd", "kontaktad", "kontaktet", "otettu", "skontaktowano", "kontaktován", "hívta",
    "aprobado", "aprovado", "approvato", "approuvé", "genehmigt", "goedgekeurd", "godkänd",
    "godkendt", "godkjent", "hyväksynyt", "zatwierdził", "schválil", "aprobat", "jóváhagyta",
    "asignado", "asignada", "atribuído", "assegnato", "assigné", "zugewiesen", "toegewezen",
    "tilldelad", "tildelt", "osoitettu", "przypisane", "přiřazeno", "atribuit", "hozzárendelve",
    "escalado", "escalada", "escalato", "escaladé", "eskaliert", "geëscaleerd", "eskalerat",
    "firmó", "assinou", "firmato", "signé", "unterschrieben", "ondertekend", "undertecknat",
    "customer", "client", "patient", "employee", "guest", "member", "tenant", "user", "cliente",
    "klient", "kunde", "kund", "klant", "asiakas", "paciente", "pacjent", "pacient", "potilas",
    "señor", "senhor", "signor", "meet", "attn", "contact", "contacto", "contato", "kontakt",
    "intestato", "intestata", "intestati", "a nome", "cardholder", "titular", "tutor", "leased",
    "rented", "alquilado", "contratado", "hired",
];
#[rustfmt::skip]
const INTRO: &[&str] = &[
    "soy", "llamo", "sono", "chiamo", "appelle", "m'appelle", "heiße", "heisse", "heter", "hedder",
    "jmenuji", "jmenujem", "nazywam", "numesc", "numesc", "mă", "ονομάζομαι", "λένε", "sauc",
    "i'm", "sou", "olen", "vagyok", "esu", "esmu", "jestem", "jsem", "sunt", "είμαι",
    "ako", "saya", "aku", "here's", "aqui", "atenciosamente",
    "tu", "tady", "itt", "aquí", "qui", "hier",
];
/// Two-word introductions, written "first second".
#[rustfmt::skip]
const INTRO2: &[&str] = &[
    "name is", "this is", "it's", "am", "naam is", "dit is", "hier is", "hier ist", "name ist",
    "bin", "ich bin", "nome é", "nome e", "aqui é", "aqui e", "é o", "é a", "nombre es", "soy el",
    "soy la", "me llamo", "mi chiamo", "nome è", "sono il", "sono la", "nom est", "c'est",
    "je suis", "ici", "namn är", "jag är", "det är", "här är", "navn er", "jeg er", "her er",
    "det er", "nimeni on", "nimi on", "tässä on", "täällä on", "nazywam się", "tu jest", "mam na",
    "na imię", "jméno je", "tady je", "mă numesc", "numele meu", "meu este", "aici este",
    "a nevem", "itt", "με λένε", "mano vardas", "čia", "mani sauc", "šeit ir", "minu nimi",
    "nimi on", "siin on", "ako si", "ako po", "ko ay", "pangalan ko", "nama saya", "ini",
];
#[rustfmt::skip]
const CLOSINGS: &[&str] = &[
    "regards", "regard", "sincerely", "cheers", "thanks", "thank", "best", "wishes", "yours",
    "cordially", "respectfully", "saludos", "saludo", "cordiales", "atentamente", "abrazo",
    "gracias", "saluti", "cordiali", "distinti", "cordialmente", "grazie", "groet", "groeten",
    "vriendelijke", "hartelijke", "atenciosamente", "abraços", "abraço", "cumprimentos",
    "obrigado", "obrigada", "hälsningar", "hälsning", "vänliga", "mvh", "hilsen", "hilsner",
    "venlig", "vennlig", "terveisin", "ystävällisin", "poważaniem", "pozdrawiam", "pozdrowienia",
    "pozdravem", "pozdrav", "úctou", "stimă", "stima", "respect", "salutări", "bine",
    "üdvözlettel", "tisztelettel", "üdv", "εκτίμηση", "φιλικά", "χαιρετισμούς", "pagarba",
    "pagarbiai", "linkėjimai", "cieņu", "sveicieniem", "lugupidamisega", "tervitustega",
    "tervitades", "gumagalang", "salamat", "cordialement", "salutations", "amitiés", "bises",
    "merci", "grüße", "grüßen", "gruß", "grüsse", "grüssen", "gruss", "dank", "danke", "bedankt",
    "tack", "tak", "takk", "kiitos", "dziękuję", "děkuji", "mulțumesc", "köszönöm", "ευχαριστώ",
    "ačiū", "paldies", "aitäh", "hugs", "love", "xoxo", "care", "soon", "later",
];
#[rustfmt::skip]
const PARTICLES: &[&str] = &[
    "van", "der", "den", "de", "del", "della", "delle", "dei", "degli", "dal", "dalla", "di", "da",
    "do", "dos", "das", "du", "des", "la", "le", "lo", "los", "las", "von", "zu", "vom", "zum",
    "ten", "ter", "te", "het", "y", "e", "i", "bin", "binti", "binte", "bint", "ibn", "al", "el",
    "af", "av", "st", "mac", "mc", "ap", "ó", "ni", "dela", "delos", "san",
];
#[rustfmt::skip]
const PLACES: &[&str] = &[
    "north", "south", "east", "west", "new", "old", "lake", "port", "fort", "mount", "mt", "saint",
    "sainte", "st", "ste", "san", "santa", "santo", "são", "sankt", "sint", "sta", "nord", "sud",
    "süd", "ost", "ouest", "est", "nieuw", "neu", "bad", "grand", "great", "little", "upper",
    "lower", "villa", "ciudad", "cidade", "città", "puerto", "porto", "monte", "mont", "isla",
    "ilha", "isola", "île", "cape", "cabo", "capo", "rio", "río", "lago", "costa", "playa",
    "praia", "bahía", "baía", "valle", "vale", "val", "sierra", "serra", "nueva", "nuevo", "nova",
    "novo", "vila", "villa", "borgo", "castel", "castello", "castillo", "castelo", "château",
    "bourg", "pont", "ponte", "puente", "hotel", "hospital", "hospital", "ospedale", "hôpital",
    "krankenhaus", "ziekenhuis", "sjukhus", "universidad", "università", "universidade",
    "université", "universität", "universiteit", "university", "college", "colegio", "school",
    "escuela", "escola", "scuola", "école", "schule", "airport", "aeropuerto", "aeroporto",
    "aéroport", "flughafen", "station", "estación", "estação", "stazione", "gare", "bahnhof",
    "iglesia", "igreja", "chiesa", "église", "kirche", "kerk", "kyrka", "kirke", "kirkko",
    "kościół", "kostel", "biserica", "templom", "parque", "parco", "parc", "park", "jardín",
    "jardim", "giardino", "jardin", "garten", "tuin", "trädgård", "have", "hage", "puutarha",
    "ogród", "zahrada", "grădina", "kert", "museo", "museu", "musée", "museum", "teatro",
    "théâtre", "theater", "theatre", "banco", "banca", "banque", "bank", "plaza", "mercado",
    "mercato", "marché", "markt", "centro", "centre", "center", "zentrum", "centrum", "central",
    "lago", "lac", "see", "meer", "sjö", "sø", "järvi", "jezioro", "jezero", "lacul", "tó",
    "distrito", "district", "region", "región", "região", "regione", "région", "provincia",
    "province", "kreis", "county", "comté", "condado", "contea", "canton", "cantón", "gemeinde",
    "gemeente", "kommun", "kommune", "kunta", "gmina", "obec", "comuna", "község",
    "tp", "thành", "tỉnh", "quận", "huyện", "phường", "xã", "kota", "kabupaten", "desa",
    "kecamatan", "comuna", "municipio", "município", "comune", "gemeente", "kommune", "kunta",
    "obec", "město", "miasto", "gmina", "oraș", "orașul", "comunа", "judet", "județul", "megye",
    "rajons", "apskritis", "vald", "maakond", "barangay", "brgy",
];
#[rustfmt::skip]
const COMPANY: &[&str] = &[
    "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "plc", "corp", "corporation",
    "co", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "ev", "se", "sa", "s.a", "sl", "slu",
    "srl", "spa", "sas", "sarl", "sàrl", "sasu", "eurl", "snc", "sca", "bv", "nv", "vof", "ab",
    "hb", "kb", "as", "asa", "aps", "oy", "oyj", "ky", "sp", "spółka", "sro", "s.r.o", "spol",
    "kft", "zrt", "nyrt", "bt", "ltda", "eireli", "mei", "me", "epp", "pty", "pte", "bhd", "sdn",
    "tbk", "pt", "cv", "srls", "coop", "ou", "oü", "uab", "sia", "ad", "ood", "eood", "doo",
    "d.o.o", "ooo", "zao", "oao", "pjsc", "ae", "ee", "ike", "partners", "partner", "associates",
    "asociados", "associati", "associés", "sons", "son", "fils", "söhne", "hijos", "hermanos",
    "figli", "fratelli", "filhos", "irmãos", "zonen", "cie", "compagnie", "compañía", "companhia",
    "compagnia",
    "lda", "limitada", "unipessoal", "sgps", "crl", "scs", "pfa", "eirl", "ead", "commv", "comm",
    "scrl", "sprl", "srls", "şti", "aş", "tnhh", "jsc", "ltda", "sociedad", "eood", "kd", "dd",
    "zrt", "kkt", "ks", "spol", "vos", "oü", "mtü", "sia", "as", "ab", "akc", "sas", "sca", "gie",
    "ei", "sci", "ohg", "gbr", "partg", "kgaa", "se", "eg", "ag", "plc", "llp", "pllc", "lllp",
    "na", "sae", "sal", "sarl", "ltd", "bhd", "pte", "tbk", "upt",
];
/// Words that name a business (`Logistics`, `Services`): at the end of a
/// run they are cut off (`Coastal Engineering` is no person).
#[rustfmt::skip]
const COMPANY_WORDS: &[&str] = &[
    "company",    "group", "grupo", "gruppo", "groupe", "gruppe", "groep", "holding", "holdings", "trust",
    "foundation", "fundación", "fundação", "fondazione", "fondation", "stiftung", "stichting",
    "stiftelse", "fond", "säätiö", "fundacja", "nadace", "fundația", "alapítvány", "international",
    "internacional", "internazionale", "global", "solutions", "services", "servicios", "serviços",
    "servizi", "technologies", "technology", "systems", "consulting", "logistics", "logística",
    "logistica", "logistique", "logistik", "labs", "studio", "studios", "media", "software",
    "capital", "ventures", "enterprises", "industries", "trading", "traders", "supplies",
    "engineering", "construction", "motors", "pharma", "foods", "bank", "insurance", "seguros",
    "assicurazioni", "assurances", "versicherung",
    "đoàn", "công", "hotel", "restaurant", "restaurante", "ristorante", "café", "bar", "pharmacy",
    "farmacia", "apotheke", "clinic", "clínica", "klinik", "agency", "agencia", "agenzia",
    "agentur", "bureau", "büro", "kancelaria", "biuro", "atelier", "taller", "werkstatt",
    "transport", "transportes", "trasporti", "bau", "construcciones", "costruzioni", "immobilien",
    "inmobiliaria", "immobiliare", "consultores", "consulenze", "beratung", "handel", "comercial",
    "commerciale", "import", "export", "industria", "industrie", "indústria", "fabrik", "fábrica",
    "fabbrica",
];
#[rustfmt::skip]
const STREET_BEFORE: &[&str] = &[
    "rue", "avenue", "av", "ave", "boulevard", "bd", "boul", "chemin", "ch", "impasse", "allée",
    "allee", "place", "pl", "quai", "route", "rte", "cours", "passage", "montée", "rang", "côte",
    "ruelle", "sentier", "square", "voie", "rond-point", "calle", "c", "cl", "avenida", "avda",
    "paseo", "pº", "plaza", "pza", "camino", "cno", "carrera", "cra", "calzada", "callejón",
    "cerrada", "privada", "retorno", "andador", "circuito", "prolongación", "pasaje", "ronda",
    "travesía", "urbanización", "urb", "glorieta", "cañada", "pasadizo", "acceso", "cuesta",
    "vial", "rambla", "carretera", "ctra", "alameda", "bulevar", "senda", "vía", "via", "viale",
    "piazza", "piazzale", "p.za", "corso", "largo", "vicolo", "strada", "stretto", "contrada",
    "borgo", "rotonda", "canale", "incrocio", "lungomare", "salita", "traversa", "località", "loc",
    "rua", "r", "travessa", "tv", "praça", "pç", "rodovia", "rod", "estrada", "estr", "beco",
    "ladeira", "quadra", "viela", "vila", "praia", "feira", "aeroporto", "estação", "passarela",
    "trecho", "residencial", "setor", "trevo", "viaduto", "esplanada", "chácara", "condomínio",
    "conjunto", "núcleo", "vereda", "sítio", "fazenda", "loteamento", "parque", "calçada",
    "rotunda", "ulica", "ul", "aleja", "al", "plac", "osiedle", "os", "skwer", "bulwar", "strada",
    "str", "bulevardul", "bdul", "calea", "aleea", "piața", "piata", "splaiul", "șoseaua",
    "soseaua", "intrarea", "drumul", "fundătura", "prelungirea", "ulice", "třída", "náměstí",
    "nám", "námestie", "nábřeží", "nábrežie", "οδός", "οδ", "λεωφόρος", "λεωφ", "πλατεία", "jalan",
    "jl", "jln", "gang", "gg", "đường", "phố", "lorong", "lrg", "kalye", "daan",
    "lago", "corredor", "calçada", "caminho", "cais", "escadaria", "ladeira", "jardim", "morro", "recanto", "boulevard", "avenue", "circonvallazione", "piazzetta", "vico", "fondamenta", "galleria", "lungotevere", "rampa", "riva", "campiello", "sestiere", "carrer", "passeig", "plaça", "rúa", "rua", "gran", "diagonal", "circunvalación", "bajada", "subida", "costanilla", "plazuela", "polígono", "poligono", "barrio", "colonia", "col", "fraccionamiento", "fracc", "manzana", "mz", "lote", "bloque", "edificio", "sector", "vereda", "vía", "autopista", "autovía",
    "cr", "kr", "dg", "tv", "ak", "ac", "diag", "blv", "bv", "bvd", "pje", "psje", "psj", "cll",
    "tr", "trans", "transversal", "periférico", "periferico", "anillo", "eje", "circunvalación",
];
#[rustfmt::skip]
const STREET_AFTER: &[&str] = &[
    "street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "dr", "way", "court",
    "ct", "place", "pl", "boulevard", "blvd", "square", "sq", "park", "hill", "close", "gardens",
    "terrace", "crescent", "cres", "parade", "esplanade", "circuit", "grove", "row", "mews",
    "walk", "green", "highway", "hwy", "parkway", "pkwy", "trail", "circle", "cir", "loop",
    "track", "rise", "vale", "view", "wynd", "quay", "wharf", "strasse", "straße", "str", "weg",
    "allee", "platz", "gasse", "utca", "u", "út", "tér", "körút", "krt", "köz", "sor", "fasor",
    "sétány", "rakpart", "iela", "gatvė", "g", "pr", "prospektas", "al", "alėja", "tänav", "tn",
    "mnt", "maantee", "pst", "puiestee", "põik", "tee", "street", "kalye", "avenida",
    "street", "st", "avenue", "ave", "av", "road", "rd", "boulevard", "blvd", "lane", "ln",
    "drive", "dr", "court", "ct", "way", "place", "pl", "terrace", "ter", "circle", "cir",
    "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail", "trl", "crescent", "cres",
    "close", "gardens", "garden", "grove", "row", "mews", "walk", "hill", "park", "green", "alley",
    "loop", "path", "pike", "plaza", "ridge", "run", "crossing", "point", "port", "estate", "pass",
    "mission", "island", "isle", "manor", "meadow", "mill", "mount", "mountain", "harbor",
    "harbour", "heights", "spring", "valley", "view", "vista", "village", "villa", "junction",
    "forge", "center", "centre", "creek", "fort", "field", "glen", "haven", "hollow", "key",
    "knoll", "lake", "landing", "oval", "overpass", "plain", "radial", "ramp", "ranch", "rapid",
    "rest", "route", "shore", "shoal", "stream", "summit", "throughway", "trace", "track",
    "turnpike", "underpass", "union", "wall", "well", "bypass", "burg", "brook", "branch",
    "bridge", "cape", "causeway", "cliff", "club", "common", "corner", "cove", "dale", "dam",
    "divide", "expressway", "extension", "fall", "ferry", "flat", "ford", "forest", "freeway",
    "gateway", "inlet", "light", "lock", "lodge", "motorway", "neck", "orchard", "parade",
    "prairie", "spur", "station", "fork", "ville", "quay", "rise", "vale", "wharf", "wynd",
    "chase", "drove", "gate", "approach", "broadway", "tunnel", "crossroad", "course", "river",
    "stravenue", "viaduct", "via", "curve", "camp", "canyon", "mall", "pine", "skyway",
    "trafficway", "crest", "bluff", "bottom", "bend", "beach", "bayou", "arcade", "anex", "annex",
    "loaf", "nagar", "marg", "ganj", "chowk", "zila", "colony", "bazar", "bagh", "puram", "pur",
    "streets", "avenues", "roads", "boulevards", "blvds", "lanes", "drives", "courts", "places",
    "terraces", "circles", "parkways", "pkwys", "highways", "squares", "trails", "crescents",
    "closes", "groves", "walks", "hills", "parks", "greens", "alleys", "loops", "paths", "pikes",
    "plazas", "ridges", "crossings", "points", "ports", "estates", "missions", "islands", "isles",
    "manors", "meadows", "mills", "mounts", "mountains", "harbors", "harbours", "springs",
    "valleys", "views", "vistas", "villages", "villas", "junctions", "forges", "centers",
    "centres", "creeks", "forts", "fields", "glens", "havens", "hollows", "knolls", "lakes",
    "landings", "ovals", "plains", "radials", "ramps", "ranchs", "rapids", "rests", "routes",
    "shores", "shoals", "streams", "summits", "throughways", "traces", "tracks", "turnpikes",
    "unions", "walls", "wells", "burgs", "brooks", "branchs", "bridges", "capes", "causeways",
    "cliffs", "clubs", "commons", "corners", "coves", "dales", "divides", "expressways",
    "extensions", "falls", "ferrys", "flats", "fords", "forests", "freeways", "gateways", "inlets",
    "lights", "locks", "lodges", "motorways", "necks", "orchards", "parades", "prairies", "spurs",
    "stations", "forks", "villes", "quays", "rises", "vales", "wharfs", "wynds", "chases",
    "droves", "gates", "approachs", "broadways", "tunnels", "crossroads", "courses", "rivers",
    "stravenues", "viaducts", "curves", "camps", "canyons", "malls", "pines", "skyways",
    "trafficways", "crests", "bluffs", "bottoms", "bends", "beachs", "bayous", "arcades", "anexs",
    "annexs", "loafs", "nagars", "margs", "ganjs", "chowks", "zilas", "colonys", "bazars", "baghs",
    "purams", "access", "alleyway", "amble", "anchorage", "artery", "basin", "block", "boardwalk",
    "bowl", "brace", "brae", "break", "brow", "byway", "centreway", "circlet", "circuit", "circus",
    "colonnade", "concourse", "copse", "corso", "courtyard", "cross", "crossway", "cruiseway",
    "cutting", "dell", "deviation", "dip", "distributor", "driveway", "edge", "elbow", "end",
    "entrance", "esplanade", "fairway", "firetrail", "follow", "footway", "foreshore", "formation",
    "front", "frontage", "gap", "glade", "grange", "ground", "gully", "highroad", "interchange",
    "intersection", "laneway", "lees", "line", "link", "little", "lookout", "lower", "meander",
    "mew", "nook", "outlook", "parklands", "part", "pathway", "piazza", "plateau", "pocket",
    "promenade", "quad", "quadrangle", "quadrant", "ramble", "range", "reach", "reserve",
    "retreat", "ride", "ridgeway", "ring", "riverway", "riviera", "roadside", "roadway", "ronde",
    "rosebowl", "rotary", "round", "rue", "siding", "slope", "sound", "stairs", "steps", "strand",
    "strip", "subway", "tarn", "thoroughfare", "tollway", "top", "tor", "towers", "trailer",
    "triangle", "trunkway", "turn", "upper", "wade", "walkway", "yard", "abbey", "acres", "allée",
    "autoroute", "bay", "campus", "carré", "carrefour", "cercle", "chemin", "concession", "côte",
    "cour", "cours", "croissant", "diversion", "downs", "échangeur", "farm", "grounds", "heath",
    "highlands", "île", "impasse", "limits", "maze", "montée", "moor", "parc", "passage", "pointe",
    "private", "quai", "rang", "ruelle", "sentier", "subdivision", "terrasse", "thicket",
    "townline", "turnabout", "voie", "wood",
];
#[rustfmt::skip]
const STREET_STRICT: &[&str] = &[
    "street", "road", "avenue", "boulevard", "blvd", "rd", "ave", "highway", "hwy", "parkway",
    "pkwy", "crescent", "terrace", "gardens", "esplanade", "strasse", "straße", "utca", "út",
    "iela", "gatvė", "tänav", "körút", "drive", "square", "circuit", "parade",
];
#[rustfmt::skip]
const NOT_NAME: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "in", "on", "at", "for", "with", "please", "thank",
    "thanks", "hello", "hi", "dear", "re", "fw", "fwd", "subject", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "june", "july", "august", "september", "october", "november", "december", "lunes",
    "martes", "miércoles", "jueves", "viernes", "sábado", "domingo", "enero", "febrero", "marzo",
    "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
    "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica", "gennaio",
    "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag", "januar",
    "februar", "märz", "juni", "juli", "oktober", "dezember", "maandag", "dinsdag", "woensdag",
    "donderdag", "vrijdag", "zaterdag", "zondag", "lundi", "mardi", "mercredi", "jeudi",
    "vendredi", "samedi", "dimanche", "janvier", "février", "avril", "juin", "juillet", "août",
    "octobre", "décembre", "segunda", "terça", "quarta", "quinta", "sexta", "janeiro", "fevereiro",
    "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro", "customer",
    "client", "order", "invoice", "ticket", "case", "account", "support", "service", "team",
    "department", "office", "manager", "director", "sales", "operations", "hotel", "hospital",
    "university", "bank", "street", "road", "avenue", "city", "country", "company", "group",
    "project", "product", "version", "release", "update", "error", "warning", "info", "debug",
    "status", "total", "amount", "price", "date", "time", "note", "notes", "id", "no", "nr",
    "number", "ref", "reference", "code", "item", "sku", "part", "model", "serial", "batch", "lot",
    "article", "art", "vat", "tax", "iban", "bic", "swift", "email", "e-mail", "mail", "phone",
    "tel", "fax", "mobile", "cell", "address", "via", "google", "microsoft", "apple", "amazon",
    "facebook", "chrome", "windows", "linux", "android", "iphone", "ios", "excel", "word", "teams",
    "zoom", "slack", "office", "outlook", "gmail", "paypal", "visa", "mastercard", "amex", "euro",
    "dollar", "new", "old", "my", "your", "our", "his", "her", "their", "this", "that", "these",
    "those", "we", "you", "they", "he", "she", "it", "i", "me", "us", "them", "mi", "tu", "su",
    "nuestro", "el", "la", "los", "las", "un", "una", "il", "lo", "gli", "le", "der", "die", "das",
    "ein", "eine", "het", "een", "de", "du", "des", "une", "o", "os", "as", "um", "uma", "en",
    "ett", "den", "det", "ja", "och", "og", "und", "et", "y", "e", "ed", "en", "ou", "oder", "of",
    "but", "if", "when", "where", "who", "what", "why", "how", "yes", "no", "not", "ok", "okay",
    "hola", "bonjour", "ciao", "hallo", "buongiorno", "buenos", "buenas", "bom", "boa", "guten",
    "goedemorgen", "dzień", "dobry", "dobrý", "god", "hyvää", "jó", "καλημέρα", "labas", "labdien",
    "tere", "magandang", "selamat", "atenciosamente", "saludos", "cordiali", "mit", "met", "med",
];
#[rustfmt::skip]
const PLACEHOLDERS: &[&str] = &[
    "unknown", "test", "testing", "none", "null", "nil", "n/a", "na", "admin", "administrator",
    "user", "guest", "anonymous", "anon", "nobody", "noname", "default", "sample", "example",
    "demo", "other", "various", "misc", "tbd", "tba", "pending", "desconocido", "desconocida",
    "anónimo", "anonimo", "sconosciuto", "sconosciuta", "onbekend", "inconnu", "inconnue",
    "unbekannt", "okänd", "ukendt", "ukjent", "tuntematon", "nieznany", "nieznana", "neznámý",
    "necunoscut", "ismeretlen", "άγνωστος", "nežinomas", "nezināms", "tundmatu", "ninguno",
    "nessuno", "niemand", "ingen", "personne", "ninguém", "brak", "nic", "nimic", "senki",
    "customer", "client", "cliente", "kunde", "klant", "kund", "patient", "paciente", "employee",
    "staff", "team", "support", "service", "system", "root", "info", "contact", "sales", "office",
    "billing", "accounts", "hr", "it", "yes", "no", "true", "false",
];

/// The word lists by the 64-bit hash of each (lower-case) word, with the
/// bit set of the lists that hold it: open addressing, linear probing, at a
/// load under 1/4 (0: empty).
struct WordTable {
    keys: Box<[u64]>,
    kinds: Box<[u32]>,
}

impl WordTable {
    #[inline]
    fn get(&self, h: u64) -> u32 {
        let h = h | 1;
        let mask = self.keys.len() - 1;
        let mut i = (h >> 40) as usize & mask;
        loop {
            let k = self.keys[i];
            if k == h {
                return self.kinds[i];
            }
            if k == 0 {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }
}

static WORDS: LazyLock<WordTable> = LazyLock::new(|| {
    let mut words: Vec<(String, u32)> = Vec::new();
    for (list, bit) in [
        (TITLES, W_TITLE),
        (SALUTES, W_SALUTE),
        (LABELS, W_LABEL),
        (COLON_LABELS, W_COLON_LABEL),
        (CONTEXT, W_CONTEXT),
        (INTRO, W_INTRO),
        (INTRO2, W_INTRO2),
        (CLOSINGS, W_CLOSING),
        (PARTICLES, W_PARTICLE),
        (PLACES, W_PLACE),
        (COMPANY, W_COMPANY),
        (STREET_BEFORE, W_STREET_BEFORE),
        (STREET_AFTER, W_STREET_AFTER),
        (STREET_STRICT, W_STREET_STRICT),
        (NOT_NAME, W_NOT_NAME),
        (PLACEHOLDERS, W_PLACEHOLDER),
        (TITLES_WEAK, W_TITLE_WEAK),
        (DETERMINERS, W_DETERMINER),
        (PLACES_AFTER, W_PLACE_AFTER),
        (COMPANY_WORDS, W_COMPANY_WORD),
        (GEO, W_GEO),
        (COMPANY_BEFORE, W_COMPANY_BEFORE),
    ] {
        for w in list {
            words.push((w.to_lowercase(), bit));
            if bit == W_INTRO2
                && let Some((_, last)) = w.rsplit_once(' ')
            {
                words.push((last.to_lowercase(), W_INTRO2_END));
            }
        }
    }
    // function words that are no name (`ihre`, `jag`): never part of one
    for w in NON_NAMES.lines().map(str::trim).filter(|w| !w.is_empty()) {
        words.push((w.to_lowercase(), W_STOP));
    }
    let size = (words.len() * 2).next_power_of_two();
    let mut t = WordTable {
        keys: vec![0u64; size].into_boxed_slice(),
        kinds: vec![0u32; size].into_boxed_slice(),
    };
    let mask = size - 1;
    for (w, bit) in words {
        let h = hash_lower(w.as_bytes()) | 1;
        let mut i = (h >> 40) as usize & mask;
        while t.keys[i] != 0 && t.keys[i] != h {
            i = (i + 1) & mask;
        }
        t.keys[i] = h;
        t.kinds[i] |= bit;
    }
    t
});

/// The [`WORDS`] kinds of `w` (any case; dots inside are dropped, so
/// `sig.ra` and `S.A.` are found as `sigra`, `sa`).
fn word_kinds(w: &str) -> u32 {
    if w.is_empty() || w.len() > 64 {
        return 0;
    }
    if !w.contains('.') {
        return WORDS.get(token_hash(w).0);
    }
    let bare: String = w.chars().filter(|&c| c != '.').collect();
    if bare.is_empty() {
        return 0;
    }
    WORDS.get(token_hash(&bare).0)
}

/// Whether `w` is a word of `kind`.
fn is_word(w: &str, kind: u32) -> bool {
    word_kinds(w) & kind != 0
}

/// Street types before a street name (`Calle`, `Via`, `ul.`), for the
/// address detector.
pub(crate) fn is_street_type_before(w: &str) -> bool {
    is_word(w, W_STREET_BEFORE)
}

/// Street types after a street name (`Street`, `utca`, `iela`), for the
/// address detector.
pub(crate) fn is_street_type_after(w: &str) -> bool {
    is_word(w, W_STREET_AFTER)
}

// ------------------------------------------------------------------ tokens

#[derive(Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    /// Starts with an upper-case letter.
    upper: bool,
    /// Holds no digit.
    alpha: bool,
    /// Holds an ASCII lower-case letter.
    has_lower: bool,
    /// Holds a non-ASCII byte.
    non_ascii: bool,
}

/// [`TOKEN_CLASS`] bits: a letter byte (ASCII letter or any non-ASCII byte).
const T_LETTER: u8 = 1;
/// An ASCII digit.
const T_DIGIT: u8 = 2;
/// '-' or '\'', which join two parts of a token when a letter follows.
const T_JOIN: u8 = 4;
/// An ASCII lower-case letter.
const T_LOWER: u8 = 8;
/// A non-ASCII byte.
const T_HIGH: u8 = 16;

static TOKEN_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c.is_ascii_lowercase() {
            T_LETTER | T_LOWER
        } else if c.is_ascii_alphabetic() {
            T_LETTER
        } else if c >= 0x80 {
            T_LETTER | T_HIGH
        } else if c.is_ascii_digit() {
            T_DIGIT
        } else if c == b'-' || c == b'\'' {
            T_JOIN
        } else {
            0
        };
        i += 1;
    }
    t
};

/// Tokens: runs of letters (non-ASCII bytes count as letters) and digits,
/// joined over '-' or '\'' followed by a letter; trailing non-alphabetic
/// non-ASCII characters (’, “) are trimmed off.
fn tokens(text: &str, out: &mut Vec<Tok>) {
    let b = text.as_bytes();
    let class = |i: usize| TOKEN_CLASS[b[i] as usize];
    out.clear();
    let n = b.len();
    let mut i = 0;
    loop {
        while i < n && class(i) & (T_LETTER | T_DIGIT) == 0 {
            i += 1;
        }
        if i == n {
            break;
        }
        let s = i;
        let mut kinds = 0;
        loop {
            while i < n {
                let c = class(i);
                if c & (T_LETTER | T_DIGIT) == 0 {
                    break;
                }
                kinds |= c;
                i += 1;
            }
            if i + 1 < n && class(i) == T_JOIN && class(i + 1) & T_LETTER != 0 {
                i += 1;
                continue;
            }
            break;
        }
        // a non-ASCII byte might be punctuation (’, “); trim trailing ones
        let mut e = i;
        while e > s && b[e - 1] >= 0x80 {
            match text[s..e].chars().next_back() {
                Some(ch) if !ch.is_alphabetic() => e -= ch.len_utf8(),
                _ => break,
            }
        }
        // a possessive "'s" is no part of the name ("Stace's")
        if e >= s + 4 && (b[e - 1] == b's' || b[e - 1] == b'S') {
            if b[e - 2] == b'\'' {
                e -= 2;
            } else if e >= s + 6 && &b[e - 4..e - 1] == "\u{2019}".as_bytes() {
                e -= 4;
            }
        }
        if e > s {
            let upper = if b[s] < 0x80 {
                b[s].is_ascii_uppercase()
            } else {
                text[s..e].chars().next().is_some_and(char::is_uppercase)
            };
            out.push(Tok {
                start: s,
                end: e,
                upper,
                alpha: kinds & T_DIGIT == 0,
                has_lower: kinds & T_LOWER != 0,
                non_ascii: kinds & T_HIGH != 0,
            });
        }
    }
}

thread_local! {
    static TOKENS: std::cell::RefCell<Vec<Tok>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn gap_is_name_sep(text: &str, a: &Tok, b: &Tok) -> bool {
    let gap = &text[a.end..b.start];
    gap == " " || gap == "\u{a0}" || (gap == ". " && a.end - a.start <= 2)
}

/// Whether the token is written in capitals only (`VAT`, `GMBH`).
fn all_caps(text: &str, t: &Tok) -> bool {
    if !t.non_ascii {
        return !t.has_lower && t.end - t.start >= 2;
    }
    let s = &text[t.start..t.end];
    s.chars().count() >= 2 && !s.chars().any(char::is_lowercase)
}

/// For ASCII text outside a name column: whether [`detect_each`] can find
/// anything. Outside a name column a candidate is a capitalized token
/// followed by another capitalized token, or one right after a title (a
/// token ending 1-2 bytes before it), or one with a strong cue, which
/// [`detect_in`] only reports when this holds. Every capitalized token
/// starts with an upper-case letter that follows no letter or digit, so this
/// needs two such letters, or one with a letter 2-3 bytes before it.
pub(crate) fn may_hold_name(b: &[u8]) -> bool {
    let mut first = None;
    for (i, &c) in b.iter().enumerate() {
        if c.is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            if first.is_some() {
                return true;
            }
            first = Some(i);
        }
    }
    first.is_some_and(|p| {
        (p >= 2 && b[p - 2].is_ascii_alphabetic()) || (p >= 3 && b[p - 3].is_ascii_alphabetic())
    })
}

/// Rule-based person-name candidates: (start, end, confidence before
/// context, whether cell context words may still raise it). `name_column`
/// is true when the column name says "name".
#[cfg(test)]
pub(crate) fn detect(text: &str, name_column: bool, out: &mut Vec<(usize, usize, f64)>) {
    detect_each(text, name_column, &mut |s, e, c, _| out.push((s, e, c)));
}

/// Like `detect`, handing each candidate to `out` (no allocation).
pub(crate) fn detect_each(
    text: &str,
    name_column: bool,
    out: &mut dyn FnMut(usize, usize, f64, bool),
) {
    TOKENS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            tokens(text, &mut buf);
            detect_in(text, &buf, name_column, out);
        }
        Err(_) => {
            let mut buf = Vec::new();
            tokens(text, &mut buf);
            detect_in(text, &buf, name_column, out);
        }
    })
}

/// Whether `w` starts with a letter of a script without case (CJK, Thai,
/// Hangul, Arabic, ...).
fn caseless_start(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase())
}

/// Whole-cell mode of a name column: 1-4 capitalized words (titles and
/// particles aside). Returns whether it applied.
fn whole_cell(text: &str, toks: &[Tok], out: &mut dyn FnMut(usize, usize, f64, bool)) -> bool {
    if toks.len() > 7 {
        return false;
    }
    let s = |t: &Tok| &text[t.start..t.end];
    let mut n = 0;
    let mut span: Option<(usize, usize)> = None;
    // the body words, looked up in the name lists only as needed below
    let mut body = [0usize; 4];
    let mut hashes = [0u64; 4];
    let mut stops = 0;
    for (k, t) in toks.iter().enumerate() {
        let w = s(t);
        let h = if w.len() <= 64 { token_hash(w).0 } else { 0 };
        let kinds = WORDS.get(h);
        if kinds & W_TITLE != 0 && span.is_none() && k + 1 < toks.len() {
            continue;
        }
        let caseless = !t.upper && t.non_ascii && caseless_start(w);
        if !t.upper && !caseless && kinds & W_PARTICLE != 0 && k + 1 < toks.len() {
            span = Some(span.map_or((t.start, t.end), |(a, _)| (a, t.end)));
            continue;
        }
        if !t.alpha || !(t.upper || caseless) || kinds & W_PLACEHOLDER != 0 || n == 4 {
            return false;
        }
        // function words ("Der Kunde"): some names are one ("Sina", "Om")
        stops += usize::from(kinds & W_STOP != 0);
        span = Some(span.map_or((t.start, t.end), |(a, _)| (a, t.end)));
        body[n] = k;
        hashes[n] = h;
        n += 1;
    }
    let Some((first, last)) = span else {
        return false;
    };
    if n == 0 || stops == n || toks.iter().all(|t| t.end - t.start == 1) {
        return false;
    }
    let conf = if n >= 2 {
        // any known name makes it sure; the first word usually is one
        let known = (0..n)
            .any(|m| flags_of(hashes[m], s(&toks[body[m]]), None) & (FIRST_BIT | LAST_BIT) != 0);
        if known { 0.85 } else { 0.7 }
    } else {
        let t = toks[body[0]];
        let w = s(&t);
        let f = token_flags(w);
        if f & (FIRST_BIT | LAST_BIT) != 0 && f & WORD_BIT == 0 {
            0.85
        } else if f & (FIRST_BIT | LAST_BIT) != 0 {
            0.6
        } else if w.chars().count() >= 3 && !all_caps(text, &t) && word_kinds(w) & W_NOT_NAME == 0 {
            // one unknown capitalized word: a name when it looks like one
            0.55
        } else {
            0.45
        }
    };
    out(first, last, conf, false);
    true
}

/// Cue strengths.
const CUE_NONE: u8 = 0;
const CUE_MEDIUM: u8 = 1;
const CUE_STRONG: u8 = 2;

/// Whether `s` starts with an e-mail, a phone or an identifier: a first
/// word with an '@', or a value (digits, letters, `.-/ +()`) whose first
/// word holds a digit or starts with '+' or '(' and that has at least 5
/// digits among its first 28 bytes.
fn value_like(s: &str) -> bool {
    let b = s.as_bytes();
    let word_end = b
        .iter()
        .position(|&c| c.is_ascii_whitespace() || c == b'>' || c == b',' || c == b';')
        .unwrap_or(b.len());
    let first = &b[..word_end];
    if first.contains(&b'@') {
        return true;
    }
    if !(first.iter().any(u8::is_ascii_digit) || matches!(first.first(), Some(b'+' | b'('))) {
        return false;
    }
    let mut digits = 0;
    for &c in b.iter().take(28) {
        match c {
            b'0'..=b'9' => digits += 1,
            b'A'..=b'Z' | b'a'..=b'z' | b'.' | b'-' | b'/' | b' ' | b'+' | b'(' | b')' | b'_' => {}
            _ => break,
        }
    }
    // an id code of letters and digits ("CFAPM7886C", "T1589578G")
    let code = first.strip_suffix(b")").unwrap_or(first);
    digits >= 5
        || (code.len() >= 8
            && code.iter().all(u8::is_ascii_alphanumeric)
            && code.iter().filter(|c| c.is_ascii_digit()).count() >= 3
            && code.iter().filter(|c| c.is_ascii_uppercase()).count() >= 3)
}

/// Whether a value ([`value_like`]) follows within a few short words on the
/// same line (`, né le 10.10.1984`, `linked Aadhaar 4476…`, `, CPF 123…`).
fn value_soon(s: &str) -> bool {
    let line = &s[..s.find('\n').unwrap_or(s.len())];
    let mut rest = line;
    for _ in 0..6 {
        rest = rest.trim_start_matches([' ', ',', ':', '(', '-', '#', '°', 'º', '\t']);
        if rest.is_empty() {
            return false;
        }
        if value_like(rest) {
            return true;
        }
        // skip one short word
        let w = rest.find([' ', ',', ':', '(']).unwrap_or(rest.len());
        if w > 14 || w == 0 {
            return false;
        }
        rest = &rest[w..];
    }
    false
}

/// Whether a company form follows `pos` within three words on its line
/// (`AG`, `S.A.`, `& Co.`, `et Fils`), or the word at `pos` is one
/// (`S.A.` read from its `S`).
fn company_follows(text: &str, pos: usize) -> bool {
    let b = text.as_bytes();
    let stop = |c: u8| matches!(c, b' ' | b',' | b'\n' | b'(' | b')' | b'|' | b';');
    // the next word on the line from `i`: (start, end), or None
    let next_word = |mut i: usize| {
        while i < b.len() && (b[i] == b' ' || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() || stop(b[i]) {
            return None;
        }
        let ws = i;
        while i < b.len() && !stop(b[i]) {
            i += 1;
        }
        Some((ws, i))
    };
    let mut i = pos;
    for _ in 0..3 {
        let Some((ws, we)) = next_word(i) else {
            return false;
        };
        i = we;
        let w = &text[ws..we];
        if w == "&" || w == "+" {
            return true;
        }
        let c = b[ws];
        let dotted = w.len() > 2 && w.strip_suffix('.').unwrap_or(w).contains('.');
        if c.is_ascii_lowercase() || (c >= 0x80 && w.chars().next().is_some_and(char::is_lowercase))
        {
            // a lower-case word goes on with the sentence, unless it is a
            // conjunction before a company word ("Fernandes et Fils"), a
            // dotted form ("s.p.", "d.o.o.") or Vietnamese "Công ty"
            if matches!(
                w,
                "and"
                    | "und"
                    | "et"
                    | "e"
                    | "y"
                    | "en"
                    | "och"
                    | "og"
                    | "i"
                    | "és"
                    | "ir"
                    | "un"
                    | "ja"
            ) {
                return next_word(we).is_some_and(|(s2, e2)| {
                    is_word(text[s2..e2].trim_end_matches('.'), W_COMPANY)
                });
            }
            return w == "ty" || (dotted && word_kinds(w) & W_COMPANY != 0);
        }
        if !(c.is_ascii_uppercase()
            || (c >= 0x80 && w.chars().next().is_some_and(char::is_uppercase)))
        {
            return false;
        }
        let abbrev = w.ends_with('.');
        let w = w.trim_end_matches(['.', ':']);
        if word_kinds(w) & W_COMPANY != 0 {
            return true;
        }
        // "San." (Sanayi), "Tic.", "Ind.", "Com.": a capitalized abbreviation
        // of a business word
        if abbrev
            && matches!(
                w,
                "San" | "Tic" | "Ind" | "Com" | "Cia" | "Hnos" | "Soc" | "Inds" | "Dist"
            )
        {
            return true;
        }
        if w == "Ty" {
            return true;
        }
    }
    false
}

/// The cue after a run ending at `end`: an e-mail, phone or id right after
/// it (over a separator and maybe an id word like `CPF`, `NAS`), strong
/// inside `<…>`.
fn cue_after(text: &str, end: usize) -> u8 {
    let mut rest = &text[end..];
    // over a possessive: "Stace's NI number is …"
    for p in ["'s ", "\u{2019}s "] {
        if let Some(r) = rest.strip_prefix(p) {
            rest = &rest[p.len() - 1..];
            let _ = r;
            break;
        }
    }
    let b = rest.as_bytes();
    let mut i = 0;
    let mut angle = false;
    while i < b.len() && i < 6 {
        match b[i] {
            b' ' | b'\t' | b',' | b';' | b':' | b'|' | b'/' | b'(' | b'[' | b'-' => i += 1,
            b'<' => {
                angle = true;
                i += 1;
            }
            // – — ―
            0xE2 if b.len() >= i + 3 && b[i + 1] == 0x80 && (0x93..=0x95).contains(&b[i + 2]) => {
                i += 3
            }
            0xC2 if b.get(i + 1) == Some(&0xB7) => i += 2, // ·
            _ => break,
        }
    }
    if i == 0 {
        return CUE_NONE;
    }
    let v = &rest[i..];
    if value_like(v) {
        return if angle { CUE_STRONG } else { CUE_MEDIUM };
    }
    if value_soon(v) {
        return CUE_MEDIUM;
    }
    // an id word first: "CPF 123…", "NAS 510…", "SSN: 415-…", "PAN ABCDE1234F"
    let vb = v.as_bytes();
    let w_len = vb.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if (2..=8).contains(&w_len)
        && vb[..w_len]
            .iter()
            .filter(|c| c.is_ascii_uppercase())
            .count()
            >= 2
    {
        let mut j = w_len;
        while j < vb.len() && j < w_len + 4 && matches!(vb[j], b' ' | b':' | b'#' | b'.' | b'-') {
            j += 1;
        }
        if j > w_len && value_like(&v[j..]) {
            return CUE_MEDIUM;
        }
    }
    CUE_NONE
}

/// The cue of the line structure: the run fills its line, and the line
/// before ends with ',' or a closing word (a signature: strong), or the line
/// after holds an e-mail, a phone or an address (a contact block: medium).
fn cue_line(text: &str, start: usize, end: usize) -> u8 {
    let b = text.as_bytes();
    let mut ls = start;
    while ls > 0 && matches!(b[ls - 1], b' ' | b'\t') {
        ls -= 1;
    }
    if ls > 0 && b[ls - 1] != b'\n' {
        return CUE_NONE;
    }
    let mut le = end;
    while le < b.len() && matches!(b[le], b' ' | b',' | b'\t' | b'\r') {
        le += 1;
    }
    if le < b.len() && b[le] != b'\n' {
        return CUE_NONE;
    }
    if ls > 0 {
        let prev = text[..ls - 1].rsplit('\n').next().unwrap_or("").trim();
        if prev.ends_with(',') {
            return CUE_STRONG;
        }
        let last = prev
            .trim_end_matches([',', '!', '.', ':'])
            .rsplit([' ', ','])
            .next()
            .unwrap_or("");
        if !last.is_empty() && is_word(last, W_CLOSING) {
            return CUE_STRONG;
        }
    }
    if le < text.len() {
        let next = text[le + 1..].split('\n').next().unwrap_or("");
        let digits = next.bytes().filter(u8::is_ascii_digit).count();
        if next.contains('@') || digits >= 1 || next.contains('|') {
            return CUE_MEDIUM;
        }
    }
    CUE_NONE
}

/// The cue before a run starting at token `b0` and ending at `end`: with
/// whether it is a label before ':' or a chat handle (which may introduce an
/// unknown single word).
fn cue_before(text: &str, toks: &[Tok], b0: usize, end: usize) -> (u8, bool) {
    let t = toks[b0];
    let before = &text[..t.start];
    let bb = before.as_bytes();
    // chat: "[09:50] Ana:" / "<Ana Silva>"
    let after = text.as_bytes().get(end).copied();
    if (before.trim_end_matches(' ').ends_with(']') && after == Some(b':'))
        || (bb.last() == Some(&b'<') && after == Some(b'>'))
    {
        return (CUE_STRONG, true);
    }
    if b0 == 0 {
        return (CUE_NONE, false);
    }
    let p = toks[b0 - 1];
    let gap = &text[p.end..t.start];
    if gap.contains('\n') {
        return (CUE_NONE, false);
    }
    let pw = &text[p.start..p.end];
    let kinds = word_kinds(pw);
    let colon = gap.contains(':') || gap.contains('：');
    if colon && kinds & W_LABEL != 0 {
        return (CUE_STRONG, true);
    }
    if colon && kinds & W_COLON_LABEL != 0 {
        return (CUE_STRONG, false);
    }
    if kinds & W_SALUTE != 0 && gap.len() <= 3 {
        return (CUE_STRONG, false);
    }
    if gap.len() <= 2 && !colon {
        if kinds & W_INTRO != 0 {
            return (CUE_STRONG, false);
        }
        if b0 >= 2 {
            let q = toks[b0 - 2];
            let qg = &text[q.end..p.start];
            if qg == " " || qg == "\u{a0}" {
                let pair = format!("{} {}", &text[q.start..q.end], pw);
                if is_word(&pair, W_INTRO2) {
                    return (CUE_STRONG, false);
                }
            }
        }
        if kinds & W_INTRO2 != 0 && pw.contains('\'') {
            return (CUE_STRONG, false);
        }
        if kinds & (W_LABEL | W_CONTEXT) != 0 {
            return (CUE_MEDIUM, false);
        }
    }
    // an id or phone right before: "(11) 95044-2687 (Maria Fernanda)"
    if (gap.ends_with('(') || gap.ends_with("- ") || gap.ends_with(", ")) && !p.alpha {
        return (CUE_MEDIUM, false);
    }
    (CUE_NONE, false)
}

/// Whether `w` is a name particle (`van`, `de`, `dos`): short words only
/// are looked up.
#[inline]
fn maybe_particle(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() <= 6
        && !b.is_empty()
        && CUE_LENS[b[0].to_ascii_lowercase() as usize] & (1 << b.len()) != 0
        && is_word(w, W_PARTICLE)
}

/// The kinds of words a one-word candidate needs right before it.
const CUE_KINDS: u32 =
    W_TITLE | W_LABEL | W_COLON_LABEL | W_SALUTE | W_INTRO | W_INTRO2 | W_INTRO2_END | W_PARTICLE;

/// Per first byte (lower-cased), the lengths (bit k: k bytes, k < 64) of the
/// words of [`CUE_KINDS`]: most words are ruled out without a lookup.
static CUE_LENS: LazyLock<[u64; 256]> = LazyLock::new(|| {
    let mut m = [0u64; 256];
    let mut add = |w: &str| {
        // as written in lower case and capitalized (a non-ASCII capital
        // may start with another byte, or be longer)
        let mut cap = String::new();
        let mut cs = w.chars();
        if let Some(c) = cs.next() {
            cap.extend(c.to_uppercase());
        }
        cap.push_str(cs.as_str());
        for form in [w, cap.as_str(), &w.to_uppercase()] {
            let b = form.as_bytes();
            if !b.is_empty() && b.len() < 64 {
                m[b[0] as usize] |= 1 << b.len();
                m[b[0].to_ascii_lowercase() as usize] |= 1 << b.len();
            }
        }
    };
    for list in [
        TITLES,
        TITLES_WEAK,
        LABELS,
        COLON_LABELS,
        SALUTES,
        INTRO,
        PARTICLES,
    ] {
        for w in list {
            add(&w.to_lowercase());
        }
    }
    for w in INTRO2 {
        add(&w.to_lowercase());
        if let Some((_, last)) = w.rsplit_once(' ') {
            add(&last.to_lowercase());
        }
    }
    m
});

/// Whether the capitalized word `toks[i]`, alone, may get a strong cue
/// before it (a title, label, salutation, introduction, a chat handle's
/// `] ` or `<`) or an e-mail after it in `<…>`: a necessary condition of a
/// one-word candidate.
fn single_may_be_name(text: &str, toks: &[Tok], i: usize) -> bool {
    let t = toks[i];
    let b = text.as_bytes();
    let before = text[..t.start].trim_end_matches(' ');
    if before.ends_with(']') || before.ends_with('<') || text[t.end..].starts_with(" <") {
        return true;
    }
    if i == 0 {
        return false;
    }
    let p = toks[i - 1];
    let gap = &b[p.end..t.start];
    if gap.len() > 4 || gap.contains(&b'\n') {
        return false;
    }
    // after a sentence's end only an abbreviated title ("Dr. ", "Sra. ")
    if gap.contains(&b'.') && p.end - p.start > 6 {
        return false;
    }
    let pw = &b[p.start..p.end];
    pw.len() < 64
        && CUE_LENS[pw[0] as usize] & (1 << pw.len()) != 0
        && word_kinds(&text[p.start..p.end]) & CUE_KINDS != 0
}

/// Whether the word ends like a place (`Jonathanshire`, `Davidfurt`) or is
/// a word that ends a place name (`Ville`, `City`).
fn place_like(w: &str) -> bool {
    if is_word(w, W_PLACE_AFTER) {
        return true;
    }
    const SUFFIXES: &[&str] = &[
        "shire", "ville", "burgh", "borough", "mouth", "chester", "caster", "haven", "stadt",
        "hausen", "dorf", "furt", "bury",
    ];
    let b = w.as_bytes();
    SUFFIXES
        .iter()
        .any(|s| b.len() > s.len() + 2 && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes()))
}

/// Whether the house number after `pos` ([`house_number_after`]) is followed
/// by a unit word (`Piso`, `Apt.`, `Of.`) or ends its line or cell.
fn number_ends_street(text: &str, pos: usize) -> bool {
    let rest = text[pos..].trim_start_matches([' ', ',']);
    let d = rest
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'/')
        .count();
    let after = &rest[d..];
    if after.is_empty() || after.starts_with('\n') || after.starts_with("\r") {
        return true;
    }
    let w = after.trim_start_matches([' ', ',']);
    let word = &w[..w.find([' ', ',', '\n']).unwrap_or(w.len())];
    matches!(
        word.to_lowercase().trim_end_matches('.'),
        "piso"
            | "puerta"
            | "interior"
            | "int"
            | "depto"
            | "dpto"
            | "apt"
            | "apto"
            | "of"
            | "oficina"
            | "local"
            | "appartamento"
            | "piano"
            | "scala"
            | "andar"
            | "sala"
            | "bloco"
            | "casa"
            | "lote"
            | "suite"
            | "unit"
            | "flat"
            | "edif"
            | "torre"
    )
}

/// Whether a house number follows `pos`: spaces or ", ", then 1-4 digits
/// (and maybe one letter or "/digits") that end a word.
fn house_number_after(text: &str, pos: usize) -> bool {
    let b = &text.as_bytes()[pos..];
    let mut i = 0;
    while i < b.len() && i < 2 && (b[i] == b' ' || b[i] == b',') {
        i += 1;
    }
    if i == 0 {
        return false;
    }
    let d = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if d == 0 || d > 4 {
        return false;
    }
    let mut j = i + d;
    if j < b.len() && b[j].is_ascii_alphabetic() {
        j += 1;
    }
    j == b.len() || !b[j].is_ascii_alphanumeric()
}

fn detect_in(
    text: &str,
    toks: &[Tok],
    name_column: bool,
    out: &mut dyn FnMut(usize, usize, f64, bool),
) {
    if toks.is_empty() {
        return;
    }
    if name_column && whole_cell(text, toks, out) {
        return;
    }
    let s = |t: &Tok| &text[t.start..t.end];
    let n = toks.len();
    let mut i = 0;
    while i < n {
        let t = toks[i];
        if !(t.upper && t.alpha) {
            // a script without case (CJK, Hangul, Thai): one to three words
            // right after a name label and ':' ("氏名: 佐藤 花子", "Name: 丹丹 孙")
            if t.non_ascii && t.alpha && i > 0 && caseless_start(s(&t)) {
                let p = toks[i - 1];
                let gap = &text[p.end..t.start];
                if (gap.contains(':') || gap.contains('：'))
                    && gap.len() <= 5
                    && !gap.contains('\n')
                    && word_kinds(s(&p)) & W_LABEL != 0
                {
                    let mut j = i + 1;
                    while j < n
                        && j < i + 3
                        && toks[j].alpha
                        && toks[j].non_ascii
                        && &text[toks[j - 1].end..toks[j].start] == " "
                        && caseless_start(s(&toks[j]))
                    {
                        j += 1;
                    }
                    out(t.start, toks[j - 1].end, 0.6, false);
                    i = j;
                    continue;
                }
            }
            i += 1;
            continue;
        }
        // a capitalized word that no other joins is a name only with a
        // strong cue right before it: check that first, without lookups
        let joined = i + 1 < n && {
            let tn = toks[i + 1];
            (tn.upper
                && tn.alpha
                && gap_is_name_sep(text, &t, &tn)
                && all_caps(text, &tn) == all_caps(text, &t))
                || (!tn.upper && &text[t.end..tn.start] == " " && maybe_particle(s(&tn)))
        };
        if !joined && !single_may_be_name(text, toks, i) {
            i += 1;
            continue;
        }
        let (f, kinds) = token_info(s(&t));
        let one_letter = t.end - t.start == 1;
        if (kinds & W_TITLE != 0 && !one_letter) || kinds & W_SALUTE != 0 {
            i += 1;
            continue;
        }
        if kinds & W_STOP != 0
            || (kinds & (W_DETERMINER | W_NOT_NAME) != 0
                && f & (FIRST_BIT | LAST_BIT) != 0
                && f & WORD_BIT != 0)
        {
            i += 1;
            continue;
        }
        // the run: capitalized tokens, with particles between them
        let mut body = [0usize; 4];
        let mut flags = [0u8; 4];
        let mut kinds_of = [0u32; 4];
        let mut nb = 1;
        body[0] = i;
        flags[0] = f;
        kinds_of[0] = kinds;
        let caps_run = all_caps(text, &t);
        let mut j = i + 1;
        while nb < 4 && j < n {
            let tj = toks[j];
            let gap = &text[toks[j - 1].end..tj.start];
            if tj.upper && tj.alpha && gap_is_name_sep(text, &toks[j - 1], &tj) {
                if all_caps(text, &tj) != caps_run {
                    break;
                }
                let (fj, kj) = token_info(s(&tj));
                let particle_inside = kj & W_PARTICLE != 0
                    && j + 1 < n
                    && toks[j + 1].upper
                    && toks[j + 1].alpha
                    && &text[tj.end..toks[j + 1].start] == " ";
                if (kj & W_STOP != 0
                    && !particle_inside
                    && kj & (W_NOT_NAME | W_DETERMINER | W_CONTEXT | W_INTRO | W_LABEL) != 0)
                    || (kj & W_TITLE != 0 && tj.end - tj.start > 1)
                {
                    break;
                }
                body[nb] = j;
                flags[nb] = fj;
                kinds_of[nb] = kj;
                nb += 1;
                j += 1;
                continue;
            }
            // particles: "van der", "de la", "dos"
            if !tj.upper && gap == " " && maybe_particle(s(&tj)) {
                let mut k = j + 1;
                if k < n
                    && !toks[k].upper
                    && &text[toks[k - 1].end..toks[k].start] == " "
                    && maybe_particle(s(&toks[k]))
                {
                    k += 1;
                }
                if k < n
                    && toks[k].upper
                    && toks[k].alpha
                    && &text[toks[k - 1].end..toks[k].start] == " "
                    && !all_caps(text, &toks[k])
                {
                    let (fk, kk) = token_info(s(&toks[k]));
                    if kk & W_STOP == 0 {
                        body[nb] = k;
                        flags[nb] = fk;
                        kinds_of[nb] = kk;
                        nb += 1;
                        j = k + 1;
                        continue;
                    }
                }
            }
            break;
        }
        let next = j;
        i = next;
        if caps_run || (nb == 1 && !single_may_be_name(text, toks, body[0])) {
            continue;
        }
        let mut b0 = 0;
        // a one-letter title or an initial first: "M. Bujard", "J. Smith"
        let mut initial = false;
        let mut letter_title = false;
        if nb >= 2 && one_letter && &text[t.end..toks[body[1]].start] == ". " {
            if kinds & W_STREET_BEFORE != 0 {
                // "C. Cayetano Gordillo 83"
                continue;
            }
            letter_title = kinds & W_TITLE != 0;
            initial = !letter_title;
            b0 = 1;
        }
        // drop leading words that are no name (labels, "Customer")
        while b0 < nb - 1
            && (flags[b0] & (FIRST_BIT | LAST_BIT) == 0 || flags[b0] & WORD_BIT != 0)
            && kinds_of[b0] & (W_NOT_NAME | W_LABEL | W_CONTEXT | W_DETERMINER) != 0
        {
            b0 += 1;
        }
        // "Please Contact John Smith": start the run at its first known first name
        if nb - b0 >= 3
            && flags[b0] & FIRST_BIT == 0
            && let Some(k) = (b0 + 1..nb - 1).find(|&k| flags[k] & FIRST_BIT != 0)
        {
            b0 = k;
        }
        // a business word at the end is cut off ("Alberdi Company")
        while nb - b0 >= 2 && kinds_of[nb - 1] & W_COMPANY_WORD != 0 {
            nb -= 1;
        }
        let first_i = body[b0];
        let last_i = body[nb - 1];
        let (mut start, end) = (toks[first_i].start, toks[last_i].end);
        let count = nb - b0;
        // a company ("Berg Logistik AG", "Gaillard S.A.", "Fernandes et Fils")
        if (count >= 2 && kinds_of[nb - 1] & W_COMPANY != 0)
            || company_follows(text, end)
            || (text.as_bytes().get(end) == Some(&b'.')
                && count >= 2
                && company_follows(text, toks[last_i].start))
            || (toks[last_i].end - toks[last_i].start == 1
                && company_follows(text, toks[last_i].start))
        {
            continue;
        }

        // what comes before: a title, a determiner, a street type, a number
        let mut titled = letter_title;
        let mut ambiguous_title = false;
        let mut number_before = false;
        let mut value_before = false;
        if first_i > 0 && !letter_title && !initial {
            // over particles: "Mevrouw van Loon", "O Sr. da Cruz"
            let mut k = first_i - 1;
            while k > 0
                && !toks[k].upper
                && is_word(s(&toks[k]), W_PARTICLE)
                && &text[toks[k].end..toks[k + 1].start] == " "
            {
                k -= 1;
            }
            let p = toks[k];
            let gap = &text[p.end..toks[k + 1].start];
            let pk = word_kinds(s(&p));
            if !gap.contains('\n') && gap.len() <= 2 && pk & W_TITLE != 0 {
                // a one-letter title must be capitalized and dotted
                titled = p.end - p.start > 1 || (p.upper && gap == ". ");
                ambiguous_title = pk & W_TITLE_WEAK != 0;
                if titled && k + 1 < first_i {
                    start = toks[k + 1].start;
                }
            }
            // a street type, maybe over particles: "Plaza de Flavio Campoy 63"
            if gap.len() <= 2 && !gap.contains('\n') && pk & W_STREET_BEFORE != 0 {
                continue;
            }
            let p = toks[first_i - 1];
            let gap = &text[p.end..toks[first_i].start];
            if !titled && gap == " " && pk & W_DETERMINER != 0 {
                continue;
            }
            // "PT Halimah Wahyudin", "TP. Hồ Chí Minh", "São João Baptista"
            if gap.len() <= 2
                && !gap.contains('\n')
                && word_kinds(s(&p)) & (W_COMPANY_BEFORE | W_PLACE) != 0
                && word_kinds(s(&p)) & W_TITLE == 0
                && p.upper
            {
                continue;
            }
            // a title inside a street name: "Largo do Prof. Ruy Luís Gomes"
            if titled && k > 0 {
                let mut q = k - 1;
                while q > 0
                    && !toks[q].upper
                    && is_word(s(&toks[q]), W_PARTICLE)
                    && &text[toks[q].end..toks[q + 1].start] == " "
                {
                    q -= 1;
                }
                let qg = &text[toks[q].end..toks[q + 1].start];
                if qg.len() <= 2 && !qg.contains('\n') && is_word(s(&toks[q]), W_STREET_BEFORE) {
                    continue;
                }
            }
            if !p.alpha
                && gap
                    .bytes()
                    .all(|c| matches!(c, b' ' | b',' | b'\n' | b'\r'))
            {
                // a house number ("12 Taylor Lane") or a long value (a card,
                // a phone: "…6205 08/27 Meghan Hartman")
                let digits = text.as_bytes()[..toks[first_i].start]
                    .iter()
                    .rev()
                    .take_while(|c| {
                        c.is_ascii_digit()
                            || matches!(c, b' ' | b'.' | b'-' | b'/' | b'(' | b')' | b'+')
                    })
                    .filter(|c| c.is_ascii_digit())
                    .count();
                value_before = digits >= 10;
                number_before = !value_before;
                if number_before && !gap.contains('\n') {
                    continue;
                }
            }
        }
        // streets, places and companies
        let first_kinds = word_kinds(s(&toks[first_i]));
        let last_w = s(&toks[last_i]);
        let last_kinds = word_kinds(last_w);
        let next_kinds = if next < n && !text[toks[next - 1].end..toks[next].start].contains('\n') {
            word_kinds(s(&toks[next]))
        } else {
            0
        };
        if first_kinds & (W_PLACE | W_STREET_BEFORE) != 0 && first_kinds & W_TITLE == 0 && !titled {
            continue;
        }
        if (next_kinds | last_kinds) & W_STREET_STRICT != 0 {
            continue;
        }
        let number_after = house_number_after(text, end);
        if (next_kinds | last_kinds) & W_STREET_AFTER != 0 && (number_before || number_after) {
            continue;
        }
        if number_after && street_compound(last_w) != 0 {
            continue;
        }
        // "Arturo Prat 116 Piso 9", "Pedro Montt 211\n9777810 Puyehue": a
        // street named after a person, with its number
        if number_after && !titled && number_ends_street(text, end) {
            continue;
        }
        if place_like(last_w) {
            continue;
        }
        // a particle inside the run: a place ("Aparecida do Oeste", "depósito
        // de Freitas de Almeida") unless a first name starts it and no
        // particle or place word surrounds it
        let inner_particle =
            (first_i..last_i).any(|k| !toks[k].upper && is_word(s(&toks[k]), W_PARTICLE));
        if inner_particle {
            let particle_before = first_i > 0
                && !toks[first_i - 1].upper
                && is_word(s(&toks[first_i - 1]), W_PARTICLE)
                && !text[toks[first_i - 1].end..start].contains('\n');
            let place_word = kinds_of[b0..nb]
                .iter()
                .any(|k| k & (W_PLACE_AFTER | W_GEO) != 0);
            if (particle_before || place_word) && !titled {
                continue;
            }
        }
        // cues
        let (mut before, introduces) = cue_before(text, toks, first_i, end);
        if value_before {
            before = before.max(CUE_MEDIUM);
        }
        let after = cue_after(text, end);
        let line = if before == CUE_NONE && after == CUE_NONE {
            cue_line(text, start, end)
        } else {
            CUE_NONE
        };
        let cue = before.max(after).max(line);
        // name lists
        let f0 = flags[b0];
        let strong_name = |f: u8| f & (FIRST_BIT | LAST_BIT) != 0 && f & WORD_BIT == 0;
        let mut rest_last = false;
        let mut rest_strong = false;
        let mut rest_known = false;
        for &f in &flags[b0 + 1..nb] {
            rest_last |= f & LAST_BIT != 0;
            rest_known |= f & (FIRST_BIT | LAST_BIT) != 0;
            rest_strong |= strong_name(f);
        }
        let first_known = f0 & FIRST_BIT != 0;
        let not_name = first_kinds & (W_NOT_NAME | W_PLACEHOLDER) != 0 && !strong_name(f0);
        let conf: f64;
        let window: bool;
        if titled {
            conf = if count >= 2 || f0 & (FIRST_BIT | LAST_BIT) != 0 {
                if count >= 2 { 0.85 } else { 0.75 }
            } else if !ambiguous_title && !not_name {
                0.55
            } else {
                continue;
            };
            window = false;
        } else if initial {
            // "J. Smith": a known surname after the initial
            let f_last = flags[nb - 1];
            if !(f_last & LAST_BIT != 0 && f_last & WORD_BIT == 0) {
                continue;
            }
            conf = if cue == CUE_NONE { 0.5 } else { 0.65 };
            window = true;
        } else if count >= 2 {
            // a last word that is also a street or place word ("Elliott
            // Hill") makes a name only with a cue
            if last_kinds & W_STREET_AFTER != 0 && count == 2 {
                rest_strong = false;
                rest_last = false;
            }
            // three words or more: each a known name ("Jung Gott Luft" is
            // German nouns)
            let all_known = flags[b0..nb]
                .iter()
                .all(|f| f & (FIRST_BIT | LAST_BIT) != 0);
            let mut base = if first_known
                && rest_last
                && (strong_name(f0) || rest_strong)
                && (count == 2 || all_known)
            {
                0.8
            } else if first_known && (rest_known || f0 & WORD_BIT == 0) {
                0.45
            } else if first_known {
                0.3
            } else if rest_last && rest_strong {
                0.35
            } else {
                0.25
            };
            if not_name {
                base = 0.2;
            }
            conf = base
                + match cue {
                    CUE_STRONG => 0.3,
                    CUE_MEDIUM if base >= 0.35 => 0.2,
                    _ => 0.0,
                };
            window = base >= 0.3;
        } else {
            // one word: a name only with a strong cue before it (or inside
            // `<…>` after it) and, unless a label or chat handle introduces
            // it, only a known name
            if not_name || all_caps(text, &toks[first_i]) || s(&toks[first_i]).chars().count() < 2 {
                continue;
            }
            let known = strong_name(f0);
            conf = if before == CUE_STRONG && known {
                0.6
            } else if before == CUE_STRONG && introduces {
                0.5
            } else if after == CUE_STRONG && known {
                0.6
            } else {
                continue;
            };
            if text.is_ascii() && !name_column && !may_hold_name(text.as_bytes()) {
                continue;
            }
            window = false;
        }
        out(start, end, conf.min(0.95), window);
    }
}

/// German, Dutch, Nordic and Finnish street names are one word with the
/// street type as its ending (`Hauptstraße`, `Kerkstraat`, `Storgatan`,
/// `Nørregade`, `Mannerheimintie`). [`STRICT_COMPOUND`]: the ending makes
/// the word a street; [`WEAK_COMPOUND`]: only with more evidence (`ring`,
/// `hof`, `park` end other words too).
pub(crate) const STRICT_COMPOUND: u8 = 2;
/// See [`STRICT_COMPOUND`].
pub(crate) const WEAK_COMPOUND: u8 = 1;

/// Street endings, lower case.
#[rustfmt::skip]
const COMPOUND_STRICT: &[&str] = &[
    "straße", "strasse", "str.", "allee", "platz", "gasse", "chaussee", "steig", "stieg", "pfad",
    "straat", "laan", "plein", "gracht", "singel", "dreef", "steeg", "kade", "plantsoen",
    "gatan", "vägen", "gränd", "stigen", "torget", "allén", "gången", "gade", "vej", "stræde",
    "plads", "vænget", "veien", "vegen", "gaten", "gata", "katu", "kuja", "polku", "väylä",
    "kaari", "puistikko", "raitti", "tänav", "iela", "gatvė", "utca", "ulica", "weg",
];
#[rustfmt::skip]
const COMPOUND_WEAK: &[&str] = &[
    "ring", "hof", "pad", "baan", "dijk", "park", "markt", "wal", "damm", "ufer", "kamp", "graben",
    "wall", "garten", "berg", "backen", "bakken", "plan", "leden", "gate", "vei", "veg", "allé",
    "torv", "parken", "stien", "plassen", "tori", "rinne", "ranta", "mäki", "aukio", "tie",
    "erf", "hoeve", "veld", "brink", "haven", "zeile", "promenade", "anger", "toften", "løkken",
    "højen", "engen", "svingen", "slingan", "kroken", "tee", "mnt", "pst",
];

/// [`STRICT_COMPOUND`], [`WEAK_COMPOUND`] or 0: whether `w` ends with a
/// street type (and has at least three letters before it, or a hyphen).
pub(crate) fn street_compound(w: &str) -> u8 {
    if w.len() < 4 || !w.chars().next().is_some_and(char::is_uppercase) {
        return 0;
    }
    let lw = w.to_lowercase();
    let ends = |sfx: &str| {
        lw.ends_with(sfx) && {
            let stem = &lw[..lw.len() - sfx.len()];
            // "Ekgatan", "Mannerheimintie", "Max-Planck-Ring"
            stem.chars().count() >= if sfx.len() >= 5 { 2 } else { 3 } || stem.ends_with('-')
        }
    };
    if COMPOUND_STRICT.iter().any(|s| ends(s)) {
        return STRICT_COMPOUND;
    }
    if COMPOUND_WEAK.iter().any(|s| ends(s)) {
        return WEAK_COMPOUND;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_loaded() {
        let (f, l) = name_list_sizes();
        assert!(f > 20000 && l >= 50000, "{f} {l}");
        assert!(is_first_name("john") && is_first_name("JOHN") && is_last_name("Smith"));
        // other countries, with and without diacritics
        for (first, last) in [
            ("Søren", "Jørgensen"),
            ("Jiří", "Dvořák"),
            ("Jiri", "Dvorak"),
            ("Mikko", "Virtanen"),
            ("László", "Kovács"),
            ("Ioana", "Popescu"),
            ("Kristina", "Kazlauskas"),
            ("Maricel", "Bautista"),
        ] {
            assert!(is_first_name(first), "{first}");
            assert!(is_last_name(last), "{last}");
        }
        assert!(!is_first_name("please") && !is_last_name("the"));
        // the loader trusts the lists to be lower case and trimmed
        for list in [FIRST_NAMES, LAST_NAMES, NAME_WORDS, NON_NAMES] {
            for l in list.lines() {
                assert!(l == l.trim() && l == l.to_lowercase(), "{l:?}");
            }
        }
    }

    fn found(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        detect(text, false, &mut out);
        out.iter()
            .filter(|c| c.2 >= 0.5)
            .map(|c| &text[c.0..c.1])
            .collect()
    }

    #[test]
    fn rules() {
        assert_eq!(found("Please contact John Smith today"), ["John Smith"]);
        assert_eq!(found("Dr. Xyzzy will see you").len(), 1);
        assert!(found("12 Taylor Lane").is_empty());
        assert!(found("Via Alma Francisco 69").is_empty());
        assert!(found("Berg Logistik AG, UID").is_empty());
        assert!(found("Arnaud Fernandes et Fils").is_empty());
        assert!(found("born in Port Carlos").is_empty());
        assert!(found("customer VAT ID PL9419816262").is_empty());
        assert!(found("The McCarthyburn warehouse is closed").is_empty());
        assert!(found("O depósito de Freitas de Almeida fecha").is_empty());
        assert!(found("Kristjan Vodopivec s.p.").is_empty());
        assert!(found("PT Halimah Wahyudin").is_empty());
        assert!(found("Arturo Prat 116 Piso 9").is_empty());
        assert!(found("Danke für Ihre Geduld").is_empty());
        assert!(found("Jung Gott Luft er deshalb").is_empty());
        for (text, name) in [
            ("Nombre: Xoan Quiroga; DNI: 1234", "Xoan Quiroga"),
            ("[09:50] Ester: jag bor på Strandstigen 2", "Ester"),
            ("<Malea Gasser> ok, thanks!", "Malea Gasser"),
            (
                "Saludos cordiales,\nElisabet Uriarte Giner\nTel. 981",
                "Elisabet Uriarte Giner",
            ),
            ("Hej! Jag heter Kerstin Svensson", "Kerstin Svensson"),
            ("Mats Sandell (3604185599)", "Mats Sandell"),
            ("Il sig. Rossi ha chiamato", "Rossi"),
            ("M. Bujard est absent", "Bujard"),
            ("Anna van der Heiden - BSN 203517982", "Anna van der Heiden"),
            ("Ana Rezende <ana.rezende@uol.com.br>", "Ana Rezende"),
            ("Björn Eriksson (580421-1687)", "Björn Eriksson"),
            ("Mevrouw van Loon belde terug", "van Loon"),
            ("Janice Stace's NI number is JH 71 69 20 D", "Janice Stace"),
            ("Navn: Søren Kierkegaard", "Søren Kierkegaard"),
            ("Hyvä Mikko Virtanen,", "Mikko Virtanen"),
            ("Kedves Kovács Péter!", "Kovács Péter"),
        ] {
            assert_eq!(found(text), [name], "{text:?}");
        }
    }

    #[test]
    fn name_columns() {
        let mut out = Vec::new();
        for (text, n) in [
            ("Culligan", 1),
            ("van der Berg", 1),
            ("Unknown", 0),
            ("N/A", 0),
        ] {
            out.clear();
            detect(text, true, &mut out);
            assert_eq!(out.iter().filter(|c| c.2 >= 0.5).count(), n, "{text:?}");
        }
    }

    /// The name lookup on the plainly lower-cased token, for comparison.
    fn name_flags_before(token: &str) -> u8 {
        if token.len() > 48 {
            return 0;
        }
        let lower = token.to_lowercase();
        let f = NAMES.get_lower(lower.as_bytes());
        if f != 0 || lower.is_ascii() {
            return f;
        }
        let mut folded = String::new();
        fold_into(&lower, &mut folded);
        NAMES.get_lower(folded.as_bytes())
    }

    const PIECES: &[&str] = &[
        "John",
        "SMITH",
        "o'brien",
        "Jean-Pierre",
        "Müller",
        "ÉMILE",
        "ÉCOLE",
        "’",
        "“",
        "\u{a0}",
        "x-",
        "-y",
        "'",
        "12",
        "a1",
        "Dr",
        "mr.",
        "Rue",
        "avenue",
        "Lane",
        "st",
        "the",
        "Mary",
        "Ann",
        "McDonald",
        "VAN",
        "der",
        "  ",
        " ",
        ".",
        ", ",
        "日本",
        "ß",
        "Ωmega",
        "abcdefghijklmnopq",
        "[10:02]",
        ":",
        "<",
        ">",
        "(",
        "\n",
        "Dear",
        "Hola",
        "Nombre:",
        "soy",
        "Saludos,",
        "Jiří",
        "Dvořák",
    ];

    fn random_text(seed: &mut u64) -> String {
        let mut next = |n: usize| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % n as u64) as usize
        };
        let mut t = String::new();
        for _ in 0..1 + next(10) {
            t.push_str(PIECES[next(PIECES.len())]);
            if next(3) > 0 {
                t.push(' ');
            }
        }
        t
    }

    #[test]
    fn lookups_match_the_plain_lower_casing() {
        let mut seed = 7u64;
        let mut buf = Vec::new();
        for _ in 0..30000 {
            let t = random_text(&mut seed);
            tokens(&t, &mut buf);
            for k in &buf {
                let w = &t[k.start..k.end];
                assert_eq!(name_flags(w), name_flags_before(w), "{w:?}");
            }
        }
        for l in FIRST_NAMES.lines().chain(LAST_NAMES.lines()).step_by(7) {
            let upper = if l.is_ascii() {
                l.to_uppercase()
            } else {
                l.to_string()
            };
            for w in [l.to_string(), upper, l.to_lowercase()] {
                assert_eq!(name_flags(&w), name_flags_before(&w), "{w:?}");
                assert_ne!(name_flags(&w), 0, "{w:?}");
            }
        }
    }

    /// Outside a name column, ASCII text that `may_hold_name` rejects gets
    /// no candidate.
    #[test]
    fn may_hold_name_is_necessary() {
        let mut seed = 11u64;
        let mut out = Vec::new();
        let mut rejected = 0;
        for _ in 0..50000 {
            let t = random_text(&mut seed);
            if !t.is_ascii() || may_hold_name(t.as_bytes()) {
                continue;
            }
            rejected += 1;
            out.clear();
            detect(&t, false, &mut out);
            assert!(out.is_empty(), "{t:?}");
        }
        assert!(rejected > 1000, "{rejected}");
    }
}
