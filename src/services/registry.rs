//! What a service kind provides ([`Service`]), and the macro that turns the
//! one list of kinds in `services/mod.rs` into the closed types and the
//! dispatch: [`super::Kind`], [`super::FrameState`], [`super::World`] and
//! [`super::Sections`].
//!
//! Static dispatch only: every call below is `<Kind as Service>::f(...)`
//! inside a `match`, so the hot path has no `dyn` and no lookup by name.

use indexmap::IndexMap;
use serde::Serialize;

use super::findings::{Finding, FindingsCx};
use super::{Cx, FrameRef, FrameState, Outcome, Timer, World};
use crate::cost::{Bill, Pricing};
use crate::engine::{SimDuration, SimRng, SimTime};
use crate::metrics::{SeriesId, SeriesRecorder};
use crate::model::Scenario;

/// What building a kind's state may use: the model, the time-series
/// recorder, and the run's seed and clock.
pub struct Build<'a> {
    /// The scenario.
    pub model: &'a Scenario,
    /// Where components register their series (moves into the world).
    pub rec: SeriesRecorder,
    /// Series values per second: `1 / interval` \[1/s\].
    pub per_s: f64,
    /// End of the warm-up \[ns\].
    pub warmup: SimTime,
    /// End of the run \[ns\].
    pub end: SimTime,
}

impl Build<'_> {
    /// The random stream of component `name` for `purpose`.
    pub fn rng(&self, name: &str, purpose: &str) -> SimRng {
        crate::engine::stream(self.model.simulation.seed, name, purpose)
    }

    /// Registers a series summed per interval and scaled by `scale`.
    pub fn sum(&mut self, name: &str, metric: &str, unit: &'static str, scale: f64) -> SeriesId {
        use crate::metrics::series::Combine;
        self.rec.register(name, metric, unit, Combine::Sum, scale)
    }

    /// Registers a series keeping the interval's maximum, in `unit`.
    pub fn max(&mut self, name: &str, metric: &str, unit: &'static str) -> SeriesId {
        use crate::metrics::series::Combine;
        self.rec.register(name, metric, unit, Combine::Max, 1.0)
    }
}

/// What collecting a kind's figures may use.
pub struct Collect<'a> {
    /// The run's end (or where a guard stopped it) \[ns\].
    pub end: SimTime,
    /// Length of the measured window \[ns\].
    pub measured: SimDuration,
    /// The recorder (levels are finished into it).
    pub rec: &'a mut SeriesRecorder,
}

impl Collect<'_> {
    /// A time-weighted area over the measured window as a mean level.
    pub fn mean(&self, area: f64) -> f64 {
        let s = crate::engine::ns_to_secs(self.measured);
        if s > 0.0 {
            area / s
        } else {
            0.0
        }
    }
}

/// One kind of service: all its components and kind-wide state, its part
/// of the event flow, its figures, its text rows and its bill.
///
/// A kind's flow functions take the whole [`World`] because a call crosses
/// kinds (a function calls a table); each kind changes only its own state
/// and the frames it owns, and reaches another kind through that kind's
/// entry functions (e.g. `lambda::flow::invoke`).
pub trait Service: Sized + Send {
    /// Name of one component in messages, e.g. `"function"`.
    const LABEL: &'static str;
    /// What a live frame of this kind is, in the memory guard's census,
    /// e.g. `"invocations in progress"`.
    const BACKLOG: &'static str;
    /// What [`Service::held`] counts, in the census, e.g. `"messages held"`.
    const HELD: &'static str = "";
    /// Time series each component registers.
    const SERIES: usize;
    /// A component's figures in the result.
    type Stats: Serialize + Clone + std::fmt::Debug + Default;

