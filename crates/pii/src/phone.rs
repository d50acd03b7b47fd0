//! Phone numbers checked against libphonenumber's per-region metadata (the
//! `phonenumber` crate, a port of Google's libphonenumber, carries it): the
//! country calling codes, each region's national prefix, the lengths its
//! national significant numbers can have and the pattern they match.
//!
//! The crate's own `parse` costs about 19 µs a number and takes a global lock
//! on every pattern match, too slow for a column scan; only its data is used
//! here: a region's general pattern and layouts are compiled into
//! `regex::Regex`es the first time a scan asks about the region, and a number
//! is checked on its digits alone.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use phonenumber::metadata::DATABASE;
use regex::Regex;

/// What a region's numbers look like.
struct RegionRule {
    /// Region code (`US`, `GB`, ...).
    id: &'static str,
    /// Country calling code.
    country_code: u16,
    /// The prefix dialled before a national significant number at home (`0`, `1`, ...).
    national_prefix: Option<&'static str>,
    /// Whether the national prefix may be left out at home (NANP: `1` is optional).
    prefix_optional: bool,
    /// Lengths a national significant number can have (empty: the pattern says).
    lengths: &'static [u16],
    /// The region's metadata, compiled on first use (a scan touches a few regions of 240).
    metadata: &'static phonenumber::Metadata,
    /// The region's patterns, compiled.
    compiled: OnceLock<CompiledRegion>,
}

/// A region's patterns as `regex::Regex`es.
struct CompiledRegion {
    /// The general pattern of a national significant number, anchored.
    pattern: Option<Regex>,
    /// How the region writes its numbers.
    formats: Vec<FormatRule>,
}

/// One of a region's written layouts (`(\d{2})(\d{4})(\d{4})` as `$1 $2 $3`).
struct FormatRule {
    /// The leading digits the layout is for, anchored at the start (none: any).
    leading: Option<Regex>,
    /// The national significant number's pattern, with one capture per group, anchored.
    pattern: Regex,
    /// For each written group, the captures it joins (`$2$3` joins two).
    written: Vec<Vec<usize>>,
}

impl FormatRule {
    /// The lengths of the groups `nsn` is written in under this layout, if it applies.
    fn group_lengths(&self, nsn: &str) -> Option<Vec<usize>> {
        if self
            .leading
            .as_ref()
            .is_some_and(|leading| !leading.is_match(nsn))
        {
            return None;
        }
        let captures = self.pattern.captures(nsn)?;
        let length = |index: &usize| captures.get(*index).map_or(0, |m| m.len());
        Some(
            self.written
                .iter()
                .map(|joined| joined.iter().map(length).sum())
                .filter(|&length| length > 0)
                .collect(),
        )
    }
}

/// A metadata pattern without the whitespace it is laid out with, in ASCII
/// mode (`\\d` is `[0-9]`, which keeps the automata small).
fn compact(pattern: &str) -> String {
    let mut compact = String::from("(?-u)");
    compact.extend(pattern.chars().filter(|c| !c.is_whitespace()));
    compact
}

/// A metadata pattern that must match a whole national significant number.
fn anchored(pattern: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{})$", compact(pattern))).ok()
}

/// The written groups of a format string: `($1) $2-$3` → `[[1], [2], [3]]`, `$1 $2$3` → `[[1], [2, 3]]`.
fn written_groups(format: &str) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut joined = false;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().and_then(|d| d.to_digit(10))) {
            ('$', Some(index)) => {
                chars.next();
                match groups.last_mut() {
                    Some(last) if joined => last.push(index as usize),
                    _ => groups.push(vec![index as usize]),
                }
                joined = true;
            }
            _ => joined = false,
        }
    }
    groups
}

/// A region's layouts, compiled.
fn format_rules(meta: &phonenumber::Metadata) -> Vec<FormatRule> {
    meta.formats()
        .iter()
        .filter_map(|format| {
            let leading = match format.leading_digits().last() {
                Some(leading) => {
                    Some(Regex::new(&format!("^(?:{})", compact(leading.as_str()))).ok()?)
                }
                None => None,
            };
            Some(FormatRule {
                leading,
                pattern: Regex::new(&format!("^(?:{})$", compact(format.pattern().as_str())))
                    .ok()?,
                written: written_groups(format.format()),
            })
        })
        .collect()
}

