//! The parity report as GitHub-flavoured markdown, for pull-request
//! comments and step summaries.

use std::io;

use crate::document::Document;

pub fn render(document: &Document, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(out, "## {}", document.title)?;
    writeln!(out)?;
    for (key, value) in &document.facts {
        writeln!(out, "**{key}:** {}  ", escape(value))?;
    }
    for section in &document.sections {
        writeln!(out)?;
        writeln!(
            out,
            "{} {}",
            "#".repeat(usize::from(section.level) + 1),
            escape(&section.heading)
        )?;
        writeln!(out)?;
        for paragraph in &section.paragraphs {
            writeln!(out, "{}", escape(paragraph))?;
            writeln!(out)?;
        }
        if let Some(table) = &section.table {
            writeln!(
                out,
                "| {} |",
                table
                    .header
                    .iter()
                    .map(|h| escape(h))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )?;
            writeln!(out, "|{}", "---|".repeat(table.header.len()))?;
            for row in &table.rows {
                writeln!(
                    out,
                    "| {} |",
                    row.iter()
                        .map(|c| cell(&c.text))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
            }
        }
        for diff in &section.diffs {
            writeln!(out)?;
            writeln!(out, "<details><summary>{}</summary>", html(&diff.title))?;
            writeln!(out)?;
            writeln!(out, "```diff")?;
            for line in &diff.lines {
                // A fence inside a value would end the block early.
                writeln!(out, "{}", line.replace("```", "`\u{200b}``"))?;
            }
            writeln!(out, "```")?;
            writeln!(out)?;
            writeln!(out, "</details>")?;
        }
        for bullet in &section.bullets {
            match bullet.strip_prefix("  ") {
                Some(item) => writeln!(out, "   - {}", escape(item))?,
                None => writeln!(out, "1. **{}**", escape(bullet))?,
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "**{}**", escape(&document.verdict.text))
}

/// A table cell: pipes escaped, line breaks kept as `<br>`, values in code
/// spans so that markdown inside them is not interpreted.
fn cell(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let text = text.replace('|', "\\|").replace('\n', "<br>");
    if text.contains('`') {
        escape(&text)
    } else {
        format!("`{text}`")
    }
}

/// Text outside code: characters markdown would interpret are escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