    /// Components of this kind in the model.
    fn count(m: &Scenario) -> usize;
    /// Time series the kind registers for `m`: [`Service::SERIES`] per
    /// component unless some components register more (a cache's).
    fn series(m: &Scenario) -> usize {
        Self::SERIES * Self::count(m)
    }
    /// Builds the kind's state (registering its series in order).
    fn build(b: &mut Build<'_>) -> Self;
    /// Name of component `i`.
    fn name(&self, i: usize) -> &str;
    /// Bytes held by what grows during a run.
    fn footprint(&self) -> usize;
    /// What components hold besides their frames (e.g. a queue's
    /// messages), for the memory guard's census: (component, count), the
    /// non-zero ones.
    fn held(&self) -> Vec<(usize, u64)> {
        Vec::new()
    }
    /// Which component a frame of this kind (one of the kind's frame
    /// variants) belongs to.
    fn owner(f: &FrameState) -> usize;

    /// Schedules the kind's first events.
    fn start(_w: &mut World, _cx: &mut Cx) {}
    /// A frame's pending work is done. `fr` is a handle to a frame of this
    /// kind, but it may be stale (the frame ended): the handler reads the
    /// frame and does nothing if it is gone.
    fn on_step(w: &mut World, cx: &mut Cx, fr: FrameRef);
    /// A frame's deadline came while its work was pending (`fr` may be
    /// stale, as for [`Service::on_step`]).
    fn on_expire(_w: &mut World, _cx: &mut Cx, _fr: FrameRef) {}
    /// A call made by frame `to` ended with `outcome` (`to` may be stale or
    /// [`FrameRef::NONE`], as for [`Service::on_step`]).
    fn on_reply(w: &mut World, cx: &mut Cx, to: FrameRef, outcome: Outcome);
    /// One of this kind's timers fired.
    fn on_timer(_w: &mut World, _cx: &mut Cx, _t: Timer) {}

    /// The figures of every component, in model order.
    fn stats(&mut self, c: &mut Collect<'_>) -> IndexMap<String, Self::Stats>;
    /// The kind's rows of the text summary (nothing when it has none).
    fn text(stats: &IndexMap<String, Self::Stats>, out: &mut String);
    /// The kind's monthly bill, if it is billed.
    fn bill(_stats: &IndexMap<String, Self::Stats>, _p: &Pricing<'_>) -> Option<Bill> {
        None
    }
    /// The kind's findings about the run (none by default).
    fn findings(
        _stats: &IndexMap<String, Self::Stats>,
        _cx: &FindingsCx<'_>,
        _out: &mut Vec<Finding>,
    ) {
    }
    /// Every bill the kind's usage makes: by default its own
    /// ([`Service::bill`]); a kind whose usage is also billed under other
    /// services' names (API responses as data transfer) returns several.
    fn bills(stats: &IndexMap<String, Self::Stats>, p: &Pricing<'_>) -> Vec<Bill> {
        Self::bill(stats, p).into_iter().collect()
    }
}

/// Generates, from the list of kinds, the closed enums and the dispatch.
/// Each line: `Kind { field: f, service: T, frames: [Variant(State), ..],
/// section: s }`: the kind's frame variants (calls of this kind in
/// progress, in the frame slab) go to `T`'s handlers.
macro_rules! services {
    ($( $kind:ident { field: $field:ident, service: $svc:ty, frames: [$($frame:ident($fty:ty)),+ $(,)?], section: $section:ident } ),* $(,)?) => {
        /// The kinds of service, in registry order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Kind {
            $(
                #[doc = concat!("`", stringify!($section), "`")]
                $kind,
            )*
        }

        impl Kind {
            /// Every kind, in registry order.
            pub const ALL: &'static [Kind] = &[$(Kind::$kind),*];
            /// Number of kinds.
            pub const COUNT: usize = Kind::ALL.len();

            /// Name of one component of this kind in messages.
            pub fn label(self) -> &'static str {
                match self {
                    $(Kind::$kind => <$svc as Service>::LABEL,)*
                }
            }
        }

        /// What a frame is doing: a call of one kind in progress.
        #[derive(Clone, Copy, Debug)]
        pub enum FrameState {
            $($(
                #[doc = concat!("A call of kind `", stringify!($kind), "`.")]
                $frame($fty),
            )+)*
        }

        impl FrameState {
            /// The kind that owns this frame variant.
            #[inline]
            pub fn kind(&self) -> Kind {
                match self {
                    $($(FrameState::$frame(_))|+ => Kind::$kind,)*
                }
            }
        }

        /// Everything that changes during a run.
        pub struct World {
            /// Calls in progress.
            pub frames: Frames,
            /// Time series.
            pub rec: SeriesRecorder,
            /// End of the warm-up \[ns\].
            pub warmup: SimTime,
            $(
                #[doc = concat!("`", stringify!($section), "`.")]
                pub $field: $svc,
            )*
        }

        /// Each kind's figures, per component (sections of `summary.json`).
        #[derive(Clone, Debug, Default, Serialize)]
        pub struct Sections {
            $(
                #[doc = concat!("Per component of kind `", stringify!($kind), "`.")]
                pub $section: IndexMap<String, <$svc as Service>::Stats>,
            )*
        }

        impl World {
            /// Time series the model's components register.
            pub fn series_planned(m: &Scenario) -> usize {
                0 $(+ <$svc as Service>::series(m))*
            }

            /// Builds every kind's state.
            pub fn build(mut b: Build<'_>) -> Self {
                $(let $field = <$svc as Service>::build(&mut b);)*
                World {
                    frames: Frames::default(),
                    rec: b.rec,
                    warmup: b.warmup,
                    $($field,)*
                }
            }

            /// Schedules every kind's first events.
            pub fn start(&mut self, cx: &mut Cx) {
                $(<$svc as Service>::start(self, cx);)*
            }

            /// Handles one event.
            #[inline]
            pub fn handle(&mut self, cx: &mut Cx, ev: Event) {
                match ev {
                    Event::Step(fr) => self.on_step(cx, fr),
                    Event::Expire(fr) => self.on_expire(cx, fr),
                    Event::Timer(t) => match t.kind {
                        $(Kind::$kind => <$svc as Service>::on_timer(self, cx, t),)*
                    },
                }
            }

            // Dispatch on the kind the handle carries: no slab read here;
            // the kind's handler reads the frame (and ignores a stale
            // handle, whose frame has ended).
            #[inline]
            fn on_step(&mut self, cx: &mut Cx, fr: FrameRef) {
                match fr.kind {
                    $(Kind::$kind => <$svc as Service>::on_step(self, cx, fr),)*
                }
            }

            fn on_expire(&mut self, cx: &mut Cx, fr: FrameRef) {
                match fr.kind {
                    $(Kind::$kind => <$svc as Service>::on_expire(self, cx, fr),)*
                }
            }

            /// Delivers a finished call's outcome to the frame that made it
            /// (nothing if that frame has ended: its caller gave up).
            #[inline]
            pub fn deliver(&mut self, cx: &mut Cx, to: FrameRef, outcome: Outcome) {
                match to.kind {
                    $(Kind::$kind => <$svc as Service>::on_reply(self, cx, to, outcome),)*
                }
            }

            /// Bytes held by the frames, the series and every kind's state.
            pub fn footprint(&self) -> usize {
                self.frames.footprint() + self.rec.footprint() $(+ self.$field.footprint())*
            }

            /// The frame at the root of `fr`'s chain of callers: its kind,
            /// component and start (`None` when `fr` is not a live frame).
            pub fn root_of(&self, mut fr: FrameRef) -> Option<(Kind, usize, SimTime)> {
                let mut root = None;
                while let Some(f) = self.frames.get(fr) {
                    root = Some(match &f.state {
                        $($(FrameState::$frame(_))|+ => (Kind::$kind, <$svc as Service>::owner(&f.state), f.start),)*
                    });
                    fr = f.parent;
                }
                root
            }

            /// Live frames per component: (kind label, name, what, count),
            /// largest first, at most `top`.
            pub fn census(&self, top: usize) -> Vec<(&'static str, &str, &'static str, u64)> {
                // (kind, component, count, counts what the kind holds).
                let mut counts: Vec<(Kind, usize, u64, bool)> = Vec::new();
                let mut add = |k: Kind, i: usize| match counts.iter_mut().find(|c| c.0 == k && c.1 == i && !c.3) {
                    Some(c) => c.2 += 1,
                    None => counts.push((k, i, 1, false)),
                };
                for f in self.frames.iter_live() {
                    match &f.state {
                        $($(FrameState::$frame(_))|+ => add(Kind::$kind, <$svc as Service>::owner(&f.state)),)*
                    }
                }
                $(counts.extend(self.$field.held().into_iter().map(|(i, n)| (Kind::$kind, i, n, true)));)*
                counts.sort_by_key(|c| (std::cmp::Reverse(c.2), c.0 as u8, c.1));
                counts
                    .into_iter()
                    .take(top)
                    .map(|(k, i, n, held)| match k {
                        $(Kind::$kind => (
                            <$svc as Service>::LABEL,
                            self.$field.name(i),
                            if held { <$svc as Service>::HELD } else { <$svc as Service>::BACKLOG },
                            n,
                        ),)*
                    })
                    .collect()
            }

            /// Every kind's figures.
            pub fn collect(&mut self, end: SimTime, measured: SimDuration) -> Sections {
                let mut c = Collect { end, measured, rec: &mut self.rec };
                Sections {
                    $($section: self.$field.stats(&mut c),)*
                }
            }
        }

        impl Sections {
            /// Every kind's rows of the text summary, in registry order.
            pub fn text(&self, out: &mut String) {
                $(<$svc as Service>::text(&self.$section, out);)*
            }

            /// Every billed kind's monthly bill, in registry order.
            pub fn bills(&self, p: &Pricing<'_>) -> Vec<Bill> {
                let mut v = Vec::new();
                $(v.extend(<$svc as Service>::bills(&self.$section, p));)*
                v
            }

            /// Every kind's findings, in registry order.
            pub fn findings(&self, cx: &FindingsCx<'_>) -> Vec<Finding> {
                let mut v = Vec::new();
                $(<$svc as Service>::findings(&self.$section, cx, &mut v);)*
                v
            }

            /// Name of component `i` of `kind`, if there is one.
            pub fn name(&self, kind: Kind, i: usize) -> Option<&str> {
                match kind {
                    $(Kind::$kind => self.$section.get_index(i).map(|(k, _)| k.as_str()),)*
                }
            }

            /// Components of `kind`.
            pub fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$kind => self.$section.len(),)*
                }
            }
        }
    };
}

pub(crate) use services;

/// `impl Index<usize>` and `IndexMut` from a kind's service struct to its
/// components, so flows write `w.lambdas[f]`.
macro_rules! index_by {
    ($svc:ty, $field:ident, $item:ty) => {
        impl std::ops::Index<usize> for $svc {
            type Output = $item;
            #[inline]
            fn index(&self, i: usize) -> &$item {
                &self.$field[i]
            }
        }
        impl std::ops::IndexMut<usize> for $svc {
            #[inline]
            fn index_mut(&mut self, i: usize) -> &mut $item {
                &mut self.$field[i]
            }
        }
    };
}

pub(crate) use index_by;
