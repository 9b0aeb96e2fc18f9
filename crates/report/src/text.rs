//! The parity report as plain text: headings, tables, diffs. Colour only
//! when asked (the CLI asks on a terminal without `NO_COLOR`).

use std::io;

use tabled::builder::Builder;
use tabled::settings::Style;

use crate::document::{Cell, Document, Table, Tone};
use crate::visible::visible;

pub fn render(document: &Document, color: bool, out: &mut dyn io::Write) -> io::Result<()> {
    let paint = Paint { color };
    writeln!(out, "{}", paint.bold(&visible(&document.title)))?;
    let width = document
        .facts
        .iter()
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    for (key, value) in &document.facts {
        writeln!(out, "{key:width$}  {}", visible(value))?;
    }
    for section in &document.sections {
        writeln!(out)?;
        let heading = if section.level <= 2 {
            section.heading.to_uppercase()
        } else {
            section.heading.clone()
        };
        writeln!(out, "{}", paint.bold(&visible(&heading)))?;
        for paragraph in &section.paragraphs {
            writeln!(out, "{}", visible(paragraph))?;
        }
        if let Some(table) = &section.table {
            write_cells(out, table, paint)?;
        }
        for diff in &section.diffs {
            writeln!(out)?;
            writeln!(out, "{}", visible(&diff.title))?;
            for line in &diff.lines {
                let line = &visible(line);
                let tone = match line.chars().next() {
                    Some('+') if !line.starts_with("+++") => Tone::Good,
                    Some('-') if !line.starts_with("---") => Tone::Bad,
                    _ => Tone::Plain,
                };
                writeln!(out, "    {}", paint.tone(line, tone))?;
            }
        }
        for bullet in &section.bullets {
            match bullet.strip_prefix("  ") {
                Some(item) => writeln!(out, "    - {}", visible(item))?,
                None => writeln!(out, "- {}", visible(bullet))?,
            }
        }
    }
    writeln!(out)?;
    let tone = if document.verdict.in_parity {
        Tone::Good
    } else {
        Tone::Bad
    };
    writeln!(
        out,
        "{}",
        paint.tone(&visible(&document.verdict.text), tone)
    )
}

fn write_cells(out: &mut dyn io::Write, table: &Table, paint: Paint) -> io::Result<()> {
    let mut builder = Builder::default();
    builder.push_record(table.header.iter().map(|h| visible(h).into_owned()));
    for row in &table.rows {
        builder.push_record(
            row.iter()
                .map(|cell: &Cell| paint.tone(&visible(&cell.text), cell.tone)),
        );
    }
    write_table(out, builder)
}

/// Writes a table without the padding tabled leaves at the end of lines.
pub(crate) fn write_table(out: &mut dyn io::Write, table: Builder) -> io::Result<()> {
    let rendered = table.build().with(Style::psql()).to_string();
    for line in rendered.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A table as GitHub markdown.
pub(crate) fn write_markdown_table(out: &mut dyn io::Write, table: Builder) -> io::Result<()> {
    let rendered = table.build().with(Style::markdown()).to_string();
    for line in rendered.lines() {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
struct Paint {
    color: bool,
}

impl Paint {
    fn bold(&self, text: &str) -> String {
        if self.color {
            format!("\x1b[1m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn tone(&self, text: &str, tone: Tone) -> String {
        let code = match tone {
            Tone::Plain => return text.to_owned(),
            Tone::Good => "32",
            Tone::Warning => "33",
            Tone::Bad => "31",
        };
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}
