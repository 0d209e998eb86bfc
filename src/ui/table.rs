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
/// width of one cell's text: a column stops looking once it reaches its `max` (and the items once
/// every column has), and no row's cells are kept, so a long list costs one cell at a time rather
/// than every row formatted at once. The items may be made as they come (a follow-up's row).
pub fn natural_by<T>(
    columns: &[Column],
    items: impl IntoIterator<Item = T>,
    cell_width: impl Fn(&T, usize) -> usize,
) -> Vec<usize> {
    let mut widths: Vec<usize> = columns.iter().map(|c| width(c.head)).collect();
    for item in items {
        let mut open = false;
        for (i, c) in columns.iter().enumerate() {
            if widths[i] < c.max {
                widths[i] = widths[i].max(cell_width(&item, i));
                open |= widths[i] < c.max;
            }
        }
        if !open {
            break;
        }
    }
    widths
        .iter()
        .zip(columns)
        .map(|(w, c)| (*w).min(c.max))
        .collect()
}

/// One step of a pane's drop order: the columns shown, and the fewest cells the flexible column
/// (the title) must keep for the step to be taken. [`WHOLE`] asks for the title's whole natural
/// width, so the steps say where a title is cut and where a column goes instead.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub columns: &'static [usize],
    pub flex_min: usize,
}

/// A `Step::flex_min` asking for the whole of the flexible column.
pub const WHOLE: usize = usize::MAX;

/// How many of a pane's rows its widths come from: all of them, or, when its records are held
/// as their lines (each row read again to be measured), the first 20,000 in the board's order
/// (docs/decisions.md, "Memory of the dashboard on tiny records").
pub fn width_rows(held_as_lines: bool) -> usize {
    if held_as_lines { 20_000 } else { usize::MAX }
}

impl Step {
    pub const fn new(columns: &'static [usize], flex_min: usize) -> Step {
        Step { columns, flex_min }
    }
}

/// The width `step` needs: its fixed columns at their natural widths, the gaps, and the flexible
/// column's minimum (at most its natural width).
pub fn step_width(natural: &[usize], flex: usize, step: &Step) -> usize {
    let nat = |i: usize| natural.get(i).copied().unwrap_or(0);
    let cols: usize = step
        .columns
        .iter()
        .map(|&i| {
            if i == flex {
                step.flex_min.min(nat(i))
            } else {
                nat(i)
            }
        })
        .sum();
    cols + GAP * step.columns.len().saturating_sub(1)
}

/// Which of `steps` (richest first) is taken at `avail` cells: the first that fits, else the
/// last.
pub fn choose(natural: &[usize], flex: usize, avail: usize, steps: &[Step]) -> usize {
    steps
        .iter()
        .position(|s| step_width(natural, flex, s) <= avail)
        .unwrap_or(steps.len().saturating_sub(1))
}

/// The columns of the step [`choose`] takes; the flexible column takes what is left (up to its
/// natural width). When no step fits, the last is used and the flexible column gets whatever
/// remains, possibly nothing.
pub fn fit(natural: &[usize], flex: usize, avail: usize, steps: &[Step]) -> Fitted {
    let Some(step) = steps.get(choose(natural, flex, avail, steps)) else {
        return Fitted::new();
    };
    let nat = |i: usize| natural.get(i).copied().unwrap_or(0);
    let fixed: usize = step
        .columns
        .iter()
        .filter(|&&i| i != flex)
        .map(|&i| nat(i))
        .sum();
    let gaps = GAP * step.columns.len().saturating_sub(1);
    let room = avail.saturating_sub(fixed + gaps);
    step.columns
        .iter()
        .map(|&i| (i, if i == flex { room.min(nat(i)) } else { nat(i) }))
        .collect()
}

/// Checks a pane's drop order for every width from 40 to 250 (a property test of each pane
/// calls it with random widths of the data, each held to its column's `max` here): the columns
/// chosen fit whenever a step fits, and as the width shrinks the step taken only moves down the
/// stated order.
#[cfg(test)]
pub fn check_order(
    columns: &[Column],
    data: &[usize],
    flex: usize,
    steps: &[Step],
) -> Result<(), String> {
    let natural: Vec<usize> = data
        .iter()
        .zip(columns)
        .map(|(w, c)| (*w).min(c.max))
        .collect();
    let natural = natural.as_slice();
    let mut last = 0;
    for avail in (40..=250).rev() {
        let k = choose(natural, flex, avail, steps);
        if k < last {
            return Err(format!("step {k} at {avail} after step {last} wider"));
        }
        last = k;
        let fitted = fit(natural, flex, avail, steps);
        let used: usize =
            fitted.iter().map(|(_, w)| w).sum::<usize>() + GAP * fitted.len().saturating_sub(1);
        let some_fits = steps.iter().any(|s| step_width(natural, flex, s) <= avail);
        if some_fits && used > avail {
            return Err(format!("{used} cells used of {avail}"));
        }
        if let Some(earlier) = steps.get(..k)
            && earlier
                .iter()
                .any(|s| step_width(natural, flex, s) <= avail)
        {
            return Err(format!(
                "step {k} taken at {avail} where an earlier one fits"
            ));
        }
        let shown: Vec<usize> = fitted.iter().map(|&(i, _)| i).collect();
        if steps.get(k).is_some_and(|s| s.columns != shown.as_slice()) {
            return Err(format!("columns {shown:?} are not step {k}'s"));
        }
    }
    Ok(())
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
        let steps = [
            Step::new(&[0, 1, 2, 3], 20),
            Step::new(&[0, 1, 3], 20),
            Step::new(&[0, 1], 20),
        ];
        assert_eq!(
            fit(&nat, 1, 100, &steps),
            vec![(0, 9), (1, 30), (2, 16), (3, 16)]
        );
        assert_eq!(fit(&nat, 1, 60, &steps), vec![(0, 9), (1, 30), (3, 16)]);
        assert_eq!(fit(&nat, 1, 40, &steps), vec![(0, 9), (1, 29)]);
        assert_eq!(fit(&nat, 1, 5, &steps), vec![(0, 9), (1, 0)]);
        // A whole title before the last column, then the title cut: 9 + 30 + 16 + 4 = 59.
        let steps = [
            Step::new(&[0, 1, 2, 3], WHOLE),
            Step::new(&[0, 1, 2], WHOLE),
            Step::new(&[0, 1, 2], 20),
        ];
        assert_eq!(fit(&nat, 1, 59, &steps), vec![(0, 9), (1, 30), (2, 16)]);
        assert_eq!(fit(&nat, 1, 58, &steps), vec![(0, 9), (1, 29), (2, 16)]);
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
