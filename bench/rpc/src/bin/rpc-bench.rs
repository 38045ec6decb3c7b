//! `rpc-bench`: the RPC benchmark of BENCHMARKS.md. Echoes a `GameMessage`
//! with gscluster (plain and encrypted), tarpc, tonic and a hand-written
//! multiplexer, client and server on one tokio current-thread runtime, at 1
//! and 64 calls in flight, in rounds that interleave the systems; then
//! measures the server-side memory of 1,000 idle connections. Prints each
//! sample, then the medians over the rounds and the goals.
//!
//! ```text
//! cargo run --release --bin rpc-bench -- [--rounds 5] [--warmup 2] [--secs 3]
//!     [--systems gscluster,tarpc,...] [--inflight 1,64] [--idle 1000]
//!     [--no-idle] [--idle-only] [--alloc-sizes]
//! ```
//!
//! `--alloc-sizes` adds, after each sample, its allocations per call by
//! size class. Single configurations are for profiling, e.g.
//!
//! ```text
//! perf record -g target/release/rpc-bench --rounds 1 --systems gscluster --inflight 64 --no-idle
//! ```

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use gscluster_rpc_bench::harness::Sample;
use gscluster_rpc_bench::idle::{self, IdleSample};
use gscluster_rpc_bench::load;
use gscluster_rpc_bench::systems::{System, measure};

struct Args {
    rounds: usize,
    warmup: Duration,
    window: Duration,
    systems: Vec<System>,
    inflight: Vec<usize>,
    idle: usize,
    run_load: bool,
    run_idle: bool,
    alloc_sizes: bool,
}

const USAGE: &str = "usage: rpc-bench [--rounds N] [--warmup SECS] [--secs SECS] \
[--systems gscluster,gscluster-enc,gscluster-profiled,tarpc,tonic,mux] [--inflight 1,64] [--idle N] [--no-idle] [--idle-only] [--alloc-sizes]";

