//! `tether merge` (git's merge driver for the record files) and `tether sync init` (what git
//! and Syncthing need in the data directory). The merge itself is `store::threeway`.

use super::output::{err_line, out};
use crate::store::conflict_copies;
use crate::store::fsio::atomic_write;
use crate::store::sync_setup::{self, DRIVER};
use crate::store::threeway::{merge_text, merge_two};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::{Command, ExitCode};

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} is not UTF-8 text; nothing was merged (git keeps both versions)",
            path.display()
        )
    })
}

pub fn merge(base: &Path, ours: &Path, theirs: &Path, name: Option<&str>) -> Result<ExitCode> {
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    let merged = merge_text(&b, &o, &t);
    atomic_write(ours, merged.text.as_bytes())
        .with_context(|| format!("cannot write the merge to {}", ours.display()))?;
    let shown = name.map_or_else(|| ours.display().to_string(), str::to_string);
    for c in &merged.conflicts {
        err_line(&format!("tether merge: {shown}: {c}"));
    }
    Ok(ExitCode::SUCCESS)
}

/// The git commands that register the driver for the repository `dir` is in.
fn git_config(exe: &str) -> [[String; 2]; 2] {
    [
        [
            format!("merge.{DRIVER}.name"),
            "tether: merge data files record by record".to_string(),
        ],
        [
            format!("merge.{DRIVER}.driver"),
            format!("{exe} merge %O %A %B %P"),
        ],
    ]
}

fn in_git_repo(dir: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"true"))
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn init(dir: &Path, print: bool) -> Result<ExitCode> {
    let additions = sync_setup::plan(dir).context("cannot read the sync files")?;
    let mut o = String::new();
    for a in &additions {
        let verb = if print { "would add to" } else { "added to" };
        o.push_str(&format!("{verb} {}:\n", a.path.display()));
        for l in &a.added {
            o.push_str(&format!("  {l}\n"));
        }
    }
    if additions.is_empty() {
        o.push_str(".gitattributes, .gitignore and .stignore already have what tether needs\n");
    }
    if !print {
        sync_setup::apply(&additions).context("cannot write the sync files")?;
    }
    // The driver is this very program, wherever it is installed on this machine (git config
    // is per clone, never synced).
    let exe = std::env::current_exe()
        .ok()
        .map_or_else(|| "tether".to_string(), |p| p.display().to_string());
    let config = git_config(&exe);
    if !print && in_git_repo(dir) {
        for [k, v] in &config {
            let st = Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(["config", k, v])
                .status()
                .context("cannot run git")?;
            if !st.success() {
                anyhow::bail!("git config {k} failed");
            }
        }
        o.push_str("registered the merge driver with git (git config merge.tether.*)\n");
    } else {
        o.push_str("in the git repository, run:\n");
        for [k, v] in &config {
            o.push_str(&format!("  git config {k} {}\n", shell_quote(v)));
        }
    }
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}

pub fn resolve(dir: &Path, dry_run: bool) -> Result<ExitCode> {
    let copies = conflict_copies::find(dir);
    let mut o = String::new();
    if copies.is_empty() {
        o.push_str("no Syncthing conflict copies of the record files\n");
    }
    for c in &copies {
        let name = c
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let merged = if dry_run {
            let ours = std::fs::read_to_string(dir.join(c.file)).unwrap_or_default();
            merge_two(&ours, &read(&c.path)?)
        } else {
            conflict_copies::resolve(dir, c)?
        };
        let verb = if dry_run { "would merge" } else { "merged" };
        o.push_str(&format!("{verb} {name} into {}", c.file));
        o.push_str(&if merged.conflicts.is_empty() {
            "\n".to_string()
        } else {
            format!(
                "; {} conflict(s), kept in \"merge_conflict\" (tether check names them):\n",
                merged.conflicts.len()
            )
        });
        for k in &merged.conflicts {
            o.push_str(&format!("  {k}\n"));
        }
    }
    out(&o)?;
    Ok(ExitCode::SUCCESS)
}
