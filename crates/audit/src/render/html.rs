//! The HTML form of a report: one page, no external assets (styles inline,
//! charts as inline SVG), every text escaped by maud.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::document::{Block, Document};

const STYLE: &str = r#"
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2430; margin: 0; background: #f5f6f8; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #dde1e7; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: #566173; } dl.facts dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, monospace; font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px; text-transform: uppercase; }
.pass { background: #dcf5e3; color: #145c2c; } .fail { background: #fde0dd; color: #8a1c12; } .inconclusive { background: #fdf1d0; color: #6b4e00; }
.verdict { font-size: 16px; padding: 12px 16px; border-radius: 6px; margin: 8px 0; }
.verdict.pass { border-left: 6px solid #1f8a3d; } .verdict.fail { border-left: 6px solid #c0392b; } .verdict.inconclusive { border-left: 6px solid #c99700; }
figure { margin: 12px 0; } figcaption { color: #566173; font-size: 13px; margin-bottom: 4px; }
figure svg { max-width: 100%; height: auto; }
"#;

fn cell(text: &str) -> Markup {
    match text {
        "pass" | "fail" | "inconclusive" => html! { span class={ "badge " (text) } { (text) } },
        _ => html! { (text) },
    }
}

fn block(block: &Block) -> Markup {
    match block {
        Block::Heading { level: 2, text } => html! { h2 { (text) } },
        Block::Heading { text, .. } => html! { h3 { (text) } },
        Block::Verdict { outcome, text } => {
            let word = outcome.as_str();
            html! { div class={ "verdict " (word) } { span class={ "badge " (word) } { (word) } " " (text) } }
        }
        Block::Text(text) => html! { p { (text) } },
        Block::Facts(facts) => {
            html! { dl class="facts" { @for (label, value) in facts { dt { (label) } dd { (value) } } } }
        }
        Block::Table { header, rows } => html! {
            table {
                thead { tr { @for h in header { th { (h) } } } }
                tbody { @for row in rows { tr { @for c in row { td { (cell(c)) } } } } }
            }
        },
        Block::Chart { title, svg } => {
            html! { figure { figcaption { (title) } (PreEscaped(svg)) } }
        }
    }
}

/// Writes a document as a complete HTML page.
pub fn render(document: &Document) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (document.title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { h1 { (document.title) } @for b in &document.blocks { (block(b)) } } }
        }
    }
    .into_string()
}
