//! Per-interval time series and time-weighted levels.
//!
//! All buckets are allocated when the run is built: `duration / interval`
//! buckets per series, with the interval widened so that no series has more
//! than [`MAX_BUCKETS`] buckets and all series together no more than
//! [`MAX_POINTS`] values (when there are fewer series than that). Memory and
//! the size of `timeseries.csv` are therefore bounded in total, whatever the
//! run length and (up to one bucket per series) the number of components.

use crate::engine::{SimDuration, SimTime};

/// Upper bound on buckets per series.
pub const MAX_BUCKETS: u64 = 86_400;

/// Upper bound on values across all series (16 MB of `f64`; about 80 MB
/// of `timeseries.csv`), unless there are more series than this (then each
/// has one bucket).
pub const MAX_POINTS: u64 = 2_000_000;

/// Index of a registered series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeriesId(u32);

/// How a series combines values within one bucket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// Sum (counts, consumed units, time-weighted areas).
    Sum,
    /// Maximum.
    Max,
}

/// Fixed-size storage for every series of a run.
pub struct SeriesRecorder {
    interval: SimDuration,
    /// Length of the last bucket (shorter when the run length is not a
    /// multiple of the interval) \[ns\].
    last_width: SimDuration,
    buckets: usize,
    /// The run's end \[ns\]: an event at exactly the end (the engine runs
    /// events at `t <= end`, e.g. a timer on a whole second) belongs to the
    /// last bucket, as the counters count it.
    end: SimTime,
    names: Vec<(String, String, &'static str, Combine, f64)>,
    data: Vec<f64>,
    /// The bucket of the last lookup, \[start, end) and index: events come
    /// in time order, so most lookups hit it and skip a division.
    cached: (SimTime, SimTime, usize),
}

impl SeriesRecorder {
    /// Storage for `series` series over a run of `duration` at the
    /// requested `interval`; the interval is widened (to whole seconds) if
    /// a series would exceed [`MAX_BUCKETS`] buckets or all of them
    /// [`MAX_POINTS`] values.
    pub fn new(duration: SimDuration, interval: SimDuration, series: usize) -> Self {
        let mut interval = interval.max(1);
        let per_series = (MAX_POINTS / (series as u64).max(1)).clamp(1, MAX_BUCKETS);
        if duration.div_ceil(interval) > per_series {
            let secs = duration.div_ceil(per_series).div_ceil(1_000_000_000);
            interval = secs.max(1).saturating_mul(1_000_000_000);
        }
        let buckets = duration.div_ceil(interval).max(1) as usize;
        let last_width = match duration - (buckets as u64 - 1) * interval {
            0 => interval,
            w => w,
        };
        Self {
            interval,
            last_width,
            buckets,
            end: duration,
            names: Vec::new(),
            data: Vec::new(),
            cached: (0, interval, 0),
        }
    }

    /// Bucket width \[ns\].
    pub fn interval(&self) -> SimDuration {
        self.interval
    }

    /// Series registered so far.
    pub fn series_count(&self) -> usize {
        self.names.len()
    }

    /// Bytes allocated for the values.
    pub fn footprint(&self) -> usize {
        self.data.capacity() * std::mem::size_of::<f64>()
    }

    /// Registers a series of values in `unit` (written beside them); `scale`
    /// multiplies every bucket at export (e.g. 1/interval to turn counts
    /// into per-second rates). A series with a scale other than 1 is a
    /// per-time quantity: its last bucket, if shorter than the interval, is
    /// scaled by its real width.
    pub fn register(
        &mut self,
        component: &str,
        metric: &str,
        unit: &'static str,
        combine: Combine,
        scale: f64,
    ) -> SeriesId {
        let id = SeriesId(self.names.len() as u32);
        self.names.push((
            component.to_string(),
            metric.to_string(),
            unit,
            combine,
            scale,
        ));
        self.data.resize(self.data.len() + self.buckets, 0.0);
        id
    }

    #[inline]
    fn slot(&mut self, id: SeriesId, t: SimTime) -> Option<usize> {
        let (start, end, cached) = self.cached;
        let b = if t >= start && t < end {
            cached
        } else {
            self.locate(t)
        };
        (b < self.buckets).then(|| id.0 as usize * self.buckets + b)
    }

