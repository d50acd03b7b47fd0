//! Dataset files: format detection from content, validation with precise
//! error locations, and profiling (rows, columns, dtypes, null counts) with
//! polars. Functions over a local file, or over Parquet objects polars reads
//! from object storage itself; no database, no HTTP server.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The file formats Probity reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum DatasetFormat {
    /// Comma-separated values with a header row, UTF-8.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Newline-delimited JSON objects.
    Ndjson,
}

impl TryFrom<String> for DatasetFormat {
    type Error = String;

    /// Reads the stored name back (`as_str`).
    fn try_from(name: String) -> Result<Self, Self::Error> {
        [Self::Csv, Self::Parquet, Self::Ndjson]
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| format!("unknown dataset format `{name}`"))
    }
}

impl DatasetFormat {
    /// The name stored in the database and used in the API (`csv`, `parquet`, `ndjson`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
            Self::Ndjson => "ndjson",
        }
    }

    /// Media type used when the file is downloaded.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv",
            Self::Parquet => "application/vnd.apache.parquet",
            Self::Ndjson => "application/x-ndjson",
        }
    }

    /// Conventional file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Parquet => "parquet",
            Self::Ndjson => "ndjson",
        }
    }
}

/// One column of a profiled dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ColumnProfile {
    /// Column name.
    pub name: String,
    /// Polars data type, e.g. `i64`, `f64`, `str`, `bool`.
    pub dtype: String,
    /// Number of null (missing) values.
    pub null_count: u64,
}

/// What profiling a dataset file found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct DatasetProfile {
    /// Detected file format.
    pub format: DatasetFormat,
    /// Number of data rows.
    pub rows: u64,
    /// Columns in file order.
    pub columns: Vec<ColumnProfile>,
}

/// Why a dataset file was rejected.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has a header but no data rows")]
    NoRows,
    #[error("line {line}: the file is not valid UTF-8")]
    InvalidUtf8 { line: u64 },
    #[error("line {line}: expected {expected} fields as in the header, found {found}")]
    Ragged {
        line: u64,
        expected: u64,
        found: u64,
    },
    #[error("line 1: header column {index} is empty")]
    EmptyColumnName { index: usize },
    #[error("line 1: column `{column}` appears more than once in the header")]
    DuplicateColumn { column: String },
    #[error("line {line}: not a JSON object: {detail}")]
    InvalidJsonLine { line: u64, detail: String },
    #[error("line {line}: the line is longer than the limit of {limit} bytes")]
    LineTooLong { line: u64, limit: usize },
    #[error("line {line}: a field of column `{column}` is longer than the limit of {limit} bytes")]
    FieldTooLarge {
        line: u64,
        column: String,
        limit: usize,
    },
    #[error("line {line}: the row is longer than the limit of {limit} bytes")]
    RecordTooLarge { line: u64, limit: usize },
    #[error("line {line}: more than {limit} columns")]
    TooManyColumns { line: u64, limit: usize },
    #[error("line {line}: arrays and objects nested more than {limit} deep")]
    NestingTooDeep { line: u64, limit: usize },
    #[error("the file holds {rows} rows; the limit is {limit} (PROBITY_MAX_DATASET_ROWS)")]
    TooManyRows { rows: u64, limit: u64 },
    #[error("the Parquet file is truncated or corrupt: {0}")]
    InvalidParquet(String),
    #[error("the file could not be parsed as {format}: {detail}")]
    Unparseable {
        format: &'static str,
        detail: String,
    },
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl DatasetError {
    /// Line of the file the error refers to, when known.
    pub fn line(&self) -> Option<u64> {
        match self {
            Self::InvalidUtf8 { line }
            | Self::Ragged { line, .. }
            | Self::InvalidJsonLine { line, .. }
            | Self::LineTooLong { line, .. }
            | Self::FieldTooLarge { line, .. }
            | Self::RecordTooLarge { line, .. }
            | Self::TooManyColumns { line, .. }
            | Self::NestingTooDeep { line, .. } => Some(*line),
            Self::EmptyColumnName { .. } | Self::DuplicateColumn { .. } => Some(1),
            _ => None,
        }
    }

    /// Column the error refers to, when known.
    pub fn column(&self) -> Option<String> {
        match self {
            Self::DuplicateColumn { column } | Self::FieldTooLarge { column, .. } => {
                Some(column.clone())
            }
            _ => None,
        }
    }
}

