//! The `steps` of a `[[lambda]]`: their raw struct and their validation
//! into [`Step`]s (compute, io, fail, and calls, which resolve by the
//! callee's kind: a table is a table operation, a lambda an invoke, a
//! service an external call).
//!
//! Must not know: how steps run.

use crate::dist::keys::Keys;
use crate::model::limits;
use crate::model::*;
use crate::scenario::context::Cx;
use crate::scenario::error::{did_you_mean, list, suggest};
use crate::scenario::locate::FieldPath;
use crate::scenario::numbers;
use crate::scenario::raw::Required;
use crate::scenario::validate::{choice, in_range, int_in, opt_dist};

/// One entry of a lambda's `steps`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStep {
    pub compute: Option<String>,
    pub threads: Option<f64>,
    pub io: Option<String>,
    pub call: Option<String>,
    pub op: Option<String>,
    pub items: Option<i64>,
    pub item_kb: Option<f64>,
    pub mode: Option<String>,
    pub size_kb: Option<f64>,
    pub fail: Option<f64>,
    /// Key model of a table call.
    pub keys: Option<String>,
    /// TransactGetItems / TransactWriteItems.
    pub transactional: Option<bool>,
    /// A Query or Scan of this GSI of the table.
    pub index: Option<String>,
    /// `{ s3 = "<bucket>", op = ... }`: a call to a bucket (an alias of
    /// `call`).
    pub s3: Option<String>,
    /// Prefix model of a bucket call.
    pub prefixes: Option<String>,
    /// Records per PutRecords call to a stream.
    pub records: Option<i64>,
    /// Run the step once per record of the invoking batch.
    pub per_record: Option<bool>,
}

impl Required for RawStep {}

const STEP_FORMS: &str = "a step is one of { compute = \"<dist>\" }, { io = \"<dist>\" }, { call = \"<name>\", ... }, { fail = 0.01 }";

/// Validates one step at `p`; `None` when it had a problem.
pub fn step(cx: &mut Cx<'_>, p: &FieldPath, s: &RawStep) -> Option<Step> {
    let given: Vec<&str> = [
        ("compute", s.compute.is_some()),
        ("io", s.io.is_some()),
        ("call", s.call.is_some()),
        ("fail", s.fail.is_some()),
        ("s3", s.s3.is_some()),
    ]
    .iter()
    .filter(|(_, g)| *g)
    .map(|(n, _)| *n)
    .collect();
    if given.len() != 1 {
        let msg = if given.is_empty() {
            "step has none of `compute`, `io`, `call`, `fail`".to_string()
        } else {
            format!("step has more than one of {}", list(&given))
        };
        cx.err(p, msg, STEP_FORMS);
        return None;
    }
    let extra = |cx: &mut Cx<'_>, allowed: &[&str]| {
        for (f, present) in [
            ("threads", s.threads.is_some()),
            ("op", s.op.is_some()),
            ("items", s.items.is_some()),
            ("item_kb", s.item_kb.is_some()),
            ("mode", s.mode.is_some()),
            ("size_kb", s.size_kb.is_some()),
            ("keys", s.keys.is_some()),
            ("transactional", s.transactional.is_some()),
            ("index", s.index.is_some()),
            ("prefixes", s.prefixes.is_some()),
            ("records", s.records.is_some()),
        ] {
            if present && !allowed.contains(&f) {
                cx.key_err(
                    &p.join(f),
                    format!(
                        "`{f}` does not apply to {} `{}` step",
                        numbers::article(given[0]),
                        given[0]
                    ),
                    STEP_FORMS,
                );
            }
        }
    };
    match given[0] {
        "compute" => {
            extra(cx, &["threads"]);
            let d = opt_dist(cx, &p.join("compute"), &s.compute)?;
            let threads = s.threads.unwrap_or(1.0);
            let before = cx.problems.len();
            in_range(
                cx,
                &p.join("threads"),
                threads,
                limits::THREADS.0,
                limits::THREADS.1,
                "how many vCPUs the code keeps busy; 1 = single-threaded; a function has at most 6 vCPUs (aws-facts 1.3)",
            );
            if cx.problems.len() > before {
                return None;
            }
            Some(Step::Compute { dist: d, threads })
        }
        "io" => {
            extra(cx, &[]);
            opt_dist(cx, &p.join("io"), &s.io).map(Step::Io)
        }
        "fail" => {
            extra(cx, &[]);
            if s.per_record == Some(true) {
                cx.key_err(
                    &p.join("per_record"),
                    "`per_record` does not apply to a `fail` step",
                    "a `fail` step decides once per invocation: remove `per_record`, and for a failure rate q per record over batches of B records use fail = 1 - (1 - q)^B",
                );
            }
            let f = s.fail.unwrap_or(0.0);
            if !(0.0..=1.0).contains(&f) {
                cx.err(
                    &p.join("fail"),
                    format!(
                        "fail probability {} is out of range (allowed 0..=1)",
                        numbers::show(f)
                    ),
                    "a probability between 0 and 1",
                );
                return None;
            }
            Some(Step::Fail(f))
        }
        _ => call(cx, p, s, extra),
    }
}

