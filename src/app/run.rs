//! The event loop at the edge: terminal, keyboard, watcher, signals, clock boundaries, and the
//! effects the pure update asks for (writes, undo, $EDITOR). It sleeps until something happens.
//! It owns what is not the app's state: the data files' reloader and store ([`Files`]) and the
//! view cache ([`ViewCache`]) that `ui::draw` fills.

use super::alerts::AlertWorker;
use super::effects::{Next, apply};
use super::event::{AlertsUpdate, Event};
use super::files::Files;
use super::input::Input;
use super::signals::{OnSignal, on_signal};
use super::state::App;
use super::update::handle_key;
use crate::store::reload::History;
use crate::store::watch::watch;
use crate::ui::ViewCache;
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, DurationRound, Utc};
use std::path::Path;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};

/// Where "now" comes from: the real clock, or a fixed instant (`--now`) for reproducible screens.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    Real,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Real => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }

    /// How long to sleep until the screen next needs redrawing on its own (the next whole
    /// minute, or second); None when the clock is fixed.
    fn until_next_tick(&self, seconds: bool) -> Option<std::time::Duration> {
        let Clock::Real = self else { return None };
        let now = Utc::now();
        let step = if seconds {
            Duration::seconds(1)
        } else {
            Duration::minutes(1)
        };
        let next = now.duration_trunc(step).ok()? + step;
        // A few ms late rather than early, so the redraw lands on the new minute.
        (next - now + Duration::milliseconds(5)).to_std().ok()
    }
}

/// Give the terminal back to the shell (before $EDITOR, or before stopping): the keyboard thread
/// stops reading, the cursor shows again, raw mode and the alternate screen end.
fn release(terminal: &mut ratatui::DefaultTerminal, input: &Input) {
    input.pause();
    let _ = terminal.show_cursor();
    ratatui::restore();
}

/// Take the terminal back after `release`, or after anyone stopped and continued us (the shell
/// may have reset the tty meanwhile): raw mode, the alternate screen, and a clear screen with
/// the last frame forgotten, so the next draw paints every cell; then the keyboard again.
fn retake(terminal: &mut ratatui::DefaultTerminal, input: &Input) -> Result<()> {
    use ratatui::crossterm::{execute, terminal as ct};
    // crossterm skips enabling raw mode when it thinks it is on; after a stop the shell may have
    // put the tty back to cooked mode behind its back (then `q` would wait for Enter).
    ct::disable_raw_mode()?;
    ct::enable_raw_mode()?;
    execute!(std::io::stdout(), ct::EnterAlternateScreen)?;
    full_redraw(terminal)?;
    input.resume();
    Ok(())
}

/// Size the frame to the terminal as it is now and clear it, so that the next draw paints every
/// cell (the terminal may have cut or moved the old frame: a resize, a suspend).
fn full_redraw(terminal: &mut ratatui::DefaultTerminal) -> Result<()> {
    let size = terminal.size()?;
    terminal.resize(size.into())?;
    Ok(())
}

/// The user's editor command, split into words as a shell would (quotes, escaped spaces):
/// `$VISUAL`, else `$EDITOR` (an empty or blank one counts as unset), else `vi`.
pub fn editor_command(visual: Option<&str>, editor: Option<&str>) -> Result<Vec<String>> {
    let chosen = [visual, editor]
        .into_iter()
        .flatten()
        .find(|e| !e.trim().is_empty())
        .unwrap_or("vi");
    let words = shell_words::split(chosen)
        .with_context(|| format!("cannot read the editor command {chosen:?} (set $EDITOR)"))?;
    if words.is_empty() {
        anyhow::bail!("the editor command {chosen:?} names no program (set $EDITOR)");
    }
    Ok(words)
}

