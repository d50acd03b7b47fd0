//! Tests only: valid national identifiers and VAT numbers, each built from
//! random digits and its check digits computed here from the issuer's
//! algorithm, written again independently of [`crate::validate`] (no
//! validator is called), so the tests compare two implementations.

/// A small deterministic generator (xorshift64*).
pub(crate) struct Gen(pub(crate) u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        (self.next() % n as u64) as u32
    }
    /// `n` random digits; the first in `first` (an inclusive range).
    pub(crate) fn digits(&mut self, n: usize, first: (u32, u32)) -> Vec<u32> {
        let mut v = vec![first.0 + self.below(first.1 - first.0 + 1)];
        v.extend((1..n).map(|_| self.below(10)));
        v
    }
    /// One byte of `set`.
    pub(crate) fn pick(&mut self, set: &[u8]) -> u8 {
        set[self.below(set.len() as u32) as usize]
    }
}

/// Digits as text.
pub(crate) fn text(d: &[u32]) -> String {
    d.iter().map(|&x| char::from(b'0' + x as u8)).collect()
}

/// Σ d_i × w_i.
fn dot(d: &[u32], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(a, b)| a * b).sum()
}

/// The Luhn check digit for `body` (the digit that makes body+digit pass).
pub(crate) fn luhn_digit(body: &[u32]) -> u32 {
    // from the right of the final number the check digit is position 1; the
    // body's last digit is position 2 and is doubled
    let mut s = 0;
    for (k, &x) in body.iter().rev().enumerate() {
        s += if k % 2 == 0 {
            let y = 2 * x;
            if y > 9 { y - 9 } else { y }
        } else {
            x
        };
    }
    (10 - s % 10) % 10
}

/// Whether the digit string passes Luhn (used to build bodies only).
fn luhn_ok(d: &[u32]) -> bool {
    luhn_digit(&d[..d.len() - 1]) == d[d.len() - 1]
}

