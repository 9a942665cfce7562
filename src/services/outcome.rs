//! How a call ended: an end state, and which kind of component caused it.

use super::Kind;

/// The end states of a call (and of a request, after client retries).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum End {
    /// Success.
    Ok,
    /// Throttled somewhere.
    Throttled,
    /// An error.
    Failed,
    /// A timeout.
    TimedOut,
}

impl End {
    /// Every end state, in reporting order.
    pub const ALL: [End; 4] = [End::Ok, End::Throttled, End::Failed, End::TimedOut];
}

/// Where a failure began: the component whose throttle, error or timeout
/// started the chain that ended the call (for `Ok`, the component that
/// answered).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cause {
    /// Its kind.
    pub kind: Kind,
    /// How it ended there.
    pub end: End,
    /// Its index among the components of its kind ([`Cause::UNKNOWN`] when
    /// the site that made the outcome did not say).
    pub index: u16,
}

impl Cause {
    /// `index` of a cause whose component was not recorded.
    pub const UNKNOWN: u16 = u16::MAX;
}

/// How a call ended, as its caller sees it: the end state and the kind of
/// component that decided it (for `Ok`, the kind that answered), and the
/// [`Cause`] the chain began with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// The end state.
    pub end: End,
    /// Who decided it.
    pub by: Kind,
    /// Where the chain began.
    pub cause: Cause,
}

impl Outcome {
    /// An outcome decided (and caused) by a component of kind `by` whose
    /// index is not recorded.
    #[inline]
    pub const fn new(end: End, by: Kind) -> Self {
        Self::at(end, by, Cause::UNKNOWN as usize)
    }

    /// An outcome decided and caused by component `index` of kind `by`.
    #[inline]
    pub const fn at(end: End, by: Kind, index: usize) -> Self {
        Self {
            end,
            by,
            cause: Cause {
                kind: by,
                end,
                index: index as u16,
            },
        }
    }

    /// This outcome, caused by what caused `earlier` (a downstream call's
    /// failure).
    #[inline]
    pub const fn because(self, earlier: Outcome) -> Self {
        Self {
            cause: earlier.cause,
            ..self
        }
    }

    /// Number of distinct outcomes (the size of a counter array).
    pub const COUNT: usize = End::ALL.len() * Kind::COUNT;

    /// A success answered by `by`.
    #[inline]
    pub const fn ok(by: Kind) -> Self {
        Self::new(End::Ok, by)
    }

    /// Whether it succeeded.
    #[inline]
    pub fn is_ok(self) -> bool {
        self.end == End::Ok
    }

    /// Index into a `[u64; Outcome::COUNT]` counter array.
    #[inline]
    pub fn index(self) -> usize {
        self.end as usize * Kind::COUNT + self.by as usize
    }

    /// Every outcome, in counter-array order (end state first).
    pub fn all() -> impl Iterator<Item = Outcome> {
        End::ALL
            .into_iter()
            .flat_map(|e| Kind::ALL.iter().map(move |&k| Outcome::new(e, k)))
    }

    /// The HTTP status API Gateway returns for this outcome (aws-facts 4:
    /// throttle 429, Lambda throttle 500, function error 502, timeout 504;
    /// a Lambda authorizer that fails, times out or is throttled: 500,
    /// `AuthorizerConfigurationException`).
    pub fn api_status(self) -> u16 {
        match (self.end, self.by) {
            (End::Ok, _) => 200,
            (End::Throttled, Kind::Api) => 429,
            (End::Failed, Kind::Api) => 500,
            (End::Throttled, _) => 500,
            (End::TimedOut, Kind::Api) => 504,
            (End::Failed | End::TimedOut, _) => 502,
        }
    }

    /// The name used for direct (non-API) callers.
    pub fn name(self) -> &'static str {
        match (self.end, self.by) {
            (End::Ok, _) => "ok",
            (End::Throttled, Kind::Api) => "api_throttled",
            (End::Throttled, Kind::Bucket) => "slow_down",
            (End::Throttled, _) => "throttled",
            (End::Failed, Kind::Table) => "table_error",
            (End::Failed, Kind::Bucket) => "bucket_error",
            (End::Failed, Kind::Api) => "authorizer_error",
            (End::Failed, _) => "function_error",
            (End::TimedOut, Kind::Api) => "gateway_timeout",
            (End::TimedOut, _) => "function_timeout",
        }
    }
}
