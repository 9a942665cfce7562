//! DAX in front of a table: which requests it answers.
//!
//! With a fixed `hit_ratio` (the hit ratio is an input) an eventually
//! consistent, non-transactional read is answered with that probability.
//! Otherwise the hit ratio emerges (aws-facts 5.5, 10.1):
//! - the **item cache**: a GetItem hits when its item (its key's rank in
//!   the step's key model) was fetched by a read, or written through by a
//!   put or update, within the item TTL; a miss caches the item when
//!   DynamoDB's answer arrives (not when it fails); a put or update that
//!   succeeds writes the item through ("item cached only after DynamoDB
//!   write succeeds"), a delete that succeeds removes it **\[A\]**;
//! - the **query cache**: a Query or Scan hits when the same query (its
//!   key's rank and index) was answered within the query TTL; writes do not
//!   touch it (stale until the TTL).
//!
//! A request whose key model is `many` (every key about new) never hits.
//!
//! Must not know: partitions, capacity, SDK retries, events.

use rand::Rng;

use super::{TableCall, TableRequest};
use crate::dist::keys::key_hash;
use crate::dist::Dist;
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::SeriesRecorder;
use crate::model::{self, TableOp};
use crate::services::cache::TtlCache;
use crate::services::caches::{CacheFigures, CacheSeries};

/// What a request does to the cache once DynamoDB has served it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum DaxFill {
    /// Nothing.
    #[default]
    None,
    /// Cache the item (a GetItem's miss, or a put/update written through).
    Item,
    /// Cache the query's result (a Query or Scan's miss).
    Query,
    /// Remove the item (a delete written through).
    Delete,
}

/// How a request starts at DAX.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DaxStart {
    /// Answered from the cache after this delay \[ns\].
    Hit(SimDuration),
    /// Goes to the table with partition key hash `key`; afterwards `fill`
    /// with the cache key `rank` (0: none).
    Table { key: u32, fill: DaxFill, rank: u64 },
}

enum Hits {
    Fixed(f64),
    Caches {
        items: Box<TtlCache>,
        queries: Box<TtlCache>,
    },
}

/// A table's DAX cluster at run time.
pub struct DaxCache {
    hits: Hits,
    latency: Dist,
    /// Counters over the measured window (lookups: eventually consistent,
    /// non-transactional reads).
    pub figures: CacheFigures,
    series: CacheSeries,
}

impl DaxCache {
    /// From the model.
    pub fn new(d: &model::Dax, series: CacheSeries) -> Self {
        let hits = match d.hit_ratio {
            Some(h) => Hits::Fixed(h),
            None => Hits::Caches {
                items: Box::new(TtlCache::new(d.ttl, 0)),
                queries: Box::new(TtlCache::new(d.query_ttl, 0)),
            },
        };
        Self {
            hits,
            latency: d.hit_latency.clone(),
            figures: CacheFigures::default(),
            series,
        }
    }

    /// Whether the hit ratio emerges (no fixed `hit_ratio`).
    pub fn emergent(&self) -> bool {
        matches!(self.hits, Hits::Caches { .. })
    }

    /// A new request `req` at `now`: answered by DAX, or sent to the
    /// table with its key (drawn here, once per request).
    #[inline]
    pub fn start(
        &mut self,
        req: &TableRequest,
        now: SimTime,
        measured: bool,
        rng: &mut SimRng,
        rec: &mut SeriesRecorder,
    ) -> DaxStart {
        if req.transactional {
            return table(req.keys.sample(rng), DaxFill::None, 0);
        }
        let kb = f64::from(req.item_kb) * f64::from(req.items);
        // (hit, what to do once served, cache key, partition key hash).
        let (hit, fill, cache_key, key) = match &mut self.hits {
            Hits::Fixed(h) => {
                if !req.read {
                    return table(req.keys.sample(rng), DaxFill::None, 0);
                }
                if rng.random::<f64>() < *h {
                    (true, DaxFill::None, 0, 0)
                } else {
                    (false, DaxFill::None, 0, req.keys.sample(rng))
                }
            }
            Hits::Caches { items, queries } => {
                let Some(rank) = req.keys.sample_rank(rng) else {
                    // Every key about new: a read misses, nothing is kept.
                    if req.read {
                        self.lookup(now, measured, false, kb, rec);
                    }
                    return table(rng.random::<u32>(), DaxFill::None, 0);
                };
                let key = key_hash(rank);
                match req.op {
                    TableOp::Get => (items.probe(now, rank), DaxFill::Item, rank, key),
                    TableOp::Query | TableOp::Scan => {
                        let q = rank.wrapping_mul(256) | u64::from(req.index);
                        (queries.probe(now, q), DaxFill::Query, q, key)
                    }
                    TableOp::Put | TableOp::Update => return table(key, DaxFill::Item, rank),
                    TableOp::Delete => return table(key, DaxFill::Delete, rank),
                }
            }
        };
        self.lookup(now, measured, hit, kb, rec);
        if hit {
            return DaxStart::Hit(self.latency.sample_ns(rng));
        }
        table(key, fill, cache_key)
    }

    fn lookup(
        &mut self,
        now: SimTime,
        measured: bool,
        hit: bool,
        kb: f64,
        rec: &mut SeriesRecorder,
    ) {
        self.series.lookup(rec, now, hit);
        if !hit {
            self.series.origin(rec, now);
        }
        if measured {
            self.figures.lookup(hit, kb);
            if !hit {
                self.figures.origin(kb);
            }
        }
    }

    /// DynamoDB served a request that asked for `fill` with `rank` at
    /// `now`: the item or the query's result is cached, or the item
    /// removed.
    #[inline]
    pub fn served(&mut self, now: SimTime, fill: DaxFill, rank: u64) {
        let Hits::Caches { items, queries } = &mut self.hits else {
            return;
        };
        match fill {
            DaxFill::None => {}
            DaxFill::Item => items.fill(now, rank),
            DaxFill::Query => queries.fill(now, rank),
            DaxFill::Delete => items.invalidate(rank),
        }
    }

    /// Computes the hit-ratio series (at the end of the run).
    pub fn finish(&self, rec: &mut SeriesRecorder) {
        self.series.finish(rec);
    }

    /// Bytes held by the caches.
    pub fn footprint(&self) -> usize {
        match &self.hits {
            Hits::Fixed(_) => 0,
            Hits::Caches { items, queries } => items.footprint() + queries.footprint(),
        }
    }
}

impl super::DynamoDbTable {
    /// A new request `req` at `now`: answered by DAX after `Err(delay)`
    /// \[ns\] (no capacity used), or `Ok(call)`, its first attempt with the
    /// hash of the partition key its attempts use (drawn only for requests
    /// that reach the table).
    #[inline]
    pub fn start(
        &mut self,
        req: &TableRequest,
        now: SimTime,
        measured: bool,
        rec: &mut SeriesRecorder,
    ) -> Result<TableCall, SimDuration> {
        let Some(dax) = &mut self.dax else {
            return Ok(TableCall::new(req, req.keys.sample(&mut self.rng)));
        };
        match dax.start(req, now, measured, &mut self.rng, rec) {
            DaxStart::Hit(latency) => {
                if measured {
                    self.counters.dax_hits += 1;
                }
                Err(latency)
            }
            DaxStart::Table { key, fill, rank } => Ok(TableCall {
                fill,
                rank,
                ..TableCall::new(req, key)
            }),
        }
    }
}

fn table(key: u32, fill: DaxFill, rank: u64) -> DaxStart {
    DaxStart::Table { key, fill, rank }
}
