//! The architecture as one call graph: who calls whom, and how.
//!
//! Nodes are components (workloads, apis, lambdas, tables, queues,
//! topics, services, schedules, streams); edges are calls (workload -> target, api
//! -> its Lambda authorizer, api route -> lambda,
//! lambda step -> table, lambda, queue, topic, service or stream, schedule
//! -> its target, queue, stream or streamed table -> the lambda it
//! triggers (and the trigger's on-failure destination), topic -> its subscribers, queue or subscription -> its
//! dead-letter queue, lambda -> its destinations), each marked synchronous,
//! asynchronous or event source and remembering the scenario field it
//! comes from.
//!
//! Owns: building the graph from the model (once, here, for everyone),
//! synchronous-cycle detection ([`Topology::sync_cycles`], which validation
//! reports), DOT output ([`to_dot`]) and its own drawing: a layered layout
//! ([`layout()`], `layout.rs`) rendered as a standalone SVG ([`to_svg`],
//! `svg.rs`), so that no Graphviz is needed.
//! Must not know: TOML or field paths (it reads the validated [`Scenario`];
//! [`Origin`] gives indices that the caller turns into a field path), nor
//! timing (no latencies or rates).

mod cycles;
mod dot;
pub mod layout;
mod svg;
#[cfg(test)]
mod tests;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::model::{Auth, Destination, Endpoint, Scenario, Step, Target};

pub use dot::to_dot;
pub use layout::{layout, Layout};
pub use svg::{to_svg, xml_escape};

/// What kind of component a node is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// `[[workload]]`.
    Workload,
    /// `[[api]]`.
    Api,
    /// `[[lambda]]`.
    Lambda,
    /// `[[table]]`.
    Table,
    /// `[[queue]]`.
    Queue,
    /// `[[topic]]`.
    Topic,
    /// `[[bucket]]`.
    Bucket,
    /// `[[service]]`.
    Service,
    /// `[[schedule]]`.
    Schedule,
    /// `[[stream]]` (Kinesis; a table's DynamoDB stream is its table's
    /// node).
    Stream,
    /// `[[cdn]]`.
    Cdn,
}

impl NodeKind {
    /// The scenario-format name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Workload => "workload",
            NodeKind::Api => "api",
            NodeKind::Lambda => "lambda",
            NodeKind::Table => "table",
            NodeKind::Queue => "queue",
            NodeKind::Topic => "topic",
            NodeKind::Bucket => "bucket",
            NodeKind::Service => "service",
            NodeKind::Schedule => "schedule",
            NodeKind::Stream => "stream",
            NodeKind::Cdn => "cdn",
        }
    }
}

/// A component in the graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// Its kind.
    pub kind: NodeKind,
    /// Index in the scenario's vector of that kind.
    pub index: usize,
    /// Its unique name.
    pub name: String,
}

/// How a call is made.
///
/// Workloads, api routes, table steps and `Step::Invoke` wait for the
/// answer ([`EdgeKind::Sync`]); async invokes, destinations, sends to a
/// queue and redrives to a dead-letter queue hand the request over
/// ([`EdgeKind::Async`]); a queue polled for a function (`triggers`) is an
/// [`EdgeKind::EventSource`]. Neither of the last two can close a cycle
/// that never finishes, so [`Topology::sync_cycles`] ignores them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// The caller waits for the answer.
    Sync,
    /// The caller hands the request over and goes on.
    Async,
    /// A source (queue, stream, topic) polls or pushes into a function.
    EventSource,
}

