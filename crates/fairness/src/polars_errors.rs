//! Polars' error messages, made fit for a job record or a problem detail:
//! polars quotes cell values in some messages (a failed cast lists the
//! values it could not convert), and no error of Probity's may carry one.

use polars::prelude::PolarsError;

/// What went wrong, without any cell value: the first line of the message,
/// cut before a quoted list or value, for errors that may quote data; the
/// message as it is for errors about names and shapes.
pub fn describe(error: &PolarsError) -> String {
    match error {
        PolarsError::ColumnNotFound(_)
        | PolarsError::SchemaFieldNotFound(_)
        | PolarsError::StructFieldNotFound(_)
        | PolarsError::Duplicate(_)
        | PolarsError::ShapeMismatch(_) => first_line(&error.to_string()),
        PolarsError::IO { .. } => "reading the file failed".into(),
        PolarsError::Context { error, .. } => describe(error),
        other => {
            let line = first_line(&other.to_string());
            let cut = [": [", ": \"", ": '", ": `", " value "]
                .iter()
                .filter_map(|marker| line.find(marker))
                .min()
                .unwrap_or(line.len());
            let kept = line[..cut].trim_end_matches([':', ' ']);
            if kept.len() < line.len() {
                format!("{kept} (values withheld)")
            } else {
                kept.to_string()
            }
        }
    }
}

fn first_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("unknown polars error")
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn a_failed_cast_does_not_quote_its_values() {
        let frame = df!("email" => ["ann@example.org", "1"]).unwrap();
        let error = frame
            .lazy()
            .select([col("email").strict_cast(DataType::Float64)])
            .collect()
            .unwrap_err();
        let raw = error.to_string();
        assert!(
            raw.contains("ann@example.org"),
            "polars no longer quotes values: {raw}"
        );
        let described = describe(&error);
        assert!(!described.contains("ann@example.org"), "{described}");
        assert!(described.contains("email"), "{described}");
        assert!(!described.is_empty());
        let missing = PolarsError::ColumnNotFound("unable to find column \"x\"".into());
        assert_eq!(describe(&missing), "not found: unable to find column \"x\"");
    }
}