impl RegionRule {
    /// The region's patterns, compiled on first use.
    fn compiled(&self) -> &CompiledRegion {
        self.compiled.get_or_init(|| CompiledRegion {
            pattern: anchored(
                self.metadata
                    .descriptors()
                    .general()
                    .national_number()
                    .as_str(),
            ),
            formats: format_rules(self.metadata),
        })
    }

    /// Whether `nsn` (digits, without country code or national prefix) is a number of this region.
    fn matches(&self, nsn: &[u8]) -> bool {
        (self.lengths.is_empty() || self.lengths.contains(&(nsn.len() as u16)))
            && std::str::from_utf8(nsn).is_ok_and(|s| {
                self.compiled()
                    .pattern
                    .as_ref()
                    .is_some_and(|p| p.is_match(s))
            })
    }

    /// If `digits`, written as at home in this region (with its national
    /// prefix where the region dials one), is a number of this region: how
    /// many leading digits are the prefix.
    fn national_prefix_length(&self, digits: &[u8]) -> Option<usize> {
        match self.national_prefix {
            Some(prefix) if digits.starts_with(prefix.as_bytes()) => {
                if self.matches(&digits[prefix.len()..]) {
                    Some(prefix.len())
                } else if self.prefix_optional && self.matches(digits) {
                    Some(0)
                } else {
                    None
                }
            }
            Some(_) if !self.prefix_optional => None,
            _ => self.matches(digits).then_some(0),
        }
    }

    /// Whether `groups` (the lengths of the digit groups as written, prefix
    /// included) is one of the region's layouts for the national significant number `nsn`.
    fn written_like(&self, nsn: &[u8], prefix: usize, groups: &[usize]) -> bool {
        let Ok(nsn) = std::str::from_utf8(nsn) else {
            return false;
        };
        if groups.len() < 2 {
            return false; // an unformatted number is never lifted by a layout
        }
        self.compiled().formats.iter().any(|format| {
            let count = format.written.len();
            if count != groups.len() && count + 1 != groups.len() {
                return false;
            }
            format.group_lengths(nsn).is_some_and(|layout| {
                let mut glued = layout.clone();
                if let Some(first) = glued.first_mut() {
                    *first += prefix;
                }
                groups == layout.as_slice()
                    || groups == glued.as_slice()
                    || (prefix > 0
                        && groups.first() == Some(&prefix)
                        && &groups[1..] == layout.as_slice())
            })
        })
    }
}

/// What a region's data says of a number written without a country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum National {
    /// A valid number of the region, grouped as the region writes its numbers.
    WrittenLikeTheRegion,
    /// A valid number of the region, written otherwise (or not grouped).
    Valid,
    /// Not a number of the region.
    Invalid,
}

/// Every geographic region's rule, in region-code order.
static RULES: LazyLock<Vec<RegionRule>> = LazyLock::new(|| {
    let mut rules: Vec<RegionRule> = DATABASE
        .iter()
        .filter(|meta| meta.id().len() == 2)
        .map(|meta| {
            let general = meta.descriptors().general();
            RegionRule {
                id: meta.id(),
                country_code: meta.country_code(),
                national_prefix: meta.national_prefix().filter(|p| !p.is_empty()),
                // NANP numbers are written at home without their `1`; other
                // regions' formats say where the prefix may be left out
                prefix_optional: meta.country_code() == 1
                    || meta
                        .formats()
                        .iter()
                        .any(|format| format.is_national_prefix_optional()),
                lengths: general.possible_length(),
                metadata: meta,
                compiled: OnceLock::new(),
            }
        })
        .collect();
    rules.sort_by_key(|rule| rule.id);
    rules
});

