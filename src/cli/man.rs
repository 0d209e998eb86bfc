//! `tether man`: one page, every command on it (no `tether-add(1)` pages to point to), with the
//! dashboard's keys from the one key map, the files, the environment, the data format in short
//! and examples.

use super::args::Cli;
use crate::app::action::Pane;
use crate::app::keymap::{BINDINGS, Binding, Scope};
use clap::CommandFactory;
use std::io::{self, Write};

/// The whole page, as roff.
pub fn page(w: &mut dyn Write) -> io::Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    commands(w, &cmd)?;
    keys(w)?;
    w.write_all(REST.as_bytes())?;
    man.render_version_section(w)
}

/// Text as roff shows it as written: a backslash or a leading `.`/`'` would be a request.
fn esc(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with(['.', '\'']) {
        format!("\\&{s}")
    } else {
        s
    }
}

/// Every command that runs (`add followup`, not `add`), with its usage, what it does and its
/// arguments.
fn commands(w: &mut dyn Write, cmd: &clap::Command) -> io::Result<()> {
    writeln!(w, ".SH COMMANDS")?;
    // clap's own `help` subcommands say nothing `--help` does not.
    let shown = |s: &&clap::Command| !s.is_hide_set() && s.get_name() != "help";
    for sub in cmd.get_subcommands().filter(shown) {
        let leaves: Vec<&clap::Command> = if sub.has_subcommands() {
            sub.get_subcommands().filter(shown).collect()
        } else {
            vec![sub]
        };
        for leaf in leaves {
            command(w, leaf)?;
        }
    }
    Ok(())
}

fn command(w: &mut dyn Write, c: &clap::Command) -> io::Result<()> {
    let usage = c.clone().render_usage().to_string();
    let usage = usage.trim_start_matches("Usage:").trim();
    writeln!(w, ".TP\n\\fB{}\\fR", esc(usage))?;
    if let Some(about) = c.get_about() {
        writeln!(w, "{}", esc(&about.to_string()))?;
    }
    for a in c.get_arguments() {
        let id = a.get_id().as_str();
        if a.is_hide_set() || a.is_global_set() || id == "help" {
            continue;
        }
        let values = a
            .get_value_names()
            .map(|v| v.join(" "))
            .unwrap_or_else(|| id.to_uppercase());
        let name = match (a.get_long(), a.is_positional()) {
            (Some(l), _) if a.get_action().takes_values() => format!("--{l} {values}"),
            (Some(l), _) => format!("--{l}"),
            _ => values,
        };
        let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
        writeln!(w, ".RS\n.TP\n\\fI{}\\fR\n{}\n.RE", esc(&name), esc(&help))?;
    }
    if let Some(after) = c.get_after_help() {
        let lines: Vec<String> = after.to_string().lines().map(esc).collect();
        writeln!(w, ".RS\n.PP\n{}\n.RE", lines.join("\n.br\n"))?;
    }
    Ok(())
}

/// The dashboard's keys, from the key map the dashboard reads them from.
fn keys(w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, ".SH KEYS")?;
    writeln!(
        w,
        "The dashboard's keys (\\fB?\\fR shows them too). Rebind them in the [keys] table of \
         tether.toml (docs/data-format.md)."
    )?;
    for b in BINDINGS {
        writeln!(
            w,
            ".TP\n\\fB{}\\fR ({})\n{}",
            esc(&b.keys.join(", ")),
            esc(&place(b)),
            esc(b.help)
        )?;
    }
    Ok(())
}

/// Where a binding applies, in words.
fn place(b: &Binding) -> String {
    match b.scope {
        Scope::Global => "anywhere".into(),
        Scope::In(panes) => panes
            .iter()
            .map(|p| match p {
                Pane::Clocks => "clocks",
                Pane::Deadlines => "deadlines",
                Pane::Heat => "heat",
                Pane::Followups => "follow-ups",
            })
            .collect::<Vec<_>>()
            .join(", "),
        Scope::Form => "forms, filter".into(),
        Scope::Picker => "pickers".into(),
        Scope::Page => "a client's page".into(),
    }
}