const PARQUET_MAGIC: &[u8] = b"PAR1";

/// Detects the format from the file's bytes (the name is not trusted).
pub fn detect_format(path: &Path) -> Result<DatasetFormat, DatasetError> {
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Err(DatasetError::Empty);
    }
    let mut head = vec![0u8; len.min(4096) as usize];
    file.read_exact(&mut head)?;
    if head.starts_with(PARQUET_MAGIC) {
        let mut tail = [0u8; 4];
        if len >= 12 {
            file.seek(SeekFrom::End(-4))?;
            file.read_exact(&mut tail)?;
        }
        if tail != PARQUET_MAGIC {
            return Err(DatasetError::InvalidParquet("the footer is missing".into()));
        }
        return Ok(DatasetFormat::Parquet);
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Err(DatasetError::Empty),
        Some(b'{') => Ok(DatasetFormat::Ndjson),
        Some(_) => Ok(DatasetFormat::Csv),
    }
}

/// Detects the format, validates the whole file and profiles it.
pub fn profile_file(path: &Path) -> Result<DatasetProfile, DatasetError> {
    profile_file_within(path, u64::MAX)
}

/// `profile_file`, refusing files of more than `max_rows` rows: a Parquet
/// file by the row count its footer declares (before any row is read, so a
/// small file declaring 10^8 rows costs nothing), other formats once counted.
pub fn profile_file_within(path: &Path, max_rows: u64) -> Result<DatasetProfile, DatasetError> {
    let format = detect_format(path)?;
    let too_many = |rows: u64| DatasetError::TooManyRows {
        rows,
        limit: max_rows,
    };
    match format {
        DatasetFormat::Csv => validate_csv(path)?,
        DatasetFormat::Ndjson => validate_ndjson(path)?,
        DatasetFormat::Parquet => {
            let declared = ParquetReader::new(File::open(path)?)
                .num_rows()
                .map_err(|e| parse_error(format, e))? as u64;
            if declared > max_rows {
                return Err(too_many(declared));
            }
        }
    }
    let frame = scan(path, format).map_err(|e| parse_error(format, e))?;
    let profile = profile_frame(frame, format).map_err(|e| parse_error(format, e))?;
    if profile.rows == 0 {
        return Err(DatasetError::NoRows);
    }
    if profile.rows > max_rows {
        return Err(too_many(profile.rows));
    }
    Ok(profile)
}

/// Where a dataset's rows are read from.
#[derive(Debug, Clone)]
pub enum DatasetLocation {
    /// A local file (a stored blob, or a verified copy of one).
    File {
        /// Where the file is.
        path: PathBuf,
        /// Its format.
        format: DatasetFormat,
    },
    /// Parquet objects in S3-compatible storage, which polars reads itself,
    /// row group by row group, in the order given.
    Objects {
        /// `s3://bucket/key` of each object.
        urls: Vec<String>,
        /// `object_store` settings (`aws_endpoint`, `aws_region`, credentials, ...).
        settings: Vec<(String, String)>,
    },
}

impl DatasetLocation {
    /// A local file in `format`.
    pub fn file(path: &Path, format: DatasetFormat) -> Self {
        Self::File {
            path: path.to_path_buf(),
            format,
        }
    }

    /// The format of the rows (objects are always Parquet).
    pub fn format(&self) -> DatasetFormat {
        match self {
            Self::File { format, .. } => *format,
            Self::Objects { .. } => DatasetFormat::Parquet,
        }
    }