/// Hand the terminal to the user's editor at the record's line, then take it back.
fn open_editor(
    terminal: &mut ratatui::DefaultTerminal,
    input: &Input,
    path: &Path,
    line: usize,
) -> Result<()> {
    let visual = std::env::var("VISUAL").ok();
    let editor = std::env::var("EDITOR").ok();
    let words = editor_command(visual.as_deref(), editor.as_deref())?;
    let Some((program, args)) = words.split_first() else {
        anyhow::bail!("no editor command (set $EDITOR)");
    };
    release(terminal, input);
    super::signals::lend(true);
    let status = std::process::Command::new(program)
        .args(args)
        .arg(format!("+{line}"))
        .arg(path)
        .status();
    super::signals::lend(false);
    retake(terminal, input)?;
    let shown = shell_words::join(&words);
    let status =
        status.with_context(|| format!("cannot start the editor {shown:?} (set $EDITOR)"))?;
    if !status.success() {
        anyhow::bail!("{shown} exited with {status}");
    }
    Ok(())
}

/// Ctrl-Z or SIGTSTP: give the terminal back, stop the job, and take the terminal back once
/// continued (`fg`). Without a job-control shell to continue it, say so and stay.
fn suspend(terminal: &mut ratatui::DefaultTerminal, input: &Input, app: &mut App) -> Result<()> {
    release(terminal, input);
    let stopped = super::signals::stop_job();
    retake(terminal, input)?;
    if !stopped {
        app.complain("cannot suspend: no job-control shell started tether (q quits)");
    }
    Ok(())
}

/// Ctrl-Z typed in the dashboard (raw mode turns it into a key, not a signal).
fn is_suspend_key(k: &ratatui::crossterm::event::KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    k.code == KeyCode::Char('z') && k.modifiers.contains(KeyModifiers::CONTROL)
}

/// The header's warning under `--now`: no alert is sent or recorded.
pub const FROZEN_VIEW: &str = "alerts off: frozen view (--now); nothing is sent or recorded";

/// Run the dashboard until the user quits or a signal arrives.
pub fn run(dir: &Path, clock: Clock) -> Result<()> {
    let (tx, rx) = channel::<Event>();
    // The data is read off this thread: the first frame says what is loading, and keys and
    // signals work from the start.
    let (mut files, mut app) = Files::start(dir, move || clock.now(), tx.clone());

    let mut signals = signal_hook::iterator::Signals::new(super::signals::handled())?;
    let sig_tx = tx.clone();
    std::thread::Builder::new()
        .name("tether-signals".into())
        .spawn(move || {
            for s in signals.forever() {
                if super::signals::forward(s) && sig_tx.send(Event::Signal(s)).is_err() {
                    return;
                }
            }
        })?;
    // Without a watcher the dashboard still works; it just needs a key to see hand edits.
    let watch_tx = tx.clone();
    let _watcher = match watch(dir, move || watch_tx.send(Event::DataChanged).is_ok()) {
        Ok(w) => Some(w),
        Err(e) => {
            app.complain(format!("not watching {} for changes: {e}", dir.display()));
            None
        }
    };

    let alerts = match clock {
        // A frozen clock is a view of that instant: sending (and recording as sent) the alerts
        // due then would use them up before their real time.
        Clock::Fixed(_) => {
            app.alert_warning = Some(FROZEN_VIEW.to_string());
            // The alerts already sent, for the `n` list: read off the screen's thread, as the
            // worker would (the record is a file of tether's own state, which could be slow).
            let (sent_dir, sent_tx) = (dir.to_path_buf(), tx.clone());
            std::thread::Builder::new()
                .name("tether-sent-log".into())
                .spawn(move || {
                    let entries = super::alerts::sent_entries(&sent_dir);
                    let warning = Some(FROZEN_VIEW.to_string());
                    let _ = sent_tx.send(Event::Alerts(AlertsUpdate { warning, entries }));
                })?;
            None
        }
        Clock::Real => match AlertWorker::start(dir, tx.clone()) {
            Ok(w) => Some(w),
            Err(e) => {
                app.alert_warning = Some(format!("desktop alerts unavailable: {e}"));
                None
            }
        },
    };

    let mut terminal = ratatui::init();
    let input = match Input::start(tx.clone()) {
        Ok(i) => i,
        Err(e) => {
            ratatui::restore();
            return Err(e).context("cannot read the keyboard");
        }
    };
    let background = Background {
        alerts: alerts.as_ref(),
        history: None,
        events: tx.clone(),
    };
    let result = event_loop(
        &mut terminal,
        &mut app,
        &mut files,
        &input,
        &rx,
        clock,
        background,
    );
    input.stop();
    ratatui::restore();
    // The process ends next: the system takes the data back at once, where freeing it record
    // by record would keep the shell waiting (a second or more at millions of records).
    std::mem::forget(app);
    std::mem::forget(files);
    result
}