/// The ISO 7064 MOD 11,10 check digit.
fn mod11_10(d: &[u32]) -> u32 {
    let mut product = 10;
    for &x in d {
        let mut sum = (x + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (sum * 2) % 11;
    }
    let c = 11 - product;
    if c == 10 { 0 } else { c }
}

/// UK NHS number (10 digits).
pub(crate) fn nhs(g: &mut Gen) -> String {
    loop {
        let mut d = g.digits(9, (4, 7));
        let c = 11 - dot(&d, &[10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        let c = if c == 11 { 0 } else { c };
        if c == 10 {
            continue;
        }
        d.push(c);
        return text(&d);
    }
}

/// UK NINO (compact, 9 characters).
pub(crate) fn nino(g: &mut Gen) -> String {
    loop {
        let a = g.pick(b"ABCEGHJKLMNOPRSTWXYZ");
        let b = g.pick(b"ABCEGHJKLMNPRSTWXYZ");
        let pair = [a, b];
        if [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"].contains(&&pair) {
            continue;
        }
        let mut s = String::from_utf8(pair.to_vec()).unwrap();
        s += &text(&g.digits(6, (0, 9)));
        s.push(char::from(g.pick(b"ABCD")));
        return s;
    }
}

/// German Steuer-IdNr (11 digits): ten digits of which one occurs twice,
/// the first not 0, and the MOD 11,10 check digit.
pub(crate) fn de_tax_id(g: &mut Gen) -> String {
    loop {
        // nine distinct digits, then one of them again at a random place
        let mut pool: Vec<u32> = (0..10).collect();
        for k in (1..10).rev() {
            let j = g.below(k as u32 + 1) as usize;
            pool.swap(k, j);
        }
        let mut d: Vec<u32> = pool[..9].to_vec();
        let twice = d[g.below(9) as usize];
        d.insert(g.below(10) as usize, twice);
        if d[0] == 0 {
            continue;
        }
        d.push(mod11_10(&d));
        return text(&d);
    }
}

/// French NIR (15 characters): sex 1/2, a real month, a department
/// (Corsica 2A/2B when `corsica`), commune, order and key.
pub(crate) fn nir(g: &mut Gen, corsica: bool) -> String {
    let sex = 1 + g.below(2);
    let yy = g.below(100);
    let mm = 1 + g.below(12);
    let (dept_text, dept_value) = if corsica {
        if g.below(2) == 0 {
            ("2A".to_string(), 19)
        } else {
            ("2B".to_string(), 18)
        }
    } else {
        let v = 1 + g.below(95);
        (format!("{v:02}"), v)
    };
    let commune = 1 + g.below(990);
    let order = 1 + g.below(999);
    let n: u64 = format!("{sex}{yy:02}{mm:02}{dept_value:02}{commune:03}{order:03}")
        .parse()
        .unwrap();
    let key = 97 - n % 97;
    format!("{sex}{yy:02}{mm:02}{dept_text}{commune:03}{order:03}{key:02}")
}

const ES_TABLE: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// Spanish DNI (8 digits + letter).
pub(crate) fn dni(g: &mut Gen) -> String {
    let d = g.digits(8, (0, 9));
    let n: u32 = text(&d).parse().unwrap();
    format!("{}{}", text(&d), char::from(ES_TABLE[(n % 23) as usize]))
}

/// Spanish NIE (X/Y/Z + 7 digits + letter).
pub(crate) fn nie(g: &mut Gen) -> String {
    let p = g.below(3);
    let d = g.digits(7, (0, 9));
    let n: u32 = format!("{p}{}", text(&d)).parse().unwrap();
    format!(
        "{}{}{}",
        char::from(b"XYZ"[p as usize]),
        text(&d),
        char::from(ES_TABLE[(n % 23) as usize])
    )
}

/// Italian codice fiscale (16 characters), with the check letter from the
/// odd/even tables.
pub(crate) fn codice_fiscale(g: &mut Gen, omocodia: bool) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s: Vec<u8> = Vec::new();
    for _ in 0..6 {
        s.push(g.pick(LETTERS));
    }
    let yy = g.below(100);
    s.extend(format!("{yy:02}").bytes());
    s.push(g.pick(b"ABCDEHLMPRST"));
    let day = 1 + g.below(28) + if g.below(2) == 0 { 0 } else { 40 };
    s.extend(format!("{day:02}").bytes());
    s.push(g.pick(LETTERS));
    s.extend(format!("{:03}", g.below(1000)).bytes());
    if omocodia {
        // the last digits are replaced first
        for &k in &[14usize, 13, 12] {
            s[k] = b"LMNPQRSTUV"[(s[k] - b'0') as usize];
        }
    }
    // odd positions (1st, 3rd, ...): 0/A=1 1/B=0 2/C=5 3/D=7 4/E=9 5/F=13
    // 6/G=15 7/H=17 8/I=19 9/J=21 K=2 L=4 M=18 N=20 O=11 P=3 Q=6 R=8 S=12
    // T=14 U=16 V=10 W=22 X=25 Y=24 Z=23; even positions: 0-9, A-Z = 0-25
    const ODD_LETTERS: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let mut sum = 0;
    for (k, &c) in s.iter().enumerate() {
        let letter_index = if c.is_ascii_digit() {
            (c - b'0') as usize
        } else {
            (c - b'A') as usize
        };
        sum += if k % 2 == 0 {
            ODD_LETTERS[letter_index]
        } else {
            letter_index as u32
        };
    }
    s.push(b'A' + (sum % 26) as u8);
    String::from_utf8(s).unwrap()
}

/// Dutch BSN (9 digits, 11-proef).
pub(crate) fn bsn(g: &mut Gen) -> String {
    loop {
        let mut d = g.digits(8, (1, 9));
        let c = dot(&d, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        if c == 10 {
            continue;
        }
        d.push(c);
        return text(&d);
    }
}

/// A date: (year, month, day), day at most 28.
fn date(g: &mut Gen, years: (u32, u32)) -> (u32, u32, u32) {
    (
        years.0 + g.below(years.1 - years.0 + 1),
        1 + g.below(12),
        1 + g.below(28),
    )
}

/// Swedish personnummer as 12 digits YYYYMMDDNNNC (the 10-digit form is
/// its last 10).
pub(crate) fn personnummer(g: &mut Gen) -> String {
    let (y, m, day) = date(g, (1930, 2020));
    let mut d: Vec<u32> = format!("{:02}{m:02}{day:02}", y % 100)
        .bytes()
        .map(|c| (c - b'0') as u32)
        .collect();
    d.extend(g.digits(3, (0, 9)));
    d.push(luhn_digit(&d));
    format!("{}{}", y / 100, text(&d))
}

/// Polish PESEL (11 digits) of someone born in `years`.
pub(crate) fn pesel(g: &mut Gen, years: (u32, u32)) -> String {
    let (y, m, day) = date(g, years);
    let offset = match y / 100 {
        18 => 80,
        19 => 0,
        20 => 20,
        21 => 40,
        _ => 60,
    };
    let mut d: Vec<u32> = format!("{:02}{:02}{day:02}", y % 100, m + offset)
        .bytes()
        .map(|c| (c - b'0') as u32)
        .collect();
    d.extend(g.digits(4, (0, 9)));
    let s = dot(&d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    d.push((10 - s % 10) % 10);
    text(&d)
}

/// Verhoeff tables: multiplication (D5) and inverse.
const VD: [[u32; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

/// Row k: the permutation (1 5 7 6 2 8 3 0 9 4) applied k times.
fn vp(k: usize, x: u32) -> u32 {
    const BASE: [u32; 10] = [1, 5, 7, 6, 2, 8, 3, 0, 9, 4];
    (0..k).fold(x, |x, _| BASE[x as usize])
}
const VINV: [u32; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/// The Verhoeff check digit generated for `body`.
pub(crate) fn verhoeff_digit(body: &[u32]) -> u32 {
    let mut c = 0;
    for (i, &x) in body.iter().rev().enumerate() {
        c = VD[c as usize][vp((i + 1) % 8, x) as usize];
    }
    VINV[c as usize]
}

/// Indian Aadhaar (12 digits, first 2-9, Verhoeff).
pub(crate) fn aadhaar(g: &mut Gen) -> String {
    let mut d = g.digits(11, (2, 9));
    d.push(verhoeff_digit(&d));
    text(&d)
}

/// Indian PAN (AAAPA9999A).
pub(crate) fn pan(g: &mut Gen) -> String {
    const L: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut s: Vec<u8> = (0..3).map(|_| g.pick(L)).collect();
    s.push(g.pick(b"PCHFATBLJGK"));
    s.push(g.pick(L));
    s.extend(text(&g.digits(4, (1, 9))).bytes());
    s.push(g.pick(L));
    String::from_utf8(s).unwrap()
}

/// Australian TFN (9 digits; weights 1,4,3,7,5,8,6,9,10; sum ≡ 0 mod 11).
pub(crate) fn tfn(g: &mut Gen) -> String {
    loop {
        let mut d = g.digits(8, (1, 9));
        // 10 ≡ -1 (mod 11): the last digit is the sum of the others mod 11
        let c = dot(&d, &[1, 4, 3, 7, 5, 8, 6, 9]) % 11;
        if c == 10 {
            continue;
        }
        d.push(c);
        return text(&d);
    }
}

/// An older 8-digit TFN (weights 1,4,3,7,5,8,6,9; sum ≡ 0 mod 11).
pub(crate) fn tfn8(g: &mut Gen) -> String {
    loop {
        let mut d = g.digits(7, (1, 9));
        let s = dot(&d, &[1, 4, 3, 7, 5, 8, 6]);
        // 9 × 5 = 45 ≡ 1 (mod 11): the last digit is -5s mod 11
        let c = (11 - (5 * s) % 11) % 11;
        if c == 10 {
            continue;
        }
        d.push(c);
        assert_eq!(dot(&d, &[1, 4, 3, 7, 5, 8, 6, 9]) % 11, 0);
        return text(&d);
    }
}

/// Australian Medicare number (10 digits, or 11 with the IRN).
pub(crate) fn medicare(g: &mut Gen, irn: bool) -> String {
    let mut d = g.digits(8, (2, 6));
    d.push(dot(&d, &[1, 3, 7, 9, 1, 3, 7, 9]) % 10);
    d.push(1 + g.below(9));
    if irn {
        d.push(1 + g.below(9));
    }
    text(&d)
}

/// Canadian SIN (9 digits, first 1-7 or 9, Luhn).
pub(crate) fn sin(g: &mut Gen) -> String {
    let first = [1, 2, 3, 4, 5, 6, 7, 9][g.below(8) as usize];
    let mut d = g.digits(8, (first, first));
    d.push(luhn_digit(&d));
    assert!(luhn_ok(&d));
    text(&d)
}

/// The Brazilian check digit: sum mod 11, below 2 → 0, else 11 - it.
fn br_digit(d: &[u32], w: &[u32]) -> u32 {
    let r = dot(d, w) % 11;
    if r < 2 { 0 } else { 11 - r }
}

/// Brazilian CPF (11 digits).
pub(crate) fn cpf(g: &mut Gen) -> String {
    let mut d = g.digits(9, (0, 9));
    d.push(br_digit(&d, &[10, 9, 8, 7, 6, 5, 4, 3, 2]));
    d.push(br_digit(&d, &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]));
    text(&d)
}

/// Brazilian CNPJ (14 digits; branch 0001).
pub(crate) fn cnpj(g: &mut Gen) -> String {
    let mut d = g.digits(8, (0, 9));
    d.extend([0, 0, 0, 1]);
    d.push(br_digit(&d, &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
    d.push(br_digit(&d, &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]));
    text(&d)
}

/// Singapore NRIC/FIN.
pub(crate) fn nric(g: &mut Gen) -> String {
    let prefix = g.pick(b"STFGM");
    let d = g.digits(7, (0, 9));
    let mut s = dot(&d, &[2, 7, 6, 5, 4, 3, 2]);
    s += match prefix {
        b'T' | b'G' => 4,
        b'M' => 3,
        _ => 0,
    };
    let r = (s % 11) as usize;
    let letter = match prefix {
        b'S' | b'T' => b"JZIHGFEDCBA"[r],
        b'F' | b'G' => b"XWUTRQPNMLK"[r],
        _ => b"KLJNPQRTUWX"[10 - r],
    };
    format!("{}{}{}", char::from(prefix), text(&d), char::from(letter))
}

/// An EU VAT number of a checked country (compact, with its prefix).
pub(crate) fn vat(g: &mut Gen, country: &str) -> String {
    match country {
        "DE" => {
            let mut d = g.digits(8, (1, 9));
            d.push(mod11_10(&d));
            format!("DE{}", text(&d))
        }
        "AT" => {
            let d = g.digits(7, (0, 9));
            let mut s = 0;
            for (k, &x) in d.iter().enumerate() {
                s += if k % 2 == 1 {
                    (2 * x) / 10 + (2 * x) % 10
                } else {
                    x
                };
            }
            format!("ATU{}{}", text(&d), (10 - (s + 4) % 10) % 10)
        }
        "BE" => {
            let d = g.digits(8, (0, 1));
            let n: u32 = text(&d).parse().unwrap();
            format!("BE{}{:02}", text(&d), 97 - n % 97)
        }
        "FR" => {
            let mut siren = g.digits(8, (1, 9));
            siren.push(luhn_digit(&siren));
            let n: u64 = text(&siren).parse().unwrap();
            format!("FR{:02}{}", (12 + 3 * (n % 97)) % 97, text(&siren))
        }
        "IT" => {
            let mut d = g.digits(7, (0, 9));
            d[0] = 1 + g.below(9);
            d.extend([0, 0, 1 + g.below(9)]);
            d.push(luhn_digit(&d));
            format!("IT{}", text(&d))
        }
        "NL" => loop {
            let mut d = g.digits(8, (0, 9));
            let c = dot(&d, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11;
            if c == 10 {
                continue;
            }
            d.push(c);
            return format!("NL{}B{:02}", text(&d), 1 + g.below(20));
        },
        "PL" => loop {
            let mut d = g.digits(9, (1, 9));
            let c = dot(&d, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
            if c == 10 {
                continue;
            }
            d.push(c);
            return format!("PL{}", text(&d));
        },
        "SE" => {
            let mut d = g.digits(9, (1, 9));
            d.push(luhn_digit(&d));
            format!("SE{}01", text(&d))
        }
        "ES" => {
            // a company: letter, 7 digits, control digit (A, B, E, H) or letter (N, P, Q, R, S, W)
            let first = g.pick(b"ABEHPQS");
            let d = g.digits(7, (0, 9));
            let mut s = 0;
            for (k, &x) in d.iter().enumerate() {
                s += if k % 2 == 0 {
                    (2 * x) / 10 + (2 * x) % 10
                } else {
                    x
                };
            }
            let c = (10 - s % 10) % 10;
            let control = if b"ABEH".contains(&first) {
                char::from(b'0' + c as u8)
            } else {
                char::from(b"JABCDEFGHI"[c as usize])
            };
            format!("ES{}{}{control}", char::from(first), text(&d))
        }
        _ => unreachable!("{country}"),
    }
}

/// The VAT countries whose check digits are generated by [`vat`].
pub(crate) const VAT_CHECKED: [&str; 9] = ["AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "SE"];
