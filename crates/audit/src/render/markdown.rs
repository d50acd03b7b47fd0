//! The Markdown form of a report: the same sections, tables and facts as
//! the HTML page; charts are left out because their numbers are in the
//! tables beside them.

use super::document::{Block, Document};

/// Makes text safe inside a Markdown table cell or line: escapes the
/// characters Markdown would read as markup and folds newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>]) {
    let line = |cells: &[String]| {
        format!(
            "| {} |\n",
            cells
                .iter()
                .map(|c| escape(c))
                .collect::<Vec<_>>()
                .join(" | ")
        )
    };
    out.push_str(&line(header));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for row in rows {
        out.push_str(&line(row));
    }
    out.push('\n');
}

/// Writes a document as Markdown.
pub fn render(document: &Document) -> String {
    let mut out = format!("# {}\n\n", escape(&document.title));
    for block in &document.blocks {
        match block {
            Block::Heading { level, text } => out.push_str(&format!(
                "{} {}\n\n",
                "#".repeat(*level as usize),
                escape(text)
            )),
            Block::Verdict { outcome, text } => out.push_str(&format!(
                "**Verdict: {}** — {}\n\n",
                outcome.as_str().to_uppercase(),
                escape(text)
            )),
            Block::Text(text) => out.push_str(&format!("{}\n\n", escape(text))),
            Block::Facts(facts) => {
                let rows: Vec<Vec<String>> = facts
                    .iter()
                    .map(|(l, v)| vec![l.clone(), v.clone()])
                    .collect();
                table(&mut out, &["Item".into(), "Value".into()], &rows);
            }
            Block::Table { header, rows } => table(&mut out, header, rows),
            Block::Chart { .. } => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_break_tables_or_add_markup() {
        let document = Document {
            title: "T".into(),
            blocks: vec![Block::Table {
                header: vec!["Group".into(), "Rate".into()],
                rows: vec![vec!["a|b\n<i>*x*</i> [l](u)".into(), "0.5000".into()]],
            }],
        };
        let text = render(&document);
        assert_eq!(
            text,
            "# T\n\n| Group | Rate |\n|---|---|\n| a\\|b \\<i\\>\\*x\\*\\</i\\> \\[l\\](u) | 0.5000 |\n\n"
        );
    }
}
