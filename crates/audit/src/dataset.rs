//! Dataset files: format detection from content, validation with precise
//! error locations, and profiling (rows, columns, dtypes, null counts) with
//! polars. Pure functions over a local file; no database, no HTTP.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

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
            | Self::InvalidJsonLine { line, .. } => Some(*line),
            Self::EmptyColumnName { .. } | Self::DuplicateColumn { .. } => Some(1),
            _ => None,
        }
    }

    /// Column the error refers to, when known.
    pub fn column(&self) -> Option<String> {
        match self {
            Self::DuplicateColumn { column } => Some(column.clone()),
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
    let format = detect_format(path)?;
    match format {
        DatasetFormat::Csv => validate_csv(path)?,
        DatasetFormat::Ndjson => validate_ndjson(path)?,
        DatasetFormat::Parquet => {}
    }
    let frame = scan(path, format).map_err(|e| parse_error(format, e))?;
    let profile = profile_frame(frame, format).map_err(|e| parse_error(format, e))?;
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
    let detail = error.to_string();
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
fn validate_csv(path: &Path) -> Result<(), DatasetError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(File::open(path)?);
    let header = reader.headers().map_err(csv_error)?.clone();
    let mut seen = std::collections::HashSet::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim_start_matches('\u{feff}');
        if name.trim().is_empty() {
            return Err(DatasetError::EmptyColumnName { index: index + 1 });
        }
        if !seen.insert(name) {
            return Err(DatasetError::DuplicateColumn {
                column: name.to_string(),
            });
        }
    }
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(csv_error)? {}
    Ok(())
}

fn csv_error(error: csv::Error) -> DatasetError {
    let line = error.position().map(|p| p.line()).unwrap_or(0);
    match error.into_kind() {
        csv::ErrorKind::Utf8 { pos, .. } => DatasetError::InvalidUtf8 {
            line: pos.map(|p| p.line()).unwrap_or(line),
        },
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => DatasetError::Ragged {
            line: pos.map(|p| p.line()).unwrap_or(line),
            expected: expected_len,
            found: len,
        },
        csv::ErrorKind::Io(io) => DatasetError::Io(io),
        other => DatasetError::Unparseable {
            format: "csv",
            detail: format!("{other:?}"),
        },
    }
}

/// Checks that every non-blank line is a UTF-8 JSON object.
fn validate_ndjson(path: &Path) -> Result<(), DatasetError> {
    let mut reader = BufReader::with_capacity(1 << 20, File::open(path)?);
    let mut buffer = Vec::new();
    let mut line = 0u64;
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer)? == 0 {
            return Ok(());
        }
        line += 1;
        let text = std::str::from_utf8(&buffer).map_err(|_| DatasetError::InvalidUtf8 { line })?;
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).map_err(|e| {
            DatasetError::InvalidJsonLine {
                line,
                detail: e.to_string(),
            }
        })?;
    }
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
}
