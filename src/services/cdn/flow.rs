//! CloudFront's part of the event flow: a request's answer from the edge
//! or the shield after their latencies, or its trip to the origin (a
//! bucket request with no SDK, or a call of the API's route) and back.
//!
//! A request's frame steps through [`Phase`]: `Hit` or `ShieldHit` (the
//! answer arrives; a shield's answer is cached at the edge), or `Origin`
//! (after the edge's, the shield's and the edge-to-origin latencies, the
//! origin is called) then `Waiting` until the origin's outcome, which is
//! cached when it is a success and passed to the client as it is.

use indexmap::IndexMap;

use super::{CdnCall, CdnSeries, CdnStats, Cdns, CloudFront, Phase};
use crate::model::{BucketOp, CdnOrigin, Scenario};
use crate::services::bucket::{BucketRequest, NO_CLIENT};
use crate::services::caches::CacheSeries;
use crate::services::{
    api_gateway, bucket, Build, Collect, Cx, End, Event, Frame, FrameRef, FrameState, Kind,
    Outcome, Service, World,
};

impl Service for Cdns {
    const LABEL: &'static str = "cdn";
    const BACKLOG: &'static str = "requests in progress (at the edge or at the origin)";
    const HELD: &'static str = "objects cached";
    const SERIES: usize = 1 + CacheSeries::COUNT;
    type Stats = CdnStats;

    fn count(m: &Scenario) -> usize {
        m.cdns.len()
    }

    fn build(b: &mut Build<'_>) -> Self {
        let m = b.model;
        let list = m
            .cdns
            .iter()
            .map(|c| {
                let series = CdnSeries {
                    requests: b.sum(&c.name, "requests_rps", "requests/s", b.per_s),
                    cache: CacheSeries::register(b, &c.name),
                };
                CloudFront::new(c, m, b.rng(&c.name, "cdn"), series)
            })
            .collect();
        Cdns { list }
    }

    fn name(&self, i: usize) -> &str {
        &self.list[i].name
    }

    fn footprint(&self) -> usize {
        self.list.iter().map(CloudFront::footprint).sum()
    }

    fn held(&self) -> Vec<(usize, u64)> {
        self.list
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.cached() as u64))
            .filter(|&(_, n)| n > 0)
            .collect()
    }

    fn owner(f: &FrameState) -> usize {
        match f {
            FrameState::CdnCall(c) => c.cdn as usize,
            _ => unreachable!("not a frame of this kind"),
        }
    }

    #[inline]
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef) {
        let Some(Frame {
            parent,
            state: FrameState::CdnCall(c),
            ..
        }) = w.frames.get(fr).copied()
        else {
            return;
        };
        let i = c.cdn as usize;
        match c.phase {
            Phase::Hit | Phase::ShieldHit => {
                let d = &mut w.cdns[i];
                if c.phase == Phase::ShieldHit {
                    d.answered(cx.now(), &c, true);
                }
                d.on_end(&c, true);
                w.frames.free(fr);
                w.deliver(cx, parent, Outcome::at(End::Ok, Kind::Cdn, i));
            }
            Phase::Origin => {
                if let Some(Frame {
                    state: FrameState::CdnCall(s),
                    ..
                }) = w.frames.get_mut(fr)
                {
                    s.phase = Phase::Waiting;
                }
                match w.cdns[i].origin {
                    CdnOrigin::Bucket(b) => {
                        let op = BucketOp::from_index(c.route as usize);
                        let size = op.moves_object().then_some(f64::from(c.size_kb));
                        // CloudFront fetches from S3 free of data transfer
                        // out (aws-facts 10.7): not to the internet.
                        let req = BucketRequest {
                            slot: NO_CLIENT,
                            internet: false,
                            ..BucketRequest::new(b, op, size, None)
                        };
                        bucket::call(w, cx, req, fr);
                    }
                    CdnOrigin::Api(a) => api_gateway::call(w, cx, a, c.route as usize, fr),
                }
            }
            Phase::Waiting => {}
        }
    }

    /// The origin answered: a success is cached (a cacheable request's)
    /// and sent on; any outcome goes to the client as it is.
    #[inline]
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
        let Some(Frame {
            parent,
            state: FrameState::CdnCall(c),
            ..
        }) = w.frames.get(to).copied()
        else {
            return;
        };
        let d = &mut w.cdns[c.cdn as usize];
        d.answered(cx.now(), &c, outcome.is_ok());
        d.on_end(&c, outcome.is_ok());
        w.frames.free(to);
        w.deliver(cx, parent, outcome);
    }

    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, CdnStats> {
        for d in &self.list {
            d.series.cache.finish(c.rec);
        }
        self.list
            .iter()
            .map(|d| (d.name.clone(), super::stats::collect(d)))
            .collect()
    }

    fn text(stats: &IndexMap<String, CdnStats>, out: &mut String) {
        super::stats::text(stats, out);
    }

    fn bills(
        stats: &IndexMap<String, CdnStats>,
        p: &crate::cost::Pricing<'_>,
    ) -> Vec<crate::cost::Bill> {
        // No distribution, no `cloudfront` line.
        if stats.is_empty() {
            return Vec::new();
        }
        super::cost::bills(stats, p)
    }
}

/// A workload's request for origin route (or operation) `route` through
/// distribution `i`, made by frame `parent`.
#[inline]
pub fn request(w: &mut World, cx: &mut Cx, i: usize, route: usize, parent: FrameRef) {
    let now = cx.now();
    let measured = now >= w.warmup;
    let d = &mut w.cdns[i];
    w.rec.add(d.series.requests, now, 1.0);
    let s = d.start(route, now, measured, &mut w.rec);
    let fr = w.frames.alloc(Frame {
        parent,
        start: now,
        state: FrameState::CdnCall(CdnCall {
            cdn: i as u16,
            edge: s.edge,
            route: route as u16,
            phase: s.phase,
            measured,
            shield_miss: s.shield_miss,
            size_kb: s.size_kb,
            rank: s.rank,
        }),
    });
    cx.schedule(s.delay, Event::Step(fr));
}
