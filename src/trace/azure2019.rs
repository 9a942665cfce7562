//! The Azure Functions trace 2019: one day's files in a directory, found
//! by name: `invocations_per_function*.csv` (`HashOwner, HashApp,
//! HashFunction, Trigger, 1 .. 1440`: invocations per minute),
//! `function_durations_percentiles*.csv` (`percentile_Average_50`,
//! `percentile_Average_99`, in ms) and, optionally,
//! `app_memory_percentiles*.csv` (`AverageAllocatedMb_pct99` per app).
//! When several days are in the directory, the first file of each kind in
//! name order is read (`.d01`).
//!
//! Arrivals are spread evenly within each minute: the k-th of c at
//! `(minute + (k + 1/2) / c) * 60 s` (deterministic, no seed). Durations
//! are lognormal, fitted to the median and the 99th percentile
//! (`lognormal(median=.., p99=..)`; `const(median)` when they are
//! equal). Memory is the app's 99th percentile of allocated memory,
//! rounded up to a whole MB within Lambda's 128..=10240.
//!
//! The file is read twice (totals, then the kept functions' counts), so
//! memory holds 1,440 counts per kept function, never the whole file.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::{
    cells, columns, create, create_dir, lambda_memory, short_names, Function, ImportError, Options,
};

const INV_FORM: &str = "invocations_per_function*.csv: `HashOwner,HashApp,HashFunction,Trigger,1,...,1440` (invocations per minute)";
const DUR_FORM: &str = "function_durations_percentiles*.csv: `HashOwner,HashApp,HashFunction,...,percentile_Average_50,...,percentile_Average_99,...` (ms)";
const MEM_FORM: &str =
    "app_memory_percentiles*.csv: `HashOwner,HashApp,...,AverageAllocatedMb_pct99,...` (MB)";

type Key = (String, String, String);

/// What an import wrote.
#[derive(Debug)]
pub struct Summary {
    /// Functions written.
    pub functions: usize,
    /// Invocations written.
    pub invocations: u64,
    /// Functions left out: no row in the durations file.
    pub no_duration: usize,
}

/// The first file in `dir` (name order) whose name starts with `prefix`
/// and ends with `.csv`.
fn find(dir: &Path, prefix: &str) -> Result<Option<PathBuf>, ImportError> {
    let rd = std::fs::read_dir(dir).map_err(ImportError::io(format!(
        "cannot read the directory {}",
        dir.display()
    )))?;
    let mut found: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".csv"))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().next())
}

fn lines(path: &Path) -> Result<impl Iterator<Item = Result<String, ImportError>>, ImportError> {
    let what = format!("cannot read {}", path.display());
    let f = std::fs::File::open(path).map_err(ImportError::io(what.clone()))?;
    Ok(BufReader::new(f)
        .lines()
        .map(move |l| l.map_err(ImportError::io(what.clone()))))
}

fn header(
    path: &Path,
    it: &mut impl Iterator<Item = Result<String, ImportError>>,
    form: &str,
) -> Result<String, ImportError> {
    it.next()
        .unwrap_or_else(|| Err(ImportError::input(path, None, "the file is empty", form)))
}

/// Reads one pass over the invocations file: for each row, its key and
/// its per-minute counts (`minutes` of them).
fn each_row(
    path: &Path,
    mut f: impl FnMut(Key, &[u32]) -> Result<(), ImportError>,
) -> Result<usize, ImportError> {
    let mut it = lines(path)?;
    let head = header(path, &mut it, INV_FORM)?;
    let col = columns(
        path,
        &head,
        &["HashOwner", "HashApp", "HashFunction", "1"],
        INV_FORM,
    )?;
    let minutes = cells(&head).count() - col[3];
    let mut counts = vec![0u32; minutes];
    for (i, line) in it.enumerate() {
        let line = line?;
        let n = i as u64 + 2;
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = cells(&line).collect();
        if c.len() != col[3] + minutes {
            return Err(ImportError::input(
                path,
                Some(n),
                format!(
                    "the row has {} cells, the header {}",
                    c.len(),
                    col[3] + minutes
                ),
                INV_FORM,
            ));
        }
        for (m, v) in c[col[3]..].iter().enumerate() {
            counts[m] = match v.parse::<f64>() {
                Ok(x) if x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX) => x as u32,
                _ => {
                    let msg = format!("minute {}: `{v}` is not a count of invocations", m + 1);
                    return Err(ImportError::input(path, Some(n), msg, INV_FORM));
                }
            };
        }
        f(
            (c[col[0]].into(), c[col[1]].into(), c[col[2]].into()),
            &counts,
        )?;
    }
    Ok(minutes)
}

/// Per key, the duration distribution (scenario syntax) from the p50 and
/// p99 columns.
fn durations(path: &Path) -> Result<HashMap<Key, String>, ImportError> {
    let mut it = lines(path)?;
    let head = header(path, &mut it, DUR_FORM)?;
    let col = columns(
        path,
        &head,
        &[
            "HashOwner",
            "HashApp",
            "HashFunction",
            "percentile_Average_50",
            "percentile_Average_99",
        ],
        DUR_FORM,
    )?;
    let mut out = HashMap::new();
    for (i, line) in it.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = cells(&line).collect();
        let get = |k: usize| c.get(col[k]).copied().unwrap_or("");
        let ms = |k: usize| match get(k).parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(ImportError::input(
                path,
                Some(i as u64 + 2),
                format!("`{}` is not a duration in ms", get(k)),
                DUR_FORM,
            )),
        };
        let (p50, p99) = (ms(3)?.max(0.001), ms(4)?);
        let dist = if p99 > p50 * 1.0001 {
            format!("lognormal(median={p50}ms, p99={p99}ms)")
        } else {
            format!("const({p50}ms)")
        };
        out.insert((get(0).into(), get(1).into(), get(2).into()), dist);
    }
    Ok(out)
}

