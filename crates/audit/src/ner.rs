//! Names and addresses from an uploaded token classifier (a TorchScript NER
//! model, `kind: token_classifier`): its BIO label map, its vocabulary, the
//! tokenizer that turns a cell into token ids, the windows of `max_tokens`
//! ids the sandbox tags in batches, and the decoding of the tags back into
//! [`ClassifiedSpan`]s with byte offsets, which the PII check hands to the
//! scanner's [`TokenClassifier`] hook. No I/O apart from the sandbox child.
//!
//! The tokenizer is deliberately simple and deterministic: a token is a
//! maximal run of alphanumeric characters or one other non-space character,
//! looked up lower-cased as a whole word (no word pieces); a word the
//! vocabulary lacks is `[UNK]`, and sequences are padded with `[PAD]`.

use std::collections::HashMap;
use std::ops::RangeInclusive;
use std::path::PathBuf;

use probity_pii::{ClassifiedSpan, EntityType, TokenClassifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::ModelOutput;
use crate::report::NerModelInput;
use crate::sandbox::{ModelSandbox, SandboxError, TagError, Tagger};

/// Tokens per sequence a token classifier may declare (`max_tokens`).
pub const MAX_TOKENS_RANGE: RangeInclusive<u32> = 8..=512;
/// Most labels a token classifier may declare.
pub const MAX_LABELS: usize = 256;
/// Largest vocabulary file, in bytes.
pub const MAX_VOCABULARY_BYTES: usize = 4 << 20;
/// Most tokens (lines) in a vocabulary file.
pub const MAX_VOCABULARY_TOKENS: usize = 200_000;
/// The vocabulary token of words it does not list.
pub const UNK: &str = "[UNK]";
/// The vocabulary token that pads a sequence to `max_tokens`.
pub const PAD: &str = "[PAD]";
/// Token ids sent to the model per forward pass, at most (sequences of
/// `max_tokens`, at least one).
const TOKENS_PER_PASS: usize = 16_384;

/// The entity class of a BIO label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// PER, PERSON: a person name.
    Person,
    /// LOC, ADDR, ADDRESS: a street address.
    Address,
    /// ORG, MISC: recognised, reported nowhere.
    Other,
}

impl Class {
    fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "PER" | "PERSON" => Some(Self::Person),
            "LOC" | "ADDR" | "ADDRESS" => Some(Self::Address),
            "ORG" | "MISC" => Some(Self::Other),
            _ => None,
        }
    }

    fn entity(self) -> Option<EntityType> {
        match self {
            Self::Person => Some(EntityType::PersonName),
            Self::Address => Some(EntityType::StreetAddress),
            Self::Other => None,
        }
    }
}

/// One output index of the model: outside, or the beginning or inside of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BioTag {
    Outside,
    Begin(Class),
    Inside(Class),
}

/// A token classifier's labels, one per output index, parsed from BIO form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelMap {
    tags: Vec<BioTag>,
}

/// Why a label map cannot be used: the label at fault (`None`: the list) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail}")]
pub struct LabelError {
    /// Index of the label at fault.
    pub index: Option<usize>,
    /// What is wrong.
    pub detail: String,
}

impl LabelMap {
    /// Parses `labels` (`O`, `B-PER`, `I-PER`, `B-LOC`, ...): exactly one
    /// `O`, no label twice, and at least one `B-` label of a person or an
    /// address.
    pub fn parse(labels: &[String]) -> Result<Self, LabelError> {
        let list_error = |detail: String| LabelError {
            index: None,
            detail,
        };
        if !(2..=MAX_LABELS).contains(&labels.len()) {
            return Err(list_error(format!(
                "labels must list 2 to {MAX_LABELS} labels, one per output index of the model"
            )));
        }
        let mut tags = Vec::with_capacity(labels.len());
        for (index, label) in labels.iter().enumerate() {
            let at = |detail: String| LabelError {
                index: Some(index),
                detail,
            };
            if labels[..index].contains(label) {
                return Err(at(format!("label `{label}` is listed twice")));
            }
            let tag = if label == "O" {
                Some(BioTag::Outside)
            } else {
                match label.split_at_checked(2) {
                    Some(("B-", class)) => Class::parse(class).map(BioTag::Begin),
                    Some(("I-", class)) => Class::parse(class).map(BioTag::Inside),
                    _ => None,
                }
            };
            let tag = tag.ok_or_else(|| {
                let shown: String = label.chars().take(40).collect();
                at(format!(
                    "unknown label `{shown}`: expected `O`, or `B-`/`I-` and one of PER, PERSON, LOC, ADDR, ADDRESS, ORG, MISC"
                ))
            })?;
            tags.push(tag);
        }
        if !tags.contains(&BioTag::Outside) {
            return Err(list_error("labels must include `O`".into()));
        }
        if !tags
            .iter()
            .any(|t| matches!(t, BioTag::Begin(c) if c.entity().is_some()))
        {
            return Err(list_error(
                "labels must include a `B-` label of a person (PER, PERSON) or an address (LOC, ADDR, ADDRESS)".into(),
            ));
        }
        Ok(Self { tags })
    }