    /// The bucket of `t`, remembered with its time range for the next
    /// events (most fall in the same bucket). An event at exactly the
    /// run's end lands in the last bucket, as the counters count it.
    #[inline(never)]
    fn locate(&mut self, t: SimTime) -> usize {
        let b = (t / self.interval) as usize;
        if b == self.buckets && t == self.end {
            self.cached = (t, t + 1, b - 1);
            return b - 1;
        }
        let start = b as SimTime * self.interval;
        self.cached = (start, start.saturating_add(self.interval), b);
        b
    }

    /// Adds `v` to the bucket containing `t`.
    #[inline]
    pub fn add(&mut self, id: SeriesId, t: SimTime, v: f64) {
        if let Some(i) = self.slot(id, t) {
            self.data[i] += v;
        }
    }

    /// Raises the bucket containing `t` to at least `v`.
    #[inline]
    pub fn max(&mut self, id: SeriesId, t: SimTime, v: f64) {
        if let Some(i) = self.slot(id, t) {
            if v > self.data[i] {
                self.data[i] = v;
            }
        }
    }

    /// Sets every bucket of `dst` to `num / den` (0 where `den` is 0): a
    /// ratio per interval, e.g. a cache's hit ratio, once the run is over.
    pub fn ratio(&mut self, dst: SeriesId, num: SeriesId, den: SeriesId) {
        let n = self.buckets;
        for b in 0..n {
            let d = self.data[den.0 as usize * n + b];
            let v = self.data[num.0 as usize * n + b];
            self.data[dst.0 as usize * n + b] = if d > 0.0 { v / d } else { 0.0 };
        }
    }

    /// Sets every bucket to `v` (a limit that holds for the whole run).
    pub fn fill(&mut self, id: SeriesId, v: f64) {
        let from = id.0 as usize * self.buckets;
        self.data[from..from + self.buckets].fill(v);
    }

    /// Adds the area of a constant `level` over `[from, to)` [level * s],
    /// split across the buckets it covers.
    pub fn add_area(&mut self, id: SeriesId, from: SimTime, to: SimTime, level: f64) {
        if level == 0.0 || to <= from {
            return;
        }
        let mut t = from;
        while t < to {
            let b = t / self.interval;
            if b as usize >= self.buckets {
                break;
            }
            let end = ((b + 1) * self.interval).min(to);
            self.data[id.0 as usize * self.buckets + b as usize] += level * (end - t) as f64 * 1e-9;
            t = end;
        }
    }

    /// Exports the series (values multiplied by their scale).
    pub fn export(&self) -> super::TimeSeries {
        let last_fix = self.interval as f64 / self.last_width as f64;
        let series = self
            .names
            .iter()
            .enumerate()
            .map(|(k, (c, m, unit, _, scale))| {
                let mut values: Vec<f64> = self.data[k * self.buckets..(k + 1) * self.buckets]
                    .iter()
                    .map(|v| v * scale)
                    .collect();
                if *scale != 1.0 {
                    if let Some(last) = values.last_mut() {
                        *last *= last_fix;
                    }
                }
                super::Series {
                    component: c.clone(),
                    metric: m.clone(),
                    unit,
                    values,
                }
            })
            .collect();
        super::TimeSeries {
            interval_s: crate::engine::ns_to_secs(self.interval),
            series,
        }
    }
}

/// A level that changes at events (busy environments, live environments):
/// tracks its maximum and its time integral over the measured window, and
/// optionally feeds a time-weighted mean series and a per-bucket maximum.
///
/// The current bucket is accumulated inside the level and written to the
/// recorder only when time crosses into the next bucket, so a change costs
/// a few arithmetic operations. Call [`Level::finish`] at the end of a run.
#[derive(Clone, Debug)]
pub struct Level {
    value: i64,
    since: SimTime,
    /// Start of the measured window.
    warmup: SimTime,
    /// Integral over the measured window so far [level * ns], exact.
    area: i128,
    max: i64,
    series: Option<SeriesId>,
    max_series: Option<SeriesId>,
    interval: SimDuration,
    bucket_start: SimTime,
    bucket_end: SimTime,
    /// Area of the current bucket so far [level * ns], exact.
    bucket_area: i128,
    bucket_max: i64,
}

impl Level {
    /// A level at zero from time zero; statistics start at `warmup`.
    /// `series` receives the area per bucket (a time-weighted mean once
    /// scaled by 1/interval), `max_series` the maximum per bucket.
    pub fn new(
        warmup: SimTime,
        series: Option<SeriesId>,
        max_series: Option<SeriesId>,
        rec: &SeriesRecorder,
    ) -> Self {
        Self {
            value: 0,
            since: 0,
            warmup,
            area: 0,
            max: 0,
            series,
            max_series,
            interval: rec.interval(),
            bucket_start: 0,
            bucket_end: rec.interval(),
            bucket_area: 0,
            bucket_max: 0,
        }
    }

