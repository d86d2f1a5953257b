//! The client-side rate limit: at most `max_requests_per_minute` requests in
//! any sliding window of [`WINDOW`], every method and retry counted, and, by
//! default, **shared by every process of the same account on this
//! host** through a small state file.
//!
//! Exotel counts 200 requests per minute per account. A token bucket with a
//! burst on top lets the first minute carry more than that, and separate
//! processes (Terragrunt `run-all`, parallel CI jobs) each believe they have
//! the whole minute; both end in 429 storms. Here a request starts the moment
//! the window has room (the first `N` at once, then each as the oldest one
//! leaves the window), and every process records its requests in one file
//! per account:
//!
//! * the file lives in a private (0700, owner-checked) folder under the
//!   user's cache directory, or a folder the configuration names, and is
//!   keyed by a hash of the base URL and account SID; it holds timestamps
//!   and limits, never a credential;
//! * it is read and rewritten under an advisory lock on a separate lock file
//!   (Windows locks are mandatory), taken with a bounded wait;
//! * processes with different limits share the smallest; a process with no
//!   limit (0) records its requests but never waits;
//! * entries from more than a minute in the future (a clock step) are
//!   discarded; a corrupt file, a lock held too long, a folder another user
//!   owns, or a read-only or full disk turn sharing off for this process,
//!   with one warning: it goes on with its own window, never an error or a
//!   hang.
//!
//! Wall-clock times are the process's start time plus its monotonic clock,
//! so a clock step during a run does not move this process's own entries.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The window one limit applies to: a minute, plus a margin against latency
/// jitter (a request sent at the very end of our window must not arrive
/// inside the API's previous minute).
pub const WINDOW: Duration = Duration::from_millis(60_250);
/// How long a process waits for the shared lock before it stops sharing.
const LOCK_WAIT: Duration = Duration::from_secs(2);
/// The most entries one state file may hold (a file with more is corrupt).
const MAX_ENTRIES: usize = 100_000;
/// The first line of a state file.
const HEADER: &str = "exotel-rate-window 1";

/// Where the shared window lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sharing {
    /// Not shared: this process's own window only.
    Off,
    /// In `<app>/rate-limit` under the user's cache folder (see
    /// [`default_dir`]): every process naming the same `app` shares.
    UserCache(String),
    /// In this folder (for example a volume shared by containers).
    Dir(PathBuf),
}

/// The folder an application's shared windows live in: `<app>/rate-limit`
/// under the user's cache directory, else a per-user folder in the temporary directory.
pub fn default_dir(app: &str) -> PathBuf {
    match cache_dir() {
        Some(c) => c.join(app).join("rate-limit"),
        None => std::env::temp_dir().join(format!("{app}-{}", user_tag())).join("rate-limit"),
    }
}

/// The user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`).
#[cfg(not(windows))]
fn cache_dir() -> Option<PathBuf> {
    dirs::cache_dir()
}

/// `%LOCALAPPDATA%`, which every Windows user session sets. (`dirs` asks the
/// shell's known-folder API instead, whose import of `combase.dll` the
/// release's Windows import check does not allow.)
#[cfg(windows)]
fn cache_dir() -> Option<PathBuf> {
    std::env::var_os("LOCALAPPDATA").filter(|v| !v.is_empty()).map(PathBuf::from)
}

#[cfg(unix)]
fn user_tag() -> String {
    rustix::process::geteuid().as_raw().to_string()
}

#[cfg(not(unix))]
fn user_tag() -> String {
    std::env::var("USERNAME").unwrap_or_else(|_| "user".into())
}

/// The state file's name for one account of one API: a hash, so that the
/// folder says nothing about the account.
pub fn file_key(base_url: &str, account_sid: &str) -> String {
    let d = aws_lc_rs::digest::digest(
        &aws_lc_rs::digest::SHA256,
        format!("{}\n{account_sid}", base_url.trim_end_matches('/')).as_bytes(),
    );
    hex::encode(&d.as_ref()[..16])
}

/// The wall clock (ms since the Unix epoch) and the monotonic instant it
/// was read at: the closest of a few tries, so that a preemption between the
/// two reads does not skew this process's entries against the others'.
fn clock_pair() -> (u64, Instant) {
    let mut best: Option<(Duration, u64, Instant)> = None;
    for _ in 0..5 {
        let before = Instant::now();
        let wall = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0);
        let gap = before.elapsed();
        if best.is_none_or(|(g, ..)| gap < g) {
            best = Some((gap, wall, before + gap / 2));
        }
        if gap < Duration::from_micros(100) {
            break;
        }
    }
    let (_, wall, at) = best.unwrap_or((Duration::ZERO, 0, Instant::now()));
    (wall, at)
}

