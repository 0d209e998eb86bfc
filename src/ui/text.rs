//! Text helpers for the views: display width, truncation with an ellipsis, padding, word wrap,
//! and the few ways the dashboard writes instants (durations are `domain::time`'s).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    let mut b = [0u8; 4];
    width(c.encode_utf8(&mut b))
}

/// `s` cut to at most `max` cells, ending in `…` when something was cut.
pub fn clip(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > max.saturating_sub(1) {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` clipped and padded with spaces to exactly `w` cells.
pub fn pad(s: &str, w: usize) -> String {
    let mut out = clip(s, w);
    let n = w.saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', n));
    out
}

/// `s` clipped and right-aligned in `w` cells.
pub fn pad_left(s: &str, w: usize) -> String {
    let c = clip(s, w);
    let n = w.saturating_sub(width(&c));
    let mut out: String = std::iter::repeat_n(' ', n).collect();
    out.push_str(&c);
    out
}

/// Greedy word wrap to `w` cells; words longer than a line are broken.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in s.split(' ') {
        let ww = width(word);
        if cur_w > 0 && cur_w + 1 + ww <= w {
            cur.push(' ');
            cur.push_str(word);
            cur_w += 1 + ww;
            continue;
        }
        if cur_w > 0 {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        // Start a new line with this word, breaking it if it is too long.
        for c in word.chars() {
            let cw = char_width(c);
            if cur_w + cw > w && cur_w > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    if cur_w > 0 || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Render `line` into row `row` of `area` (nothing when the row is outside it).
pub fn put(buf: &mut Buffer, area: Rect, row: u16, line: &Line) {
    if row >= area.height {
        return;
    }
    let r = Rect {
        x: area.x,
        y: area.y.saturating_add(row),
        width: area.width,
        height: 1,
    };
    line.render(r, buf);
}

/// `area` less one cell left and right.
pub fn margins(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        width: area.width.saturating_sub(2),
        ..area
    }
}

/// The one-cell gutter of a list row: `›` on the selected row of the focused pane.
pub fn gutter(selected: bool) -> Span<'static> {
    Span::raw(if selected { "›" } else { " " })
}

/// A short instant in a zone: `Fri 27 09:00 JST` within a week of now, else `27 Dec 09:00 JST`.
/// The day of the month is space-padded so times line up in a column.
pub fn when(at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    format!(
        "{} {}",
        day_time(at, zone, now),
        at.with_timezone(&zone).format("%Z")
    )
}

/// Like [`when`] without the zone: `Fri 27 09:00`.
pub fn day_time(at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    let near = (at - now).num_days().abs() < 7;
    if near {
        local.format("%a %e %H:%M").to_string()
    } else {
        local.format("%e %b %H:%M").to_string()
    }
}

/// A full instant for detail views: `Fri 27 Nov 09:00 JST` (with the year when it is not the
/// year of `now` there).
pub fn full(at: DateTime<Utc>, zone: Tz, now: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    let fmt = if local.year() == now.with_timezone(&zone).year() {
        "%a %-d %b %H:%M %Z"
    } else {
        "%a %-d %b %Y %H:%M %Z"
    };
    local.format(fmt).to_string()
}

/// An instant on their clock and yours: `Wed 25 Nov 09:30 JST (10:30 AEST for you)`; your side
/// names the date only when it differs from theirs.
pub fn both(at: DateTime<Utc>, theirs: Tz, mine: Tz, now: DateTime<Utc>) -> String {
    let (t, m) = (at.with_timezone(&theirs), at.with_timezone(&mine));
    let yours = if t.date_naive() == m.date_naive() {
        m.format("%H:%M %Z").to_string()
    } else {
        full(at, mine, now)
    };
    format!("{} ({yours} for you)", full(at, theirs, now))
}

/// `09:00` on `zone`'s clock.
pub fn hm(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%H:%M").to_string()
}

/// The zone abbreviation at an instant: `JST`, `AEST`, `-03`.
pub fn abbrev(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone).format("%Z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_and_padding() {
        assert_eq!(clip("hello", 5), "hello");
        assert_eq!(clip("hello", 4), "hel…");
        assert_eq!(clip("hello", 1), "…");
        assert_eq!(clip("hello", 0), "");
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        assert_eq!(pad("日本語", 5), "日本…");
        assert_eq!(pad("日本語", 4), "日… ");
    }

    #[test]
    fn wrapping() {
        assert_eq!(wrap("a bb ccc", 4), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(wrap("", 3), [""]);
    }
}