    /// Changes the level by `delta` at time `now`.
    #[inline]
    pub fn change(&mut self, now: SimTime, delta: i64, rec: &mut SeriesRecorder) {
        self.advance(now, rec);
        self.value += delta;
        if now >= self.warmup && self.value > self.max {
            self.max = self.value;
        }
        if self.value > self.bucket_max {
            self.bucket_max = self.value;
        }
    }

    /// Integrates up to `now` without changing the value.
    #[inline]
    pub fn advance(&mut self, now: SimTime, rec: &mut SeriesRecorder) {
        if now <= self.since {
            return;
        }
        // Integer areas: a multiply and two adds per change, exact.
        let v = i128::from(self.value);
        if self.since < self.warmup {
            self.enter_window(now);
        } else {
            self.area += v * i128::from(now - self.since);
        }
        if now < self.bucket_end {
            self.bucket_area += v * i128::from(now - self.since);
        } else {
            self.cross_buckets(now, rec);
        }
        self.since = now;
    }

    /// `advance` from before the measured window (to `now`, which may be
    /// inside it).
    #[cold]
    fn enter_window(&mut self, now: SimTime) {
        if now > self.warmup {
            if self.value > self.max {
                self.max = self.value;
            }
            self.area += i128::from(self.value) * i128::from(now - self.warmup);
        }
    }

    /// `advance` across one or more bucket boundaries.
    #[cold]
    fn cross_buckets(&mut self, now: SimTime, rec: &mut SeriesRecorder) {
        let v = self.value as f64;
        self.bucket_area += i128::from(self.value) * i128::from(self.bucket_end - self.since);
        self.flush(rec);
        let mut start = self.bucket_end;
        while start + self.interval <= now {
            if self.value != 0 {
                if let Some(id) = self.series {
                    rec.add(id, start, v * self.interval as f64 * 1e-9);
                }
                if let Some(id) = self.max_series {
                    rec.max(id, start, v);
                }
            }
            start += self.interval;
        }
        self.bucket_start = start;
        self.bucket_end = start + self.interval;
        self.bucket_area = i128::from(self.value) * i128::from(now - start);
        self.bucket_max = self.value;
    }

    fn flush(&mut self, rec: &mut SeriesRecorder) {
        if let Some(id) = self.series {
            rec.add(id, self.bucket_start, self.bucket_area as f64 * 1e-9);
        }
        if let Some(id) = self.max_series {
            rec.max(id, self.bucket_start, self.bucket_max as f64);
        }
        self.bucket_area = 0;
    }

    /// Integrates up to the end of the run and writes the last bucket.
    pub fn finish(&mut self, end: SimTime, rec: &mut SeriesRecorder) {
        self.advance(end, rec);
        self.flush(rec);
        self.series = None;
        self.max_series = None;
    }

    /// Start of the measured window.
    pub fn warmup(&self) -> SimTime {
        self.warmup
    }

    /// Time integral over the measured window so far [level * s].
    pub fn area(&self) -> f64 {
        self.area as f64 * 1e-9
    }