/// Why sharing stopped (the one warning's text).
#[derive(Debug)]
struct Trouble(String);

/// One entry: when a request started (ms since the Unix epoch) and the limit
/// of the process that sent it (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    at: u64,
    limit: u32,
}

fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut lines = text.lines();
    match lines.next() {
        None => return Ok(vec![]),
        Some(HEADER) => {}
        Some(_) => return Err("its first line is not the expected header".into()),
    }
    let mut out = Vec::new();
    for (n, line) in lines.enumerate() {
        if out.len() >= MAX_ENTRIES {
            return Err(format!("it holds more than {MAX_ENTRIES} entries"));
        }
        let mut f = line.split(' ');
        let (Some(at), Some(limit), None) = (f.next(), f.next(), f.next()) else {
            return Err(format!("line {} is not `<ms> <limit>`", n + 2));
        };
        let (Ok(at), Ok(limit)) = (at.parse(), limit.parse()) else {
            return Err(format!("line {} is not `<ms> <limit>`", n + 2));
        };
        out.push(Entry { at, limit });
    }
    Ok(out)
}

fn render(entries: &[Entry]) -> String {
    let mut s = String::with_capacity(HEADER.len() + 1 + entries.len() * 20);
    s.push_str(HEADER);
    s.push('\n');
    for e in entries {
        s.push_str(&format!("{} {}\n", e.at, e.limit));
    }
    s
}

/// What one look at a window decided.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Recorded: send now.
    Go,
    /// Full: look again after this long.
    Wait(Duration),
}

/// The sliding-window rule over entries (oldest first) that are all inside
/// the window ending at `now`: with `limit` (0: none) the request may start
/// when fewer than `limit` are there; otherwise when the oldest that must
/// leave has left.
fn decide(times: &[u64], now: u64, limit: u32) -> Verdict {
    let limit = limit as usize;
    if limit == 0 || times.len() < limit {
        return Verdict::Go;
    }
    let must_leave = times[times.len() - limit];
    let window = WINDOW.as_millis() as u64;
    Verdict::Wait(Duration::from_millis((must_leave + window).saturating_sub(now).max(1)))
}

/// The state file of one account, and the lock file beside it.
struct SharedFile {
    path: PathBuf,
    lock: File,
}

impl SharedFile {
    fn open(dir: &Path, key: &str) -> Result<SharedFile, Trouble> {
        let trouble = |what: &str, e: &dyn std::fmt::Display| Trouble(format!("{what} {}: {e}", dir.display()));
        if !dir.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
            b.create(dir).map_err(|e| trouble("cannot create the folder", &e))?;
        }
        check_private(dir)?;
        let lock_path = dir.join(format!("{key}.lock"));
        let lock = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(|e| trouble("cannot open the lock file in", &e))?;
        check_owner(&lock_path)?;
        Ok(SharedFile { path: dir.join(format!("{key}.window")), lock })
    }

    /// Takes the lock (waiting at most [`LOCK_WAIT`]), then runs `f` on the
    /// entries and writes back what it leaves.
    fn with_entries<T>(&self, f: impl FnOnce(&mut Vec<Entry>) -> T) -> Result<T, Trouble> {
        let started = std::time::Instant::now();
        loop {
            match self.lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Trouble(format!(
                        "another process held the lock on {} for more than {} s",
                        self.path.display(),
                        LOCK_WAIT.as_secs()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Trouble(format!("cannot lock {}: {e}", self.path.display())));
                }
            }
        }
        let result = self.locked(f);
        let _ = self.lock.unlock();
        result
    }

    fn locked<T>(&self, f: impl FnOnce(&mut Vec<Entry>) -> T) -> Result<T, Trouble> {
        let mut text = String::new();
        match File::open(&self.path) {
            Ok(file) => {
                check_owner(&self.path)?;
                // One byte more than the largest valid file tells a larger one.
                let cap = (MAX_ENTRIES as u64 + 2) * 32;
                file.take(cap)
                    .read_to_string(&mut text)
                    .map_err(|e| Trouble(format!("cannot read {}: {e}", self.path.display())))?;
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Trouble(format!("cannot read {}: {e}", self.path.display()))),
        }
        let mut entries = match parse(&text) {
            Ok(v) => v,
            Err(why) => {
                // Replaced by an empty window, so that the next run shares
                // again; this process stops sharing (it cannot know what the
                // file meant to say).
                let _ = self.write(&[]);
                return Err(Trouble(format!("{} is corrupt ({why}); it was reset", self.path.display())));
            }
        };
        let out = f(&mut entries);
        self.write(&entries)?;
        Ok(out)
    }

    /// Replaces the file at once (a new file renamed over it): a reader never
    /// sees half of it.
    fn write(&self, entries: &[Entry]) -> Result<(), Trouble> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let fail = |e: &dyn std::fmt::Display| Trouble(format!("cannot write {}: {e}", self.path.display()));
        let mut tmp = tempfile::Builder::new().prefix(".window").tempfile_in(dir).map_err(|e| fail(&e))?;
        tmp.write_all(render(entries).as_bytes()).map_err(|e| fail(&e))?;
        tmp.persist(&self.path).map_err(|e| fail(&e.error))?;
        Ok(())
    }
}

