//! The pattern table: every regex the detectors run (compiled once, on
//! first use) and the word lists they are built from.

use regex::Regex;
use std::sync::LazyLock;

/// Compiles a pattern of this table (they are constants: a bad one is a bug).
fn compile(p: &str) -> Regex {
    Regex::new(p).unwrap_or_else(|e| panic!("bad regex {p}: {e}"))
}

/// Credentials in a URL (`scheme://user:password@host`).
pub(super) static RE_URL_CREDS: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]{1,64}:[^\s/@]{1,128}@[A-Za-z0-9.\-]+(?::[0-9]{1,5})?",
    )
});
/// AWS access key ids.
pub(super) static RE_AWS: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)(?:AKIA|ASIA)[A-Z0-9]{16}(?-u:\b)"));
/// GitHub tokens (classic and fine-grained).
pub(super) static RE_GITHUB: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?-u:\b)",
    )
});
/// Slack tokens: bot, user, app-level (`xapp-`), configuration and refresh
/// (`xoxe-`) tokens, a rotating token's `xoxe.` prefix included.
pub(super) static RE_SLACK: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)(?:xoxe\.)?(?:xox[abeoprs]|xapp)-(?:[0-9]{1,3}-)?[A-Za-z0-9]{6,}(?:-[A-Za-z0-9]{4,}){0,5}(?-u:\b)",
    )
});
/// Stripe secret, restricted and publishable keys.
pub(super) static RE_STRIPE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,247}(?-u:\b)"));
/// Google API keys.
pub(super) static RE_GOOGLE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)AIza[0-9A-Za-z_\-]{35}"));
/// JSON Web Tokens (three base64url parts, the header starting `eyJ`).
pub(super) static RE_JWT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?-u:\b)eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}")
});
/// The first line of a PEM private key block.
pub(super) static RE_PEM: LazyLock<Regex> =
    LazyLock::new(|| compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
/// The last line of a PEM private key block.
pub(super) static RE_PEM_END: LazyLock<Regex> =
    LazyLock::new(|| compile(r"-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
/// Candidate high-entropy strings: 20 or more bytes of the secret class.
pub(super) static RE_ENTROPY: LazyLock<Regex> =
    LazyLock::new(|| compile(r"[A-Za-z0-9+/_\-!#%$&*?^~]{20,}={0,2}"));
/// Where an IBAN can start: a country code and two check digits.
pub(super) static RE_IBAN_START: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)[A-Z]{2}[0-9]{2} ?[A-Z0-9]"));
/// MAC addresses (colon, hyphen or dotted form).
pub(super) static RE_MAC: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)(?:[0-9A-Fa-f]{2}[:\-]){5}[0-9A-Fa-f]{2}(?-u:\b)|(?-u:\b)[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?-u:\b)",
    )
});
/// IPv6 address candidates (checked with the std parser).
pub(super) static RE_IPV6: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"[0-9A-Fa-f]{0,4}(?::(?:(?:[0-9]{1,3}\.){3}[0-9]{1,3}|[0-9A-Fa-f]{0,4})){2,8}")
});

/// Month names and abbreviations (en, de, fr) for [`RE_DATE`].
const MONTHS: &str = r"(?:jan(?:uary|vier|uar)?|feb(?:ruary|ruar)?|f[ée]vr?(?:ier)?|mar(?:ch|s)?|m[äa]rz|apr(?:il)?|avr(?:il)?|may|mai|jun[ei]?|juin|jul[yi]?|juil(?:let)?|aug(?:ust)?|ao[ûu]t|sep(?:t|tember|tembre)?|oct(?:ober|obre)?|okt(?:ober)?|nov(?:ember|embre)?|d[ée]c(?:ember|embre)?|dez(?:ember)?)";

/// Month names of other languages (es, pt, it, nl, sv, da, no, fi, pl, cs,
/// sk, ro, hr, sl, lt, lv, et; the declined forms dates use), for [`RE_DATE`].
const MONTHS_MORE: &str = r"(?:j[äa]nner|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|janeiro|fevereiro|mar[çc]o|maio|junho|julho|setembro|outubro|novembro|dezembro|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|juni|juli|augustus|oktober|mars|augusti|januar|februar|marts|maj|august|desember|tammikuuta|helmikuuta|maaliskuuta|huhtikuuta|toukokuuta|kes[äa]kuuta|hein[äa]kuuta|elokuuta|syyskuuta|lokakuuta|marraskuuta|joulukuuta|stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|wrze[śs]nia|pa[źz]dziernika|listopada|grudnia|ledna|[úu]nora|b[řr]ezna|dubna|kv[ěe]tna|[čc]ervna|[čc]ervence|srpna|z[áa][řr][íi]|[řr][íi]jna|listopadu|prosince|janu[áa]ra|febru[áa]ra|apr[íi]la|m[áa]ja|j[úu]na|j[úu]la|augusta|septembra|okt[óo]bra|novembra|decembra|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|sije[čc]nja|velja[čc]e|o[žz]ujka|travnja|svibnja|lipnja|srpnja|rujna|listopada|prosinca|januarja|februarja|marca|aprila|junija|julija|avgusta|septembra|oktobra|novembra|decembra|sausio|vasario|kovo|baland[žz]io|gegu[žz][ėe]s|bir[žz]elio|liepos|rugpj[ūu][čc]io|rugs[ėe]jo|spalio|lapkri[čc]io|gruod[žz]io|janv[āa]r[īi]|febru[āa]r[īi]|mart[āa]|apr[īi]l[īi]|maij[āa]|j[ūu]nij[āa]|j[ūu]lij[āa]|august[āa]|septembr[īi]|oktobr[īi]|novembr[īi]|decembr[īi]|jaanuar|veebruar|m[äa]rts|aprill|mai|juuni|juuli|september|detsember)";