    /// Number of labels (the model's last output dimension).
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// Whether there are none (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    fn tag(&self, index: u32) -> BioTag {
        self.tags
            .get(index as usize)
            .copied()
            .unwrap_or(BioTag::Outside)
    }
}

/// Why a vocabulary file cannot be used: the line at fault, if one is, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{detail}", line.map(|l| format!("vocabulary line {l}: ")).unwrap_or_default())]
pub struct VocabularyError {
    /// 1-based line.
    pub line: Option<usize>,
    /// What is wrong.
    pub detail: String,
}

/// A token classifier's vocabulary: one token per line, the line's index
/// (from 0) its id.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    ids: HashMap<Box<str>, u32>,
    unk: u32,
    pad: u32,
    sha256: String,
}

impl Vocabulary {
    /// Parses a vocabulary file: UTF-8, at most [`MAX_VOCABULARY_BYTES`]
    /// bytes and [`MAX_VOCABULARY_TOKENS`] lines (`\n` or `\r\n`; a final
    /// newline ends the last line), no empty line, no token twice, with
    /// [`UNK`] and [`PAD`]. The tokenizer looks words up lower-cased, so
    /// tokens with upper-case letters other than these two never match.
    pub fn parse(bytes: &[u8]) -> Result<Self, VocabularyError> {
        let whole = |detail: String| VocabularyError { line: None, detail };
        if bytes.len() > MAX_VOCABULARY_BYTES {
            return Err(whole(format!(
                "the vocabulary is larger than {MAX_VOCABULARY_BYTES} bytes"
            )));
        }
        let text = std::str::from_utf8(bytes).map_err(|e| VocabularyError {
            line: Some(
                bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1,
            ),
            detail: "not valid UTF-8".into(),
        })?;
        let body = text.strip_suffix('\n').unwrap_or(text);
        if body.is_empty() {
            return Err(whole("the vocabulary is empty".into()));
        }
        let mut ids: HashMap<Box<str>, u32> = HashMap::new();
        for (index, line) in body.split('\n').enumerate() {
            let at = |detail: String| VocabularyError {
                line: Some(index + 1),
                detail,
            };
            if index >= MAX_VOCABULARY_TOKENS {
                return Err(at(format!(
                    "the vocabulary has more than {MAX_VOCABULARY_TOKENS} tokens"
                )));
            }
            let token = line.strip_suffix('\r').unwrap_or(line);
            if token.is_empty() {
                return Err(at("empty token".into()));
            }
            if let Some(first) = ids.insert(token.into(), index as u32) {
                return Err(at(format!("the token of line {} again", first + 1)));
            }
        }
        let special = |name: &str| {
            ids.get(name)
                .copied()
                .ok_or_else(|| whole(format!("the vocabulary must list `{name}`")))
        };
        let (unk, pad) = (special(UNK)?, special(PAD)?);
        Ok(Self {
            unk,
            pad,
            sha256: hex::encode(Sha256::digest(bytes)),
            ids,
        })
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// sha256 of the file.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Id of [`PAD`].
    pub fn pad(&self) -> u32 {
        self.pad
    }

    /// Appends the ids of `tokens` of `text` to `out` (`scratch` holds a
    /// lower-cased token).
    pub fn encode(&self, text: &str, tokens: &[Token], out: &mut Vec<i64>, scratch: &mut String) {
        for token in tokens {
            let word = &text[token.start..token.end];
            scratch.clear();
            if word.is_ascii() {
                scratch.push_str(word);
                scratch.make_ascii_lowercase();
            } else {
                scratch.extend(word.chars().flat_map(char::to_lowercase));
            }
            let id = self.ids.get(scratch.as_str()).copied().unwrap_or(self.unk);
            out.push(i64::from(id));
        }
    }
}

/// A token of a cell: its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of its first byte.
    pub start: usize,
    /// Byte offset one past its last byte.
    pub end: usize,
}

