//! The parity report as GitHub-flavoured markdown, for pull-request
//! comments and step summaries.

use std::io;

use crate::document::{Document, FixBlock, Section};
use crate::visible::visible;

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
    let mut out = format!("## {}\n\n", escape(&document.title));
    for (key, value) in &document.facts {
        out.push_str(&format!("**{}:** {}  \n", escape(key), escape(value)));
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
    }
    for block in &section.fixes {
        if rows.is_none_or(|n| block.row < n) {
            out.push_str(&fix_block(block));
        }
    }
    if let (Some(table), Some(n)) = (&section.table, rows) {
        let cut = table.rows.len().saturating_sub(n);
        out.push_str(&format!(
            "\n*… {cut} more {}{}{} cut to fit.*\n",
            if cut == 1 { "row" } else { "rows" },
            if section.fixes.iter().any(|b| b.row >= n) {
                " with their fixes"
            } else {
                ""
            },
            if section.diffs.is_empty() {
                ""
            } else {
                " and the diffs"
            }
        ));
        return out;
    }
    for diff in &section.diffs {
        let lines: Vec<String> = diff.lines.iter().map(|l| visible(l).into_owned()).collect();
        // A fence longer than any run of backticks inside: a value cannot
        // end the block early.
        let fence = "`".repeat(longest_backtick_run(lines.iter().map(String::as_str)).max(2) + 1);
        out.push_str(&format!(
            "\n<details><summary>{}</summary>\n\n{fence}diff\n",
            html(&diff.title)
        ));
        for line in &lines {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(&format!("{fence}\n\n</details>\n"));
    }
    for bullet in &section.bullets {
        match bullet.strip_prefix("  ") {
            Some(item) => out.push_str(&format!("   - {}\n", escape(item))),
            None => out.push_str(&format!("1. **{}**\n", escape(bullet))),
        }
    }
    out
}

/// A finding's locations and fix snippets, folded: each snippet whole in
/// a fence longer than any run of backticks inside it.
fn fix_block(block: &FixBlock) -> String {
    let mut out = format!(
        "\n<details><summary>Where and how to fix: {}</summary>\n\n",
        html(&block.title)
    );
    for location in &block.locations {
        match location.split_once(": ") {
            Some((side, at)) => out.push_str(&format!("- {}: {}\n", escape(side), cell(at))),
            None => out.push_str(&format!("- {}\n", cell(location))),
        }
    }
    for snippet in &block.snippets {
        let code = crate::visible::visible_lines(&snippet.code);
        let fence = "`".repeat(longest_backtick_run([code.as_str()]).max(2) + 1);
        out.push_str(&format!(
            "\n{}:\n\n{fence}{}\n{code}\n{fence}\n",
            escape(&snippet.label),
            snippet.fence
        ));
    }
    out.push_str("\n</details>\n");
    out
}

/// A table cell: a code span, so that markdown, HTML and `@mentions`
/// inside it are not interpreted, delimited by more backticks than any run
/// inside it; pipes escaped, hidden characters (line breaks too) shown
/// escaped.
fn cell(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let text = visible(text).replace('|', "\\|");
    let ticks = "`".repeat(longest_backtick_run([text.as_str()]) + 1);
    // A span that begins or ends with a backtick needs a space, which
    // the code span then drops.
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// The longest run of backticks in the texts.
fn longest_backtick_run<'t>(texts: impl IntoIterator<Item = &'t str>) -> usize {
    texts
        .into_iter()
        .flat_map(|t| t.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// Text outside code: hidden characters shown escaped, characters markdown
/// would interpret escaped, and `@` in a code span of its own, so that a
/// name cannot mention (and notify) anyone.
fn escape(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '@' {
            out.push_str("`@`");
            continue;
        }
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '&' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text inside HTML (a `<summary>`): hidden characters shown escaped,
/// markup as entities, `@` in code of its own (see [`escape`]).
fn html(text: &str) -> String {
    visible(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('@', "<code>@</code>")
}
