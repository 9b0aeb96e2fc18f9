//! The parity report as GitHub-flavoured markdown, for pull-request
//! comments and step summaries.

use std::io;

use crate::document::{Document, Section};

pub fn render(document: &Document, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(head(document).as_bytes())?;
    for section in &document.sections {
        out.write_all(render_section(section, None).as_bytes())?;
    }
    out.write_all(tail(document).as_bytes())
}

/// The report cut to at most `max` bytes: the header, the summary and the
/// must-fix findings first, then the other sections in order while they
/// fit, a table cut row by row when only part of it does, and a visible
/// note of what was left out. `Err` with the least size that can hold the
/// header, the summary, the note and the verdict when `max` is smaller.
pub fn render_within(document: &Document, max: usize) -> Result<String, usize> {
    let mut full = head(document);
    for section in &document.sections {
        full.push_str(&render_section(section, None));
    }
    full.push_str(&tail(document));
    if full.len() <= max {
        return Ok(full);
    }

    let head = head(document);
    let tail = tail(document);
    let mut ordered: Vec<&Section> = Vec::new();
    let (summary, rest) = match document.sections.split_first() {
        Some((first, rest)) if first.heading == "Summary" => (Some(first), rest),
        _ => (None, document.sections.as_slice()),
    };
    ordered.extend(summary);
    ordered.extend(document.must_fix.as_ref());
    ordered.extend(rest);

    let fixed = head.len() + tail.len() + NOTE_BUDGET;
    let summary_text = summary.map(|s| render_section(s, None)).unwrap_or_default();
    if fixed + summary_text.len() > max {
        return Err(fixed + summary_text.len());
    }
    let mut budget = max - fixed;
    let mut body = String::new();
    let mut left_out: Vec<String> = Vec::new();
    for section in ordered {
        let text = render_section(section, None);
        if text.len() <= budget {
            budget -= text.len();
            body.push_str(&text);
            continue;
        }
        // As many rows of its table as fit.
        let rows = section.table.as_ref().map_or(0, |t| t.rows.len());
        // The size grows with the rows: the most that fit, by bisection.
        let (mut low, mut high) = (0, rows);
        while low + 1 < high {
            let mid = (low + high) / 2;
            if render_section(section, Some(mid)).len() <= budget {
                low = mid;
            } else {
                high = mid;
            }
        }
        let fitting = (low > 0).then(|| (low, render_section(section, Some(low))));
        match fitting {
            Some((n, text)) => {
                budget -= text.len();
                body.push_str(&text);
                left_out.push(format!("{} ({} of {rows} rows)", section.heading, rows - n));
            }
            None => left_out.push(section.heading.clone()),
        }
    }
    let mut out = head;
    out.push_str(&body);
    out.push_str(&cut_note(max, &left_out));
    out.push_str(&tail);
    Ok(out)
}

/// Room kept for the note saying what was cut.
const NOTE_BUDGET: usize = 400;

fn cut_note(max: usize, left_out: &[String]) -> String {
    let intro = format!("\n> **Cut to fit {max} bytes.** Left out: ");
    let outro = ". The whole report: run without `--max-bytes`, or with `--format json`.\n";
    let mut listed = String::new();
    for (i, name) in left_out.iter().enumerate() {
        let more = format!(" and {} more", left_out.len() - i);
        let item = format!("{}{}", if i == 0 { "" } else { ", " }, escape(name));
        if intro.len() + listed.len() + item.len() + more.len() + outro.len() > NOTE_BUDGET {
            listed.push_str(&more);
            break;
        }
        listed.push_str(&item);
    }
    format!("{intro}{listed}{outro}")
}

fn head(document: &Document) -> String {
    let mut out = format!("## {}\n\n", document.title);
    for (key, value) in &document.facts {
        out.push_str(&format!("**{key}:** {}  \n", escape(value)));
    }
    out
}

fn tail(document: &Document) -> String {
    format!("\n**{}**\n", escape(&document.verdict.text))
}

/// One section; with `rows`, only that many rows of its table, and neither
/// diffs nor bullets.
fn render_section(section: &Section, rows: Option<usize>) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "\n{} {}\n\n",
        "#".repeat(usize::from(section.level) + 1),
        escape(&section.heading)
    ));
    for paragraph in &section.paragraphs {
        out.push_str(&format!("{}\n\n", escape(paragraph)));
    }
    if let Some(table) = &section.table {
        out.push_str(&format!(
            "| {} |\n",
            table
                .header
                .iter()
                .map(|h| escape(h))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        out.push_str(&format!("|{}\n", "---|".repeat(table.header.len())));
        for row in table.rows.iter().take(rows.unwrap_or(usize::MAX)) {
            out.push_str(&format!(
                "| {} |\n",
                row.iter()
                    .map(|c| cell(&c.text))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        if let Some(n) = rows {
            let cut = table.rows.len().saturating_sub(n);
            out.push_str(&format!(
                "\n*… {cut} more {}{} cut to fit.*\n",
                if cut == 1 { "row" } else { "rows" },
                if section.diffs.is_empty() {
                    ""
                } else {
                    " and the diffs"
                }
            ));
            return out;
        }
    }
    for diff in &section.diffs {
        out.push_str(&format!(
            "\n<details><summary>{}</summary>\n\n```diff\n",
            html(&diff.title)
        ));
        for line in &diff.lines {
            // A fence inside a value would end the block early.
            out.push_str(&line.replace("```", "`\u{200b}``"));
            out.push('\n');
        }
        out.push_str("```\n\n</details>\n");
    }
    for bullet in &section.bullets {
        match bullet.strip_prefix("  ") {
            Some(item) => out.push_str(&format!("   - {}\n", escape(item))),
            None => out.push_str(&format!("1. **{}**\n", escape(bullet))),
        }
    }
    out
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