/// Splits `text` into tokens (appended to `out`): maximal runs of
/// alphanumeric characters, and every other character that is not white
/// space on its own.
pub fn tokenize(text: &str, out: &mut Vec<Token>) {
    let mut word: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            word.get_or_insert(at);
            continue;
        }
        if let Some(start) = word.take() {
            out.push(Token { start, end: at });
        }
        if !c.is_whitespace() {
            out.push(Token {
                start: at,
                end: at + c.len_utf8(),
            });
        }
    }
    if let Some(start) = word {
        out.push(Token {
            start,
            end: text.len(),
        });
    }
}

/// Whether a cell is free text the model reads: at least two words
/// separated by white space (a lone code, number or category is not).
pub fn is_free_text(cell: &str) -> bool {
    cell.split_whitespace().nth(1).is_some()
}

/// The model's answer for one token: the index of its most likely label and
/// that label's probability.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TokenTag {
    /// Index into the label map.
    pub label: u32,
    /// Probability of the label (softmax of a `logit` model's output).
    pub score: f32,
}

/// Spans of person names and addresses in a cell from its tokens and their
/// tags: a `B-` label starts a span, an `I-` label of the same class extends
/// it (one of another class, or after `O`, starts a new one), and the span's
/// score is the mean of its tokens'. Classes that are no PII entity (ORG,
/// MISC) give no span.
pub fn decode(labels: &LabelMap, tokens: &[Token], tags: &[TokenTag]) -> Vec<ClassifiedSpan> {
    struct Open {
        class: Class,
        start: usize,
        end: usize,
        score: f64,
        tokens: usize,
    }
    fn close(open: Option<Open>, out: &mut Vec<ClassifiedSpan>) {
        if let Some(open) = open
            && let Some(entity) = open.class.entity()
        {
            out.push(ClassifiedSpan {
                start: open.start,
                end: open.end,
                entity,
                score: open.score / open.tokens as f64,
            });
        }
    }
    let mut spans = Vec::new();
    let mut open: Option<Open> = None;
    for (token, tag) in tokens.iter().zip(tags) {
        let score = if tag.score.is_finite() {
            f64::from(tag.score).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let start = |class| Open {
            class,
            start: token.start,
            end: token.end,
            score,
            tokens: 1,
        };
        match labels.tag(tag.label) {
            BioTag::Outside => close(open.take(), &mut spans),
            BioTag::Begin(class) => {
                close(open.take(), &mut spans);
                open = Some(start(class));
            }
            BioTag::Inside(class) => match &mut open {
                Some(o) if o.class == class => {
                    o.end = token.end;
                    o.score += score;
                    o.tokens += 1;
                }
                _ => {
                    close(open.take(), &mut spans);
                    open = Some(start(class));
                }
            },
        }
    }
    close(open, &mut spans);
    spans
}

/// Spans the model found in one cell, handed to the scanner through its
/// [`TokenClassifier`] hook (`Scanner::with_classifier`).
#[derive(Debug, Clone)]
pub struct CellSpans(pub Vec<ClassifiedSpan>);

impl TokenClassifier for CellSpans {
    fn classify(&self, _column: &str, _text: &str) -> Vec<ClassifiedSpan> {
        self.0.clone()
    }
}

/// A token classifier ready to run: its file, labels, vocabulary and sandbox.
#[derive(Debug, Clone)]
pub struct NerModel {
    /// Recorded in the report.
    pub input: NerModelInput,
    /// The TorchScript file.
    pub path: PathBuf,
    /// Whether its outputs are logits (softmax applied) or probabilities.
    pub output: ModelOutput,
    /// Its labels.
    pub labels: LabelMap,
    /// Tokens per sequence.
    pub max_tokens: usize,
    /// Its vocabulary.
    pub vocabulary: Vocabulary,
    /// Where it runs.
    pub sandbox: ModelSandbox,
}

/// Why the NER pass failed.
#[derive(Debug, thiserror::Error)]
pub enum NerError {
    #[error(transparent)]
    Tag(#[from] TagError),
}

impl NerError {
    /// The sandbox error underneath, if the sandbox (not the model) failed.
    pub fn sandbox(&self) -> Option<&SandboxError> {
        match self {
            Self::Tag(TagError::Sandbox(error)) => Some(error),
            Self::Tag(_) => None,
        }
    }
}

/// What the NER pass read: cells, sequences (windows) and tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NerCounts {
    /// Cells tokenized and tagged.
    pub cells: u64,
    /// Sequences of `max_tokens` sent to the model.
    pub sequences: u64,
    /// Tokens tagged (padding excluded).
    pub tokens: u64,
}

impl NerCounts {
    /// Adds another pass's counts.
    pub fn add(&mut self, other: NerCounts) {
        self.cells += other.cells;
        self.sequences += other.sequences;
        self.tokens += other.tokens;
    }
}

/// One scan's use of a token classifier: one sandbox child, started at the
/// first cell it tags and kept for every later chunk.
pub struct NerPass<'a> {
    model: &'a NerModel,
    tagger: Option<Tagger>,
}

