//! How busy the machine was with other work while a sample ran: the CPU
//! time of every process (`/proc/stat`) less this process's own
//! (`/proc/self/stat`), in cores, averaged over the sample.

use std::time::Instant;

/// Clock ticks per second of `/proc` times (`getconf CLK_TCK`: 100 on Linux).
const TICKS: f64 = 100.0;

fn machine_busy_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    let v: Vec<u64> = cpu
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    Some(v.first()? + v.get(1)? + v.get(2)? + v.get(5)? + v.get(6)? + v.get(7)?)
}

fn own_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name in parentheses: field 14 is utime, 15 stime.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// A reading to compare a later one with.
#[derive(Clone, Copy, Debug)]
pub struct Mark {
    at: Instant,
    busy: Option<u64>,
    own: Option<u64>,
}

impl Mark {
    /// Now.
    pub fn now() -> Mark {
        Mark {
            at: Instant::now(),
            busy: machine_busy_ticks(),
            own: own_ticks(),
        }
    }

    /// The cores used by other processes since `self`, and by this one.
    pub fn since(&self) -> (f64, f64) {
        let now = Mark::now();
        let secs = (now.at - self.at).as_secs_f64().max(1e-3);
        match (self.busy, now.busy, self.own, now.own) {
            (Some(b0), Some(b1), Some(o0), Some(o1)) => {
                let own = (o1 - o0) as f64 / TICKS / secs;
                let all = (b1 - b0) as f64 / TICKS / secs;
                ((all - own).max(0.0), own)
            }
            _ => (f64::NAN, f64::NAN),
        }
    }
}

/// `/proc/loadavg`'s first three fields.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}