/// Where in the scenario an edge comes from, as indices into the model's
/// vectors, so that a problem found on the graph can point at the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `workload[workload].target`.
    Workload {
        /// `[[workload]]` index.
        workload: usize,
    },
    /// `api[api].routes[route]`.
    Route {
        /// `[[api]]` index.
        api: usize,
        /// Index in that api's `routes`.
        route: usize,
    },
    /// `api[api].auth`: the Lambda authorizer, invoked synchronously
    /// before the integration.
    Authorizer {
        /// `[[api]]` index.
        api: usize,
    },
    /// `lambda[lambda].steps[step]`.
    Step {
        /// `[[lambda]]` index.
        lambda: usize,
        /// Index in that function's `steps` (the same as in the file: a
        /// built model keeps every step).
        step: usize,
    },
    /// `lambda[lambda].triggers[trigger]`: a queue polled for the function.
    Trigger {
        /// `[[lambda]]` index.
        lambda: usize,
        /// Index in that function's `triggers`.
        trigger: usize,
    },
    /// `queue[queue].dead_letter`: the redrive to a dead-letter queue.
    DeadLetter {
        /// `[[queue]]` index.
        queue: usize,
    },
    /// `topic[topic].subscribers[subscriber]`: a delivery.
    Subscriber {
        /// `[[topic]]` index.
        topic: usize,
        /// Index in that topic's `subscribers`.
        subscriber: usize,
    },
    /// `topic[topic].subscribers[subscriber].dead_letter`.
    SubscriberDeadLetter {
        /// `[[topic]]` index.
        topic: usize,
        /// Index in that topic's `subscribers`.
        subscriber: usize,
    },
    /// `bucket[bucket].notify[rule]`: an event notification.
    Notify {
        /// `[[bucket]]` index.
        bucket: usize,
        /// Index in that bucket's `notify`.
        rule: usize,
    },
    /// `lambda[lambda].destinations` (`on_success` or `on_failure`).
    Destination {
        /// `[[lambda]]` index.
        lambda: usize,
        /// `"on_success"` or `"on_failure"`.
        which: &'static str,
    },
    /// `schedule[schedule].target`: the scheduled event.
    Schedule {
        /// `[[schedule]]` index.
        schedule: usize,
    },
    /// `cdn[cdn].origin`: requests the edge sends to the origin.
    CdnOrigin {
        /// `[[cdn]]` index.
        cdn: usize,
    },
}

/// A call from one component to another.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// Sync, async or event source.
    pub kind: EdgeKind,
    /// A short label: the route, the table operation, `invoke`, or empty.
    pub label: String,
    /// The field it comes from.
    pub origin: Origin,
}

/// The call graph of a scenario.
///
/// Nodes are added in a fixed order (workloads, apis, lambdas, tables, each
/// in file order) and edges in the order of the fields they come from, so
/// node and edge indices, and everything derived from them, are the same
/// on every run.
#[derive(Clone, Debug, Default)]
pub struct Topology {
    /// Components and calls. Parallel edges are kept (one per route or step).
    pub graph: DiGraph<Node, Edge>,
}

