//! One desktop notification (freedesktop, over the D-Bus session bus, via notify-rust).
//!
//! notify-rust fails fast without a bus or without a server, but blocks forever when a server
//! owns the name and never replies. So the call runs on its own thread and the caller waits at
//! most `timeout`; a timeout counts as "not sent". While such a call is still stuck, further
//! sends fail at once ([`SendError::Busy`]) instead of piling up threads.

use super::rules::{Alert, Urgency};
use crate::domain::text::{one_line, printable};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// How long to wait for the notification server to accept one alert.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);

/// A notification call is running on a helper thread (possibly stuck on a silent server).
static IN_FLIGHT: AtomicBool = AtomicBool::new(false);

/// Why an alert did not reach the desktop.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// No session bus to talk to.
    #[error("no D-Bus session bus ({0})")]
    NoBus(String),
    /// A bus, but nothing owns `org.freedesktop.Notifications`.
    #[error("no notification server on the D-Bus session bus")]
    NoServer,
    /// The server did not answer in time (the alert may or may not have been shown).
    #[error("the notification server did not answer within {}s", .0.as_secs_f64())]
    Timeout(Duration),
    /// An earlier call is still waiting for a server that does not answer.
    #[error("the notification server has not answered an earlier alert")]
    Busy,
    #[error("{0}")]
    Failed(String),
}

impl SendError {
    /// The one-line warning for the dashboard's header or stderr (without a "tether: " prefix):
    /// "desktop alerts unavailable: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset); 2
    /// alerts not sent".
    pub fn warning(&self, not_sent: usize) -> String {
        let n = if not_sent == 1 {
            "1 alert not sent".to_string()
        } else {
            format!("{not_sent} alerts not sent")
        };
        format!("desktop alerts unavailable: {self}; {n}")
    }
}

/// Resets [`IN_FLIGHT`] when the helper thread ends, even by a panic.
struct InFlight;

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.store(false, Ordering::SeqCst);
    }
}

/// Show `alert` as a desktop notification (app name "tether"), waiting at most `timeout` for the
/// server to accept it. `Ok` only when the server accepted it.
pub fn send(alert: &Alert, timeout: Duration) -> Result<(), SendError> {
    check_bus()?;
    if IN_FLIGHT
        .compare_exchange(false, true, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return Err(SendError::Busy);
    }
    let (summary, body) = on_the_wire(alert);
    let mut n = notify_rust::Notification::new();
    n.appname("tether").summary(&summary).body(&body);
    #[cfg(all(unix, not(target_os = "macos")))]
    n.urgency(match alert.urgency {
        Urgency::Critical => notify_rust::Urgency::Critical,
        Urgency::Normal => notify_rust::Urgency::Normal,
    });
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    let _ = Urgency::Normal;
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("tether-notify".into())
        .spawn(move || {
            let _guard = InFlight;
            let result = n.show().map(|_| ()).map_err(|e| classify(&e.to_string()));
            let _ = tx.send(result);
        });
    if let Err(e) = spawned {
        IN_FLIGHT.store(false, Ordering::SeqCst);
        return Err(SendError::Failed(format!("cannot start a thread: {e}")));
    }
    match rx.recv_timeout(timeout) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(SendError::Timeout(timeout)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(SendError::Failed(
            "the notification call stopped unexpectedly".into(),
        )),
    }
}

/// The summary and the body as they go on D-Bus: the data in them shown, never obeyed.
pub(crate) fn on_the_wire(alert: &Alert) -> (String, String) {
    (summary_text(&alert.summary), body_markup(&alert.body))
}

/// The summary as it goes on D-Bus. The specification makes it plain text, and GNOME Shell
/// and KDE show it so (an `&amp;` would show as written), but dunst and mako read it as markup
/// like the body: so no entities, and no tag either. `<` and `>` become `‹` and `›`, which
/// read the same and open no `<b>`, `<a href>` or `<img>`; control characters go, and a line
/// break becomes a space (the summary is one line). See docs/decisions.md.
pub(crate) fn summary_text(s: &str) -> String {
    one_line(s).replace('<', "‹").replace('>', "›")
}