/// Per (owner, app), the memory \[MB\] from the p99 column.
fn memory(path: &Path) -> Result<HashMap<(String, String), u32>, ImportError> {
    let mut it = lines(path)?;
    let head = header(path, &mut it, MEM_FORM)?;
    let col = columns(
        path,
        &head,
        &["HashOwner", "HashApp", "AverageAllocatedMb_pct99"],
        MEM_FORM,
    )?;
    let mut out = HashMap::new();
    for (i, line) in it.enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = cells(&line).collect();
        let get = |k: usize| c.get(col[k]).copied().unwrap_or("");
        let mb = get(2)
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0)
            .ok_or_else(|| {
                ImportError::input(
                    path,
                    Some(i as u64 + 2),
                    format!("`{}` is not a memory size in MB", get(2)),
                    MEM_FORM,
                )
            })?;
        out.insert((get(0).into(), get(1).into()), lambda_memory(mb));
    }
    Ok(out)
}

/// Reads the trace files in `dir` and writes the scenario `out` and its
/// traces beside it (one `timestamp` CSV per function).
pub fn import(dir: &Path, out: &Path, opts: &Options) -> Result<Summary, ImportError> {
    let missing = |what: &str, form: &str| {
        ImportError::input(dir, None, format!("no {what} file in the directory"), form)
    };
    let inv = find(dir, "invocations_per_function")?
        .ok_or_else(|| missing("invocations_per_function*.csv", INV_FORM))?;
    let dur = find(dir, "function_durations_percentiles")?
        .ok_or_else(|| missing("function_durations_percentiles*.csv", DUR_FORM))?;
    let mem = find(dir, "app_memory_percentiles")?;
    let durs = durations(&dur)?;
    let mems = match &mem {
        Some(p) => memory(p)?,
        None => HashMap::new(),
    };
    // Pass 1: totals of the functions with a duration.
    let mut totals: HashMap<Key, u64> = HashMap::new();
    let mut no_duration = 0;
    each_row(&inv, |k, c| {
        if durs.contains_key(&k) {
            *totals.entry(k).or_default() += c.iter().map(|&x| u64::from(x)).sum::<u64>();
        } else {
            no_duration += 1;
        }
        Ok(())
    })?;
    let mut order: Vec<(Key, u64)> = totals.into_iter().filter(|(_, n)| *n > 0).collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    order.truncate(opts.top.unwrap_or(usize::MAX));
    if order.is_empty() {
        return Err(ImportError::input(
            &inv,
            None,
            "no function with invocations and a duration row",
            INV_FORM,
        ));
    }
    let rank: HashMap<Key, usize> = order
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.clone(), i))
        .collect();
    // Pass 2: the kept functions' counts (rows of one function summed).
    let mut counts: Vec<Vec<u32>> = vec![Vec::new(); order.len()];
    let minutes = each_row(&inv, |k, c| {
        if let Some(&i) = rank.get(&k) {
            let v = &mut counts[i];
            v.resize(c.len(), 0);
            for (a, b) in v.iter_mut().zip(c) {
                *a = a.saturating_add(*b);
            }
        }
        Ok(())
    })?;
    let names = short_names(order.len());
    let (tdir, rel) = super::traces_dir(out);
    create_dir(&tdir)?;
    let mut invocations = 0u64;
    for (name, c) in names.iter().zip(&counts) {
        let path = tdir.join(format!("{name}.csv"));
        let io = || ImportError::io(format!("cannot write {}", path.display()));
        let mut w = create(&path)?;
        writeln!(w, "timestamp").map_err(io())?;
        for (m, &n) in c.iter().enumerate() {
            for k in 0..n {
                let t = (m as f64 + (f64::from(k) + 0.5) / f64::from(n)) * 60.0;
                writeln!(w, "{t:.6}").map_err(io())?;
            }
            invocations += u64::from(n);
        }
        w.flush().map_err(io())?;
    }
    let functions: Vec<Function> = order
        .iter()
        .zip(&names)
        .map(|((k, n), name)| {
            let m = mems.get(&(k.0.clone(), k.1.clone())).copied();
            let mut about = vec![
                format!("owner {}", k.0),
                format!("app {}", k.1),
                format!("function {}", k.2),
                format!("{n} invocations"),
            ];
            if m.is_none() {
                about.push("no memory row for its app: Lambda's default memory".into());
            }
            Function {
                name: name.clone(),
                about,
                memory_mb: m,
                compute: durs[k].clone(),
            }
        })
        .collect();
    let header = vec![
        format!("Imported by `slsim trace import azure-2019` from {}", dir.display()),
        format!(
            "Files: {}, {}, {}.",
            inv.display(),
            dur.display(),
            mem.as_ref().map_or_else(|| "no memory file".into(), |p| p.display().to_string())
        ),
        format!(
            "{invocations} invocations of {} functions over {minutes} minutes, spread evenly within each minute; {no_duration} rows without a duration row left out.",
            order.len()
        ),
        "Durations: lognormal fitted to each function's median and 99th percentile; memory: its app's 99th percentile.".into(),
    ];
    let text = super::scenario_text(
        &header,
        "azure-2019 import",
        minutes as u64 * 60,
        &functions,
        &rel,
        opts,
    );
    super::write_atomic(out, &text)?;
    Ok(Summary {
        functions: order.len(),
        invocations,
        no_duration,
    })
}