/// Files, environment, the data format in short, examples.
const REST: &str = r#".SH FILES
The data directory is \fB\-\-data\-dir\fR, else \fB$TETHER_DIR\fR, else
\fI~/.local/share/tether\fR (the platform's data directory). In it:
.TP
\fItether.toml\fR
you (zone, working hours and days, holidays, travel), your clients, extra clocks, alert, heat,
ui and key settings
.TP
\fIdeadlines.jsonl\fR
one deadline per line
.TP
\fIfollowups.jsonl\fR
one follow\-up per line: what you owe a client, or wait for from them
.TP
\fIinteractions.jsonl\fR
one contact with a client per line (tether only appends to it)
.TP
\fI.tether/\fR
what tether keeps for itself: the undo journal (undo.jsonl), the alerts sent (alerts.jsonl),
the status line's cache and locks; never edited by hand
.SH ENVIRONMENT
.TP
\fBTETHER_DIR\fR
the data directory, when \fB\-\-data\-dir\fR is not given
.TP
\fBTETHER_STATUS_FORMAT\fR
the format of \fBtether status\fR, when \fB\-\-format\fR is not given
.TP
\fBNO_COLOR\fR
set and not empty: no colour (bold and reverse stay)
.TP
\fBVISUAL\fR, \fBEDITOR\fR
the editor \fBe\fR opens a record's line in (VISUAL first; an empty one counts as unset; else vi)
.TP
\fBTZ\fR
your zone for \fBtether init \-\-empty\fR (else /etc/localtime, else /etc/timezone)
.TP
\fBCOMPLETE\fR
set by the shell's completion registration (\fBtether completions\fR) when it asks tether
for completions
.TP
\fBDBUS_SESSION_BUS_ADDRESS\fR, \fBXDG_RUNTIME_DIR\fR
where the desktop notifications of \fBtether notify\fR and the dashboard are sent
.SH DATA FORMAT
Plain files to edit by hand; tether keeps every line it was not asked to change byte for byte,
and reports a line it cannot read as FILE:LINE: message (\fBtether check\fR) and skips it.
The .jsonl files hold one JSON object per line; blank lines and lines starting with # are kept
and ignored.
.TP
Times
\fB2026\-11\-25T09:00+09:00\fR (an instant), \fB2026\-11\-25T09:00\fR (a wall\-clock time in the
record's zone: its own \fBzone\fR, else its client's, else yours), \fB2026\-11\-25\fR (a day).
Durations: \fB90m\fR, \fB6h\fR, \fB1h30m\fR, \fB2d\fR, \fB1w\fR.
.TP
A deadline
.nf
\fB{"client":"kanda","title":"Q3 report","due":"2026\-11\-27T17:00"}\fR
.fi
and \fBid\fR, \fBzone\fR, \fBestimate\fR and \fBspent\fR (durations), \fBstatus\fR
(open, done, dropped)
.TP
A follow\-up
.nf
\fB{"client":"kanda","what":"Send the quote","due":"2026\-11\-24"}\fR
.fi
and \fBid\fR, \fBwho\fR, \fBstatus\fR, \fB"waiting":true\fR (you wait for them; \fBdue\fR is when to
chase), \fBsnoozed_until\fR (hidden until then)
.TP
A contact
.nf
\fB{"at":"2026\-11\-20T14:00+09:00","client":"kanda","kind":"visit"}\fR
.fi
and \fBwho\fR, \fBnote\fR
.PP
The whole contract (every field of tether.toml, every rule of the lines) is
docs/data\-format.md in tether's source.
.SH EXAMPLES
.TP
\fBtether init\fR
write the example data (dated from today) to the data directory; \fBtether init \-\-empty\fR
for a blank start
.TP
\fBtether\fR
the dashboard
.TP
\fBtether add deadline "Q4 report" \-\-client kanda \-\-due fri \-\-estimate 6h\fR
add a deadline, due Friday at the end of the client's business hours
.TP
\fBtether add followup "Send revised quote" \-\-client kanda \-\-due "tomorrow 9am"\fR
add something you owe a client
.TP
\fBtether log kanda call "Discussed Q4 scope" \-\-who Sato\-san\fR
log a contact (warms the client's heat)
.TP
\fBtether export ics \-\-out ~/tether.ics\fR
open deadlines and dated follow\-ups as calendar events
.TP
\fBtether check\fR
every problem in the data files, as FILE:LINE: message
.TP
\fBsource <(tether completions bash)\fR
in ~/.bashrc: Tab completes commands, client ids and kinds
.TP
\fBtether man > ~/.local/share/man/man1/tether.1\fR
install this page for \fBman tether\fR
"#;