    /// A lazy polars scan of every row.
    pub fn scan(&self) -> PolarsResult<LazyFrame> {
        match self {
            Self::File { path, format } => scan(path, *format),
            Self::Objects { urls, settings } => {
                let paths: Vec<PlRefPath> = urls
                    .iter()
                    .map(|url| PlRefPath::new(url.as_str()))
                    .collect();
                let scheme = paths.first().and_then(|path| path.scheme());
                let cloud = polars::prelude::cloud::CloudOptions::from_untyped_config(
                    scheme,
                    settings
                        .iter()
                        .map(|(key, value)| (key.as_str(), value.clone())),
                )?;
                LazyFrame::scan_parquet_sources(
                    ScanSources::Paths(paths.into()),
                    ScanArgsParquet {
                        cloud_options: Some(cloud),
                        ..ScanArgsParquet::default()
                    },
                )
            }
        }
    }
}

/// Profiles a dataset wherever it is (`profile_file_within` or `profile_objects`).
pub fn profile(location: &DatasetLocation, max_rows: u64) -> Result<DatasetProfile, DatasetError> {
    match location {
        DatasetLocation::File { path, .. } => profile_file_within(path, max_rows),
        DatasetLocation::Objects { .. } => profile_objects(location, max_rows),
    }
}

/// Profiles Parquet objects in object storage, refusing more than
/// `max_rows` rows by the count their footers declare, before a row is read.
pub fn profile_objects(
    location: &DatasetLocation,
    max_rows: u64,
) -> Result<DatasetProfile, DatasetError> {
    let format = DatasetFormat::Parquet;
    let invalid = |e: PolarsError| parse_error(format, e);
    let declared = location
        .scan()
        .and_then(|frame| frame.select([len()]).collect())
        .map_err(invalid)?
        .column("len")
        .and_then(|rows| rows.get(0).map(|v| v.extract::<u64>().unwrap_or(0)))
        .map_err(invalid)?;
    if declared > max_rows {
        return Err(DatasetError::TooManyRows {
            rows: declared,
            limit: max_rows,
        });
    }
    let profile = profile_frame(location.scan().map_err(invalid)?, format).map_err(invalid)?;
    if profile.rows == 0 {
        return Err(DatasetError::NoRows);
    }
    Ok(profile)
}

/// A lazy polars scan of a stored dataset file.
pub fn scan(path: &Path, format: DatasetFormat) -> PolarsResult<LazyFrame> {
    let path = PlRefPath::try_from_path(path)?;
    match format {
        DatasetFormat::Csv => LazyCsvReader::new(path)
            .with_has_header(true)
            .with_infer_schema_length(Some(10_000))
            .finish(),
        DatasetFormat::Ndjson => LazyJsonLineReader::new(path).finish(),
        DatasetFormat::Parquet => LazyFrame::scan_parquet(path, ScanArgsParquet::default()),
    }
}

fn parse_error(format: DatasetFormat, error: PolarsError) -> DatasetError {
    let detail = probity_fairness::polars_errors::describe(&error);
    match format {
        DatasetFormat::Parquet => DatasetError::InvalidParquet(detail),
        other => DatasetError::Unparseable {
            format: other.extension(),
            detail,
        },
    }
}