fn call(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    s: &RawStep,
    extra: impl Fn(&mut Cx<'_>, &[&str]),
) -> Option<Step> {
    let (field, name, allowed): (_, _, &[&str]) = match &s.s3 {
        Some(b) => ("s3", b.as_str(), &["bucket"]),
        None => (
            "call",
            s.call.as_deref().unwrap_or(""),
            &[
                "table", "lambda", "queue", "topic", "bucket", "service", "stream",
            ],
        ),
    };
    let (kind, idx) = cx.resolve(&p.join(field), name, allowed, "a call step")?;
    if kind == "bucket" {
        extra(cx, &["op", "size_kb", "prefixes"]);
        return crate::scenario::kinds::bucket::call_step(
            cx,
            p,
            idx,
            name,
            &s.op,
            s.size_kb,
            &s.prefixes,
        );
    }
    if kind == "stream" {
        extra(cx, &["records", "size_kb", "keys"]);
        return crate::scenario::kinds::stream::put_step(cx, p, idx, s.records, s.size_kb, &s.keys);
    }
    if kind == "service" {
        extra(cx, &[]);
        return Some(Step::External { service: idx });
    }
    if kind == "topic" || kind == "queue" {
        extra(cx, &["size_kb"]);
        let size_kb = s.size_kb.unwrap_or(crate::model::queue::DEFAULT_MESSAGE_KB);
        let (max, hint) = if kind == "topic" {
            (
                crate::model::topic::MAX_MESSAGE_KB,
                "message size in KB: > 0 and <= 256 (the SNS message size limit)",
            )
        } else {
            (
                crate::model::queue::MAX_MESSAGE_KB,
                "message size in KB: > 0 and <= 1024 (SQS messages are at most 1 MiB, aws-facts 2)",
            )
        };
        let before = cx.problems.len();
        in_range(
            cx,
            &p.join("size_kb"),
            size_kb,
            f64::MIN_POSITIVE,
            max,
            hint,
        );
        if cx.problems.len() > before {
            return None;
        }
        return Some(if kind == "topic" {
            Step::Publish {
                topic: idx,
                size_kb,
            }
        } else {
            Step::Send {
                queue: idx,
                size_kb,
            }
        });
    }
    if kind == "lambda" {
        extra(cx, &["mode"]);
        match s.mode.as_deref() {
            None | Some("sync") => Some(Step::Invoke { lambda: idx }),
            Some("async") => Some(Step::InvokeAsync { lambda: idx }),
            Some(m) => {
                cx.err(
                    &p.join("mode"),
                    format!("`{m}` is not a valid mode"),
                    suggest(m, &["sync", "async"]),
                );
                None
            }
        }
    } else {
        extra(
            cx,
            &["op", "items", "item_kb", "keys", "transactional", "index"],
        );
        let ops = [
            ("get", TableOp::Get),
            ("put", TableOp::Put),
            ("update", TableOp::Update),
            ("delete", TableOp::Delete),
            ("query", TableOp::Query),
            ("scan", TableOp::Scan),
        ];
        if s.op.is_none() {
            cx.err(
                p,
                format!("a call to table `{name}` needs `op`"),
                "add op = \"get\" | \"put\" | \"update\" | \"delete\" | \"query\" | \"scan\"",
            );
            return None;
        }
        let before = cx.problems.len();
        let op = choice(cx, &p.join("op"), &s.op, &ops, TableOp::Get);
        let items = int_in(
            cx,
            &p.join("items"),
            s.items,
            1,
            (1, limits::MAX_ITEMS),
            "the number of items read or written by one request",
        ) as u32;
        let item_kb = s.item_kb.unwrap_or(1.0);
        in_range(
            cx,
            &p.join("item_kb"),
            item_kb,
            f64::MIN_POSITIVE,
            limits::MAX_ITEM_KB,
            "item size in KB: > 0 and <= 400 (the DynamoDB item size limit, aws-facts 5.1)",
        );
        let keys = match &s.keys {
            None => Keys::Many,
            Some(k) => match crate::scenario::values::keys(k) {
                Ok(k) => k,
                Err(b) => {
                    cx.err(&p.join("keys"), b.message, b.hint.unwrap_or_default());
                    Keys::Many
                }
            },
        };
        let transactional = s.transactional.unwrap_or(false);
        if transactional
            && !matches!(
                op,
                TableOp::Get | TableOp::Put | TableOp::Update | TableOp::Delete
            )
        {
            cx.err(
                &p.join("transactional"),
                format!("a {} cannot be transactional", ops.iter().find(|(_, o)| *o == op).map_or("request", |(n, _)| n)),
                "transactions group get, put, update and delete (TransactGetItems, TransactWriteItems); remove `transactional`",
            );
        }
        let index = s
            .index
            .as_deref()
            .and_then(|g| table_index(cx, &p.join("index"), idx, name, g, op, transactional));
        (cx.problems.len() == before).then_some(Step::Table {
            table: idx,
            op,
            items,
            item_kb,
            keys,
            transactional,
            index,
        })
    }
}

/// The GSI named `gsi` of table `idx` (named `table`), for a call step at
/// `p`: its position in the table's `gsi` list. Only Query and Scan read an
/// index, and not in a transaction.
fn table_index(
    cx: &mut Cx<'_>,
    p: &FieldPath,
    idx: usize,
    table: &str,
    gsi: &str,
    op: TableOp,
    transactional: bool,
) -> Option<usize> {
    if !matches!(op, TableOp::Query | TableOp::Scan) {
        cx.err(
            p,
            "only a query or a scan can read an index",
            "remove `index`, or use op = \"query\" or \"scan\"",
        );
        return None;
    }
    if transactional {
        cx.err(
            p,
            "transactions cannot be performed using indexes (AWS)",
            "remove `index` or `transactional`",
        );
        return None;
    }
    // The table's GSI names, from the TOML tree (tables are validated
    // after functions).
    let names: Vec<String> = cx
        .tree
        .get("table")
        .and_then(|t| t.as_array())
        .and_then(|a| a.get(idx))
        .and_then(|t| t.get("gsi"))
        .and_then(|g| g.as_array())
        .map(|a| {
            a.iter()
                .map(|g| {
                    g.get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(i) = names.iter().position(|n| n == gsi) {
        return Some(i);
    }
    let hint = if names.is_empty() {
        format!("table `{table}` has no GSI: add one with [[table.gsi]], or remove `index`")
    } else {
        did_you_mean(gsi, names.iter().map(String::as_str)).unwrap_or_else(|| {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("table `{table}`'s GSIs: {}", list(&refs))
        })
    };
    cx.err(p, format!("table `{table}` has no GSI named `{gsi}`"), hint);
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::raw::{assert_required, field_names};

    #[test]
    fn step_fields_are_recovered() {
        assert_required::<RawStep>();
        assert!(field_names::<RawStep>().contains(&"item_kb"));
    }
}