#[cfg(unix)]
fn check_private(dir: &Path) -> Result<(), Trouble> {
    use std::os::unix::fs::MetadataExt;
    check_owner(dir)?;
    let meta = std::fs::metadata(dir).map_err(|e| Trouble(format!("cannot read {}: {e}", dir.display())))?;
    if meta.mode() & 0o077 != 0 {
        return Err(Trouble(format!(
            "{} can be read or written by other users (mode {:o}); make it 0700 to share the rate limit",
            dir.display(),
            meta.mode() & 0o777
        )));
    }
    Ok(())
}

#[cfg(unix)]
fn check_owner(path: &Path) -> Result<(), Trouble> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| Trouble(format!("cannot read {}: {e}", path.display())))?;
    let me = rustix::process::geteuid().as_raw();
    if meta.uid() != me {
        return Err(Trouble(format!("{} belongs to another user (uid {}, not {me})", path.display(), meta.uid())));
    }
    Ok(())
}

/// Windows: the default folder is under the user's own profile, which its
/// ACL keeps private; ownership is not checked.
#[cfg(not(unix))]
fn check_private(_dir: &Path) -> Result<(), Trouble> {
    Ok(())
}

#[cfg(not(unix))]
fn check_owner(_path: &Path) -> Result<(), Trouble> {
    Ok(())
}

enum SharedState {
    Off,
    On(SharedFile),
}

/// The limiter of one client (see the module documentation).
pub struct Limiter {
    /// `max_requests_per_minute`; 0: no limit (requests are still recorded
    /// in the shared window).
    per_minute: u32,
    /// This process's own requests inside the window, oldest first (ms on
    /// the same clock as the shared window's entries).
    local: Mutex<VecDeque<u64>>,
    shared: Mutex<SharedState>,
    /// The wall clock at `started`, in ms since the Unix epoch.
    epoch_ms: u64,
    started: Instant,
    /// Warnings for the user, taken by the next RPC that answers.
    notices: Mutex<Vec<String>>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter").field("per_minute", &self.per_minute).finish_non_exhaustive()
    }
}

impl Limiter {
    /// A limiter of `per_minute` requests per window (0: none), shared as
    /// `sharing` says for the account `key` (see [`file_key`]).
    pub fn new(per_minute: u32, sharing: &Sharing, key: &str) -> Limiter {
        let (epoch_ms, started) = clock_pair();
        Self::with_clock(per_minute, sharing, key, epoch_ms, started)
    }

    /// [`Limiter::new`] with the wall clock `epoch_ms` read at `started`.
    fn with_clock(per_minute: u32, sharing: &Sharing, key: &str, epoch_ms: u64, started: Instant) -> Limiter {
        let l = Limiter {
            per_minute,
            local: Mutex::new(VecDeque::new()),
            shared: Mutex::new(SharedState::Off),
            epoch_ms,
            started,
            notices: Mutex::new(Vec::new()),
        };
        let dir = match sharing {
            Sharing::Off => return l,
            Sharing::UserCache(app) => default_dir(app),
            Sharing::Dir(d) => d.clone(),
        };
        match SharedFile::open(&dir, key) {
            Ok(f) => {
                tracing::debug!(file = %f.path.display(), "rate limit shared through this file");
                *l.shared.lock().unwrap_or_else(|e| e.into_inner()) = SharedState::On(f);
            }
            Err(t) => l.stop_sharing(t),
        }
        l
    }