    /// Maximum in the measured window, up to the last `change`/`advance`.
    pub fn max(&self) -> i64 {
        self.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const S: u64 = 1_000_000_000;

    #[test]
    fn areas_split_across_buckets() {
        let mut r = SeriesRecorder::new(10 * S, S, 4);
        let id = r.register("f", "concurrency", "count", Combine::Sum, 1.0);
        r.add_area(id, S / 2, 3 * S, 2.0);
        let ts = r.export();
        assert_eq!(ts.series[0].values[..4], [1.0, 2.0, 2.0, 0.0]);
    }

    #[test]
    fn level_series_match_direct_areas_and_maxima() {
        let mut r = SeriesRecorder::new(10 * S, S, 4);
        let mean = r.register("f", "mean", "count", Combine::Sum, 1.0);
        let max = r.register("f", "max", "count", Combine::Max, 1.0);
        let mut l = Level::new(0, Some(mean), Some(max), &r);
        l.change(S / 2, 2, &mut r); // 2 from 0.5 s
        l.change(S / 2 + S / 4, 1, &mut r); // 3 from 0.75 s
        l.change(3 * S + S / 2, -3, &mut r); // 0 from 3.5 s
        l.finish(10 * S, &mut r);
        let ts = r.export();
        let (m, x) = (&ts.series[0].values, &ts.series[1].values);
        assert!((m[0] - (2.0 * 0.25 + 3.0 * 0.25)).abs() < 1e-12);
        assert_eq!(m[1..4], [3.0, 3.0, 1.5]);
        assert_eq!(x[..5], [3.0, 3.0, 3.0, 3.0, 0.0]);
        assert!((l.area() - (2.0 * 0.25 + 3.0 * 2.75)).abs() < 1e-12);
    }

    #[test]
    fn an_event_at_the_end_is_in_the_last_bucket_and_later_ones_are_not() {
        let mut r = SeriesRecorder::new(10 * S, S, 1);
        let id = r.register("f", "n", "count", Combine::Sum, 1.0);
        r.add(id, 10 * S, 1.0);
        r.add(id, 10 * S + 1, 5.0);
        let v = &r.export().series[0].values;
        assert_eq!(v.len(), 10);
        assert_eq!(v[9], 1.0);
        assert_eq!(v.iter().sum::<f64>(), 1.0);
    }

    #[test]
    fn a_short_last_bucket_is_scaled_by_its_width() {
        // 10 s run, 4 s buckets: the last one is 2 s long.
        let mut r = SeriesRecorder::new(10 * S, 4 * S, 4);
        let rate = r.register("w", "rps", "count", Combine::Sum, 0.25);
        let count = r.register("w", "n", "count", Combine::Sum, 1.0);
        for t in 0..10 {
            r.add(rate, t * S, 3.0);
            r.add(count, t * S, 3.0);
        }
        let ts = r.export();
        assert_eq!(ts.series[0].values, vec![3.0, 3.0, 3.0]);
        assert_eq!(ts.series[1].values, vec![12.0, 12.0, 6.0]);
    }

    #[test]
    fn interval_widens_for_long_runs() {
        let r = SeriesRecorder::new(1_000_000 * S, S, 4);
        assert_eq!(r.interval(), 12 * S);
        assert!(r.buckets as u64 <= MAX_BUCKETS);
    }

    #[test]
    fn interval_widens_with_the_number_of_series() {
        // 2,000 series over a day at 1 s would be 172.8 M values.
        let day = 86_400 * S;
        let r = SeriesRecorder::new(day, S, 2_000);
        assert!(r.buckets as u64 * 2_000 <= MAX_POINTS, "{}", r.buckets);
        assert_eq!(r.interval(), 87 * S); // ceil(86,400 / 1,000) s
                                          // Few series keep the per-series cap; more series than points get
                                          // one bucket each.
        assert_eq!(SeriesRecorder::new(day, S, 10).interval(), S);
        assert_eq!(SeriesRecorder::new(day, S, 3_000_000).buckets, 1);
        // A requested interval wider than needed is kept.
        assert_eq!(
            SeriesRecorder::new(day, 3_600 * S, 2_000).interval(),
            3_600 * S
        );
    }

    #[test]
    fn level_integrates_only_after_warmup() {
        let mut r = SeriesRecorder::new(10 * S, S, 4);
        let mut l = Level::new(2 * S, None, None, &r);
        l.change(S, 3, &mut r);
        l.change(4 * S, -1, &mut r);
        l.advance(6 * S, &mut r);
        // 3 over [2, 4) + 2 over [4, 6) = 6 + 4.
        assert!((l.area() - 10.0).abs() < 1e-9);
        assert_eq!(l.max(), 3);
    }
}