/// Builds the call graph of a (validated) scenario. References out of
/// range (impossible after validation) are skipped, never a panic.
pub fn build(s: &Scenario) -> Topology {
    let mut graph = DiGraph::new();
    let mut add = |kind, names: Vec<&str>| -> Vec<NodeIndex> {
        names
            .into_iter()
            .enumerate()
            .map(|(index, name)| {
                graph.add_node(Node {
                    kind,
                    index,
                    name: name.to_string(),
                })
            })
            .collect()
    };
    let w = add(
        NodeKind::Workload,
        s.workloads.iter().map(|x| x.name.as_str()).collect(),
    );
    let a = add(
        NodeKind::Api,
        s.apis.iter().map(|x| x.name.as_str()).collect(),
    );
    let l = add(
        NodeKind::Lambda,
        s.lambdas.iter().map(|x| x.name.as_str()).collect(),
    );
    let t = add(
        NodeKind::Table,
        s.tables.iter().map(|x| x.name.as_str()).collect(),
    );
    let q = add(
        NodeKind::Queue,
        s.queues.iter().map(|x| x.name.as_str()).collect(),
    );
    let tp = add(
        NodeKind::Topic,
        s.topics.iter().map(|x| x.name.as_str()).collect(),
    );
    let bk = add(
        NodeKind::Bucket,
        s.buckets.iter().map(|x| x.name.as_str()).collect(),
    );
    let sv = add(
        NodeKind::Service,
        s.services.iter().map(|x| x.name.as_str()).collect(),
    );
    let sc = add(
        NodeKind::Schedule,
        s.schedules.iter().map(|x| x.name.as_str()).collect(),
    );
    let sm = add(
        NodeKind::Stream,
        s.streams.iter().map(|x| x.name.as_str()).collect(),
    );
    let cd = add(
        NodeKind::Cdn,
        s.cdns.iter().map(|x| x.name.as_str()).collect(),
    );
    let edge = |kind, label: &str, origin| Edge {
        kind,
        label: label.to_string(),
        origin,
    };
    let sync = |label: &str, origin| edge(EdgeKind::Sync, label, origin);
    let send = |origin| edge(EdgeKind::Async, "send", origin);
    let publish = |origin| edge(EdgeKind::Async, "publish", origin);
    for (i, wl) in s.workloads.iter().enumerate() {
        let origin = Origin::Workload { workload: i };
        let (to, edge) = match wl.target {
            Target::Api(k) => (a.get(k), sync("", origin)),
            Target::Lambda(k) => (l.get(k), sync("", origin)),
            Target::Queue(k) => (q.get(k), send(origin)),
            Target::Topic(k) => (tp.get(k), publish(origin)),
            Target::Bucket(k) => (bk.get(k), sync("", origin)),
            Target::Cdn(k) => (cd.get(k), sync("", origin)),
        };
        if let Some(&to) = to {
            graph.add_edge(w[i], to, edge);
        }
    }
    for (i, api) in s.apis.iter().enumerate() {
        if let Some(Auth::Lambda { function, .. }) = api.auth {
            if let Some(&to) = l.get(function) {
                graph.add_edge(a[i], to, sync("authorizer", Origin::Authorizer { api: i }));
            }
        }
        for (k, r) in api.routes.iter().enumerate() {
            if let Some(&to) = l.get(r.target) {
                graph.add_edge(a[i], to, sync(&r.route, Origin::Route { api: i, route: k }));
            }
        }
    }
    for (i, f) in s.lambdas.iter().enumerate() {
        for (k, st) in f.steps.iter().enumerate() {
            let origin = Origin::Step { lambda: i, step: k };
            match st {
                Step::Table { table, op, .. } => {
                    if let Some(&to) = t.get(*table) {
                        let op = format!("{op:?}").to_lowercase();
                        graph.add_edge(l[i], to, sync(&op, origin));
                    }
                }
                Step::Invoke { lambda } => {
                    if let Some(&to) = l.get(*lambda) {
                        graph.add_edge(l[i], to, sync("invoke", origin));
                    }
                }
                Step::Send { queue, .. } => {
                    if let Some(&to) = q.get(*queue) {
                        graph.add_edge(l[i], to, send(origin));
                    }
                }
                Step::Publish { topic, .. } => {
                    if let Some(&to) = tp.get(*topic) {
                        graph.add_edge(l[i], to, publish(origin));
                    }
                }
                Step::InvokeAsync { lambda } => {
                    if let Some(&to) = l.get(*lambda) {
                        graph.add_edge(l[i], to, edge(EdgeKind::Async, "invoke async", origin));
                    }
                }
                Step::Bucket { bucket, op, .. } => {
                    if let Some(&to) = bk.get(*bucket) {
                        graph.add_edge(l[i], to, sync(op.name(), origin));
                    }
                }
                Step::External { service } => {
                    if let Some(&to) = sv.get(*service) {
                        graph.add_edge(l[i], to, sync("call", origin));
                    }
                }
                Step::PutRecords(p) => {
                    if let Some(&to) = sm.get(p.stream) {
                        graph.add_edge(l[i], to, sync("put records", origin));
                    }
                }
                Step::Compute { .. } | Step::Io(_) | Step::Fail(_) => {}
            }
        }
        for (k, tr) in f.triggers.iter().enumerate() {
            if let Some(&from) = q.get(tr.queue) {
                let origin = Origin::Trigger {
                    lambda: i,
                    trigger: k,
                };
                graph.add_edge(from, l[i], edge(EdgeKind::EventSource, "poll", origin));
            }
        }
        // Stream triggers: `trigger` is the index in `stream_triggers`.
        for (k, tr) in f.stream_triggers.iter().enumerate() {
            let from = match tr.source {
                crate::model::StreamSource::Kinesis(x) => sm.get(x),
                crate::model::StreamSource::Table(x) => t.get(x),
            };
            let Some(&from) = from else { continue };
            let origin = Origin::Trigger {
                lambda: i,
                trigger: k,
            };
            graph.add_edge(from, l[i], edge(EdgeKind::EventSource, "poll", origin));
            let to = match tr.on_failure {
                Some(crate::model::OnFailure::Queue(x)) => q.get(x),
                Some(crate::model::OnFailure::Topic(x)) => tp.get(x),
                None => None,
            };
            if let Some(&to) = to {
                graph.add_edge(from, to, edge(EdgeKind::Async, "on_failure", origin));
            }
        }
        let dests = [
            ("on_success", f.async_invoke.on_success),
            ("on_failure", f.async_invoke.on_failure),
        ];
        for (which, d) in dests {
            let to = match d {
                Some(Destination::Lambda(g)) => l.get(g),
                Some(Destination::Queue(k)) => q.get(k),
                Some(Destination::Topic(k)) => tp.get(k),
                None => None,
            };
            if let Some(&to) = to {
                let origin = Origin::Destination { lambda: i, which };
                graph.add_edge(l[i], to, edge(EdgeKind::Async, which, origin));
            }
        }
    }
    for (i, qu) in s.queues.iter().enumerate() {
        if let Some(&to) = qu.redrive.and_then(|r| q.get(r.dead_letter)) {
            let origin = Origin::DeadLetter { queue: i };
            graph.add_edge(q[i], to, edge(EdgeKind::Async, "dead-letter", origin));
        }
    }
    for (i, top) in s.topics.iter().enumerate() {
        for (k, sub) in top.subscriptions.iter().enumerate() {
            let origin = Origin::Subscriber {
                topic: i,
                subscriber: k,
            };
            let (to, e) = match sub.endpoint {
                Endpoint::Lambda(f) => (l.get(f), edge(EdgeKind::EventSource, "deliver", origin)),
                Endpoint::Queue(k) => (q.get(k), edge(EdgeKind::Async, "deliver", origin)),
            };
            if let Some(&to) = to {
                graph.add_edge(tp[i], to, e);
            }
            if let Some(&to) = sub.dead_letter.and_then(|d| q.get(d)) {
                let origin = Origin::SubscriberDeadLetter {
                    topic: i,
                    subscriber: k,
                };
                graph.add_edge(tp[i], to, edge(EdgeKind::Async, "dead-letter", origin));
            }
        }
    }
    for (i, b) in s.buckets.iter().enumerate() {
        for (k, r) in b.notify.iter().enumerate() {
            let origin = Origin::Notify { bucket: i, rule: k };
            let label = format!("notify {}", r.on.name());
            let (to, kind) = match r.target {
                Destination::Lambda(f) => (l.get(f), EdgeKind::EventSource),
                Destination::Queue(q2) => (q.get(q2), EdgeKind::Async),
                Destination::Topic(t2) => (tp.get(t2), EdgeKind::Async),
            };
            if let Some(&to) = to {
                graph.add_edge(bk[i], to, edge(kind, &label, origin));
            }
        }
    }
    for (i, sch) in s.schedules.iter().enumerate() {
        let origin = Origin::Schedule { schedule: i };
        let (to, e) = match sch.target {
            Destination::Lambda(f) => (l.get(f), edge(EdgeKind::EventSource, "schedule", origin)),
            Destination::Queue(k) => (q.get(k), send(origin)),
            Destination::Topic(k) => (tp.get(k), publish(origin)),
        };
        if let Some(&to) = to {
            graph.add_edge(sc[i], to, e);
        }
    }
    for (i, c) in s.cdns.iter().enumerate() {
        let origin = Origin::CdnOrigin { cdn: i };
        let to = match c.origin {
            crate::model::CdnOrigin::Bucket(k) => bk.get(k),
            crate::model::CdnOrigin::Api(k) => a.get(k),
        };
        if let Some(&to) = to {
            graph.add_edge(cd[i], to, sync("origin", origin));
        }
    }
    Topology { graph }
}
