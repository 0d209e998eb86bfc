//! One record line of a JSON-lines file, read into a small flat structure that borrows from the
//! line, instead of a `serde_json::Value` (a `BTreeMap` with an allocation per key and per
//! string).
//!
//! Only the top level is kept: each known key's value goes into its slot (a repeated key: the
//! last one wins, as with a map), unknown keys are listed (for the "did you mean" warnings).
//! Everything is still parsed as strictly as `serde_json::from_str::<Value>` does it — nested
//! values, numbers (`1e400` is "number out of range"), string escapes, the recursion limit, and
//! trailing characters — so a bad line gets exactly the same message and column as before.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The most known keys a record file has (follow-ups: 11).
pub const MAX_SLOTS: usize = 11;

/// A top-level value, as much of it as the loader looks at.
#[derive(Debug, Clone, PartialEq)]
pub enum Val<'a> {
    Null,
    Bool(bool),
    Number,
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
            Val::Number => "a number",
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
    let mut de = serde_json::Deserializer::from_str(line);
    let parsed = TopSeed { obj, index }.deserialize(&mut de)?;
    de.end()?;
    Ok(parsed)
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
                Some(i) => self.obj.slots[i] = Some(value),
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
    fn visit_i64<E>(self, _: i64) -> Result<Val<'a>, E> {
        Ok(Val::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Val<'a>, E> {
        Ok(Val::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Val<'a>, E> {
        Ok(Val::Number)
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

    #[test]
    fn repeated_key_last_wins_and_unknown_keys_listed() {
        let mut obj = Object::default();
        let line = r#"{"a":"one","z":1,"a":"two","b":[1,{"x":null}],"z":2,"q\u0041":true}"#;
        assert_eq!(parse_line(line, index, &mut obj).unwrap(), Parsed::Object);
        assert_eq!(obj.slots[0], Some(Val::Str(Cow::Borrowed("two"))));
        assert_eq!(obj.slots[1], Some(Val::List));
        assert_eq!(obj.unknown, ["z", "z", "qA"]);
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

    proptest! {
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