fn parse() -> Result<Args, String> {
    let mut a = Args {
        rounds: 5,
        warmup: Duration::from_secs(2),
        window: Duration::from_secs(3),
        systems: System::ALL.to_vec(),
        inflight: vec![1, 64],
        idle: 1000,
        run_load: true,
        run_idle: true,
        alloc_sizes: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = || it.next().ok_or(format!("{arg} needs a value"));
        let secs = |v: String| {
            v.parse::<f64>()
                .map(Duration::from_secs_f64)
                .map_err(|e| format!("{v}: {e}"))
        };
        match arg.as_str() {
            "--rounds" => a.rounds = value()?.parse().map_err(|e| format!("--rounds: {e}"))?,
            "--warmup" => a.warmup = secs(value()?)?,
            "--secs" => a.window = secs(value()?)?,
            "--systems" => {
                a.systems = value()?
                    .split(',')
                    .map(|s| System::from_name(s).ok_or(format!("no system {s:?}")))
                    .collect::<Result<_, _>>()?;
            }
            "--inflight" => {
                a.inflight = value()?
                    .split(',')
                    .map(|s| s.parse().map_err(|e| format!("--inflight {s}: {e}")))
                    .collect::<Result<_, _>>()?;
            }
            "--idle" => a.idle = value()?.parse().map_err(|e| format!("--idle: {e}"))?,
            "--no-idle" => a.run_idle = false,
            "--idle-only" => a.run_load = false,
            "--alloc-sizes" => a.alloc_sizes = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(a)
}

fn us(ns: u64) -> String {
    format!("{:.1}", ns as f64 / 1000.0)
}

fn kcalls(rate: f64) -> String {
    format!("{:.1}k", rate / 1000.0)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn range(v: &[f64]) -> (f64, f64) {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo, hi)
}

/// One sample, with the machine's other load while it ran.
struct Run {
    sample: Sample,
    others: f64,
}

fn run_one(system: System, inflight: usize, a: &Args) -> Run {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mark = load::Mark::now();
    let sample = rt.block_on(measure(system, inflight, a.warmup, a.window));
    let (others, _own) = mark.since();
    drop(rt);
    Run { sample, others }
}

type Key = (System, usize);

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    if argv.next().as_deref() == Some("idle-server") {
        let Some(system) = argv.next().as_deref().and_then(System::from_name) else {
            eprintln!("usage: rpc-bench idle-server SYSTEM");
            return ExitCode::FAILURE;
        };
        idle::serve_child(system);
        return ExitCode::SUCCESS;
    }
    let a = match parse() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
    };
    println!(
        "rpc-bench: {} round(s), {:?} warm-up + {:?} per sample; load average at start: {}",
        a.rounds,
        a.warmup,
        a.window,
        load::loadavg()
    );
    let mut runs: BTreeMap<Key, Vec<Run>> = BTreeMap::new();
    if a.run_load {
        let configs: Vec<Key> = a
            .inflight
            .iter()
            .flat_map(|&n| a.systems.iter().map(move |&s| (s, n)))
            .collect();
        println!(
            "\n{:<6} {:<14} {:>8} {:>11} {:>9} {:>9} {:>12} {:>14}",
            "round",
            "system",
            "inflight",
            "calls/s",
            "p50 µs",
            "p99 µs",
            "allocs/call",
            "others (cores)"
        );
        for round in 0..a.rounds {
            // Rotate the order every round so that no system always runs
            // first (or right after the same neighbour).
            let k = round % configs.len().max(1);
            for &(system, inflight) in configs[k..].iter().chain(&configs[..k]) {
                let run = run_one(system, inflight, &a);
                let s = &run.sample;
                println!(
                    "{:<6} {:<14} {:>8} {:>11.0} {:>9} {:>9} {:>12.1} {:>14.2}",
                    round + 1,
                    system.name(),
                    inflight,
                    s.rate(),
                    us(s.p50_ns),
                    us(s.p99_ns),
                    s.allocs_per_call,
                    run.others
                );
                if a.alloc_sizes {
                    print_classes(&run.sample);
                }
                runs.entry((system, inflight)).or_default().push(run);
            }
        }
        print_summary(&a, &runs);
    }
    let mut idle_results = Vec::new();
    if a.run_idle {
        println!(
            "\nidle connections, server side, bytes per connection (resident set / live heap):"
        );
        println!(
            "{:<14} {:>22} {:>22} {:>22}",
            "system",
            format!("{} handshakes", a.idle),
            "after one call each",
            format!("{} more handshakes", a.idle)
        );
        // A profiled connection is a plain one: its idle cost is the same.
        for &system in a
            .systems
            .iter()
            .filter(|&&s| s != System::GsclusterProfiled)
        {
            let s = idle::measure(system, a.idle, Duration::from_millis(500));
            let cell = |p: idle::PerConn| format!("{:.0} / {:.0}", p.rss, p.heap);
            println!(
                "{:<14} {:>22} {:>22} {:>22}",
                system.name(),
                cell(s.handshake),
                cell(s.after_call),
                cell(s.marginal)
            );
            idle_results.push((system, s));
        }
    }
    print_goals(&a, &runs, &idle_results);
    println!("\nload average at end: {}", load::loadavg());
    ExitCode::SUCCESS
}

fn print_classes(s: &Sample) {
    let mut parts = Vec::new();
    let mut lower = 0;
    for (i, &n) in s.allocs_by_class.iter().enumerate() {
        let upper = gscluster_rpc_bench::alloc::class_limit(i);
        if n >= 0.05 {
            parts.push(match upper {
                Some(u) => format!("{}–{u} B: {n:.1}", lower + 1),
                None => format!("> {lower} B: {n:.1}"),
            });
        }
        lower = upper.unwrap_or(lower);
    }
    println!("       allocations per call by size: {}", parts.join(", "));
}

