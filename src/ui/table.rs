//! Column layouts for the list panes. Each pane names its columns and a list of column sets from
//! richest to poorest; the first set that fits the width wins, so narrow panes drop whole columns
//! (your-zone times, latest start, champion…) instead of squeezing the title to nothing.

use super::text::{pad, pad_left, width};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

pub const GAP: usize = 2;

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub style: Style,
}

impl Cell {
    pub fn new(text: impl Into<String>, style: Style) -> Cell {
        Cell {
            text: text.into(),
            style,
        }
    }

    pub fn plain(text: impl Into<String>) -> Cell {
        Cell::new(text, Style::new())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub head: &'static str,
    /// Never wider than this.
    pub max: usize,
    /// Right-aligned (numbers).
    pub right: bool,
}

impl Column {
    pub const fn left(head: &'static str, max: usize) -> Column {
        Column {
            head,
            max,
            right: false,
        }
    }

    pub const fn right(head: &'static str, max: usize) -> Column {
        Column {
            head,
            max,
            right: true,
        }
    }
}

/// The chosen columns: (column index, width), in display order.
pub type Fitted = Vec<(usize, usize)>;

/// Natural width of each column: the widest of its heading and cells, capped at its `max`.
pub fn natural(columns: &[Column], rows: &[Vec<Cell>]) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|cell| width(&cell.text))
                .max()
                .unwrap_or(0);
            cells.max(width(c.head)).min(c.max)
        })
        .collect()
}

/// `text::width`, without the grapheme and width tables for printable ASCII (one column per
/// byte), which is most cell text.
pub fn cell_width(s: &str) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        s.len()
    } else {
        width(s)
    }
}

/// The same widths as `natural` over every item's cells, where `cell_width(item, column)` is the
/// width of one cell's text: a column stops looking once it reaches its `max`, and no row's cells
/// are kept, so a long list costs one cell at a time rather than every row formatted at once.
pub fn natural_by<T>(
    columns: &[Column],
    items: &[T],
    cell_width: impl Fn(&T, usize) -> usize,
) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut w = width(c.head);
            for item in items {
                if w >= c.max {
                    break;
                }
                w = w.max(cell_width(item, i));
            }
            w.min(c.max)
        })
        .collect()
}

/// Choose the first layout whose fixed columns plus `flex_min` cells of the flexible column fit
/// `avail`; the flexible column takes what is left (up to its natural width). When none fits,
/// the last layout is used and the flexible column gets whatever remains, possibly nothing.
pub fn fit(
    natural: &[usize],
    flex: usize,
    flex_min: usize,
    avail: usize,
    layouts: &[&[usize]],
) -> Fitted {
    let nat = |i: usize| natural.get(i).copied().unwrap_or(0);
    let attempt = |layout: &[usize], strict: bool| -> Option<Fitted> {
        let fixed: usize = layout.iter().filter(|&&i| i != flex).map(|&i| nat(i)).sum();
        let gaps = GAP * layout.len().saturating_sub(1);
        let room = avail.saturating_sub(fixed + gaps);
        let want_min = flex_min.min(nat(flex));
        if strict && (fixed + gaps > avail || room < want_min) {
            return None;
        }
        Some(
            layout
                .iter()
                .map(|&i| {
                    (
                        i,
                        if i == flex {
                            room.min(nat(flex))
                        } else {
                            nat(i)
                        },
                    )
                })
                .collect(),
        )
    };
    layouts
        .iter()
        .find_map(|l| attempt(l, true))
        .or_else(|| layouts.last().and_then(|l| attempt(l, false)))
        .unwrap_or_default()
}

/// One row as a line: each chosen cell padded to its width, separated by gaps.
pub fn row(columns: &[Column], fitted: &Fitted, cells: &[Cell]) -> Line<'static> {
    let mut spans = Vec::with_capacity(fitted.len() * 2);
    for (k, &(i, w)) in fitted.iter().enumerate() {
        if k > 0 {
            spans.push(Span::raw(" ".repeat(GAP)));
        }
        let (text, style) = cells
            .get(i)
            .map_or((String::new(), Style::new()), |c| (c.text.clone(), c.style));
        let right = columns.get(i).is_some_and(|c| c.right);
        let text = if right {
            pad_left(&text, w)
        } else {
            pad(&text, w)
        };
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

/// The heading line for the chosen columns.
pub fn heading(columns: &[Column], fitted: &Fitted, style: Style) -> Line<'static> {
    let cells: Vec<Cell> = columns.iter().map(|c| Cell::new(c.head, style)).collect();
    row(columns, fitted, &cells)
}

/// The first visible row so that `selected` stays within `visible` rows.
pub fn scroll(selected: usize, visible: usize) -> usize {
    if visible == 0 {
        return selected;
    }
    selected.saturating_sub(visible - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_columns_before_squeezing_the_title() {
        let nat = [9, 30, 16, 16];
        let layouts: &[&[usize]] = &[&[0, 1, 2, 3], &[0, 1, 3], &[0, 1]];
        assert_eq!(
            fit(&nat, 1, 20, 100, layouts),
            vec![(0, 9), (1, 30), (2, 16), (3, 16)]
        );
        assert_eq!(
            fit(&nat, 1, 20, 60, layouts),
            vec![(0, 9), (1, 30), (3, 16)]
        );
        assert_eq!(fit(&nat, 1, 20, 40, layouts), vec![(0, 9), (1, 29)]);
        assert_eq!(fit(&nat, 1, 20, 5, layouts), vec![(0, 9), (1, 0)]);
        for s in [
            "",
            "abc ~",
            "Fri 27 09:00",
            "ä",
            "日本",
            "a\tb",
            "x\u{7f}",
            "✓ ok",
            "e\u{301}",
        ] {
            assert_eq!(cell_width(s), width(s), "{s:?}");
        }
        assert_eq!(scroll(3, 10), 0);
        assert_eq!(scroll(12, 10), 3);
    }
}