/// The body as it goes on D-Bus: it may carry markup for servers that support it, so the
/// user's text is escaped to stay literal (`&`, `<`, `>` as entities) and loses its control
/// characters (line breaks stay: the body may have several lines).
pub(crate) fn body_markup(s: &str) -> String {
    printable(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Sort notify-rust's error text into what the user can act on.
fn classify(msg: &str) -> SendError {
    const NO_SERVER: [&str; 3] = [
        "ServiceUnknown",
        "NameHasNoOwner",
        "was not provided by any .service",
    ];
    if NO_SERVER.iter().any(|p| msg.contains(p)) {
        return SendError::NoServer;
    }
    if msg.contains("org.freedesktop.DBus.Error.Spawn") {
        return SendError::Failed(format!("the notification server could not start ({msg})"));
    }
    let lower = msg.to_ascii_lowercase();
    if lower.contains("os error")
        || lower.contains("i/o error")
        || lower.contains("address")
        || lower.contains("connection refused")
    {
        return SendError::NoBus(format!(
            "cannot connect to {}: {msg}",
            bus_address().unwrap_or_else(|| "the session bus".into())
        ));
    }
    SendError::Failed(format!("the notification could not be sent: {msg}"))
}

fn bus_address() -> Option<String> {
    std::env::var("DBUS_SESSION_BUS_ADDRESS")
        .ok()
        .filter(|a| !a.trim().is_empty())
}

/// Fail fast, with a clear reason, when there is plainly no session bus.
fn check_bus() -> Result<(), SendError> {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return Ok(());
    }
    match bus_address() {
        None => {
            // Like zbus, fall back to the systemd user bus socket.
            let fallback = std::env::var_os("XDG_RUNTIME_DIR")
                .map(|d| std::path::Path::new(&d).join("bus"))
                .filter(|p| p.exists());
            match fallback {
                Some(_) => Ok(()),
                None => Err(SendError::NoBus(
                    "DBUS_SESSION_BUS_ADDRESS unset".to_string(),
                )),
            }
        }
        Some(addr) => {
            // A single `unix:path=…` address whose socket is missing: say so plainly.
            let single = !addr.contains(';');
            let path = addr
                .strip_prefix("unix:")
                .filter(|_| single)
                .and_then(|rest| {
                    rest.split(',')
                        .find_map(|kv| kv.strip_prefix("path="))
                        .map(str::to_string)
                });
            match path {
                Some(p) if !std::path::Path::new(&p).exists() => {
                    Err(SendError::NoBus(format!("nothing listens at {addr}")))
                }
                _ => Ok(()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_errors() {
        assert_eq!(
            classify(
                "org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.Notifications was not provided by any .service files"
            ),
            SendError::NoServer
        );
        assert!(matches!(
            classify("I/O error: No such file or directory (os error 2)"),
            SendError::NoBus(_)
        ));
        assert!(matches!(classify("weird"), SendError::Failed(_)));
    }

    #[test]
    fn warnings_read_as_one_line() {
        let e = SendError::NoBus("DBUS_SESSION_BUS_ADDRESS unset".into());
        assert_eq!(
            e.warning(2),
            "desktop alerts unavailable: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS unset); 2 alerts not sent"
        );
        assert_eq!(
            SendError::Timeout(Duration::from_secs(3)).warning(1),
            "desktop alerts unavailable: the notification server did not answer within 3s; 1 alert not sent"
        );
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(body_markup("R&D <b>"), "R&amp;D &lt;b&gt;");
        assert_eq!(
            body_markup("<a href=\"http://x\">x</a>\u{1b}[2J\u{7}\nnext"),
            "&lt;a href=\"http://x\"&gt;x&lt;/a&gt;[2J\nnext"
        );
    }

    #[test]
    fn the_summary_opens_no_tag_and_holds_no_control() {
        let s = summary_text("At risk: <b>R&D</b> <img src=\"x.png\"/>\u{1b}]52;c;aGk=\u{7}\r\nok");
        assert_eq!(s, "At risk: ‹b›R&D‹/b› ‹img src=\"x.png\"/›]52;c;aGk= ok");
        assert!(!s.contains(['<', '>']) && !s.chars().any(char::is_control));
    }
}
