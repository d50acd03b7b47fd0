//! Postal addresses: a house number followed by an English or French
//! street, a German street name followed by its number, and French streets
//! without a number; with the byte checks that gate them. Around each house
//! number, also the street conventions of other countries: a street type, a
//! name and the number (`Calle Mayor 5`, `Via Roma, 12`, `ul. Polna 3`,
//! `Rua das Flores, 45`), a name, a street type and the number (`Kossuth
//! utca 12`, `Brīvības iela 5`, `Vilniaus g. 3`), one word ending in a street
//! type and the number (`Kerkstraat 12`, `Storgatan 5`, `Nørregade 3`,
//! `Mannerheimintie 8`), a number and the street (`12 Isabel Tollway`, `6297
//! montée Gravel`), with a unit before (`Apt. 145`, `Suite 3`) or after
//! (`Piso 2`, `Interior 103`, `Appartamento 31`); and, with no street type,
//! a capitalized name and a number followed by a postcode and a town
//! (`Nádražní 12, 110 00 Praha`) or alone in an address column.

use super::numbers::NumericSpan;
use super::patterns::{DE_STRONG, DE_WEAK, RE_ADDR_EN, RE_ADDR_FR, RE_ADDR_FR_FREE};
use super::{CellContext, Scanner, floor_boundary, is_alnum};
use crate::entity::EntityType::{self, *};
use crate::names::{
    STRICT_COMPOUND, WEAK_COMPOUND, is_street_type_after, is_street_type_before, street_compound,
};

/// The F_FR_STREET anchors without their trailing space, lower-case as
/// RE_ADDR_FR_FREE (case-sensitive) needs them.
const FR_STREET_WORDS: &[&[u8]] = &[
    b"rue",
    b"avenue",
    b"boulevard",
    b"chemin",
    b"impasse",
    "allée".as_bytes(),
    b"quai",
    b"route",
    b"cours",
    b"passage",
];

/// The last three bytes of `w`, packed.
#[inline]
const fn last_three_bytes(w: &[u8]) -> u32 {
    let n = w.len();
    (w[n - 3] as u32) << 16 | (w[n - 2] as u32) << 8 | w[n - 1] as u32
}

/// Whether one of [`FR_STREET_WORDS`] occurs right before a space in `b`.
/// RE_ADDR_FR_FREE needs one (a street word, then spaces and an upper-case
/// letter): where none occurs the regex cannot match, whatever the anchor
/// pass finds.
#[inline]
pub(super) fn fr_street_word(b: &[u8]) -> bool {
    const TAILS: [u32; FR_STREET_WORDS.len()] = {
        let mut t = [0; FR_STREET_WORDS.len()];
        let mut i = 0;
        while i < t.len() {
            t[i] = last_three_bytes(FR_STREET_WORDS[i]);
            i += 1;
        }
        t
    };
    /// The last bytes of the words (0xA9 ends 'é'), as a bitmap.
    const LAST: [u64; 4] = {
        let mut m = [0u64; 4];
        let mut i = 0;
        while i < FR_STREET_WORDS.len() {
            let w = FR_STREET_WORDS[i];
            let c = w[w.len() - 1];
            m[(c >> 6) as usize] |= 1 << (c & 63);
            i += 1;
        }
        m
    };
    let word_before = |sp: usize| {
        let c = b[sp - 1];
        if sp < 3 || LAST[(c >> 6) as usize] & (1 << (c & 63)) == 0 {
            return false;
        }
        let pre = &b[..sp];
        TAILS.contains(&last_three_bytes(pre)) && FR_STREET_WORDS.iter().any(|w| pre.ends_with(w))
    };
    // the spaces, 8 bytes at a time: a zero byte of `x` is a space
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let mut base = 0;
    while base < b.len() {
        let word = match b.get(base..base + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
            // the last, shorter chunk, zero-padded (a zero is no space)
            None => b[base..].iter().rev().fold(0u64, |w, &c| w << 8 | c as u64),
        };
        let x = word ^ (b' ' as u64 * ONES);
        // bit 7 of each zero byte (and possibly of a byte above one: checked)
        let mut zeros = x.wrapping_sub(ONES) & !x & (0x80 * ONES);
        while zeros != 0 {
            let sp = base + (zeros.trailing_zeros() / 8) as usize;
            zeros &= zeros - 1;
            if sp > 0 && sp < b.len() && b[sp] == b' ' && word_before(sp) {
                return true;
            }
        }
        base += 8;
    }
    false
}

/// Whether `b` holds "rue".
#[inline]
pub(super) fn has_rue(b: &[u8]) -> bool {
    b.windows(3)
        .any(|w| w[0] == b'r' && w[1] == b'u' && w[2] == b'e')
}

impl Scanner {
    /// French streets without a house number.
    #[inline(never)]
    pub(super) fn fr_streets(
        &self,
        text: &str,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        for m in RE_ADDR_FR_FREE.find_iter(text) {
            let conf = ctx.boost(StreetAddress, m.start(), m.end(), 0.55, 0.2, 0.25);
            push(StreetAddress, m.start(), m.end(), conf);
        }
    }

