//! One record line of a JSON-lines file, read into a small flat structure that borrows from the
//! line, instead of a `serde_json::Value` (a `BTreeMap` with an allocation per key and per
//! string).
//!
//! Only the top level is kept: each known key's value goes into its slot (a repeated key: the
//! last one wins, as with a map, and the repeat is listed for the loader's warning), unknown
//! keys are listed (for the "did you mean" warnings).
//! Everything is still parsed as strictly as `serde_json::from_str::<Value>` does it — nested
//! values, numbers (`1e400` is "number out of range"), string escapes, the recursion limit, and
//! trailing characters — so a bad line gets exactly the same message and column as before.

use crate::store::json_scan::scan_object;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The most known keys a record file has (follow-ups: 17).
pub const MAX_SLOTS: usize = 17;

/// A top-level value, as much of it as the loader looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    /// A number; its value when it is a whole number that fits an i64 (amounts in minor
    /// units are the only numbers a record reads).
    Number(Option<i64>),
    Str(Cow<'a, str>),
    List,
    Object,
}

impl Val<'_> {
    /// The JSON kind, as messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "a boolean",
            Val::Number(_) => "a number",
            Val::Str(_) => "a string",
            Val::List => "a list",
            Val::Object => "an object",
        }
    }
}

/// The top-level object of one line: a slot per known key, and the unknown keys as written.
/// Reused from line to line (see [`parse_line`]).
#[derive(Debug, Default)]
pub struct Object<'a> {
    pub slots: [Option<Val<'a>>; MAX_SLOTS],
    /// Keys that are not the file's own, in the order written (a repeated one more than once).
    pub unknown: Vec<Cow<'a, str>>,
    /// Known keys written more than once, once for each repeat (the slot has the last value).
    /// Repeated unknown keys are the ones `unknown` lists twice.
    pub repeated: Vec<Cow<'a, str>>,
}

/// What a line held, when it was valid JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    /// An object; its members are in the [`Object`].
    Object,
    /// Any other value: its kind ("a list", "null", ...).
    Other(&'static str),
}

/// Parse `line` (exactly as `serde_json::from_str::<Value>` would accept or refuse it) into
/// `obj`, which is cleared first. `index` maps a known key to its slot.
pub fn parse_line<'a>(
    line: &'a str,
    index: fn(&str) -> Option<usize>,
    obj: &mut Object<'a>,
) -> Result<Parsed, serde_json::Error> {
    obj.slots.iter_mut().for_each(|s| *s = None);
    obj.unknown.clear();
    obj.repeated.clear();
    // Almost every line is a flat object of plain strings: read those directly. Anything else
    // (escapes, nesting, exponents, any mistake) goes to serde_json, which words the error.
    if plain::object(line, index, obj) {
        return Ok(Parsed::Object);
    }
    obj.slots.iter_mut().for_each(|s| *s = None);
    obj.unknown.clear();
    obj.repeated.clear();
    parse_strict(line, index, obj)
}

/// [`parse_line`] through serde_json alone.
fn parse_strict<'a>(
    line: &'a str,
    index: fn(&str) -> Option<usize>,
    obj: &mut Object<'a>,
) -> Result<Parsed, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed = TopSeed { obj, index }.deserialize(&mut de)?;
    de.end()?;
    Ok(parsed)
}

/// The fast path: a line that is one flat JSON object whose keys and strings have no escapes,
/// whose numbers are short and have no exponent, and whose values are not lists or objects.
/// It says yes only where serde_json would read the same object; a no is not an error, just
/// "ask serde_json".
mod plain {
    use super::{Object, Val};
    use std::borrow::Cow;

