//! A light open-loop HTTP/1.1 load generator, for latency at a fixed rate.
//!
//! Closed-loop tools (wrk) send the next request as soon as one is answered,
//! so they always drive the server to saturation, and their p99 is the p99 of
//! a saturated machine. This sends at a fixed rate instead, spread over `-c`
//! connections each on its own schedule, and measures every latency from the
//! moment the request was *due* (as wrk2 does), so a stall is not hidden by
//! the requests it delayed (coordinated omission).
//!
//! ```text
//! cargo run --release -p rootward-server --example open_loop -- \
//!     URL [-m POST] [-r 20000] [-c 16] [-d 10]
//! ```
//!
//! The URL is `http://HOST:PORT/PATH?QUERY` (a presigned URL works: it is sent
//! exactly as given). Prints requests/s and p50/p90/p99/p99.9/max; exits 1
//! if any answer was not 200.

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::ExitCode;
use std::time::{Duration, Instant};

struct Args {
    url: String,
    method: String,
    rate: f64,
    connections: usize,
    seconds: f64,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        url: String::new(),
        method: "GET".into(),
        rate: 20_000.0,
        connections: 16,
        seconds: 10.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "-m" => a.method = value("-m")?,
            "-r" => a.rate = value("-r")?.parse().map_err(|e| format!("-r: {e}"))?,
            "-c" => a.connections = value("-c")?.parse().map_err(|e| format!("-c: {e}"))?,
            "-d" => a.seconds = value("-d")?.parse().map_err(|e| format!("-d: {e}"))?,
            url if url.starts_with("http://") => a.url = url.to_owned(),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if a.url.is_empty() || a.rate <= 0.0 || a.connections == 0 || a.seconds <= 0.0 {
        return Err(
            "usage: open_loop http://HOST:PORT/PATH [-m METHOD] [-r RATE] [-c CONNS] [-d SECONDS]"
                .into(),
        );
    }
    Ok(a)
}

/// Reads one response; returns its status.
fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let (head_end, length) = loop {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(buf.get(..end).unwrap_or_default()).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while buf.len() < head_end + length {
        let n = s.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
    let status = buf
        .get(9..12)
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok(status)
}

/// One connection: sends at `interval` from `start + offset`, returns the
/// latencies in microseconds and the count of non-200 answers.
fn connection(
    addr: &str,
    request: &[u8],
    start: Instant,
    offset: Duration,
    interval: Duration,
    end: Instant,
) -> std::io::Result<(Vec<u32>, u64)> {
    let mut s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    let mut latencies = Vec::new();
    let mut bad = 0;
    let mut buf = Vec::with_capacity(4096);
    let mut due = start + offset;
    while due < end {
        let now = Instant::now();
        if due > now {
            std::thread::sleep(due - now);
        }
        s.write_all(request)?;
        if read_response(&mut s, &mut buf)? != 200 {
            bad += 1;
        }
        let took = due.elapsed();
        latencies.push(u32::try_from(took.as_micros()).unwrap_or(u32::MAX));
        due += interval;
    }
    Ok((latencies, bad))
}

fn main() -> ExitCode {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let rest = a.url.trim_start_matches("http://");
    let (addr, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let request = format!(
        "{} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nUser-Agent: rootward-open-loop\r\n\r\n",
        a.method
    )
    .into_bytes();
    let per_connection = a.rate / a.connections as f64;
    let interval = Duration::from_secs_f64(1.0 / per_connection);
    let start = Instant::now() + Duration::from_millis(100);
    let end = start + Duration::from_secs_f64(a.seconds);
    let threads: Vec<_> = (0..a.connections)
        .map(|i| {
            let addr = addr.to_owned();
            let request = request.clone();
            // Connections are staggered evenly over one interval.
            let offset = interval.mul_f64(i as f64 / a.connections as f64);
            std::thread::spawn(move || connection(&addr, &request, start, offset, interval, end))
        })
        .collect();
    let mut all = Vec::new();
    let mut bad = 0;
    for t in threads {
        match t.join() {
            Ok(Ok((l, b))) => {
                all.extend(l);
                bad += b;
            }
            Ok(Err(e)) => {
                eprintln!("connection failed: {e}");
                return ExitCode::from(1);
            }
            Err(_) => return ExitCode::from(1),
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| -> f64 {
        let i = ((all.len() as f64 * p).ceil() as usize).saturating_sub(1);
        f64::from(all.get(i).copied().unwrap_or(0)) / 1000.0
    };
    println!(
        "{:>10.0} req/s  p50 {:.3}ms  p90 {:.3}ms  p99 {:.3}ms  p99.9 {:.3}ms  max {:.3}ms  non-200 {bad}",
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(0.999),
        pct(1.0),
    );
    if bad > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