/// Indices into [`RULES`] by country calling code.
static BY_CODE: LazyLock<HashMap<u16, Vec<usize>>> = LazyLock::new(|| {
    let mut by_code: HashMap<u16, Vec<usize>> = HashMap::new();
    for (index, rule) in RULES.iter().enumerate() {
        by_code.entry(rule.country_code).or_default().push(index);
    }
    by_code
});

/// Regions tried for a number written without a country code when neither
/// the scan nor the column names any: North America, the UK, Germany,
/// France and India.
pub const DEFAULT_REGIONS: [&str; 5] = ["US", "GB", "DE", "FR", "IN"];

/// A region a phone number can belong to, as an index into the rule table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhoneRegion(u16);

impl PhoneRegion {
    /// The region with this ISO 3166-1 alpha-2 code (any case), if
    /// libphonenumber knows it (`UK` reads as `GB`).
    pub fn from_code(code: &str) -> Option<PhoneRegion> {
        let upper = code.to_ascii_uppercase();
        let upper = if upper == "UK" {
            "GB".to_string()
        } else {
            upper
        };
        RULES
            .binary_search_by(|rule| rule.id.cmp(upper.as_str()))
            .ok()
            .map(|index| PhoneRegion(index as u16))
    }

    /// The region's ISO code.
    pub fn code(self) -> &'static str {
        RULES[self.0 as usize].id
    }

    /// Whether `digits` (a number written at home, national prefix included
    /// where the region dials one) is a valid number of this region.
    pub fn accepts(self, digits: &[u8]) -> bool {
        RULES[self.0 as usize]
            .national_prefix_length(digits)
            .is_some()
    }

    /// Checks `digits` written in groups of the lengths `groups` (their sum is `digits.len()`).
    pub fn check(self, digits: &[u8], groups: &[usize]) -> National {
        let rule = &RULES[self.0 as usize];
        match rule.national_prefix_length(digits) {
            None => National::Invalid,
            Some(prefix) if rule.written_like(&digits[prefix..], prefix, groups) => {
                National::WrittenLikeTheRegion
            }
            Some(_) => National::Valid,
        }
    }
}

/// The default regions ([`DEFAULT_REGIONS`]), looked up on first use (so a
/// scan that never checks a phone number never loads libphonenumber's data).
pub fn default_regions() -> &'static [PhoneRegion] {
    static DEFAULT: LazyLock<Vec<PhoneRegion>> = LazyLock::new(|| {
        DEFAULT_REGIONS
            .iter()
            .map(|code| {
                PhoneRegion::from_code(code).expect("libphonenumber knows the default regions")
            })
            .collect()
    });
    &DEFAULT
}

/// What libphonenumber's data says of the digits after a `+`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum International {
    /// A known country code followed by a valid national number of one of its regions.
    Valid,
    /// A known country code, but the rest is no number of its regions.
    Invalid,
    /// No country has the code the digits start with.
    NoSuchCountry,
}