/// Calendar dates, numeric or with a month name.
pub(super) static RE_DATE: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"(?i)(?-u:\b)(?:[0-9]{{4}}[-/.][0-9]{{1,2}}[-/.][0-9]{{1,2}}|[0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.](?:[0-9]{{4}}|[0-9]{{2}})|[0-9]{{1,2}}(?:st|nd|rd|th|er|º|°)?\.?[ \-]+(?:of[ ]+|de[ ]+)?(?:{m}|{more})\.?,?[ \-]+(?:de[ ]+)?[0-9]{{4}}|{m}\.?[ ]+[0-9]{{1,2}}(?:st|nd|rd|th)?,?[ ]+[0-9]{{4}})(?-u:\b)",
        m = MONTHS,
        more = MONTHS_MORE
    ))
});
/// Passport number candidates.
pub(super) static RE_PASSPORT: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)[A-Z0-9]{6,9}(?-u:\b)"));
/// Driver's licence number candidates (up to five groups, joined by '-', '/' or ' ').
pub(super) static RE_LICENCE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)[A-Z0-9]{1,16}(?:[\-/ ][A-Z0-9]{2,8}){0,4}(?-u:\b)"));

/// Street type words (en, en-IN) for [`RE_ADDR_EN`].
const STREET_SUFFIXES: &str = "Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Crescent|Cres|Close|Gardens?|Grove|Row|Mews|Walk|Hill|Park|Green|Alley|Loop|Path|Pike|Plaza|Ridge|Run|Crossing|Point|Port|Estate|Pass|Mission|Island|Isle|Manor|Meadow|Mill|Mount|Mountain|Harbor|Harbour|Heights|Spring|Valley|View|Vista|Village|Villa|Junction|Forge|Center|Centre|Creek|Fort|Field|Glen|Haven|Hollow|Key|Knoll|Lake|Landing|Oval|Overpass|Plain|Radial|Ramp|Ranch|Rapid|Rest|Route|Shore|Shoal|Stream|Summit|Throughway|Trace|Track|Turnpike|Underpass|Union|Wall|Well|Bypass|Burg|Brook|Branch|Bridge|Cape|Causeway|Cliff|Club|Common|Corner|Cove|Dale|Dam|Divide|Expressway|Extension|Fall|Ferry|Flat|Ford|Forest|Freeway|Gateway|Inlet|Light|Lock|Lodge|Motorway|Neck|Orchard|Parade|Prairie|Spur|Station|Fork|Ville|Quay|Rise|Vale|Wharf|Wynd|Chase|Drove|Gate|Approach|Broadway|Tunnel|Crossroad|Course|River|Stravenue|Viaduct|Via|Curve|Camp|Canyon|Mall|Pine|Skyway|Trafficway|Crest|Bluff|Bottom|Bend|Beach|Bayou|Arcade|Anex|Annex|Loaf|Nagar|Marg|Ganj|Chowk|Zila|Colony|Bazar|Bagh|Puram|Pur";

/// The street part after a house number, English style (`12 Baker Street`).
pub(super) static RE_ADDR_EN: LazyLock<Regex> = LazyLock::new(|| {
    compile(&format!(
        r"^(?:[A-Za-z](?-u:\b))?,?[ \t]*\r?\n?[ \t]*(?:(?:\p{{Lu}}[\p{{L}}'’\-]*\.?|[0-9]{{1,3}}(?:st|nd|rd|th))[ ]+){{1,4}}?(?:{s})s?(?-u:\b)\.?(?:[ ]+(?:N|S|E|W|NE|NW|SE|SW)(?-u:\b))?(?:,?[ ]+(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|#)[ ]*[A-Za-z0-9\-]{{1,6}})?",
        s = STREET_SUFFIXES
    ))
});
/// A French street without a house number (`rue de la Paix`).
pub(super) static RE_ADDR_FR_FREE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?-u:\b)(?:rue|avenue|boulevard|chemin|impasse|allée|quai|route|cours|passage)(?:[ ]+(?:de|du|des|la|le|les|d'|l'|\p{Lu}[\p{L}'’\-]*))*[ ]+\p{Lu}[\p{L}'’\-]*",
    )
});
/// The street part after a house number, French style (`12 bis, rue ...`).
pub(super) static RE_ADDR_FR: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"^(?:[ ]?(?:bis|ter))?,?[ ]+(?i:rue|avenue|av\.|boulevard|bd|chemin|impasse|place|allée|allee|quai|route|cours|passage|square|voie|sentier|rond-point)(?:[ ]+(?:de|du|des|la|le|les|d'|l'|\p{Lu}[\p{L}'’\-]*))+",
    )
});

/// German street suffixes that make a word a street name (`Hauptstraße`).
pub(super) const DE_STRONG: &[&str] = &[
    "straße", "strasse", "str.", "weg", "allee", "platz", "gasse", "damm", "ufer", "chaussee",
    "steig", "pfad", "stieg",
];
/// German suffixes that make a street name only in a hyphenated word
/// (`Max-Planck-Ring`).
pub(super) const DE_WEAK: &[&str] = &[
    "ring", "markt", "hof", "berg", "graben", "kamp", "wall", "park", "garten",
];