fn profile_frame(mut frame: LazyFrame, format: DatasetFormat) -> PolarsResult<DatasetProfile> {
    let schema = frame.collect_schema()?;
    const ROWS: &str = "__probity_profile_rows__";
    let counts = frame
        .select([len().alias(ROWS), all().as_expr().null_count()])
        .collect_with_engine(Engine::Streaming)?
        .unwrap_single();
    let rows = counts.column(ROWS)?.get(0)?.extract::<u64>().unwrap_or(0);
    let columns = schema
        .iter()
        .map(|(name, dtype)| {
            let null_count = counts.column(name)?.get(0)?.extract::<u64>().unwrap_or(0);
            Ok(ColumnProfile {
                name: name.to_string(),
                dtype: dtype.to_string(),
                null_count,
            })
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    Ok(DatasetProfile {
        format,
        rows,
        columns,
    })
}

/// Checks UTF-8, header names and that every record has the header's field count.
/// Longest CSV field accepted, in bytes.
pub const MAX_CSV_FIELD_BYTES: usize = 1 << 20;
/// Longest CSV record (a row's fields together) accepted, in bytes.
pub const MAX_CSV_RECORD_BYTES: usize = 16 << 20;
/// Most columns a CSV file may have.
pub const MAX_CSV_COLUMNS: usize = 10_000;
/// Longest NDJSON line accepted, in bytes.
pub const MAX_NDJSON_LINE_BYTES: usize = 1 << 20;
/// Deepest nesting of arrays and objects in an NDJSON line.
pub const MAX_NDJSON_DEPTH: usize = 64;

/// Checks a CSV file record by record with fixed buffers (a huge field or
/// row is refused when it passes the limit, not after it was read whole):
/// UTF-8, a usable header, every record as wide as the header, field sizes.
fn validate_csv(path: &Path) -> Result<(), DatasetError> {
    let mut reader = csv_core::Reader::new();
    let mut input = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut output = vec![0u8; MAX_CSV_RECORD_BYTES];
    let mut ends = vec![0usize; MAX_CSV_COLUMNS + 1];
    let (mut output_len, mut ends_len) = (0, 0);
    let mut header: Option<Vec<String>> = None;
    let mut line = 1;
    loop {
        let buffer = input.fill_buf()?;
        let (result, read, written, ended) =
            reader.read_record(buffer, &mut output[output_len..], &mut ends[ends_len..]);
        input.consume(read);
        // csv_core counts field ends from the start of the record, across calls.
        output_len += written;
        ends_len += ended;
        match result {
            csv_core::ReadRecordResult::InputEmpty => {}
            csv_core::ReadRecordResult::OutputFull => {
                return Err(DatasetError::RecordTooLarge {
                    line,
                    limit: MAX_CSV_RECORD_BYTES,
                });
            }
            csv_core::ReadRecordResult::OutputEndsFull => {
                return Err(DatasetError::TooManyColumns {
                    line,
                    limit: MAX_CSV_COLUMNS,
                });
            }
            csv_core::ReadRecordResult::Record => {
                check_csv_record(&output[..output_len], &ends[..ends_len], line, &mut header)?;
                (output_len, ends_len) = (0, 0);
                line = reader.line();
            }
            csv_core::ReadRecordResult::End => return Ok(()),
        }
    }
}

/// One CSV record: the header (first) or a data row checked against it.
fn check_csv_record(
    bytes: &[u8],
    ends: &[usize],
    line: u64,
    header: &mut Option<Vec<String>>,
) -> Result<(), DatasetError> {
    let text = std::str::from_utf8(bytes).map_err(|_| DatasetError::InvalidUtf8 { line })?;
    let fields = ends.iter().scan(0, |start, &end| {
        let field = &text[*start..end];
        *start = end;
        Some(field)
    });
    let Some(names) = header else {
        let mut seen = std::collections::HashSet::new();
        let mut names = Vec::with_capacity(ends.len());
        for (index, name) in fields.enumerate() {
            let name = name.trim_start_matches('\u{feff}');
            if name.trim().is_empty() {
                return Err(DatasetError::EmptyColumnName { index: index + 1 });
            }
            if !seen.insert(name) {
                return Err(DatasetError::DuplicateColumn {
                    column: name.to_string(),
                });
            }
            names.push(name.to_string());
        }
        *header = Some(names);
        return Ok(());
    };
    if ends.len() != names.len() {
        return Err(DatasetError::Ragged {
            line,
            expected: names.len() as u64,
            found: ends.len() as u64,
        });
    }
    for (field, name) in fields.zip(names.iter()) {
        if field.len() > MAX_CSV_FIELD_BYTES {
            return Err(DatasetError::FieldTooLarge {
                line,
                column: name.clone(),
                limit: MAX_CSV_FIELD_BYTES,
            });
        }
    }
    Ok(())
}

/// Checks an NDJSON file line by line without building a document: each
/// line at most `MAX_NDJSON_LINE_BYTES`, UTF-8, nested at most
/// `MAX_NDJSON_DEPTH` deep (the readers after this one recurse), one JSON
/// object.
fn validate_ndjson(path: &Path) -> Result<(), DatasetError> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut buffer = Vec::new();
    let mut line = 0u64;
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_NDJSON_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buffer)?;
        if read == 0 {
            return Ok(());
        }
        line += 1;
        if buffer.len() > MAX_NDJSON_LINE_BYTES {
            return Err(DatasetError::LineTooLong {
                line,
                limit: MAX_NDJSON_LINE_BYTES,
            });
        }
        let text = std::str::from_utf8(&buffer).map_err(|_| DatasetError::InvalidUtf8 { line })?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let invalid = |detail: String| DatasetError::InvalidJsonLine { line, detail };
        if !text.starts_with('{') {
            return Err(invalid("the line does not start with `{`".into()));
        }
        if nesting_depth(text.as_bytes()) > MAX_NDJSON_DEPTH {
            return Err(DatasetError::NestingTooDeep {
                line,
                limit: MAX_NDJSON_DEPTH,
            });
        }
        serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| {
            invalid(format!(
                "{} at column {}",
                match e.classify() {
                    serde_json::error::Category::Eof => "unexpected end of the line",
                    serde_json::error::Category::Syntax => "invalid JSON",
                    serde_json::error::Category::Data => "unexpected data",
                    serde_json::error::Category::Io => "unreadable",
                },
                e.column()
            ))
        })?;
    }
}

