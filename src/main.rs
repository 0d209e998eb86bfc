//! tether's entry point: parse the command line and dispatch.

use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};
use std::process::ExitCode;
use tether::cli::args::{
    AddCommand, Cli, Command, ExportCommand, ImportCommand, SyncCommand, TrackCommand,
};
use tether::cli::output::err_line;
use tether::cli::{capture, docs, ics, import, run, slots, status, sync, track};
use tether::store::capture::timer::StopAt;
use tether::store::capture::{ContactWords, DeadlineWords, FollowupWords};

fn main() -> ExitCode {
    // A shell asking for completions (COMPLETE=bash …) is answered here, and nothing else runs.
    clap_complete::CompleteEnv::with_factory(Cli::command).complete();
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    let from_env = matches.value_source("data_dir") == Some(ValueSource::EnvVariable);
    // These need no data directory.
    let early = match &cli.command {
        Some(Command::Completions { shell }) => Some(docs::completions(*shell)),
        Some(Command::Man) => Some(docs::man()),
        Some(Command::Merge {
            base,
            ours,
            theirs,
            name,
        }) => Some(sync::merge(base, ours, theirs, name.as_deref())),
        _ => None,
    };
    if let Some(result) = early {
        return finish(result);
    }
    let now = cli.now.unwrap_or_else(chrono::Utc::now);
    let fixed_now = cli.now.is_some();
    let data = match run::data_dir(cli.data_dir.clone(), from_env) {
        Ok(d) => d,
        Err(e) => return finish(Err(e)),
    };
    // `init` creates the directory; every other command needs it there (or, for the default
    // location only, creates it on a first run).
    if !matches!(cli.command, Some(Command::Init { .. }))
        && let Err(e) = run::usable_data_dir(&data)
    {
        return finish(Err(e));
    }
    let dir = data.path;
    let result = match cli.command {
        Some(Command::Init { dir: target, empty }) => run::init(&target.unwrap_or(dir), now, empty),
        Some(Command::Check) => run::check(&dir),
        Some(Command::Agenda) => run::agenda(&dir, now),
        Some(Command::Review { week, format }) => run::review(&dir, now, week.as_deref(), format),
        Some(Command::Notify { once: _, watch }) => {
            tether::alerts::notify_command(&dir, cli.now, watch)
        }
        Some(Command::Status { format }) => status::status(&dir, now, format.as_deref()),
        Some(Command::Add(AddCommand::Followup {
            what,
            client,
            due,
            who,
            waiting,
            every,
            on_holiday,
            dry_run,
        })) => capture::add_followup(
            &dir,
            now,
            &FollowupWords {
                what: &what,
                client: client.as_deref(),
                due: due.as_deref(),
                who: who.as_deref(),
                waiting,
                every: every.as_deref(),
                on_holiday: on_holiday.as_deref(),
            },
            dry_run,
        ),
        Some(Command::Add(AddCommand::Deadline {
            title,
            client,
            due,
            estimate,
            spent,
            every,
            on_holiday,
            dry_run,
        })) => capture::add_deadline(
            &dir,
            now,
            &DeadlineWords {
                title: &title,
                client: client.as_deref(),
                due: &due,
                estimate: estimate.as_deref(),
                spent: spent.as_deref(),
                every: every.as_deref(),
                on_holiday: on_holiday.as_deref(),
            },
            dry_run,
        ),
        Some(Command::Log {
            client,
            kind,
            note,
            who,
            at,
            dry_run,
        }) => capture::log(
            &dir,
            now,
            &ContactWords {
                client: &client,
                kind: &kind,
                note: note.as_deref(),
                who: who.as_deref(),
                at: at.as_deref(),
            },
            dry_run,
        ),
        Some(Command::Track(TrackCommand::Start { on, note, dry_run })) => {
            track::start(&dir, now, &on, note.as_deref(), dry_run)
        }
        Some(Command::Track(TrackCommand::Stop { at, spent, dry_run })) => {
            let how = match (&at, &spent) {
                (Some(a), _) => StopAt::At(a),
                (None, Some(s)) => StopAt::Spent(s),
                (None, None) => StopAt::Now,
            };
            track::stop(&dir, now, how, dry_run)
        }
        Some(Command::Track(TrackCommand::Add {
            spent,
            on,
            day,
            note,
            dry_run,
        })) => track::add(
            &dir,
            now,
            &spent,
            &on,
            day.as_deref(),
            note.as_deref(),
            dry_run,
        ),
        Some(Command::Export(ExportCommand::Ics { out, kind })) => {
            ics::export_ics(&dir, now, kind, out.as_deref())
        }
        Some(Command::Import(ImportCommand::Ics {
            file,
            client,
            target,
            next,
            dry_run,
        })) => import::import_ics(
            &dir,
            now,
            &import::ImportArgs {
                file: &file,
                client: &client,
                target,
                next: &next,
                dry_run,
            },
        ),
        Some(Command::Slots {
            clients,
            next,
            length,
            count,
        }) => slots::slots(
            &dir,
            now,
            &slots::SlotsArgs {
                clients: &clients,
                next: &next,
                length: &length,
                count,
            },
        ),
        Some(Command::Sync(SyncCommand::Init { print })) => sync::init(&dir, print),
        Some(Command::Resolve { dry_run }) => sync::resolve(&dir, dry_run),
        Some(Command::Merge { .. }) => Ok(ExitCode::SUCCESS),
        Some(Command::Completions { shell }) => docs::completions(shell),
        Some(Command::Man) => docs::man(),
        None => run::dashboard(&dir, now, fixed_now),
    };
    finish(result)
}

fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) => {
            err_line(&format!("tether: {e:#}"));
            ExitCode::from(2)
        }
    }
}
