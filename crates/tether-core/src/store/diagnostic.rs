//! Problems found while loading, reported as `FILE:LINE[:COL]: error|warning: message`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Warning,
    Error,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// File name relative to the data directory (`tether.toml`, `followups.jsonl`).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    pub col: Option<usize>,
    pub level: Level,
    pub message: String,
    /// For a message that stands for problems it does not list ("N more problems in this
    /// file"): how many errors and warnings they are. `None` for a message about one problem.
    pub unlisted: Option<Unlisted>,
}

/// The problems a summing-up message stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Unlisted {
    pub errors: usize,
    pub warnings: usize,
}

/// Problems counted: errors and warnings, each summing-up message by the problems it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub errors: usize,
    pub warnings: usize,
}

impl Count {
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Count {
        let mut n = Count::default();
        for d in diagnostics {
            let (e, w) = d.counts();
            n.errors += e;
            n.warnings += w;
        }
        n
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings
    }

    /// `3 problems`, `1 problem`: the count alone, where there is no room for more (a narrow
    /// header).
    pub fn short(&self) -> String {
        n_problems(self.total())
    }
}

/// `3 problems`, `1 problem`: [`Count::short`] for a number of problems alone (the status line
/// keeps only the number).
pub fn n_problems(n: usize) -> String {
    plural(n, "problem")
}

/// The one wording of a problem count, used by the dashboard's header, the agenda, `status`
/// and `check` (docs/decisions.md, "One problem count"): `3 problems (2 errors, 1 warning)`,
/// `1 problem (1 warning)`, `no problems`.
impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.total() == 0 {
            return f.write_str("no problems");
        }
        let kinds: Vec<String> = [(self.errors, "error"), (self.warnings, "warning")]
            .into_iter()
            .filter(|&(n, _)| n > 0)
            .map(|(n, what)| plural(n, what))
            .collect();
        write!(f, "{} ({})", self.short(), kinds.join(", "))
    }
}

/// `1 error`, `2 errors`.
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            col: None,
            level: Level::Error,
            message: message.into(),
            unlisted: None,
        }
    }

    pub fn warning(file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Warning,
            ..Diagnostic::error(file, line, message)
        }
    }

    pub fn with_col(mut self, col: usize) -> Self {
        self.col = Some(col);
        self
    }

    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }

    /// This message stands for `errors` errors and `warnings` warnings it does not list.
    pub fn standing_for(mut self, errors: usize, warnings: usize) -> Self {
        self.unlisted = Some(Unlisted { errors, warnings });
        self
    }

    /// How many problems this message counts for, as (errors, warnings): itself, or those it
    /// stands for.
    pub fn counts(&self) -> (usize, usize) {
        match self.unlisted {
            Some(u) => (u.errors, u.warnings),
            None if self.is_error() => (1, 0),
            None => (0, 1),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if let Some(c) = self.col {
                write!(f, ":{c}")?;
            }
        }
        write!(f, ": {}: {}", self.level.as_str(), self.message)
    }
}

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_forms() {
        let d = Diagnostic::error("followups.jsonl", 7, "missing \"what\"");
        assert_eq!(d.to_string(), "followups.jsonl:7: error: missing \"what\"");
        let w = Diagnostic::warning("tether.toml", 3, "unknown key \"zome\"").with_col(1);
        assert_eq!(
            w.to_string(),
            "tether.toml:3:1: warning: unknown key \"zome\""
        );
        let f = Diagnostic::error("tether.toml", 0, "cannot read");
        assert_eq!(f.to_string(), "tether.toml: error: cannot read");
    }

    #[test]
    fn a_count_in_words() {
        let c = |errors, warnings| Count { errors, warnings };
        assert_eq!(c(2, 1).to_string(), "3 problems (2 errors, 1 warning)");
        assert_eq!(c(0, 1).to_string(), "1 problem (1 warning)");
        assert_eq!(c(2, 0).to_string(), "2 problems (2 errors)");
        assert_eq!(c(0, 0).to_string(), "no problems");
        assert_eq!(c(2, 1).short(), "3 problems");
        assert_eq!(c(1, 0).short(), "1 problem");
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\ncdé\nfg";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 8), (3, 1));
        assert_eq!(line_col(t, 7), (2, 4));
    }
}
