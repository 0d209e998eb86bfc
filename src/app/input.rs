//! The keyboard thread. It sleeps in poll(2) on the terminal and on a wake pipe, so an idle
//! dashboard costs no wake-ups, and it can be paused while $EDITOR owns the terminal (a blocked
//! read would otherwise steal the editor's first keystrokes).

use super::event::Event;
use ratatui::crossterm::event as ct;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
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
    shared: Arc<(Mutex<Mode>, Condvar)>,
}

fn pipe() -> std::io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 writes two valid descriptors into `fds` on success, which we then own.
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
    if r != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

fn tty_fd() -> std::io::Result<OwnedFd> {
    // crossterm reads stdin when it is a terminal, else /dev/tty; watch the same device.
    // SAFETY: isatty only inspects the descriptor.
    if unsafe { libc::isatty(0) } == 1 {
        let fd = std::io::stdin().as_raw_fd();
        // SAFETY: dup gives us our own descriptor for the same terminal.
        let d = unsafe { libc::dup(fd) };
        if d >= 0 {
            // SAFETY: `d` is a fresh descriptor we own.
            return Ok(unsafe { OwnedFd::from_raw_fd(d) });
        }
    }
    Ok(std::fs::File::open("/dev/tty")?.into())
}

fn wait_readable(fds: &[RawFd]) -> Vec<bool> {
    let mut pfds: Vec<libc::pollfd> = fds
        .iter()
        .map(|&fd| libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        })
        .collect();
    loop {
        // SAFETY: pfds is a valid array of pollfd for the duration of the call.
        let r = unsafe { libc::poll(pfds.as_mut_ptr(), pfds.len() as libc::nfds_t, -1) };
        if r >= 0 {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            break;
        }
    }
    pfds.iter().map(|p| p.revents != 0).collect()
}

fn drain(fd: RawFd) {
    let mut buf = [0u8; 64];
    // SAFETY: reading into a stack buffer from a non-blocking pipe we own.
    while unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) } > 0 {}
}

impl Input {
    /// Start the keyboard thread, sending keys and resizes to `tx`.
    pub fn start(tx: Sender<Event>) -> std::io::Result<Input> {
        let (wake_r, wake_w) = pipe()?;
        // A resize wakes us too; crossterm's own SIGWINCH pipe then yields Event::Resize.
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, wake_w.try_clone()?)?;
        let tty = tty_fd()?;
        let shared = Arc::new((Mutex::new(Mode::Running), Condvar::new()));
        let s2 = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("tether-input".into())
            .spawn(move || run(tx, tty, wake_r, s2))?;
        Ok(Input {
            wake: wake_w,
            shared,
        })
    }

    fn set(&self, mode: Mode) {
        let (m, cv) = &*self.shared;
        if let Ok(mut g) = m.lock() {
            *g = mode;
        }
        cv.notify_all();
        let b = [1u8];
        // SAFETY: writing one byte to our non-blocking pipe; a full pipe already means "wake".
        unsafe { libc::write(self.wake.as_raw_fd(), b.as_ptr().cast(), 1) };
    }

    /// Stop reading the terminal (before handing it to $EDITOR); waits up to a second.
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

fn run(tx: Sender<Event>, tty: OwnedFd, wake: OwnedFd, shared: Arc<(Mutex<Mode>, Condvar)>) {
    let (m, cv) = &*shared;
    loop {
        // Deliver everything crossterm can already parse, without blocking.
        while let Ok(true) = ct::poll(Duration::ZERO) {
            match ct::read() {
                Ok(ev) => {
                    let e = match ev {
                        ct::Event::Key(k) if k.kind == ct::KeyEventKind::Press => Event::Key(k),
                        ct::Event::Resize(_, _) => Event::Resize,
                        _ => continue,
                    };
                    if tx.send(e).is_err() {
                        return;
                    }
                }
                Err(_) => return,
            }
        }
        let ready = wait_readable(&[tty.as_raw_fd(), wake.as_raw_fd()]);
        if ready[1] {
            drain(wake.as_raw_fd());
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