/// Deepest nesting of `[` and `{` outside strings in a JSON text.
fn nesting_depth(json: &[u8]) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in json {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    #[test]
    fn profiles_csv_with_nulls() {
        let file = file_with(b"a,b,c\n1,x,0.5\n2,,1.5\n3,z,\n");
        let profile = profile_file(file.path()).unwrap();
        assert_eq!(profile.format, DatasetFormat::Csv);
        assert_eq!(profile.rows, 3);
        let summary: Vec<_> = profile
            .columns
            .iter()
            .map(|c| (c.name.as_str(), c.dtype.as_str(), c.null_count))
            .collect();
        assert_eq!(summary, [("a", "i64", 0), ("b", "str", 1), ("c", "f64", 1)]);
    }

    #[test]
    fn nesting_depth_ignores_brackets_inside_strings() {
        assert_eq!(nesting_depth(br#"{"a":[1,{"b":2}]}"#), 3);
        assert_eq!(nesting_depth(br#"{"a":"[[[{{{\"]]]"}"#), 1);
        let deep = format!("{{\"a\":{}1{}}}\n", "[".repeat(100), "]".repeat(100));
        let file = file_with(deep.as_bytes());
        assert!(matches!(
            validate_ndjson(file.path()),
            Err(DatasetError::NestingTooDeep { line: 1, limit: 64 })
        ));
    }

    #[test]
    fn csv_records_split_across_reads_keep_their_fields() {
        // Fields and records longer than one read of the 1 MiB input buffer.
        let long = "z".repeat(700_000);
        let csv = format!("a,b\n\"{long}\",1\n2,\"{long}\"\n");
        let file = file_with(csv.as_bytes());
        assert_eq!(profile_file(file.path()).unwrap().rows, 2);
        let ragged = format!("a,b\n\"{long}\",1\n2,\"{long}\",3\n");
        let file = file_with(ragged.as_bytes());
        assert!(matches!(
            validate_csv(file.path()),
            Err(DatasetError::Ragged {
                line: 3,
                expected: 2,
                found: 3
            })
        ));
    }

    #[test]
    fn ragged_csv_names_the_line() {
        let file = file_with(b"a,b\n1,2\n3\n");
        let error = profile_file(file.path()).unwrap_err();
        assert!(
            matches!(
                error,
                DatasetError::Ragged {
                    line: 3,
                    expected: 2,
                    found: 1
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let file = file_with(b"a,b\n1,2\n3,\xff\xfe\n");
        let error = profile_file(file.path()).unwrap_err();
        assert!(
            matches!(error, DatasetError::InvalidUtf8 { line: 3 }),
            "{error:?}"
        );
    }

    #[test]
    fn ndjson_is_detected_from_content_and_bad_lines_are_located() {
        let good = file_with(b"{\"a\": 1, \"b\": \"x\"}\n{\"a\": null, \"b\": \"y\"}\n");
        let profile = profile_file(good.path()).unwrap();
        assert_eq!(profile.format, DatasetFormat::Ndjson);
        assert_eq!(profile.rows, 2);
        assert_eq!(profile.columns[0].null_count, 1);
        let bad = file_with(b"{\"a\": 1}\n{\"a\": 2\n");
        let error = profile_file(bad.path()).unwrap_err();
        assert!(
            matches!(error, DatasetError::InvalidJsonLine { line: 2, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn empty_and_header_only_files_are_rejected() {
        assert!(matches!(
            profile_file(file_with(b"").path()),
            Err(DatasetError::Empty)
        ));
        assert!(matches!(
            profile_file(file_with(b"  \n").path()),
            Err(DatasetError::Empty)
        ));
        assert!(matches!(
            profile_file(file_with(b"a,b\n").path()),
            Err(DatasetError::NoRows)
        ));
    }

    #[test]
    fn duplicate_header_is_rejected() {
        let error = profile_file(file_with(b"a,a\n1,2\n").path()).unwrap_err();
        assert!(
            matches!(error, DatasetError::DuplicateColumn { ref column } if column == "a"),
            "{error:?}"
        );
    }

    #[test]
    fn truncated_parquet_is_rejected() {
        let error = profile_file(file_with(b"PAR1\x00\x01\x02\x03\x04\x05\x06\x07\x08").path())
            .unwrap_err();
        assert!(
            matches!(error, DatasetError::InvalidParquet(_)),
            "{error:?}"
        );
    }

    #[test]
    fn batches_are_cut_at_fixed_rows_in_order_and_an_error_stops_the_read() {
        use std::fmt::Write as _;
        let mut csv = String::from("id,text\n");
        for i in 0..150_000 {
            writeln!(csv, "{i},row {i}").unwrap();
        }
        let file = file_with(csv.as_bytes());
        let read = |rows| {
            let mut seen = Vec::new();
            probity_fairness::query::for_each_batch::<PolarsError>(
                scan(file.path(), DatasetFormat::Csv).unwrap(),
                rows,
                |b| {
                    let ids = b.column("id")?.i64()?.clone();
                    seen.push((b.height(), ids.get(0), ids.get(b.height() - 1)));
                    Ok(())
                },
            )
            .unwrap();
            seen
        };
        assert_eq!(
            read(65_536),
            vec![
                (65_536, Some(0), Some(65_535)),
                (65_536, Some(65_536), Some(131_071)),
                (18_928, Some(131_072), Some(149_999)),
            ]
        );
        assert_eq!(read(65_536), read(65_536), "the same batches on every run");
        let mut calls = 0;
        let stopped = probity_fairness::query::for_each_batch(
            scan(file.path(), DatasetFormat::Csv).unwrap(),
            1_000,
            |_| {
                calls += 1;
                if calls == 3 {
                    Err(PolarsError::ComputeError("stop here".into()))
                } else {
                    Ok(())
                }
            },
        );
        assert!(stopped.unwrap_err().to_string().contains("stop here"));
        assert_eq!(calls, 3);
    }
}
