//! The three-way merge of a data file (`tether merge BASE OURS THEIRS`, git's merge driver, and
//! `tether resolve` for Syncthing's conflict copies): records matched by `id`, lines added on
//! either side all kept, a record changed on both sides merged field by field (`fields`), and
//! every line neither side changed left as it was, in its place (docs/decisions.md, "Merging
//! the data files").
//!
//! - A record (by id) changed on one side only takes that side's line; deleted on one side and
//!   untouched on the other, it goes; deleted on one side and changed on the other, the changed
//!   one stays (nothing is lost); added on both sides with the same id and different text
//!   (older, short ids), both stay, and `tether check` names the duplicate.
//! - Other lines (records without an id, comments, blank lines, lines that do not parse) are
//!   matched by their text, as a multiset: the other side's additions are added, its deletions
//!   made.
//! - A line the other side added goes after the line that precedes it there (the nearest one
//!   with an id kept in the result), else at the top; so appended records stay at the end.
//! - Line endings are each line's own; a last line without one gets one if something follows.
//!
//! The result as records does not depend on which side is "ours" (the property test in
//! `tests/merge_property.rs`).

pub mod fields;
pub mod lines;

use fields::same_record;
use lines::{Key, Line, split};
use std::collections::HashMap;

/// A merged file and what could not merge cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    pub text: String,
    /// One line per conflict, for the person running the merge: `id f-…: "due" changed on both
    /// sides (the other value is in merge_conflict)`.
    pub conflicts: Vec<String>,
}

/// How many times each text line (not a record with an id) appears.
fn count(v: &[Line]) -> HashMap<&str, usize> {
    let mut m: HashMap<&str, usize> = HashMap::new();
    for l in v {
        if let Key::Text(s) = &l.key {
            *m.entry(s.as_str()).or_default() += 1;
        }
    }
    m
}

/// Where a line of the result sits: at the top, or after a line of "ours".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bucket {
    Head,
    After(usize),
}