    /// A street address around the house number `sp`.
    pub(super) fn address(
        &self,
        text: &str,
        sp: &NumericSpan,
        ctx: &CellContext<'_>,
        push: &mut impl FnMut(EntityType, usize, usize, f64),
    ) {
        let b = text.as_bytes();
        // house number: one group, or "67/56"
        let ok_shape = sp.group_count == 1
            || (sp.group_count == 2 && (sp.separators[0] == b'/' || sp.separators[0] == b'-'));
        // "Calle Jalisco 793 250": an outside and an inside number
        let two_numbers = sp.group_count == 2
            && sp.separators[0] == b' '
            && sp.groups[0].1 - sp.groups[0].0 <= 4
            && sp.groups[1].1 - sp.groups[1].0 <= 4;
        if !ok_shape && !two_numbers {
            return;
        }
        let end = sp.end;
        // a number right after a street ("Miller Road, 4615 Jessica Ville",
        // "Kerkstraat 5\n1234 AB Town") is a postcode, not a house number
        if after_street(text, sp.start) {
            return;
        }
        if ok_shape {
            let tail_end = floor_boundary(text, (end + 160).min(text.len()));
            let tail = &text[end..tail_end];
            // "H.No. 840"
            let mut start = sp.start;
            let pre = &text[..start];
            for p in ["H.No. ", "H.No.", "House No. ", "No. "] {
                if pre.ends_with(p) {
                    start -= p.len();
                    break;
                }
            }
            if let Some(m) = RE_ADDR_EN.find(tail) {
                let e = end + m.end();
                if e == b.len() || !is_alnum(b[e]) {
                    let conf = ctx.boost(StreetAddress, start, e, 0.65, 0.2, 0.25);
                    push(StreetAddress, start, e, conf);
                    return;
                }
            }
            if let Some(m) = RE_ADDR_FR.find(tail) {
                let e = end + m.end();
                let conf = ctx.boost(StreetAddress, start, e, 0.75, 0.15, 0.2);
                push(StreetAddress, start, e, conf);
                return;
            }
        }
        if ok_shape || two_numbers {
            // the street after the number, with the street types of other
            // English-speaking countries and Canadian French ("Suite 117 384
            // Nathaniel Quays": a unit number, then the house number)
            let start = sp.start;
            if let Some(e) = street_after_number(text, end) {
                let s = unit_before(text, start);
                let e = unit_after(text, e);
                let conf = ctx.boost(StreetAddress, s, e, 0.65, 0.2, 0.25);
                push(StreetAddress, s, e, conf);
                return;
            }
            // no street type: capitalized words after the number, then a
            // postcode and a town ("Số 61/746 Huỳnh Tấn Phát\n34858 TP. …")
            if let Some(e) = plain_after_number(text, end)
                && postcode_after(text, e)
            {
                let s = unit_before(text, start);
                let conf = ctx.boost(StreetAddress, s, e, 0.6, 0.2, 0.25);
                push(StreetAddress, s, e, conf);
                return;
            }
        }
        // German: the street word precedes the number
        if ok_shape && sp.start >= 4 && b[sp.start - 1] == b' ' && sp.digits() <= 4 {
            let before = &text[..sp.start - 1];
            let ws = before
                .rfind([' ', '\n', '\t', ',', '('])
                .map(|p| p + 1)
                .unwrap_or(0);
            let word = &before[ws..];
            if word.chars().next().is_some_and(char::is_uppercase) {
                let lw = word.to_lowercase();
                let strong = DE_STRONG.iter().any(|s| lw.ends_with(s));
                let weak = lw.contains('-') && DE_WEAK.iter().any(|s| lw.ends_with(s));
                if strong || weak {
                    let mut s = ws;
                    // a separate suffix word ("Berliner Straße"): take the word before too
                    if DE_STRONG.iter().any(|x| lw == *x) && ws >= 2 {
                        let prev = &text[..ws - 1];
                        let ps = prev
                            .rfind([' ', '\n', '\t', ','])
                            .map(|p| p + 1)
                            .unwrap_or(0);
                        if prev[ps..].chars().next().is_some_and(char::is_uppercase) {
                            s = ps;
                        }
                    }
                    let mut e = sp.end;
                    if e < b.len()
                        && b[e].is_ascii_lowercase()
                        && (e + 1 == b.len() || !is_alnum(b[e + 1]))
                    {
                        e += 1;
                    }
                    let conf = ctx.boost(StreetAddress, s, e, 0.7, 0.2, 0.25);
                    push(StreetAddress, s, e, conf);
                    return;
                }
            }
        }
        // the street name before the number, in the other conventions
        let num_end = if two_numbers { sp.end } else { end };
        let house_digits = if two_numbers {
            sp.groups[0].1 - sp.groups[0].0
        } else {
            sp.digits()
        };
        if house_digits > 5 || !number_ends(b, num_end) {
            return;
        }
        if let Some((s, kind)) = street_before_number(text, sp.start) {
            let e = unit_after(text, num_end);
            let postcode = postcode_after(text, e);
            let whole = ctx.column.has(StreetAddress) && text[..s].trim().is_empty() && {
                let rest = text[e..].trim_start_matches([',', ' ']);
                rest.is_empty() || rest.starts_with('\n') || postcode
            };
            let base = match kind {
                Street::TypeBefore | Street::TypeAfter | Street::Compound => 0.7,
                Street::WeakCompound if postcode || whole || s_hyphen(text, s, sp.start) => 0.7,
                Street::WeakCompound => 0.45,
                Street::Plain if postcode => 0.6,
                Street::Plain if whole => 0.5,
                Street::Plain => return,
            };
            let conf = ctx.boost(StreetAddress, s, e, base, 0.2, 0.25);
            push(StreetAddress, s, e, conf);
        }
    }
}