    /// Whether the window is shared with other processes (false once
    /// sharing stopped).
    #[cfg(test)]
    pub fn is_shared(&self) -> bool {
        matches!(*self.shared.lock().unwrap_or_else(|e| e.into_inner()), SharedState::On(_))
    }

    fn stop_sharing(&self, t: Trouble) {
        let text = format!(
            "The rate limit is not shared with other processes of this account: {}. This process keeps its own limit of max_requests_per_minute; other processes' requests are not counted.",
            t.0
        );
        tracing::warn!("{text}");
        self.notices.lock().unwrap_or_else(|e| e.into_inner()).push(text);
    }

    /// Warnings not yet shown to the user.
    pub fn take_notices(&self) -> Vec<String> {
        std::mem::take(&mut *self.notices.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn wall_ms(&self, now: Instant) -> u64 {
        self.epoch_ms + now.saturating_duration_since(self.started).as_millis() as u64
    }

    /// Waits until a request may start, and records it. Cancel-safe: a
    /// dropped wait records nothing.
    pub async fn acquire(&self) {
        while let Verdict::Wait(d) = self.turn(Instant::now()) {
            tokio::time::sleep(d.min(WINDOW)).await;
        }
    }

    /// Whether a request may start at `now`: if so it is recorded (in the
    /// shared window and this process's own), otherwise how long to wait
    /// before asking again.
    fn turn(&self, now: Instant) -> Verdict {
        let now = self.wall_ms(now);
        match self.shared_turn(now) {
            Some(Verdict::Go) => {
                self.local_turn(now, true);
                Verdict::Go
            }
            Some(wait) => wait,
            None => self.local_turn(now, false),
        }
    }

    /// The shared window's verdict, recording the request on `Go`; `None`
    /// when the window is not shared.
    fn shared_turn(&self, now: u64) -> Option<Verdict> {
        let mut st = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        let SharedState::On(file) = &*st else { return None };
        let own = self.per_minute;
        let window = WINDOW.as_millis() as u64;
        let mut future = false;
        let r = file.with_entries(|entries| {
            let before = entries.len();
            entries.retain(|e| e.at <= now + 60_000);
            future = entries.len() != before;
            entries.retain(|e| e.at + window > now);
            entries.sort_by_key(|e| e.at);
            let limit = entries.iter().map(|e| e.limit).chain([own]).filter(|l| *l > 0).min().unwrap_or(0);
            let v = if own == 0 {
                Verdict::Go
            } else {
                decide(&entries.iter().map(|e| e.at).collect::<Vec<_>>(), now, limit)
            };
            if v == Verdict::Go {
                entries.push(Entry { at: now, limit: own });
            }
            v
        });
        if future {
            tracing::warn!(
                "the shared rate-limit window held requests from more than a minute ahead (a clock step?); they were discarded"
            );
        }
        match r {
            Ok(v) => Some(v),
            Err(t) => {
                *st = SharedState::Off;
                drop(st);
                self.stop_sharing(t);
                None
            }
        }
    }

    /// This process's own window, by the same rule ([`decide`]): records
    /// the request when it may start (always when `force`).
    fn local_turn(&self, now: u64, force: bool) -> Verdict {
        let window = WINDOW.as_millis() as u64;
        let mut q = self.local.lock().unwrap_or_else(|e| e.into_inner());
        while q.front().is_some_and(|t| t + window <= now) {
            q.pop_front();
        }
        let v = if force { Verdict::Go } else { decide(q.make_contiguous(), now, self.per_minute) };
        if v == Verdict::Go && self.per_minute > 0 {
            q.push_back(now);
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A discrete-event run of `acquire`: each `(limiter, when)` asks to
    /// start at `when` (from `t0`) and asks again after every wait it is
    /// told; returns when each started, sorted. Time is simulated, so the
    /// bounds are checked exactly.
    fn run(ls: &[&Limiter], wants: &[(usize, Duration)]) -> Vec<Duration> {
        let t0 = ls.iter().map(|l| l.started).max().unwrap();
        let mut queue: std::collections::BinaryHeap<std::cmp::Reverse<(Duration, usize)>> =
            wants.iter().map(|&(i, at)| std::cmp::Reverse((at, i))).collect();
        let mut out = vec![];
        while let Some(std::cmp::Reverse((at, i))) = queue.pop() {
            match ls[i].turn(t0 + at) {
                Verdict::Go => out.push(at),
                Verdict::Wait(d) => queue.push(std::cmp::Reverse((at + d.min(WINDOW), i))),
            }
        }
        out.sort();
        out
    }

    fn at_once(limiter: usize, n: usize) -> Vec<(usize, Duration)> {
        vec![(limiter, Duration::ZERO); n]
    }

    /// The most starts inside any window of [`WINDOW`].
    fn most_in_any_window(times: &[Duration]) -> usize {
        (0..times.len()).map(|i| times[i..].iter().take_while(|t| **t < times[i] + WINDOW).count()).max().unwrap_or(0)
    }

    #[test]
    fn never_more_than_the_limit_in_any_window_and_no_capacity_wasted() {
        let l = Limiter::new(200, &Sharing::Off, "k");
        let t = run(&[&l], &at_once(0, 650));
        assert_eq!(t.len(), 650);
        assert!(most_in_any_window(&t) <= 200, "{} in one window", most_in_any_window(&t));
        // The first 200 start at once; each later one the moment the one
        // 200 places before it leaves the window: no burst, no idle time.
        assert!(t[..200].iter().all(|d| d.is_zero()));
        for i in 200..650 {
            assert!(t[i] >= t[i - 200] + WINDOW, "request {i} started early");
            assert!(t[i] <= t[i - 200] + WINDOW + Duration::from_millis(1), "request {i} waited too long");
        }
    }

    #[test]
    fn requests_spread_over_time_are_never_delayed() {
        let l = Limiter::new(200, &Sharing::Off, "k");
        let wants: Vec<_> = (0..400u32).map(|i| (0, Duration::from_millis(302) * i)).collect();
        let t = run(&[&l], &wants);
        assert_eq!(t, wants.iter().map(|w| w.1).collect::<Vec<_>>());
    }

    #[test]
    fn zero_means_no_limit() {
        let l = Limiter::new(0, &Sharing::Off, "k");
        assert!(run(&[&l], &at_once(0, 1000)).iter().all(|d| d.is_zero()));
    }

    #[tokio::test]
    async fn acquire_waits_for_the_window() {
        let l = Limiter::new(2, &Sharing::Off, "k");
        let t0 = Instant::now();
        l.acquire().await;
        l.acquire().await;
        assert!(t0.elapsed() < Duration::from_secs(1));
        // The third would wait a whole window: it is still waiting a moment later.
        assert!(tokio::time::timeout(Duration::from_millis(200), l.acquire()).await.is_err());
    }

    #[test]
    fn processes_sharing_a_folder_share_one_window() {
        let dir = tempfile::tempdir().unwrap();
        let sharing = Sharing::Dir(dir.path().join("rl"));
        // Three "processes": three limiters on one file, reading one clock
        // (on a host they read the same system clock; the 250 ms margin
        // covers what separates their readings).
        let (wall, at) = clock_pair();
        let ls: Vec<Limiter> = (0..3).map(|_| Limiter::with_clock(200, &sharing, "acct", wall, at)).collect();
        assert!(ls.iter().all(|l| l.is_shared()));
        let refs: Vec<&Limiter> = ls.iter().collect();
        let wants: Vec<_> = (0..3).flat_map(|i| at_once(i, 130)).collect();
        let all = run(&refs, &wants);
        assert_eq!(all.len(), 390);
        assert!(most_in_any_window(&all) <= 200, "{} in one window", most_in_any_window(&all));
        assert!(all[..200].iter().all(|d| d.is_zero()), "the first 200 start at once");
        assert!(all[200] >= WINDOW);
        assert!(all[389] < WINDOW + Duration::from_millis(20), "capacity was wasted: last at {:?}", all[389]);
        assert!(ls.iter().all(|l| l.take_notices().is_empty()));
    }

    #[test]
    fn the_smallest_limit_wins_and_an_unlimited_process_is_counted() {
        let dir = tempfile::tempdir().unwrap();
        let sharing = Sharing::Dir(dir.path().join("rl"));
        let (wall, at) = clock_pair();
        let free = Limiter::with_clock(0, &sharing, "acct", wall, at);
        let small = Limiter::with_clock(50, &sharing, "acct", wall, at);
        // The unlimited one sends 40 at once, never waiting.
        assert!(run(&[&free, &small], &at_once(0, 40)).iter().all(|d| d.is_zero()));
        // The one with 50 gets the 10 the window has left, then waits.
        let t = run(&[&free, &small], &at_once(1, 20));
        assert_eq!(t.iter().filter(|d| d.is_zero()).count(), 10);
        assert!(t[10] >= WINDOW);
    }

    #[test]
    fn a_corrupt_file_is_reset_and_this_process_goes_on_alone_with_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        let rl = dir.path().join("rl");
        let sharing = Sharing::Dir(rl.clone());
        let key = "acct";
        Limiter::new(10, &sharing, key); // creates the folder
        std::fs::write(rl.join(format!("{key}.window")), "garbage\n1 2 3\n").unwrap();
        let l = Limiter::new(10, &sharing, key);
        let t = run(&[&l], &at_once(0, 15));
        assert_eq!(t.iter().filter(|d| d.is_zero()).count(), 10, "its own window still holds");
        let notes = l.take_notices();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("corrupt"), "{}", notes[0]);
        assert!(!l.is_shared());
        // The next process shares again.
        let next = Limiter::new(10, &sharing, key);
        assert!(next.is_shared());
        assert_eq!(run(&[&next], &at_once(0, 1)).len(), 1);
        assert!(next.take_notices().is_empty());
    }

    #[test]
    fn future_entries_are_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let rl = dir.path().join("rl");
        let sharing = Sharing::Dir(rl.clone());
        Limiter::new(5, &sharing, "acct"); // creates the folder
        let far = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64 + 3_600_000;
        std::fs::write(rl.join("acct.window"), render(&[Entry { at: far, limit: 5 }; 5])).unwrap();
        let l = Limiter::new(5, &sharing, "acct");
        let t = run(&[&l], &at_once(0, 5));
        assert!(t.iter().all(|d| d.is_zero()), "the future entries still counted: {t:?}");
        assert!(l.is_shared());
    }

    #[test]
    fn a_state_file_that_cannot_be_written_means_one_warning_and_the_own_window() {
        let dir = tempfile::tempdir().unwrap();
        let rl = dir.path().join("rl");
        let l = Limiter::new(3, &Sharing::Dir(rl.clone()), "acct");
        assert!(l.is_shared());
        // A folder where the state file should be: it can be neither read
        // nor replaced (whoever runs the test, root included).
        std::fs::create_dir_all(rl.join("acct.window").join("x")).unwrap();
        let t = run(&[&l], &at_once(0, 5));
        assert_eq!(t.iter().filter(|d| d.is_zero()).count(), 3);
        let notes = l.take_notices();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("cannot read") || notes[0].contains("cannot write"), "{}", notes[0]);
        assert!(!l.is_shared());
    }