pub fn merge_text(base: &str, ours: &str, theirs: &str) -> Merged {
    let (b, o, t) = (split(base), split(ours), split(theirs));
    let eol = o
        .iter()
        .chain(&t)
        .map(|l| l.end)
        .find(|e| !e.is_empty())
        .unwrap_or("\n");
    let by_id = |v: &[Line]| -> HashMap<String, usize> {
        v.iter()
            .enumerate()
            .filter_map(|(i, l)| match &l.key {
                Key::Id(id) => Some((id.clone(), i)),
                Key::Text(_) => None,
            })
            .collect()
    };
    let (bi, oi) = (by_id(&b), by_id(&o));
    let (bc, tc) = (count(&b), count(&t));

    // Ours, line by line, as the result starts; `None` once the other side's deletion applies.
    let mut slots: Vec<Option<Line>> = o.iter().cloned().map(Some).collect();
    let mut conflicts = Vec::new();

    // Their deletions of text lines: the first occurrences in ours go.
    let mut oc: HashMap<String, usize> = HashMap::new();
    for slot in slots.iter_mut() {
        let Some(Line {
            key: Key::Text(s), ..
        }) = slot
        else {
            continue;
        };
        let k = s.clone();
        let removed_by_them = bc
            .get(k.as_str())
            .copied()
            .unwrap_or(0)
            .saturating_sub(tc.get(k.as_str()).copied().unwrap_or(0));
        let seen = oc.entry(k).or_default();
        if *seen < removed_by_them {
            *seen += 1;
            *slot = None;
        }
    }

    // Records of theirs that change ours in place or go.
    let mut ours_ids: Vec<(&String, usize)> = oi.iter().map(|(id, &i)| (id, i)).collect();
    ours_ids.sort_by_key(|(_, i)| *i);
    for (id, i) in ours_ids {
        let base = bi.get(id).map(|&k| b[k].text.as_str());
        let theirs = t
            .iter()
            .find(|l| l.key == Key::Id(id.clone()))
            .map(|l| l.text.as_str());
        let ours = o[i].text.as_str();
        let same = |x: Option<&str>, y: Option<&str>| match (x, y) {
            (Some(x), Some(y)) => same_record(x, y),
            (None, None) => true,
            _ => false,
        };
        if same(theirs, Some(ours)) || same(theirs, base) {
            continue;
        }
        match (base, theirs) {
            // Deleted there: goes if untouched here, else stays.
            (Some(b), None) if same_record(b, ours) => slots[i] = None,
            (_, None) => {}
            (Some(b), Some(th)) if same_record(b, ours) => {
                if let Some(s) = slots[i].as_mut() {
                    s.text = th.to_string();
                }
            }
            (Some(b), Some(th)) => match fields::merge_record(b, ours, th) {
                Some((text, fields_in_conflict)) => {
                    for f in fields_in_conflict {
                        conflicts.push(format!(
                            "id {id}: {f:?} changed differently on both sides; one value is \
                             kept, the other is in {:?}",
                            fields::CONFLICT_FIELD
                        ));
                    }
                    if let Some(s) = slots[i].as_mut() {
                        s.text = text;
                    }
                }
                None => conflicts.push(format!(
                    "id {id}: changed on both sides and a version is not a JSON object; both \
                     lines are kept"
                )),
            },
            // Added on both sides, differently (an id made twice): both stay.
            (None, Some(_)) => {}
        }
    }

    // Their additions, each after the line preceding it there.
    let mut inserted: Vec<(Bucket, Line)> = Vec::new();
    let mut placed: Vec<Option<Bucket>> = vec![None; t.len()];
    let mut tseen: HashMap<&str, usize> = HashMap::new();
    for (j, l) in t.iter().enumerate() {
        let add = match &l.key {
            Key::Id(id) => {
                let in_ours = oi.contains_key(id);
                let base = bi.get(id).map(|&k| b[k].text.as_str());
                match (in_ours, base) {
                    (true, None) => {
                        // Both added it: once if the same, both if not.
                        let i = oi[id];
                        if same_record(&o[i].text, &l.text) {
                            false
                        } else {
                            conflicts.push(format!(
                                "id {id}: added on both sides with different contents; both \
                                 lines are kept (tether check names the duplicate id)"
                            ));
                            true
                        }
                    }
                    (true, Some(_)) => false,
                    // Deleted here: back if they changed it, else the deletion stands.
                    (false, Some(b)) => !same_record(b, &l.text),
                    (false, None) => true,
                }
            }
            Key::Text(s) => {
                let n = tseen.entry(s.as_str()).or_default();
                *n += 1;
                // The occurrences beyond those in the base are theirs to add.
                *n > bc.get(s.as_str()).copied().unwrap_or(0)
            }
        };
        if add {
            let bucket = (0..j)
                .rev()
                .find_map(|k| {
                    placed[k].or_else(|| match &t[k].key {
                        Key::Id(id) => oi
                            .get(id)
                            .filter(|&&i| slots[i].is_some())
                            .map(|&i| Bucket::After(i)),
                        Key::Text(_) => None,
                    })
                })
                .unwrap_or(Bucket::Head);
            placed[j] = Some(bucket);
            inserted.push((bucket, l.clone()));
        } else if let Key::Id(id) = &l.key
            && let Some(&i) = oi.get(id)
            && slots[i].is_some()
        {
            placed[j] = Some(Bucket::After(i));
        }
    }

    let mut out: Vec<Line> = Vec::new();
    let take = |b: Bucket, out: &mut Vec<Line>| {
        for (bb, l) in &inserted {
            if *bb == b {
                out.push(l.clone());
            }
        }
    };
    take(Bucket::Head, &mut out);
    for (i, s) in slots.iter().enumerate() {
        if let Some(l) = s {
            out.push(l.clone());
        }
        take(Bucket::After(i), &mut out);
    }
    let n = out.len();
    let mut text = String::new();
    for (k, l) in out.iter().enumerate() {
        text.push_str(&l.text);
        text.push_str(if l.end.is_empty() && k + 1 < n {
            eol
        } else {
            l.end
        });
    }
    Merged { text, conflicts }
}

/// Two versions of a file with no common base (a Syncthing conflict copy and the file): what
/// both have alike is taken as the base — the lines they share, and of a record both hold
/// differently the fields they agree on — so each side's additions are kept, extra fields join,
/// and a field the two hold differently is a conflict (`fields`). Nothing either side holds is
/// lost: without a base a deletion cannot be told from an addition, so lines only one side has
/// stay.
pub fn merge_two(ours: &str, theirs: &str) -> Merged {
    let (o, t) = (split(ours), split(theirs));
    let theirs_by_id: HashMap<&str, &str> = t
        .iter()
        .filter_map(|l| match &l.key {
            Key::Id(id) => Some((id.as_str(), l.text.as_str())),
            Key::Text(_) => None,
        })
        .collect();
    let mut tc = count(&t);
    let mut base = String::new();
    for l in &o {
        match &l.key {
            Key::Id(id) => {
                if let Some(th) = theirs_by_id.get(id.as_str())
                    && let Some(common) = fields::common_fields(&l.text, th)
                {
                    base.push_str(&common);
                    base.push('\n');
                }
            }
            Key::Text(s) => {
                if let Some(n) = tc.get_mut(s.as_str())
                    && *n > 0
                {
                    *n -= 1;
                    base.push_str(s);
                    base.push('\n');
                }
            }
        }
    }
    merge_text(&base, ours, theirs)
}