/// Whether the text before `start` (over ", " or a line break) ends with a
/// street type or a house number and its street: then a number at `start`
/// begins a postcode.
fn after_street(text: &str, start: usize) -> bool {
    let pre = text[..start].trim_end_matches(' ');
    let Some(pre) = pre.strip_suffix(',').or_else(|| pre.strip_suffix('\n')) else {
        return false;
    };
    let pre = pre.trim_end_matches([' ', '\r']);
    // the street before has its house number on its line
    let line = &pre[pre.rfind('\n').map_or(0, |i| i + 1)..];
    if !line.bytes().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let w = &pre[pre.rfind([' ', '\n', ',']).map_or(0, |i| i + 1)..];
    let bare = w.trim_end_matches('.');
    if bare.is_empty() {
        return false;
    }
    if bare.chars().next().is_some_and(char::is_uppercase)
        && (is_street_type_after(bare) || street_compound(bare) != 0)
        && bare.len() > 2
    {
        return true;
    }
    // "…Straße 5, 12345 Berlin": a short number after a street word
    let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=4).contains(&digits) && digits + 2 >= bare.len() {
        let before = pre[..pre.len() - w.len()].trim_end();
        let pw = &before[before.rfind([' ', '\n', ',']).map_or(0, |i| i + 1)..];
        return pw.chars().next().is_some_and(char::is_uppercase)
            && (street_compound(pw.trim_end_matches('.')) != 0
                || is_street_type_after(pw.trim_end_matches('.')));
    }
    false
}

/// How the words before a house number make a street.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Street {
    /// A street type, then the name (`Calle Mayor`, `ul. Polna`).
    TypeBefore,
    /// The name, then a street type (`Kossuth utca`, `Vilniaus g.`).
    TypeAfter,
    /// One word ending in a street type (`Kerkstraat`, `Storgatan`).
    Compound,
    /// One word ending in an ambiguous street type (`Yararing`, `Oliviahof`).
    WeakCompound,
    /// Capitalized words with no street type (`Nádražní`).
    Plain,
}

/// Whether the street word before `num_start` is hyphenated
/// (`Max-Planck-Ring`).
fn s_hyphen(text: &str, s: usize, num_start: usize) -> bool {
    text[s..num_start].trim_end().contains('-')
}

/// Whether the number ending at `e` ends a word: the end, a non-alphanumeric
/// byte, or one letter that does ("12a", "12 B" is not read).
fn number_ends(b: &[u8], e: usize) -> bool {
    if e >= b.len() || !b[e].is_ascii_alphanumeric() {
        return true;
    }
    b[e].is_ascii_alphabetic() && (e + 1 == b.len() || !b[e + 1].is_ascii_alphanumeric())
}

/// Street types after a name and before the number, other than the German
/// ones the German rule reads: Hungarian, Baltic, and the unambiguous
/// English ones (`Baker Street 12` as written in Europe).
#[rustfmt::skip]
const TYPE_AFTER_NAME: &[&str] = &[
    "katu", "kuja", "polku", "bulevardi", "puistotie", "väylä", "kaari", "raitti", "tori", "aukio",
    "rinne", "ranta", "piha", "mäki", "kenttä", "ulica", "cesta", "pot", "trg", "put", "nabrežje",
    "obala", "šetalište", "prilaz", "odvojak", "sokak", "sokağı", "caddesi", "cadde", "cad",
    "sk", "bulvarı", "mahallesi", "mah", "yolu",
    "utca", "u", "út", "útja", "tér", "tere", "körút", "krt", "köz", "sor", "fasor", "sétány",
    "rakpart", "dűlő", "iela", "gatvė", "g", "pr", "prospektas", "al", "alėja", "skg", "tänav",
    "tn", "mnt", "maantee", "pst", "puiestee", "põik", "street", "st", "road", "rd", "avenue",
    "ave", "lane", "drive", "boulevard", "straße", "strasse", "str", "allee", "gade", "vej",
    "gata", "gatan", "plads", "torv", "katu", "tie",
];