    #[test]
    fn a_cache_folder_that_cannot_be_created_means_one_warning() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        let l = Limiter::new(3, &Sharing::Dir(file.join("rl")), "acct");
        assert!(!l.is_shared());
        let notes = l.take_notices();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].contains("cannot create the folder"), "{}", notes[0]);
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_others_can_write_is_not_used() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let l = Limiter::new(3, &Sharing::Dir(dir.path().to_path_buf()), "acct");
        assert!(!l.is_shared());
        assert!(l.take_notices()[0].contains("other users"));
    }

    #[test]
    fn the_file_key_names_neither_the_account_nor_the_url() {
        let k = file_key("https://api.exotel.com/", "acme1");
        assert_eq!(k, file_key("https://api.exotel.com", "acme1"));
        assert_ne!(k, file_key("https://api.in.exotel.com", "acme1"));
        assert_eq!(k.len(), 32);
        assert!(!k.contains("acme") && k.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    #[test]
    fn the_state_file_round_trips_and_rejects_garbage() {
        let e = vec![Entry { at: 1, limit: 200 }, Entry { at: 2, limit: 0 }];
        assert_eq!(parse(&render(&e)).unwrap(), e);
        assert_eq!(parse("").unwrap(), vec![]);
        assert!(parse("nope\n").is_err());
        assert!(parse(&format!("{HEADER}\n1 x\n")).is_err());
        assert!(parse(&format!("{HEADER}\n1 2 3\n")).is_err());
    }
}