/// What works beside the screen: the alert worker, and the closed history still to read (once
/// the first screen of the loaded data is up), sent on `events`.
struct Background<'a> {
    alerts: Option<&'a AlertWorker>,
    history: Option<History>,
    events: Sender<Event>,
}

/// While a reload or the history waits for the alert worker to let go of the data (the few ms
/// of working out a pass), the loop looks again this often instead of sleeping until the next
/// event; it never waits for the worker itself.
const PENDING_POLL: std::time::Duration = std::time::Duration::from_millis(2);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    files: &mut Files,
    input: &Input,
    rx: &std::sync::mpsc::Receiver<Event>,
    clock: Clock,
    mut background: Background<'_>,
) -> Result<()> {
    let alerts = background.alerts;
    // Lets the end-to-end tests prove that a panic still restores the terminal.
    let panic_for_test = std::env::var_os("TETHER_TEST_PANIC").is_some();
    // The data is in and not drawn yet: what waits for its first screen starts after the draw.
    let mut data_in = !app.is_loading();
    let mut cache = ViewCache::default();
    // An alert request taken back while a change waited for the worker (its `changed`).
    let mut resend: Option<bool> = None;
    // An event taken off the channel while gathering resizes, handled next.
    let mut stash: Option<Event> = None;
    loop {
        // Every event may change what is shown; ratatui writes only the cells that differ.
        cache.warm(app);
        terminal.draw(|f| crate::ui::draw(f, app, &mut cache))?;
        if panic_for_test {
            panic!("TETHER_TEST_PANIC is set: a deliberate panic after drawing");
        }
        if data_in {
            // The closed history and the first alert pass wait until the user has a screen.
            data_in = false;
            if let Some(h) = background.history.take() {
                let tx = background.events.clone();
                // The first alert pass then follows the history (as after any new data), so
                // the two never hold their working memory at the same time.
                std::thread::Builder::new()
                    .name("tether-history".into())
                    .spawn(move || {
                        let _ = tx.send(Event::History(Box::new(h.read())));
                    })?;
            } else if let Some(a) = alerts {
                a.check(app.loaded.share(), clock.now(), true);
            }
        }
        let tick = clock.until_next_tick(app.loaded.model.config.ui.seconds);
        // Waiting less than until the clock's next boundary: a timeout is then not a new minute.
        let polling = files.pending() && tick.is_none_or(|t| t > PENDING_POLL);
        let wait = if polling { Some(PENDING_POLL) } else { tick };
        let event = match (stash.take(), wait) {
            (Some(e), _) => Some(e),
            (None, Some(d)) => match rx.recv_timeout(d) {
                Ok(e) => Some(e),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
            (None, None) => match rx.recv() {
                Ok(e) => Some(e),
                Err(_) => return Ok(()),
            },
        };
        let now = clock.now();
        // What waited for the alert worker goes in first, now that it may have let go.
        let mut check = files.retry(app, now).any();
        // A new minute or new data can change an alert level; the worker decides, off-thread
        // (a minute with no data change is skipped there unless a level can change).
        let minute = event.is_none() && !polling;
        match event {
            None if minute => app.refresh(now),
            None => {}
            Some(Event::Resize) => {
                // Every resize queued now is this one: the size is read once, as it is now.
                while let Ok(e) = rx.try_recv() {
                    if !matches!(e, Event::Resize) {
                        stash = Some(e);
                        break;
                    }
                }
                full_redraw(terminal)?;
            }
            // Nothing to do when no file changed (the watcher reporting our own write).
            Some(Event::DataChanged) => check |= files.sync(app, now).any(),
            Some(Event::History(data)) => check |= files.apply_history(app, data, now).any(),
            Some(Event::Load(step)) => {
                let was_loading = app.is_loading();
                background.history = files.load_step(app, step, now);
                data_in |= was_loading && !app.is_loading();
            }
            Some(Event::Reread(data)) => check |= files.reread_arrived(app, data, now).any(),
            Some(Event::Notes(n)) => app.notes_arrived(&n.lines, n.notes),
            Some(Event::Panicked(panic)) => std::panic::resume_unwind(panic),
            Some(Event::Signal(sig)) => match on_signal(sig) {
                OnSignal::Quit => return Ok(()),
                OnSignal::Suspend => suspend(terminal, input, app)?,
                OnSignal::Resume => retake(terminal, input)?,
            },
            Some(Event::Key(k)) if is_suspend_key(&k) => suspend(terminal, input, app)?,
            Some(Event::Alerts(update)) => {
                app.alert_warning = update.warning;
                app.alerts = update.entries;
            }
            Some(Event::Key(k)) => {
                app.now = now;
                for e in handle_key(app, k) {
                    match apply(app, files, e, now) {
                        Next::Continue => {}
                        Next::Reloaded => check = true,
                        Next::Quit => return Ok(()),
                        Next::Editor { path, line } => {
                            if let Err(e) = open_editor(terminal, input, &path, line) {
                                app.complain(format!("{e:#}"));
                            }
                            check |= files.sync(app, now).any();
                        }
                    }
                }
            }
        }
        // A client page whose contacts changed (new data, a new minute) asks for their notes.
        if let Some(lines) = app.notes_request() {
            files.read_notes(app, lines);
        }
        // No alert pass over data not yet in (it would find nothing due, and say so).
        let Some(a) = alerts.filter(|_| !app.is_loading()) else {
            continue;
        };
        if files.pending() {
            // The data must change while the worker holds it: take back the request it has not
            // started (its handle on the data) so that only a pass under way, a few ms, is
            // waited for; it is asked again once the change is in.
            if let Some(changed) = a.withdraw() {
                resend = Some(resend.unwrap_or(false) || changed);
            }
        } else if check || minute || resend.is_some() {
            let changed = check || resend.take().unwrap_or(false);
            a.check(app.loaded.share(), now, changed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(visual: Option<&str>, editor: Option<&str>) -> Vec<String> {
        editor_command(visual, editor).unwrap_or_else(|e| panic!("{e:#}"))
    }

    #[test]
    fn the_editor_is_split_as_a_shell_would() {
        assert_eq!(words(None, Some("code --wait")), ["code", "--wait"]);
        assert_eq!(
            words(Some("'/opt/My Editor/bin/ed' -n"), None),
            ["/opt/My Editor/bin/ed", "-n"]
        );
        assert_eq!(
            words(None, Some(r#""/Applications/Sublime Text.app/subl" -w"#)),
            ["/Applications/Sublime Text.app/subl", "-w"]
        );
        assert_eq!(
            words(None, Some(r"/home/me/my\ editor")),
            ["/home/me/my editor"]
        );
        assert_eq!(words(None, Some("emacs -nw")), ["emacs", "-nw"]);
    }

    #[test]
    fn an_empty_visual_falls_back_to_editor_and_then_to_vi() {
        assert_eq!(words(Some(""), Some("nano")), ["nano"]);
        assert_eq!(words(Some("   "), Some("nano")), ["nano"]);
        assert_eq!(words(Some("hx"), Some("nano")), ["hx"]);
        assert_eq!(words(Some(""), Some("")), ["vi"]);
        assert_eq!(words(None, None), ["vi"]);
    }

    #[test]
    fn an_unreadable_editor_command_is_an_error_naming_it() {
        let Err(e) = editor_command(None, Some("'unclosed")) else {
            panic!("an unclosed quote was accepted");
        };
        assert!(format!("{e:#}").contains("'unclosed"), "{e:#}");
    }
}