/// Street types before the name that are written in lower case in running
/// text and are not common words there (`ulica`, `rue`, `calle`).
#[rustfmt::skip]
const LOWER_TYPES_BEFORE: &[&str] = &[
    "ул", "улица", "пр", "пр-т", "проспект", "пер", "переулок", "ш", "шоссе", "бул", "бульвар",
    "наб", "набережная", "пл", "площадь", "пр-д", "проезд", "туп", "тупик", "аллея", "мкр",
    "вул", "вулиця", "просп", "пров", "провулок", "бульв", "майдан", "ulitsa", "ut", "utca",
    "πλ", "οδ", "λεωφ", "πάρ", "số", "ngõ", "ngách", "hẻm", "kiệt",
    "ul", "ulica", "al", "aleja", "pl", "plac", "os", "osiedle", "rue", "avenue", "boulevard",
    "bd", "chemin", "impasse", "allée", "quai", "calle", "avenida", "avda", "paseo", "plaza",
    "camino", "carrera", "calzada", "rua", "travessa", "praça", "rodovia", "estrada", "via",
    "viale", "piazza", "piazzale", "corso", "vicolo", "strada", "str", "bulevardul", "bdul",
    "calea", "aleea", "splaiul", "șoseaua", "soseaua", "intrarea", "ulice", "třída", "náměstí",
    "nám", "námestie", "jalan", "jl", "jln", "đường", "phố", "οδός", "οδ", "λεωφόρος", "λεωφ",
];

/// Whether `w` (with its trailing '.') is a lower-case street type that may
/// stand in running text (`ul.` needs its dot, `calle` not).
fn lower_type_ok(w: &str) -> bool {
    let bare = w.trim_end_matches('.').to_lowercase();
    if !LOWER_TYPES_BEFORE.contains(&bare.as_str()) {
        return false;
    }
    bare.chars().count() > 3 || w.ends_with('.')
}

/// Whether a lower-case word ends with a street type (`pappilanbulevardi`).
fn street_compound_lower(lower: &str) -> bool {
    let mut cap = String::with_capacity(lower.len());
    let mut cs = lower.chars();
    if let Some(c) = cs.next() {
        cap.extend(c.to_uppercase());
    }
    cap.push_str(cs.as_str());
    street_compound(&cap) != 0
}

/// Name particles inside street names (`Rua das Flores`, `Plaza de la Villa`).
const STREET_PARTICLES: &[&str] = &[
    "de", "del", "della", "delle", "dei", "degli", "di", "da", "do", "dos", "das", "du", "des",
    "la", "le", "las", "los", "lo", "y", "e", "i", "von", "van", "der", "den", "het", "of", "the",
    "al", "el", "sur", "sul", "sulla", "al", "a", "à", "en", "em", "na", "no", "nas", "nos", "pod",
    "nad", "przy", "u", "v", "na", "ke", "za",
];

/// The words before a house number that make a street: (start, kind).
/// Walks back over ", " / " " (and `nº`, `No.`, `Nr.`), then over
/// capitalized words and particles (at most six) to a street type, or reads
/// a street type or street-type ending right before the number.
fn street_before_number(text: &str, num_start: usize) -> Option<(usize, Street)> {
    let b = text.as_bytes();
    let mut p = num_start;
    // "n° ", "nº ", "No. ", "Nr. ", "# "
    let pre = &text[..p];
    for w in [
        "nº ", "n° ", "n. ", "No. ", "no. ", "Nr. ", "nr. ", "# ", "N° ", "Nº ", "No ", "Nr ",
        "nr ", "д. ", "дом ", "буд. ", "nro. ", "Nro. ", "núm. ", "num. ", "č. ", "čp. ", "br. ",
    ] {
        if pre.ends_with(w) && pre.len() > w.len() && b[pre.len() - w.len() - 1] == b' ' {
            p -= w.len();
            break;
        }
    }
    // ", " or " " right before
    if p >= 2 && &b[p - 2..p] == b", " {
        p -= 2;
    } else if p >= 1 && b[p - 1] == b' ' {
        p -= 1;
    } else {
        return None;
    }
    // the words before, right to left
    let mut words: [(usize, usize); 7] = [(0, 0); 7];
    let mut nw = 0;
    let mut q = p;
    while nw < 7 && q > 0 {
        let ws = text[..q]
            .rfind([' ', '\n', '\t', ',', ':', ';', '(', ')', '|', '/', '"'])
            .map_or(0, |i| i + 1);
        if ws == q {
            break;
        }
        words[nw] = (ws, q);
        nw += 1;
        if ws == 0 || b[ws - 1] != b' ' {
            break;
        }
        q = ws - 1;
        if q > 0 && b[q - 1] == b' ' {
            break;
        }
    }
    if nw == 0 {
        return None;
    }
    let word = |k: usize| &text[words[k].0..words[k].1];
    let capitalized = |w: &str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase)
            && w.chars().any(char::is_lowercase)
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
    };
    // initials and short abbreviations inside a street name ("J.B.",
    // "Jend.", "Prof."), short capitals ("BKR"), numbers ("Calle 21", "1ª")
    let name_like = |w: &str| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        (capitalized(w) && (!w.ends_with('.') || letters <= 5))
            || (w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_uppercase() || c == '.')
                && (1..=5).contains(&letters))
            || (w.chars().next().is_some_and(|c| c.is_ascii_digit())
                && w.chars().filter(char::is_ascii_digit).count() <= 3
                && w.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, 'ª' | 'º' | '°')))
    };
    let w0 = word(0);
    // one word ending in a street type: "Kerkstraat 12", "Yararing 950"
    if capitalized(w0) {
        match street_compound(w0.trim_end_matches('.')) {
            STRICT_COMPOUND => return Some((words[0].0, Street::Compound)),
            WEAK_COMPOUND => {
                return Some((extend_back_caps(text, words[0].0, 2), Street::WeakCompound));
            }
            _ => {}
        }
    }
    // a street type right before the number: "Kossuth utca 12", "Vilniaus g. 3",
    // "Savska cesta 3a", "Haagan pappilanbulevardi 3"
    let bare0 = w0.trim_end_matches('.');
    let lower0 = bare0.to_lowercase();
    let type_after = TYPE_AFTER_NAME.contains(&lower0.as_str())
        || (w0.chars().next().is_some_and(char::is_lowercase) && street_compound_lower(&lower0));
    if nw >= 2
        && type_after
        && (bare0.chars().count() > 2 || w0.ends_with('.') || bare0 == "út" || bare0 == "tn")
        && capitalized(word(1))
    {
        let mut s = words[1].0;
        let mut k = 2;
        while k < nw && k < 4 && capitalized(word(k)) && !is_street_type_before(word(k)) {
            s = words[k].0;
            k += 1;
        }
        return Some((s, Street::TypeAfter));
    }
    // a street type, then name words and particles: "Calle de la Paz 5"
    let mut names = 0;
    let mut titled = false;
    for (k, &(ws, we)) in words[..nw].iter().enumerate() {
        let w = &text[ws..we];
        let bare = w.trim_end_matches('.');
        if k > 0 && names > 0 && (is_street_type_before(bare) || lower_type_ok(w)) {
            let cap = w.chars().next().is_some_and(char::is_uppercase);
            let single = bare.chars().count() == 1;
            // "C." and "R." need their capital and dot, "ul." its dot
            let ok = if single {
                (cap || lower_type_ok(w)) && w.ends_with('.')
            } else if cap {
                bare.chars().count() > 2 || w.ends_with('.') || bare == "Av"
            } else {
                lower_type_ok(w)
            };
            if ok && titled {
                return Some((ws, Street::TypeBefore));
            }
            return None;
        }
        if name_like(w) && !(k == 0 && w.ends_with('.')) {
            names += 1;
            titled = true;
            continue;
        }
        if STREET_PARTICLES.contains(&w) && k > 0 {
            continue;
        }
        break;
    }
    // capitalized words only: a street with evidence after it
    if capitalized(w0) && !w0.ends_with('.') && !is_street_type_after(w0) {
        let mut s = words[0].0;
        let mut k = 1;
        while k < nw && k < 3 && capitalized(word(k)) && !word(k).ends_with('.') {
            s = words[k].0;
            k += 1;
        }
        return Some((s, Street::Plain));
    }
    None
}