fn print_summary(a: &Args, runs: &BTreeMap<Key, Vec<Run>>) {
    println!(
        "\nMedians over {} round(s) (range of calls/s over the rounds):\n",
        a.rounds
    );
    println!(
        "| system | in flight | calls/s | range | p50 | p99 | allocs/call | × tarpc | others (cores) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for &n in &a.inflight {
        for &system in &a.systems {
            let Some(rs) = runs.get(&(system, n)) else {
                continue;
            };
            let mut rates: Vec<f64> = rs.iter().map(|r| r.sample.rate()).collect();
            let (lo, hi) = range(&rates);
            let rate = median(&mut rates);
            let mut p50: Vec<f64> = rs.iter().map(|r| r.sample.p50_ns as f64).collect();
            let mut p99: Vec<f64> = rs.iter().map(|r| r.sample.p99_ns as f64).collect();
            let mut allocs: Vec<f64> = rs.iter().map(|r| r.sample.allocs_per_call).collect();
            let mut others: Vec<f64> = rs.iter().map(|r| r.others).collect();
            let vs_tarpc = ratios(runs, (system, n), (System::Tarpc, n))
                .map(|mut v| format!("{:.2}", median(&mut v)))
                .unwrap_or_else(|| "—".into());
            println!(
                "| {} | {} | {} | {}–{} | {} µs | {} µs | {:.1} | {} | {:.2} |",
                system.name(),
                n,
                kcalls(rate),
                kcalls(lo),
                kcalls(hi),
                us(median(&mut p50) as u64),
                us(median(&mut p99) as u64),
                median(&mut allocs),
                vs_tarpc,
                median(&mut others),
            );
        }
    }
}

/// The per-round ratios of `a`'s calls/s to `b`'s (both ran in each round).
fn ratios(runs: &BTreeMap<Key, Vec<Run>>, a: Key, b: Key) -> Option<Vec<f64>> {
    let (ra, rb) = (runs.get(&a)?, runs.get(&b)?);
    let v: Vec<f64> = ra
        .iter()
        .zip(rb)
        .map(|(x, y)| x.sample.rate() / y.sample.rate())
        .collect();
    (!v.is_empty()).then_some(v)
}

fn print_goals(a: &Args, runs: &BTreeMap<Key, Vec<Run>>, idle: &[(System, IdleSample)]) {
    println!("\nGoals (median of the per-round ratios, range over the rounds):\n");
    println!("| goal | ratio | range | limit | |");
    println!("| --- | ---: | ---: | ---: | --- |");
    let goal = |name: &str, v: Option<Vec<f64>>, limit: f64, at_least: bool, unit: &str| {
        let Some(mut v) = v else {
            return;
        };
        let (lo, hi) = range(&v);
        let m = median(&mut v);
        let met = if at_least { m >= limit } else { m <= limit };
        println!(
            "| {name} | {m:.2}{unit} | {lo:.2}–{hi:.2} | {} {limit}{unit} | {} |",
            if at_least { "≥" } else { "≤" },
            if met { "**met**" } else { "**not met**" }
        );
    };
    let gs = System::Gscluster;
    goal(
        "gscluster / tarpc, 64 in flight",
        ratios(runs, (gs, 64), (System::Tarpc, 64)),
        3.0,
        true,
        "×",
    );
    goal(
        "hand-written multiplexer / gscluster, 64 in flight",
        ratios(runs, (System::Mux, 64), (gs, 64)),
        1.3,
        false,
        "×",
    );
    goal(
        "gscluster / tarpc, 1 in flight",
        ratios(runs, (gs, 1), (System::Tarpc, 1)),
        1.5,
        true,
        "×",
    );
    for &n in &a.inflight {
        goal(
            &format!("encrypted / plain gscluster, {n} in flight"),
            ratios(runs, (System::GsclusterEncrypted, n), (gs, n)),
            0.7,
            true,
            "×",
        );
    }
    goal(
        "profiled (Prometheus recorder) / plain gscluster, 64 in flight",
        ratios(runs, (System::GsclusterProfiled, 64), (gs, 64)),
        0.9,
        true,
        "×",
    );
    for (system, s) in idle {
        if matches!(system, System::Gscluster | System::GsclusterEncrypted) {
            goal(
                &format!(
                    "{}: server memory (RSS) per idle connection, after one call on it (after the handshake only: {:.1} KiB)",
                    system.name(),
                    s.handshake.rss / 1024.0
                ),
                Some(vec![s.after_call.rss / 1024.0]),
                16.0,
                false,
                " KiB",
            );
        }
    }
}
