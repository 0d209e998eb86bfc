use super::*;
use crate::domain::model::Origin;
use compact_str::CompactString;
use proptest::prelude::*;

/// A record read from a line `w<n>` (a typed one may carry more than its line says).
#[derive(Debug, Clone, PartialEq)]
struct Item {
    origin: Origin,
    n: u32,
    extra: u32,
}

impl Record for Item {
    fn line(&self) -> usize {
        self.origin.line
    }
    fn text(&self) -> &str {
        &self.origin.text
    }
    fn reads_back(&self) -> bool {
        !self.origin.text.is_empty() && self.extra == 0
    }
}

struct Read;

impl Reread<Item> for Read {
    fn reader(&self) -> LineReader<'_, Item> {
        Box::new(|text, line| Item {
            origin: Origin {
                line,
                text: CompactString::from(text),
            },
            n: text.trim_start_matches('w').parse().unwrap_or(u32::MAX),
            extra: 0,
        })
    }
}

fn rec(line: usize, n: u32, kept: bool, extra: u32) -> Item {
    Item {
        origin: Origin {
            line,
            text: if kept {
                CompactString::from(format!("w{n}"))
            } else {
                CompactString::default()
            },
        },
        n,
        extra,
    }
}

fn records(spec: &[(u32, bool, u32)], first_line: usize) -> Vec<Item> {
    spec.iter()
        .enumerate()
        .map(|(i, &(n, kept, extra))| rec(first_line + 2 * i, n, kept, extra))
        .collect()
}

fn spec() -> impl Strategy<Value = Vec<(u32, bool, u32)>> {
    proptest::collection::vec(
        (
            any::<u32>(),
            prop::bool::weighted(0.8),
            prop_oneof![4 => Just(0u32), 1 => 1..5u32],
        ),
        0..60,
    )
}

proptest! {
    /// Held as lines or typed, the same records come out, by index and in order, forwards
    /// and backwards, and after the same additions, joins and changes.
    #[test]
    fn lines_read_like_typed(a in spec(), b in spec(), c in spec(), bump in any::<u32>()) {
        let first = records(&a, 1);
        let mut typed = Held::from(first.clone());
        let mut lines = Held::from(first).into_lines(Arc::new(Read));
        prop_assert!(lines.is_lines());
        prop_assert_eq!(&typed, &lines);
        let after = 2 * a.len() + 1;
        typed.extend(records(&b, after));
        lines.extend(records(&b, after));
        prop_assert_eq!(&typed, &lines);
        // Between the lines already there (they are two apart).
        let between = records(&c, 2);
        let between: Vec<Item> = between.into_iter().take(a.len() + b.len()).collect();
        typed.join_by_line(Held::from(between.clone()));
        lines.join_by_line(Held::from(between));
        prop_assert!(lines.is_lines());
        prop_assert_eq!(&typed, &lines);
        typed.retain(|r| !r.n.is_multiple_of(5));
        lines.retain(|r| !r.n.is_multiple_of(5));
        prop_assert_eq!(&typed, &lines);
        let f = |r: &mut Item| if r.n.is_multiple_of(3) { r.extra = bump } ;
        typed.update_all(f);
        lines.update_all(f);
        prop_assert_eq!(&typed, &lines);
        // A change its line does not show (the record still has its text) survives the
        // records being held anew.
        let g = |r: &mut Item| if r.n.is_multiple_of(7) { r.n = r.n.wrapping_add(1) };
        typed.update_all(g);
        lines.update_all(g);
        typed.retain(|r| !r.n.is_multiple_of(11));
        lines.retain(|r| !r.n.is_multiple_of(11));
        prop_assert_eq!(&typed, &lines);
        for i in 0..=typed.len() {
            prop_assert_eq!(typed.get(i), lines.get(i));
        }
        for (i, line) in typed.lines().enumerate() {
            prop_assert_eq!(lines.position_of_line(line), Some(i));
            prop_assert_eq!(typed.position_of_line(line), Some(i));
        }
        prop_assert_eq!(lines.position_of_line(0), None);
        let back: Vec<Item> = lines.iter().rev().map(Rec::into_owned).collect();
        let mut want: Vec<Item> = typed.iter().map(Rec::into_owned).collect();
        want.reverse();
        prop_assert_eq!(back, want);
    }
}

#[test]
fn many_short_lines_are_held_as_lines_and_long_ones_typed() {
    let n = Held::<Item>::LINES_FROM;
    let short: Vec<Item> = (0..n as u32)
        .map(|i| rec(i as usize + 1, i, true, 0))
        .collect();
    let mut held = Held::reading(Arc::new(Read));
    held.extend(short[..n - 1].to_vec());
    assert!(!held.is_lines(), "fewer than LINES_FROM stay typed");
    held.extend(short[n - 1..].to_vec());
    assert!(held.is_lines());
    assert_eq!(held, Held::from(short));

    let long: Vec<Item> = (0..n as u32)
        .map(|i| {
            let mut r = rec(i as usize + 1, i, true, 0);
            r.origin.text =
                CompactString::from(format!("w{i}{}", " ".repeat(Held::<Item>::LINES_UNDER)));
            r
        })
        .collect();
    let mut held = Held::reading(Arc::new(Read));
    held.extend(long);
    assert!(!held.is_lines(), "long lines are cheaper typed");
    // Without a way to read a line again, nothing is held as lines.
    let mut held = Held::default();
    held.extend(short_again(n));
    assert!(!held.is_lines());
}

fn short_again(n: usize) -> Vec<Item> {
    (0..n as u32)
        .map(|i| rec(i as usize + 1, i, true, 0))
        .collect()
}