/// `s` moved back over up to `n` capitalized words right before it.
fn extend_back_caps(text: &str, s: usize, n: usize) -> usize {
    let mut s = s;
    for _ in 0..n {
        if s < 2 || text.as_bytes()[s - 1] != b' ' {
            break;
        }
        let ws = text[..s - 1]
            .rfind([' ', '\n', ',', ':', '('])
            .map_or(0, |i| i + 1);
        let w = &text[ws..s - 1];
        if w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic) {
            s = ws;
        } else {
            break;
        }
    }
    s
}

/// Street types after a house number that RE_ADDR_EN lacks: those of
/// Australia, New Zealand and Canada (AS/NZS 4819, Canada Post), read
/// through the person-name detector's list; these generic words are left
/// out as too common.
const GENERIC_TYPES: &[&str] = &[
    "end",
    "top",
    "line",
    "link",
    "part",
    "little",
    "lower",
    "upper",
    "round",
    "turn",
    "edge",
    "gap",
    "front",
    "private",
    "follow",
    "limits",
    "maze",
    "sound",
    "strip",
    "yard",
    "reach",
    "rest",
    "ride",
    "quad",
    "wade",
    "elbow",
    "cross",
    "farm",
    "wood",
    "campus",
    "abbey",
    "acres",
    "downs",
    "heath",
    "moor",
    "bowl",
    "brace",
    "break",
    "brow",
    "dip",
    "formation",
    "pocket",
    "mount",
    "key",
    "union",
    "light",
    "well",
    "spring",
    "point",
    "pass",
    "course",
    "run",
    "river",
];
/// Canadian French street types, written in lower case after the number
/// (`6297 montée Gravel`).
const FR_TYPES_AFTER_NUMBER: &[&str] = &[
    "montée",
    "rang",
    "côte",
    "croissant",
    "carré",
    "terrasse",
    "promenade",
    "sentier",
    "ruelle",
    "allé",
    "allée",
    "boul",
    "boul.",
    "boulevard",
    "rue",
    "avenue",
    "av.",
    "chemin",
    "ch.",
    "impasse",
    "place",
    "cours",
    "passage",
    "route",
    "voie",
    "rond-point",
    "cercle",
    "cour",
    "autoroute",
    "concession",
    "échangeur",
    "esplanade",
    "parc",
    "plateau",
    "quai",
    "square",
    "montee",
    "cote",
    "carre",
];

