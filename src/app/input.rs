//! The keyboard thread. It sleeps in poll(2) on the terminal and on a wake pipe, so an idle
//! dashboard costs no wake-ups, and it can be paused while $EDITOR owns the terminal (a blocked
//! read would otherwise steal the editor's first keystrokes).

use super::event::Event;
use ratatui::crossterm::event as ct;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Running,
    Pausing,
    Paused,
    Stopping,
}

pub struct Input {
    wake: OwnedFd,
    /// Keeps SIGWINCH's write end open while the thread reads the other end.
    _winch: OwnedFd,
    shared: Arc<(Mutex<Mode>, Condvar)>,
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    use rustix::pipe::{PipeFlags, pipe_with};
    Ok(pipe_with(PipeFlags::CLOEXEC | PipeFlags::NONBLOCK)?)
}

fn tty_fd() -> std::io::Result<OwnedFd> {
    // crossterm reads stdin when it is a terminal, else /dev/tty; watch the same device.
    let stdin = std::io::stdin();
    if rustix::termios::isatty(&stdin)
        && let Ok(d) = rustix::io::dup(&stdin)
    {
        return Ok(d);
    }
    Ok(std::fs::File::open("/dev/tty")?.into())
}

fn wait_readable(fds: &[BorrowedFd<'_>]) -> Vec<bool> {
    use rustix::event::{PollFd, PollFlags, poll};
    let mut pfds: Vec<PollFd<'_>> = fds
        .iter()
        .map(|fd| PollFd::new(fd, PollFlags::IN))
        .collect();
    while let Err(rustix::io::Errno::INTR) = poll(&mut pfds, None) {}
    pfds.iter().map(|p| !p.revents().is_empty()).collect()
}

fn drain(fd: BorrowedFd<'_>) {
    let mut buf = [0u8; 64];
    while matches!(rustix::io::read(fd, &mut buf), Ok(n) if n > 0) {}
}

impl Input {
    /// Start the keyboard thread, sending keys and resizes to `tx`.
    pub fn start(tx: Sender<Event>) -> std::io::Result<Input> {
        let (wake_r, wake_w) = pipe()?;
        // Every SIGWINCH lands in a pipe of its own, and each one read is an Event::Resize: a
        // resize is never missed (crossterm's own Resize events, from another pipe written by
        // the same signal a moment apart, are not used).
        let (winch_r, winch_w) = pipe()?;
        signal_hook::low_level::pipe::register(
            signal_hook::consts::SIGWINCH,
            winch_w.try_clone()?,
        )?;
        let tty = tty_fd()?;
        let shared = Arc::new((Mutex::new(Mode::Running), Condvar::new()));
        let s2 = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("tether-input".into())
            .spawn(move || run(tx, tty, wake_r, winch_r, s2))?;
        Ok(Input {
            wake: wake_w,
            _winch: winch_w,
            shared,
        })
    }

    fn set(&self, mode: Mode) {
        let (m, cv) = &*self.shared;
        if let Ok(mut g) = m.lock() {
            *g = mode;
        }
        cv.notify_all();
        // A full pipe already means "wake", so a failed write needs nothing more.
        let _ = rustix::io::write(&self.wake, &[1u8]);
    }

    /// Stop reading the terminal (before handing it to $EDITOR, or suspending); waits up to a
    /// second.
    pub fn pause(&self) {
        self.set(Mode::Pausing);
        let (m, cv) = &*self.shared;
        if let Ok(g) = m.lock() {
            let _ = cv.wait_timeout_while(g, Duration::from_secs(1), |mode| *mode != Mode::Paused);
        }
    }

    pub fn resume(&self) {
        self.set(Mode::Running);
    }

    pub fn stop(&self) {
        self.set(Mode::Stopping);
    }
}

fn run(
    tx: Sender<Event>,
    tty: OwnedFd,
    wake: OwnedFd,
    winch: OwnedFd,
    shared: Arc<(Mutex<Mode>, Condvar)>,
) {
    let (m, cv) = &*shared;
    loop {
        // Deliver everything crossterm can already parse, without blocking.
        while let Ok(true) = ct::poll(Duration::ZERO) {
            match ct::read() {
                Ok(ev) => {
                    let e = match ev {
                        ct::Event::Key(k) if k.kind == ct::KeyEventKind::Press => Event::Key(k),
                        _ => continue,
                    };
                    if tx.send(e).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
        let ready = wait_readable(&[tty.as_fd(), wake.as_fd(), winch.as_fd()]);
        if ready[2] {
            drain(winch.as_fd());
            // The event loop reads the size when it draws, so the last size is the one drawn.
            if tx.send(Event::Resize).is_err() {
                return;
            }
        }
        if ready[1] {
            drain(wake.as_fd());
            let Ok(mut g) = m.lock() else { return };
            match *g {
                Mode::Stopping => return,
                Mode::Pausing => {
                    *g = Mode::Paused;
                    cv.notify_all();
                    while *g == Mode::Paused || *g == Mode::Pausing {
                        g = match cv.wait(g) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                    if *g == Mode::Stopping {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}