impl<'a> NerPass<'a> {
    /// A pass of `model`; no child runs yet.
    pub fn new(model: &'a NerModel) -> Self {
        Self {
            model,
            tagger: None,
        }
    }

    /// The model's spans of every cell (empty for nulls and cells that are
    /// not free text), in cell order, with what was read.
    pub fn spans(
        &mut self,
        cells: &[Option<&str>],
    ) -> Result<(Vec<Vec<ClassifiedSpan>>, NerCounts), NerError> {
        let (model, tagger) = (self.model, &mut self.tagger);
        spans_with(
            cells,
            &model.vocabulary,
            &model.labels,
            model.max_tokens,
            |ids, sequences| {
                let tagger = match tagger {
                    Some(tagger) => tagger,
                    None => tagger.insert(model.sandbox.start_tagger(
                        &model.path,
                        model.output,
                        model.max_tokens,
                        model.labels.len(),
                        sequences_per_pass(model.max_tokens),
                    )?),
                };
                tagger.tag(ids, sequences)
            },
        )
    }

    /// Ends the child (if one started) and checks that it ended well.
    pub fn finish(self) -> Result<(), NerError> {
        match self.tagger {
            Some(tagger) => Ok(tagger.finish()?),
            None => Ok(()),
        }
    }
}

/// Sequences of `max_tokens` per forward pass.
fn sequences_per_pass(max_tokens: usize) -> usize {
    (TOKENS_PER_PASS / max_tokens.max(1)).max(1)
}