/// The end of the street after a house number ending at `end`: up to four
/// capitalized words then an English street type (`Isabel Tollway`), or a
/// Canadian French type then a capitalized name (`montée Gravel`).
fn street_after_number(text: &str, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = end;
    // "12a", "12 bis"
    if i < b.len()
        && b[i].is_ascii_alphabetic()
        && (i + 1 == b.len() || !b[i + 1].is_ascii_alphanumeric())
    {
        i += 1;
    }
    if i < b.len() && b[i] == b',' {
        i += 1;
    }
    if i >= b.len() || b[i] != b' ' {
        return None;
    }
    i += 1;
    let mut words = 0;
    let mut fr_type = false;
    while words < 6 {
        let we = text[i..]
            .find([' ', ',', '\n', ';', '(', ')'])
            .map_or(text.len(), |k| i + k);
        if we == i {
            return None;
        }
        let w = &text[i..we];
        let bare = w.trim_end_matches('.');
        let cap = w.chars().next().is_some_and(char::is_uppercase);
        if words == 0 && FR_TYPES_AFTER_NUMBER.contains(&w.to_lowercase().as_str()) {
            fr_type = true;
        } else if fr_type {
            // the name after a French type: capitalized words and particles
            if !cap {
                return None;
            }
            let mut e = we;
            // more capitalized words or particles
            let mut k = we;
            for _ in 0..3 {
                if k >= b.len() || b[k] != b' ' {
                    break;
                }
                let ne = text[k + 1..]
                    .find([' ', ',', '\n', ';', '(', ')'])
                    .map_or(text.len(), |x| k + 1 + x);
                let nw = &text[k + 1..ne];
                if nw.chars().next().is_some_and(char::is_uppercase)
                    && nw
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                {
                    e = ne;
                    k = ne;
                } else if matches!(nw, "de" | "du" | "des" | "la" | "le" | "d'" | "l'") {
                    k = ne;
                } else {
                    break;
                }
            }
            return Some(e);
        } else if words > 0
            && cap
            && is_street_type_after(bare)
            && !GENERIC_TYPES.contains(&bare.to_lowercase().as_str())
            && bare.len() > 2
        {
            return Some(we);
        } else if !(cap
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’' | '.'))
            && w.chars().any(char::is_lowercase))
        {
            return None;
        }
        words += 1;
        if we >= b.len() || b[we] != b' ' {
            return None;
        }
        i = we + 1;
    }
    None
}

/// The end of 1-4 capitalized words right after the number ending at `end`
/// (over one space), which end their line or come before ", ".
fn plain_after_number(text: &str, end: usize) -> Option<usize> {
    let b = text.as_bytes();
    if end >= b.len() || b[end] != b' ' {
        return None;
    }
    let mut i = end + 1;
    let mut e = None;
    for _ in 0..4 {
        let we = text[i..]
            .find([' ', ',', '\n'])
            .map_or(text.len(), |k| i + k);
        let w = &text[i..we];
        if !(w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().any(char::is_lowercase)
            && w.chars().all(|c| c.is_alphabetic() || c == '-'))
        {
            break;
        }
        e = Some(we);
        if we >= b.len() || b[we] != b' ' {
            break;
        }
        i = we + 1;
    }
    let e = e?;
    (e == b.len() || b[e] == b',' || b[e] == b'\n').then_some(e)
}

/// `start` moved back over a unit before the house number (`Apt. 145 `,
/// `Suite 117 `, `Level 0 `, `Flat 71 `).
fn unit_before(text: &str, start: usize) -> usize {
    let pre = &text[..start];
    let t = pre.trim_end_matches(' ');
    if t.len() == pre.len() || pre.len() - t.len() > 1 {
        return start;
    }
    let t2 = t.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '/');
    let num = &t[t2.len()..];
    if num.is_empty() || !num.bytes().any(|c| c.is_ascii_digit()) || num.len() > 6 {
        return start;
    }
    let t3 = t2.trim_end_matches([' ', '#']);
    for unit in [
        "Apt.",
        "Apt",
        "Apartment",
        "Suite",
        "Ste.",
        "Unit",
        "Flat",
        "Level",
        "Lvl",
        "Shop",
        "Floor",
        "Studio",
        "Room",
        "Villa",
        "Lot",
        "Block",
        "Blk",
    ] {
        if let Some(s) = t3.strip_suffix(unit)
            && (s.is_empty() || s.ends_with([' ', '\n', ',', ':']))
        {
            return s.len();
        }
    }
    start
}

/// Unit words after a house number (`Piso 2`, `Apt. 76`, `Interior 103`).
const UNITS_AFTER: &[&str] = &[
    "apt",
    "apt.",
    "apartment",
    "suite",
    "ste",
    "ste.",
    "unit",
    "flat",
    "#",
    "piso",
    "puerta",
    "interior",
    "int",
    "int.",
    "depto",
    "depto.",
    "dpto",
    "dpto.",
    "edif",
    "edif.",
    "appartamento",
    "app",
    "app.",
    "piano",
    "scala",
    "interno",
    "andar",
    "apto",
    "apto.",
    "sala",
    "bloco",
    "bloque",
    "casa",
    "lote",
    "bl",
    "bl.",
    "ap",
    "ap.",
    "m.",
    "lok.",
    "lok",
    "whg",
    "whg.",
    "stiege",
    "tür",
    "top",
    "bus",
    "boîte",
    "esc",
    "esc.",
    "escalera",
    "planta",
    "portal",
    "etg",
    "etg.",
    "étage",
    "og",
    "sz.",
    "em.",
    "ajtó",
    "et.",
    "ap",
    "bt",
    "but",
    "korpus",
    "k.",
    "dz.",
    "kv.",
    "lgh",
    "lägenhet",
    "leil.",
    "lejl.",
    "th",
    "tv",
    "mf",
    "st.",
    "as",
    "as.",
    "bus",
    "piętro",
    "of",
    "of.",
    "oficina",
    "local",
    "loc.",
    "dpto",
    "torre",
    "block",
    "lot",
    "kat",
    "daire",
    "no:",
    "stan",
    "kv",
    "стр.",
    "корп.",
    "кв.",
    "к.",
];

