//! The signals the dashboard catches, and what each means to it (docs/decisions.md, "Signals
//! and the terminal"): every catchable signal whose default action would end the process ends
//! the dashboard as `q` does, so the terminal is always restored first; SIGTSTP suspends it
//! (terminal restored, the job stopped); SIGCONT takes the terminal back and redraws.
//! SIGWINCH is the keyboard thread's (`input.rs`). Signals that report a fault of the program
//! itself (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT) are not caught: returning
//! from their handler would only repeat the fault; a panic restores the terminal on its own.

use rustix::process::{Pid, Signal, getpgid, getpgrp, getppid, getsid};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set while $EDITOR has the terminal (`lend`): then the job-control signals are the editor's.
static TERMINAL_LENT: AtomicBool = AtomicBool::new(false);

/// Mark the terminal as lent to a child ($EDITOR) or taken back.
pub fn lend(lent: bool) {
    TERMINAL_LENT.store(lent, Ordering::SeqCst);
}

/// Whether the event loop is to hear of `signal` now. While $EDITOR has the terminal, its
/// Ctrl-Z (SIGTSTP to the whole job, us included) stops the job as it would without our
/// handler, so the shell sees the job stopped; the SIGCONT of `fg` is the editor's too.
pub fn forward(signal: i32) -> bool {
    if !TERMINAL_LENT.load(Ordering::SeqCst) {
        return true;
    }
    match on_signal(signal) {
        OnSignal::Quit => true,
        OnSignal::Suspend => {
            stop_job();
            false
        }
        OnSignal::Resume => false,
    }
}

/// What the event loop does on a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSignal {
    /// Restore the terminal and leave, as `q` does.
    Quit,
    /// Restore the terminal and stop the job (Ctrl-Z, `kill -TSTP`).
    Suspend,
    /// Take the terminal back and redraw everything (after `fg`, or any SIGCONT).
    Resume,
}

/// The catchable signals whose default action ends the process: each one quits the dashboard
/// cleanly instead. (SIGPIPE stays ignored, as Rust sets it: a closed pipe is an error to report.)
pub fn ending() -> Vec<i32> {
    let mut v = vec![
        Signal::TERM,
        Signal::HUP,
        Signal::INT,
        Signal::QUIT,
        Signal::USR1,
        Signal::USR2,
        Signal::ALARM,
        Signal::VTALARM,
        Signal::PROF,
        Signal::XCPU,
        Signal::XFSZ,
    ];
    #[cfg(any(target_os = "linux", target_os = "android"))]
    v.extend([Signal::IO, Signal::POWER]);
    v.into_iter().map(Signal::as_raw).collect()
}

/// Every signal the event loop is told about.
pub fn handled() -> Vec<i32> {
    let mut v = ending();
    v.extend([Signal::TSTP.as_raw(), Signal::CONT.as_raw()]);
    v
}

/// What `signal` means to the dashboard.
pub fn on_signal(signal: i32) -> OnSignal {
    if signal == Signal::TSTP.as_raw() {
        OnSignal::Suspend
    } else if signal == Signal::CONT.as_raw() {
        OnSignal::Resume
    } else {
        OnSignal::Quit
    }
}

/// Stop this process's job, as the terminal's Ctrl-Z would, and return once it is continued.
/// Returns false (without stopping) when no job-control shell could continue it: the kernel
/// itself ignores Ctrl-Z for such an orphaned process group, since nothing could ever `fg` it.
pub fn stop_job() -> bool {
    if !a_shell_can_continue_us() {
        return false;
    }
    // The whole process group, as the terminal stops it: a `sh -c 'tether; …'` around us stops
    // too, so the shell sees its job stopped. SIGSTOP and not SIGTSTP, whose handler is ours.
    rustix::process::kill_current_process_group(Signal::STOP).is_ok()
}

/// Whether our process group has a member whose parent is in another group of the same session
/// (POSIX: the group is not orphaned), looking up our own line of ancestors: a job-control shell
/// is then there to continue the job.
fn a_shell_can_continue_us() -> bool {
    let group = getpgrp();
    let Ok(session) = getsid(None) else {
        return false;
    };
    let mut parent = getppid();
    // A bound, against a cycle in a racing /proc.
    for _ in 0..64 {
        let Some(p) = parent else { return false };
        let (Ok(pg), Ok(sid)) = (getpgid(Some(p)), getsid(Some(p))) else {
            return false;
        };
        if sid != session {
            return false;
        }
        if pg != group {
            return true;
        }
        parent = parent_of(p);
    }
    false
}

/// The parent of another process, from /proc (Linux); None elsewhere or if it is gone.
fn parent_of(pid: Pid) -> Option<Pid> {
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.as_raw_pid())).ok()?;
    // "pid (comm) state ppid …": the name may hold spaces and parentheses.
    let rest = &stat[stat.rfind(')')? + 1..];
    let ppid: i32 = rest.split_whitespace().nth(1)?.parse().ok()?;
    Pid::from_raw(ppid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_ending_signal_quits_and_job_control_signals_do_not() {
        for s in ending() {
            assert_eq!(on_signal(s), OnSignal::Quit, "signal {s}");
        }
        assert_eq!(on_signal(Signal::TSTP.as_raw()), OnSignal::Suspend);
        assert_eq!(on_signal(Signal::CONT.as_raw()), OnSignal::Resume);
        let names = [Signal::QUIT, Signal::USR1, Signal::ALARM].map(Signal::as_raw);
        assert!(names.iter().all(|s| ending().contains(s)));
        // Faults are never caught (signal-hook refuses some; the rest would loop).
        for fault in [
            Signal::SEGV,
            Signal::BUS,
            Signal::ILL,
            Signal::FPE,
            Signal::ABORT,
        ] {
            assert!(!handled().contains(&fault.as_raw()));
        }
    }

    #[test]
    fn the_parent_of_this_process_is_read_from_proc() {
        if cfg!(target_os = "linux") {
            assert_eq!(parent_of(rustix::process::getpid()), getppid());
        }
    }
}