/// `NerPass::spans` with `tag(ids, sequences)` answering one batch of
/// `sequences` padded sequences (one tag per id, in order).
fn spans_with(
    cells: &[Option<&str>],
    vocabulary: &Vocabulary,
    labels: &LabelMap,
    max_tokens: usize,
    mut tag: impl FnMut(&[i64], usize) -> Result<Vec<TokenTag>, TagError>,
) -> Result<(Vec<Vec<ClassifiedSpan>>, NerCounts), NerError> {
    let max_tokens = max_tokens.max(1);
    let per_pass = sequences_per_pass(max_tokens);
    let mut counts = NerCounts::default();
    let mut tokens: Vec<Vec<Token>> = vec![Vec::new(); cells.len()];
    let mut ids: Vec<Vec<i64>> = vec![Vec::new(); cells.len()];
    let mut scratch = String::new();
    for (row, cell) in cells.iter().enumerate() {
        if let Some(text) = cell.filter(|t| is_free_text(t)) {
            tokenize(text, &mut tokens[row]);
            vocabulary.encode(text, &tokens[row], &mut ids[row], &mut scratch);
            counts.cells += 1;
            counts.tokens += tokens[row].len() as u64;
        }
    }
    // windows of each cell in order: (row, first token, tokens)
    let windows: Vec<(usize, usize, usize)> = ids
        .iter()
        .enumerate()
        .flat_map(|(row, ids)| {
            (0..ids.len())
                .step_by(max_tokens)
                .map(move |first| (row, first, max_tokens.min(ids.len() - first)))
        })
        .collect();
    counts.sequences = windows.len() as u64;
    let mut tags: Vec<Vec<TokenTag>> = vec![Vec::new(); cells.len()];
    let pad = i64::from(vocabulary.pad());
    let mut batch = Vec::with_capacity(per_pass * max_tokens);
    for pass in windows.chunks(per_pass) {
        batch.clear();
        for &(row, first, len) in pass {
            batch.extend_from_slice(&ids[row][first..first + len]);
            batch.resize(batch.len() + max_tokens - len, pad);
        }
        let answer = tag(&batch, pass.len())?;
        for (k, &(row, _, len)) in pass.iter().enumerate() {
            tags[row].extend_from_slice(&answer[k * max_tokens..k * max_tokens + len]);
        }
    }
    let spans = tokens
        .iter()
        .zip(&tags)
        .map(|(tokens, tags)| decode(labels, tokens, tags))
        .collect();
    Ok((spans, counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(list: &[&str]) -> Result<LabelMap, LabelError> {
        LabelMap::parse(&list.iter().map(|l| l.to_string()).collect::<Vec<_>>())
    }

    fn words(text: &str) -> Vec<&str> {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        tokens.iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn the_tokenizer_splits_words_and_punctuation_with_byte_offsets() {
        assert_eq!(
            words("Met Zorvath  Quillane, at 12 Brinklelane-Row."),
            [
                "Met",
                "Zorvath",
                "Quillane",
                ",",
                "at",
                "12",
                "Brinklelane",
                "-",
                "Row",
                "."
            ]
        );
        assert_eq!(
            words("Ünal Øyvind's café"),
            ["Ünal", "Øyvind", "'", "s", "café"]
        );
        assert!(words(" \t\n ").is_empty());
        let mut tokens = Vec::new();
        tokenize("é x", &mut tokens);
        assert_eq!(
            tokens,
            [Token { start: 0, end: 2 }, Token { start: 3, end: 4 }]
        );
    }

    #[test]
    fn free_text_is_two_words_or_more() {
        assert!(is_free_text("Zorvath Quillane"));
        assert!(is_free_text("  met them\tthere "));
        assert!(!is_free_text("10001"));
        assert!(!is_free_text("  female "));
        assert!(!is_free_text(""));
    }

    #[test]
    fn the_vocabulary_maps_lower_case_words_and_unknown_ones_to_unk() {
        let vocabulary = Vocabulary::parse(b"[PAD]\n[UNK]\nzorvath\n\xc3\xbcnal\r\n,\n").unwrap();
        assert_eq!((vocabulary.len(), vocabulary.pad()), (5, 0));
        let text = "ZORVATH, Ünal Smith";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let mut ids = Vec::new();
        vocabulary.encode(text, &tokens, &mut ids, &mut String::new());
        assert_eq!(ids, [2, 4, 3, 1]);
        assert_eq!(vocabulary.sha256().len(), 64);
    }

    #[test]
    fn bad_vocabularies_name_the_line() {
        let error = |bytes: &[u8]| Vocabulary::parse(bytes).unwrap_err();
        assert_eq!(error(b"[PAD]\n[UNK]\nab\n\nc\n").line, Some(4));
        let twice = error(b"[PAD]\n[UNK]\nab\nab\n");
        assert_eq!(twice.line, Some(4));
        assert_eq!(
            twice.to_string(),
            "vocabulary line 4: the token of line 3 again"
        );
        assert_eq!(error(b"[PAD]\nab\xff\n").line, Some(2));
        assert!(error(b"[PAD]\nab\n").detail.contains("[UNK]"));
        assert!(error(b"").detail.contains("empty"));
        let big = vec![b'a'; MAX_VOCABULARY_BYTES + 1];
        assert_eq!(error(&big).line, None);
        let many: String = (0..=MAX_VOCABULARY_TOKENS)
            .map(|i| format!("t{i}\n"))
            .collect();
        assert_eq!(error(many.as_bytes()).line, Some(MAX_VOCABULARY_TOKENS + 1));
    }

    #[test]
    fn label_maps_accept_bio_labels_and_reject_others_by_index() {
        let map = labels(&["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-MISC"]).unwrap();
        assert_eq!(map.len(), 7);
        assert!(labels(&["O", "B-PERSON", "I-ADDRESS", "B-addr"]).is_ok());
        assert_eq!(labels(&["O", "B-PER", "B-DOG"]).unwrap_err().index, Some(2));
        assert_eq!(labels(&["O", "B-PER", "PER"]).unwrap_err().index, Some(2));
        assert_eq!(labels(&["O", "B-PER", "B-PER"]).unwrap_err().index, Some(2));
        assert_eq!(labels(&["B-PER", "I-PER"]).unwrap_err().index, None);
        assert_eq!(labels(&["O", "B-ORG"]).unwrap_err().index, None);
        assert_eq!(labels(&["O"]).unwrap_err().index, None);
    }

    fn tags(list: &[(u32, f32)]) -> Vec<TokenTag> {
        list.iter()
            .map(|&(label, score)| TokenTag { label, score })
            .collect()
    }

    #[test]
    fn bio_tags_decode_into_spans_with_byte_offsets_and_mean_scores() {
        // O B-PER I-PER B-LOC I-LOC B-ORG I-ORG
        let map = labels(&["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]).unwrap();
        let text = "met Zorvath Quillane at 12 Brinkle lane for Acme Corp";
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let answer = tags(&[
            (0, 0.9),
            (1, 0.8),
            (2, 0.6),
            (0, 0.9),
            (3, 0.7),
            (4, 0.9),
            (4, 0.8),
            (0, 0.9),
            (5, 0.9),
            (6, 0.9),
        ]);
        let spans = decode(&map, &tokens, &answer);
        assert_eq!(spans.len(), 2);
        assert_eq!(&text[spans[0].start..spans[0].end], "Zorvath Quillane");
        assert_eq!(spans[0].entity, EntityType::PersonName);
        assert!((spans[0].score - 0.7).abs() < 1e-6);
        assert_eq!(&text[spans[1].start..spans[1].end], "12 Brinkle lane");
        assert_eq!(spans[1].entity, EntityType::StreetAddress);
        assert!((spans[1].score - 0.8).abs() < 1e-6);

        // an I- without its B-, or after another class, starts a span; B- B- are two
        let spans = decode(
            &map,
            &tokens[..4],
            &tags(&[(2, 1.0), (1, 1.0), (1, 1.0), (4, 1.0)]),
        );
        let shown: Vec<(&str, EntityType)> = spans
            .iter()
            .map(|s| (&text[s.start..s.end], s.entity))
            .collect();
        assert_eq!(
            shown,
            [
                ("met", EntityType::PersonName),
                ("Zorvath", EntityType::PersonName),
                ("Quillane", EntityType::PersonName),
                ("at", EntityType::StreetAddress),
            ]
        );
        // a label index out of range or a NaN score is harmless
        let spans = decode(&map, &tokens[..2], &tags(&[(99, 1.0), (1, f32::NAN)]));
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].score, 0.0);
    }

    #[test]
    fn long_cells_go_out_in_padded_windows_and_spans_cross_window_edges() {
        let vocabulary = Vocabulary::parse(b"[PAD]\n[UNK]\nzorvath\nquillane\n").unwrap();
        let map = labels(&["O", "B-PER", "I-PER"]).unwrap();
        let long = format!("{} Zorvath Quillane", "word ".repeat(7));
        let cells = [
            Some(long.as_str()),
            None,
            Some("single"),
            Some("zorvath quillane"),
        ];
        let mut batches = Vec::new();
        let (spans, counts) = spans_with(&cells, &vocabulary, &map, 8, |ids, sequences| {
            assert_eq!(ids.len(), sequences * 8);
            batches.push(ids.to_vec());
            Ok(ids
                .iter()
                .map(|&id| TokenTag {
                    label: match id {
                        2 => 1,
                        3 => 2,
                        _ => 0,
                    },
                    score: 0.9,
                })
                .collect())
        })
        .unwrap();
        // 9 tokens: a window of 8 and one of 1 (padded); then the short cell
        assert_eq!(batches.len(), 1);
        assert_eq!(batches[0].len(), 3 * 8);
        assert_eq!(&batches[0][8..16], &[3, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(
            counts,
            NerCounts {
                cells: 2,
                sequences: 3,
                tokens: 11
            }
        );
        assert_eq!(spans.len(), 4);
        assert_eq!(
            &long[spans[0][0].start..spans[0][0].end],
            "Zorvath Quillane"
        );
        assert!(spans[1].is_empty() && spans[2].is_empty());
        assert_eq!(spans[3][0].start..spans[3][0].end, 0..16);
    }
}