    /// Whether `line` was read into `obj` (false: `obj` may hold part of it).
    pub fn object<'a>(
        line: &'a str,
        index: fn(&str) -> Option<usize>,
        obj: &mut Object<'a>,
    ) -> bool {
        let b = line.as_bytes();
        let mut i = skip_ws(b, 0);
        if b.get(i) != Some(&b'{') {
            return false;
        }
        i = skip_ws(b, i + 1);
        if b.get(i) == Some(&b'}') {
            return skip_ws(b, i + 1) == b.len();
        }
        loop {
            let Some((key, next)) = string(line, i) else {
                return false;
            };
            i = skip_ws(b, next);
            if b.get(i) != Some(&b':') {
                return false;
            }
            i = skip_ws(b, i + 1);
            let Some((val, next)) = value(line, i) else {
                return false;
            };
            match index(key) {
                Some(slot) => {
                    if obj.slots[slot].replace(val).is_some() {
                        obj.repeated.push(Cow::Borrowed(key));
                    }
                }
                None => obj.unknown.push(Cow::Borrowed(key)),
            }
            i = skip_ws(b, next);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => return skip_ws(b, i + 1) == b.len(),
                _ => return false,
            }
        }
    }

    /// JSON's whitespace only (not Unicode's).
    fn skip_ws(b: &[u8], mut i: usize) -> usize {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    fn value(line: &str, i: usize) -> Option<(Val<'_>, usize)> {
        let b = line.as_bytes();
        let word = |w: &[u8], v: Val<'static>| b[i..].starts_with(w).then(|| (v, i + w.len()));
        match *b.get(i)? {
            b'"' => string(line, i).map(|(s, next)| (Val::Str(Cow::Borrowed(s)), next)),
            b't' => word(b"true", Val::Bool(true)),
            b'f' => word(b"false", Val::Bool(false)),
            b'n' => word(b"null", Val::Null),
            b'-' | b'0'..=b'9' => {
                number(b, i).map(|next| (Val::Number(line[i..next].parse().ok()), next))
            }
            _ => None,
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`, at most 20 bytes (no exponent, so never out of range);
    /// the index after it.
    fn number(b: &[u8], start: usize) -> Option<usize> {
        let mut i = start;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        match b.get(i)? {
            b'0' => i += 1,
            b'1'..=b'9' => i = digits(i + 1),
            _ => return None,
        }
        if b.get(i) == Some(&b'.') {
            let end = digits(i + 1);
            if end == i + 1 {
                return None;
            }
            i = end;
        }
        // A following digit ("01"), exponent or anything number-like: serde_json decides.
        let next_ok = !matches!(
            b.get(i),
            Some(b'0'..=b'9' | b'e' | b'E' | b'.' | b'+' | b'-')
        );
        (next_ok && i - start <= 20).then_some(i)
    }

    /// A string starting at `b[start] == '"'` with no escape and no control character: its
    /// text and the index after its closing quote.
    fn string(line: &str, start: usize) -> Option<(&str, usize)> {
        let b = line.as_bytes();
        if b.get(start) != Some(&b'"') {
            return None;
        }
        let from = start + 1;
        let mut i = from;
        // Eight bytes at a time: the lowest byte that is '"', '\\' or below 0x20.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = b.get(i..i + 8) {
            let w = u64::from_le_bytes(chunk.try_into().ok()?);
            let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
            let hits = zero(w ^ (ONES * u64::from(b'"')))
                | zero(w ^ (ONES * u64::from(b'\\')))
                | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
            if hits != 0 {
                i += (hits.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while let Some(&c) = b.get(i) {
            match c {
                b'"' => return Some((line.get(from..i)?, i + 1)),
                b'\\' | 0..=0x1f => return None,
                _ => i += 1,
            }
        }
        None
    }
}

struct TopSeed<'o, 'a> {
    obj: &'o mut Object<'a>,
    index: fn(&str) -> Option<usize>,
}

impl<'a> DeserializeSeed<'a> for TopSeed<'_, 'a> {
    type Value = Parsed;
    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Parsed, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for TopSeed<'_, 'a> {
    type Value = Parsed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Parsed, E> {
        Ok(Parsed::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Parsed, E> {
        Ok(Parsed::Other("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Parsed, E> {
        Ok(Parsed::Other("a string"))
    }
    fn visit_unit<E>(self) -> Result<Parsed, E> {
        Ok(Parsed::Other("null"))
    }
    fn visit_none<E>(self) -> Result<Parsed, E> {
        Ok(Parsed::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<Parsed, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Parsed::Other("a list"))
    }
    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Parsed, A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value_seed(ValSeed)?;
            match (self.index)(&key) {
                Some(i) => {
                    if self.obj.slots[i].replace(value).is_some() {
                        self.obj.repeated.push(key);
                    }
                }
                None => self.obj.unknown.push(key),
            }
        }
        Ok(Parsed::Object)
    }
}

/// A key, borrowed from the line unless it has escapes.
struct KeySeed;

impl<'a> DeserializeSeed<'a> for KeySeed {
    type Value = Cow<'a, str>;
    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Cow<'a, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'a> Visitor<'a> for KeySeed {
    type Value = Cow<'a, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, s: &'a str) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Borrowed(s))
    }
    fn visit_str<E>(self, s: &str) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Owned(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Owned(s))
    }
}

/// A top-level member's value.
struct ValSeed;

impl<'a> DeserializeSeed<'a> for ValSeed {
    type Value = Val<'a>;
    fn deserialize<D: de::Deserializer<'a>>(self, d: D) -> Result<Val<'a>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for ValSeed {
    type Value = Val<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Val<'a>, E> {
        Ok(Val::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Val<'a>, E> {
        Ok(Val::Number(Some(n)))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Val<'a>, E> {
        Ok(Val::Number(i64::try_from(n).ok()))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Val<'a>, E> {
        Ok(Val::Number(None))
    }
    fn visit_borrowed_str<E>(self, s: &'a str) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Owned(s.to_owned())))
    }
    fn visit_string<E>(self, s: String) -> Result<Val<'a>, E> {
        Ok(Val::Str(Cow::Owned(s)))
    }
    fn visit_unit<E>(self) -> Result<Val<'a>, E> {
        Ok(Val::Null)
    }
    fn visit_none<E>(self) -> Result<Val<'a>, E> {
        Ok(Val::Null)
    }
    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<Val<'a>, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Val::List)
    }
    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Val<'a>, A::Error> {
        while map.next_key::<Strict>()?.is_some() {
            map.next_value::<Strict>()?;
        }
        Ok(Val::Object)
    }
}

/// A nested value, read as strictly as `Value` reads it (every number and string parsed), and
/// dropped.
struct Strict;

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_none<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        while map.next_key::<Strict>()?.is_some() {
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
}

/// The values of `keys` in the object on `line` (a repeated key: the last one), read as strictly
/// as `serde_json::from_str::<Map<String, Value>>` reads the whole line (an error for anything
/// it would refuse, in its words), without building the other values: a record's 100 MB field
/// costs no copy when a write looks at its `status`. (serde_json decodes every string it checks
/// into a buffer as long as the string when it holds escapes; a long one is checked a piece at
/// a time instead, see [`outline`].)
pub fn top_values(
    line: &str,
    keys: &[&str],
) -> Result<serde_json::Map<String, serde_json::Value>, serde_json::Error> {
    if line.len() > LONG
        && let Some(outline) = outline(line, keys)
        && let Ok(values) = pick(&outline, keys)
    {
        return Ok(values);
    }
    pick(line, keys)
}

fn pick(
    line: &str,
    keys: &[&str],
) -> Result<serde_json::Map<String, serde_json::Value>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(line);
    let values = de::Deserializer::deserialize_map(&mut de, PickVisitor { keys })?;
    de.end()?;
    Ok(values)
}

/// A string value this long, with escapes, is checked a piece at a time.
const LONG: usize = 64 * 1024;

/// `line` with each long top-level string value not in `keys` checked (strictly, a piece at a
/// time) and replaced by `0`, which reads the same way; `None` if one is not valid or the line is
/// not an object (then the whole line is read, for serde_json's own error).
fn outline(line: &str, keys: &[&str]) -> Option<String> {
    let scan = scan_object(line)?;
    let mut out = String::new();
    let mut at = 0;
    for m in &scan.members {
        let value = line.get(m.value.clone())?;
        if value.len() > LONG && value.starts_with('"') && !keys.contains(&m.key.as_str()) {
            if !string_is_valid(value) {
                return None;
            }
            out.push_str(line.get(at..m.value.start)?);
            out.push('0');
            at = m.value.end;
        }
    }
    out.push_str(line.get(at..)?);
    Some(out)
}

/// Whether `s`, a JSON string with its quotes, is one serde_json reads: checked as strings of
/// at most [`LONG`] bytes, each cut where no escape (nor surrogate pair) is split.
fn string_is_valid(s: &str) -> bool {
    let Some(body) = s.strip_prefix('"').and_then(|b| b.strip_suffix('"')) else {
        return false;
    };
    let mut from = 0;
    while from < body.len() {
        let cut = safe_cut(body, from, from + LONG);
        let Some(piece) = body.get(from..cut) else {
            return false;
        };
        if serde_json::from_str::<Strict>(&format!("\"{piece}\"")).is_err() {
            return false;
        }
        from = cut;
    }
    true
}

/// Where to end a piece of a string's body that starts at `from`: `want`, or before, so that no
/// escape is cut (a `\uD83D\uDE00` pair counts as one), on a character boundary.
fn safe_cut(body: &str, from: usize, want: usize) -> usize {
    let b = body.as_bytes();
    if want >= b.len() {
        return b.len();
    }
    let mut want = want;
    while !body.is_char_boundary(want) {
        want -= 1;
    }
    let mut i = from;
    while let Some(k) = memchr::memchr(b'\\', b.get(i..want).unwrap_or_default()) {
        let escape = i + k;
        let end = (escape + escape_len(b, escape)).min(b.len());
        if end > want {
            // Cut before it, unless it starts the piece (never: pieces are far longer).
            return if escape > from { escape } else { end };
        }
        i = end;
    }
    want
}

/// How many bytes the escape at `i` (a backslash) takes: `\n` 2, `\u00e9` 6, a surrogate pair 12.
fn escape_len(b: &[u8], i: usize) -> usize {
    if b.get(i + 1) != Some(&b'u') {
        return 2;
    }
    let high = b
        .get(i + 2..i + 6)
        .and_then(|h| std::str::from_utf8(h).ok())
        .and_then(|h| u16::from_str_radix(h, 16).ok())
        .is_some_and(|n| (0xD800..=0xDBFF).contains(&n));
    if high && b.get(i + 6..i + 8) == Some(b"\\u") {
        12
    } else {
        6
    }
}

struct PickVisitor<'k, 'n> {
    keys: &'k [&'n str],
}

impl<'de> Visitor<'de> for PickVisitor<'_, '_> {
    type Value = serde_json::Map<String, serde_json::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut picked = serde_json::Map::new();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if self.keys.contains(&key.as_ref()) {
                picked.insert(key.into_owned(), map.next_value()?);
            } else {
                map.next_value::<Strict>()?;
            }
        }
        Ok(picked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::Value;

    fn index(k: &str) -> Option<usize> {
        match k {
            "a" => Some(0),
            "b" => Some(1),
            _ => None,
        }
    }

    /// What the loader used to see: the Value parse's outcome (message and column on error).
    fn old(line: &str) -> Result<Option<&'static str>, (String, usize)> {
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(_)) => Ok(None),
            Ok(Value::Array(_)) => Ok(Some("a list")),
            Ok(Value::Null) => Ok(Some("null")),
            Ok(Value::Bool(_)) => Ok(Some("a boolean")),
            Ok(Value::Number(_)) => Ok(Some("a number")),
            Ok(Value::String(_)) => Ok(Some("a string")),
            Err(e) => Err((e.to_string(), e.column())),
        }
    }

    fn new(line: &str) -> Result<Option<&'static str>, (String, usize)> {
        let mut obj = Object::default();
        match parse_line(line, index, &mut obj) {
            Ok(Parsed::Object) => Ok(None),
            Ok(Parsed::Other(k)) => Ok(Some(k)),
            Err(e) => Err((e.to_string(), e.column())),
        }
    }

    /// A long string with escapes is checked in pieces, and agrees with serde_json's reading
    /// of the whole line, wherever the pieces are cut.
    #[test]
    fn top_values_of_long_escaped_strings_agree_with_serde_json() {
        let pad = |n: usize| "x".repeat(n);
        let mut cases = Vec::new();
        for escape in [
            r"\n",
            r"\u00e9",
            r"\ud83d\ude00",
            r"\ud800",
            r"\udc00",
            r"\ud800\u0041",
            r"\q",
            "\t",
            r"\",
        ] {
            for shift in 0..14 {
                cases.push(format!(
                    r#"{{"id":"a","what":"{}{escape}{}","status":"open"}}"#,
                    pad(LONG - 12 + shift),
                    pad(LONG)
                ));
            }
        }
        cases.push(format!(r#"{{"what":"{}\n","n":1e400}}"#, pad(LONG)));
        cases.push(format!(r#"{{"what":"{}\n"}} x"#, pad(LONG)));
        for line in &cases {
            let want = serde_json::from_str::<serde_json::Map<String, Value>>(line)
                .map(|m| m.get("status").cloned())
                .map_err(|e| e.to_string());
            let got = top_values(line, &["status"])
                .map(|m| m.get("status").cloned())
                .map_err(|e| e.to_string());
            assert_eq!(got, want, "{}", &line[LONG - 20..LONG + 40]);
        }
    }

    #[test]
    fn repeated_key_last_wins_and_unknown_keys_listed() {
        let mut obj = Object::default();
        let line = r#"{"a":"one","z":1,"a":"two","b":[1,{"x":null}],"z":2,"q\u0041":true}"#;
        assert_eq!(parse_line(line, index, &mut obj).unwrap(), Parsed::Object);
        assert_eq!(obj.slots[0], Some(Val::Str(Cow::Borrowed("two"))));
        assert_eq!(obj.slots[1], Some(Val::List));
        assert_eq!(obj.unknown, ["z", "z", "qA"]);
        assert_eq!(obj.repeated, ["a"]);
        // The fast path (no escapes, no nesting) says the same.
        let line = r#"{"b":1,"a":"x","b":2,"b":true}"#;
        let mut obj = Object::default();
        assert!(plain::object(line, index, &mut obj));
        assert_eq!(obj.repeated, ["b", "b"]);
        both_paths_agree(line).unwrap();
    }

    #[test]
    fn same_outcome_as_value_for_bad_lines() {
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(200), "]".repeat(200));
        for line in [
            r#"{"a":1e400}"#,
            r#"{"a":[1e400]}"#,
            r#"{"a":{"b":-1e999}}"#,
            "[1,2]",
            "[1,2",
            "null",
            "true",
            "\"s\"",
            "12",
            "{\"a\":1}x",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":\"x\0\"}",
            "{\"a\":tru}",
            "",
            "   ",
            &deep,
        ] {
            assert_eq!(new(line), old(line), "{line:?}");
        }
    }

    /// The object both paths read, when `line` is one: the fast path must agree with
    /// serde_json on every slot and unknown key, and never take a line serde_json refuses.
    fn both_paths_agree(line: &str) -> Result<(), TestCaseError> {
        let mut fast = Object::default();
        let took = plain::object(line, index, &mut fast);
        let mut strict = Object::default();
        let outcome = parse_strict(line, index, &mut strict);
        if took {
            prop_assert!(
                matches!(outcome, Ok(Parsed::Object)),
                "fast path took {:?}, serde_json says {:?}",
                line,
                outcome
            );
            prop_assert_eq!(&fast.slots, &strict.slots, "{:?}", line);
            prop_assert_eq!(&fast.unknown, &strict.unknown, "{:?}", line);
            prop_assert_eq!(&fast.repeated, &strict.repeated, "{:?}", line);
        }
        Ok(())
    }

    #[test]
    fn the_fast_path_takes_plain_lines_and_leaves_the_rest() {
        let mut obj = Object::default();
        for line in [
            r#"{"a":"x","b":true,"z":null}"#,
            " {\"a\" : -0.5 ,\t\"b\":\"見積書 — 東京\"}\r",
            "{}",
            r#"{"a":12345678901234567890}"#,
        ] {
            assert!(plain::object(line, index, &mut obj), "{line:?}");
            both_paths_agree(line).unwrap();
        }
        for line in [
            r#"{"a":"x\"y"}"#,
            r#"{"a":1e5}"#,
            r#"{"a":01}"#,
            r#"{"a":[1]}"#,
            r#"{"a":{"b":1}}"#,
            r#"{"a":123456789012345678901}"#,
            "{\"a\":\"\u{1}\"}",
            r#"{"a":1,}"#,
            r#"{"a":1} x"#,
            "\u{feff}{}",
            "{\"a\":1}\u{a0}",
        ] {
            obj = Object::default();
            assert!(!plain::object(line, index, &mut obj), "{line:?}");
        }
    }

    proptest! {
        #[test]
        fn the_fast_path_reads_what_serde_json_reads(
            members in proptest::collection::vec(
                (
                    r#"[abz\\"é]{1,3}"#,
                    r#"(null|true|false|tru|-?(0|[1-9][0-9]{0,22})(\.[0-9]{0,3})?([eE][+-]?[0-9])?|"[a-z\\"\t\u{1}é東 ]{0,12}"|\[1\]|\{\})"#,
                ),
                0..6,
            ),
            ws in r#"[ \t\r\n\u{a0}]{0,2}"#,
            tail in r#"[ }\],x]{0,2}"#,
        ) {
            let body: Vec<String> = members
                .iter()
                .map(|(k, v)| format!("\"{k}\"{ws}:{ws}{v}"))
                .collect();
            let line = format!("{ws}{{{ws}{}{ws}}}{tail}", body.join(&format!("{ws},")));
            both_paths_agree(&line)?;
            prop_assert_eq!(new(&line), old(&line));
        }

        #[test]
        fn same_outcome_as_value(line in r#"[ {}\[\]",:a-c0-9eE.+\-\\nutrlsf\u{e9}]{0,40}"#) {
            prop_assert_eq!(new(&line), old(&line));
        }

        #[test]
        fn same_outcome_as_value_for_objects(
            members in proptest::collection::vec(
                (r#"[abz]"#, r#"(null|true|1|-2\.5e3|1e400|"[a-z\\]{0,4}"|\[[0-9,]{0,5}\]|\{"x":[0-9]\})"#),
                0..6,
            ),
            tail in r#"[ }\],x]{0,2}"#,
        ) {
            let body: Vec<String> =
                members.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            let line = format!("{{{}{}", body.join(","), tail);
            prop_assert_eq!(new(&line), old(&line));
        }
    }
}