/// Checks an international number given as its digits (country code first, no `+`).
pub fn international(digits: &[u8]) -> International {
    if digits.first() == Some(&b'0') {
        return International::NoSuchCountry;
    }
    let mut known = false;
    for code_length in 1..=3.min(digits.len()) {
        let code = digits[..code_length]
            .iter()
            .fold(0u16, |acc, &d| acc * 10 + u16::from(d - b'0'));
        let Some(regions) = BY_CODE.get(&code) else {
            continue;
        };
        known = true;
        let nsn = &digits[code_length..];
        // after the code comes the national significant number (Italy's keeps
        // its 0); `+44 (0)20…` also writes the trunk prefix dialled at home
        let without_prefix = |rule: &RegionRule| {
            rule.national_prefix
                .and_then(|prefix| nsn.strip_prefix(prefix.as_bytes()))
                .is_some_and(|rest| rule.matches(rest))
        };
        if regions
            .iter()
            .any(|&index| RULES[index].matches(nsn) || without_prefix(&RULES[index]))
        {
            return International::Valid;
        }
    }
    if known {
        International::Invalid
    } else {
        International::NoSuchCountry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region(code: &str) -> PhoneRegion {
        PhoneRegion::from_code(code).unwrap()
    }

    #[test]
    fn regions_are_found_by_code() {
        assert_eq!(region("us").code(), "US");
        assert_eq!(region("UK").code(), "GB");
        assert!(PhoneRegion::from_code("XX").is_none());
        assert!(PhoneRegion::from_code("001").is_none());
        assert_eq!(default_regions().len(), DEFAULT_REGIONS.len());
    }

    #[test]
    fn national_numbers_follow_each_regions_rules() {
        // NANP: area code and exchange start with 2-9, the `1` is optional
        assert!(region("US").accepts(b"2025550143"));
        assert!(region("US").accepts(b"12025550143"));
        assert!(!region("US").accepts(b"1025550143"));
        assert!(!region("US").accepts(b"202555014"));
        // the UK, Germany, France: the trunk 0 is dialled at home
        assert!(region("GB").accepts(b"02079460958"));
        assert!(!region("GB").accepts(b"2079460958"));
        assert!(region("DE").accepts(b"03012345678"));
        assert!(region("FR").accepts(b"0612345678"));
        assert!(!region("FR").accepts(b"06123456789"));
        // India: mobiles are written with or without the trunk 0
        assert!(region("IN").accepts(b"9876543210"));
        assert!(region("IN").accepts(b"09876543210"));
        assert!(!region("IN").accepts(b"98765"));
        // Spain has no national prefix
        assert!(region("ES").accepts(b"612345678"));
        assert!(!region("ES").accepts(b"0612345678"));
    }

    #[test]
    fn layouts_come_from_the_regions_formats() {
        assert_eq!(written_groups("$1 $2 $3"), vec![vec![1], vec![2], vec![3]]);
        assert_eq!(
            written_groups("($1) $2-$3"),
            vec![vec![1], vec![2], vec![3]]
        );
        assert_eq!(written_groups("$1 $2$3"), vec![vec![1], vec![2, 3]]);
        let us = region("US");
        assert_eq!(
            us.check(b"2025550143", &[3, 3, 4]),
            National::WrittenLikeTheRegion
        );
        assert_eq!(
            us.check(b"12025550143", &[1, 3, 3, 4]),
            National::WrittenLikeTheRegion
        );
        assert_eq!(us.check(b"2025550143", &[10]), National::Valid);
        // an SSN's 3-2-4 is no US layout
        assert_eq!(us.check(b"202550143", &[3, 2, 4]), National::Invalid);
        assert_eq!(us.check(b"2025550143", &[3, 2, 5]), National::Valid);
        let gb = region("GB");
        assert_eq!(
            gb.check(b"02079460958", &[3, 4, 4]),
            National::WrittenLikeTheRegion
        );
        assert_eq!(
            gb.check(b"02079460958", &[1, 2, 4, 4]),
            National::WrittenLikeTheRegion
        );
        assert_eq!(gb.check(b"02079460958", &[5, 6]), National::Valid);
        let fr = region("FR");
        assert_eq!(
            fr.check(b"0612345678", &[2, 2, 2, 2, 2]),
            National::WrittenLikeTheRegion
        );
        assert_eq!(fr.check(b"0612345678", &[3, 3, 4]), National::Valid);
        let de = region("DE");
        assert_eq!(
            de.check(b"03012345678", &[3, 8]),
            National::WrittenLikeTheRegion
        );
    }

    #[test]
    fn international_numbers_need_a_country_and_a_number_of_it() {
        assert_eq!(international(b"442079460958"), International::Valid);
        assert_eq!(international(b"4930123456"), International::Valid);
        assert_eq!(international(b"390612345678"), International::Valid);
        assert_eq!(international(b"12025550143"), International::Valid);
        assert_eq!(international(b"4402079460958"), International::Valid);
        assert_eq!(international(b"11025550143"), International::Invalid);
        assert_eq!(international(b"4412"), International::Invalid);
        // no country code starts with 0, nor is 999 one
        assert_eq!(international(b"0123456789"), International::NoSuchCountry);
        assert_eq!(international(b"999123456789"), International::NoSuchCountry);
    }
}