/// `e` moved on over units after the number (`, Piso 2`, ` Interior 103`,
/// ` Edif. 209, Depto. 836`), a letter (`12 B`) and a bare second number
/// (`757 733`); at most three.
fn unit_after(text: &str, e: usize) -> usize {
    let b = text.as_bytes();
    let mut e = e;
    if e < b.len()
        && b[e].is_ascii_alphabetic()
        && (e + 1 == b.len() || !b[e + 1].is_ascii_alphanumeric())
    {
        e += 1;
    }
    // "2a/2", "9c/2"
    if e + 1 < b.len() && b[e] == b'/' && b[e + 1].is_ascii_digit() {
        e += 1 + b[e + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
    }
    for _ in 0..3 {
        let mut i = e;
        if i < b.len() && b[i] == b',' {
            i += 1;
        }
        if i >= b.len() || b[i] != b' ' {
            break;
        }
        i += 1;
        let we = text[i..]
            .find([' ', ',', '\n'])
            .map_or(text.len(), |k| i + k);
        let w = &text[i..we];
        if !UNITS_AFTER.contains(&w.to_lowercase().as_str()) || we >= b.len() || b[we] != b' ' {
            break;
        }
        let ve = we
            + 1
            + b[we + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
                .count();
        if ve == we + 1
            || ve - we > 7
            || !b[we + 1..ve].iter().any(u8::is_ascii_digit) && ve - we > 3
        {
            break;
        }
        e = ve;
    }
    e
}

/// Whether a postcode and a town follow `e` (over ", " or a line break):
/// `, 39449 Zaragoza`, `\n28-117 Świebodzice`, `, 7504 TC Driebergen`,
/// `\n110 00 Praha`, `, LT-01103 Vilnius`, `, Linköping 48211`.
fn postcode_after(text: &str, e: usize) -> bool {
    let b = text.as_bytes();
    let mut i = e;
    let comma = i < b.len() && b[i] == b',';
    if comma {
        i += 1;
    }
    while i < b.len() && (b[i] == b' ' || b[i] == b'\n' || b[i] == b'\r') && i < e + 3 {
        i += 1;
    }
    // over ", " or a line break, not a mere space
    if i >= b.len() || !(comma || b[e..i].contains(&b'\n')) {
        return false;
    }
    let mut rest = &b[i..];
    // Greek "ΤΚ 105 57" / "Τ.Κ. 105 57"
    for tk in [
        "ΤΚ ".as_bytes(),
        "Τ.Κ. ".as_bytes(),
        b"TK ",
        b"CP ",
        b"C.P. ",
        b"PSC ",
    ] {
        if rest.starts_with(tk) {
            rest = &rest[tk.len()..];
            break;
        }
    }
    let mut k = 0;
    // a country prefix: "LT-", "D-", "CH-"
    let letters = rest.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if (1..=2).contains(&letters) && rest.get(letters) == Some(&b'-') {
        k = letters + 1;
    }
    let d1 = rest[k..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut j = k + d1;
    let code = match d1 {
        4..=7 => {
            // "1234 AB", "1234-567", "12345-678"
            let gap = usize::from(rest.get(j) == Some(&b' '));
            if d1 == 4
                && rest.len() >= j + gap + 2
                && rest[j + gap].is_ascii_uppercase()
                && rest[j + gap + 1].is_ascii_uppercase()
                && rest
                    .get(j + gap + 2)
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
            {
                j += gap + 2;
            } else if rest.get(j) == Some(&b'-') {
                let d2 = rest[j + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if (3..=4).contains(&d2) {
                    j += 1 + d2;
                }
            }
            true
        }
        3 => {
            // "110 00"
            let d2 = rest
                .get(j + 1..)
                .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
            if rest.get(j) == Some(&b' ') && d2 == 2 {
                j += 3;
                true
            } else {
                false
            }
        }
        2 => {
            // "28-117"
            let d2 = rest
                .get(j + 1..)
                .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count());
            if rest.get(j) == Some(&b'-') && d2 == 3 {
                j += 4;
                true
            } else {
                false
            }
        }
        _ => false,
    };
    if code {
        // then a town
        return rest.get(j) == Some(&b' ')
            && std::str::from_utf8(&rest[j + 1..])
                .ok()
                .and_then(|t| t.chars().next())
                .is_some_and(char::is_uppercase);
    }
    // "Linköping 48211": a town, then the postcode
    let Ok(t) = std::str::from_utf8(rest) else {
        return false;
    };
    let we = t.find([' ', ',', '\n']).unwrap_or(t.len());
    let town = &t[..we];
    if !(town.chars().next().is_some_and(char::is_uppercase)
        && town.chars().all(char::is_alphabetic))
    {
        return false;
    }
    let after = &t.as_bytes()[we..];
    if after.first() != Some(&b' ') {
        return false;
    }
    let d = after[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    (4..=6).contains(&d) && after.get(1 + d).is_none_or(|c| !c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::super::patterns::RE_ADDR_FR_FREE;
    use super::super::tests::{Rng, random_text};
    use super::*;

    /// The street conventions around a house number, and what is no street.
    #[test]
    fn streets_of_many_countries() {
        use crate::scanner::Scanner;
        let found = |col: &str, text: &str| -> Vec<String> {
            Scanner::default()
                .scan_cell(col, text)
                .iter()
                .filter(|f| f.entity == StreetAddress)
                .map(|f| text[f.start..f.end].to_string())
                .collect()
        };
        for (col, text, street) in [
            (
                "notes",
                "Ship to 0 Isabel Tollway, Davidfurt 9516",
                "0 Isabel Tollway",
            ),
            (
                "notes",
                "Moved to Apt. 145 0 Lee Circuit last month",
                "Apt. 145 0 Lee Circuit",
            ),
            (
                "notes",
                "Domicilié au 6297 montée Gravel",
                "6297 montée Gravel",
            ),
            (
                "notes",
                "Indirizzo: Canale Florio, 89 Piano 8, 20100 Milano",
                "Canale Florio, 89 Piano 8",
            ),
            (
                "notes",
                "Afleveradres: Yararing 950, 7504 TC Driebergen",
                "Yararing 950",
            ),
            (
                "notes",
                "Adres dostawy: ul. Borówkowa 402, 28-117 Świebodzice",
                "ul. Borówkowa 402",
            ),
            ("notes", "Bor på Ekstigen 21", "Ekstigen 21"),
            (
                "notes",
                "Leveringsadresse: Nørregade 12, 1165 København",
                "Nørregade 12",
            ),
            (
                "notes",
                "Osoite: Mannerheimintie 8 B, 00100 Helsinki",
                "Mannerheimintie 8 B",
            ),
            (
                "notes",
                "Lakcím: Kossuth Lajos utca 12., 1053 Budapest",
                "Kossuth Lajos utca 12",
            ),
            (
                "notes",
                "Adresas: Vilniaus g. 3, LT-01103 Vilnius",
                "Vilniaus g. 3",
            ),
            (
                "notes",
                "Adrese: Brīvības iela 55, LV-1010 Rīga",
                "Brīvības iela 55",
            ),
            (
                "notes",
                "Morada: Rua das Flores, 45, 4050-262 Porto",
                "Rua das Flores, 45",
            ),
            (
                "notes",
                "Adresa: Strada Lipscani nr. 12, 030031 București",
                "Strada Lipscani nr. 12",
            ),
            (
                "notes",
                "Entregar en Calle Jalisco 793 250 (dejar en conserjería)",
                "Calle Jalisco 793 250",
            ),
            (
                "notes",
                "Dirección: Calle 21 # 2-5 Sur, Bogotá",
                "Calle 21 # 2-5",
            ),
            ("notes", "Adresa: Nádražní 12\n110 00 Praha", "Nádražní 12"),
            ("adresa", "Husova 5", "Husova 5"),
        ] {
            let f = found(col, text);
            assert!(
                f.iter()
                    .any(|x| x.contains(street) || street.contains(x.as_str())),
                "{text:?}: {f:?}"
            );
        }
        for text in [
            "Version 3 Release 12",
            "Invoice 2024 Total 1200",
            "Chapter 3 The End",
            "Spring 2024 collection",
            "Art.-Nr. 0621 3945827",
            "Meeting with Anna Schmidt 2 times",
            "via email 3 days ago",
            "Room 12 on Level 3",
        ] {
            assert!(
                found("notes", text).is_empty(),
                "{text:?}: {:?}",
                found("notes", text)
            );
        }
    }

    /// The street readers take any text (char boundaries, short input).
    #[test]
    fn street_readers_take_any_text() {
        let mut r = Rng(17);
        for _ in 0..20000 {
            let t = random_text(&mut r);
            for i in (0..=t.len()).filter(|&i| t.is_char_boundary(i)) {
                let _ = street_before_number(&t, i);
                let _ = street_after_number(&t, i);
                let _ = plain_after_number(&t, i);
                let _ = postcode_after(&t, i);
                let _ = unit_after(&t, i);
                let _ = unit_before(&t, i);
                let _ = after_street(&t, i);
            }
        }
    }

    #[test]
    fn fr_street_word_finds_every_lower_case_word_before_a_space() {
        let mut r = Rng(3);
        for _ in 0..20000 {
            let t = random_text(&mut r);
            let b = t.as_bytes();
            let plain = FR_STREET_WORDS.iter().any(|w| {
                b.windows(w.len() + 1)
                    .any(|x| x[..w.len()] == **w && x[w.len()] == b' ')
            });
            assert_eq!(fr_street_word(b), plain, "{t:?}");
            // and RE_ADDR_FR_FREE cannot match without one
            if !plain {
                assert!(!RE_ADDR_FR_FREE.is_match(&t), "{t:?}");
            }
        }
    }
}
