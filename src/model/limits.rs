//! Every bound the scenario format puts on a number, declared once.
//!
//! Where AWS has a quota, the bound is that quota and cites its row of the
//! project's fact sheet (`aws-facts.md`, "aws-facts X.Y"); elsewhere it is
//! the range in which the simulator's arithmetic stays exact and its memory
//! bounded. `docs/scenario-format.md` lists them all for users.

/// Nanoseconds per second.
const NS: u64 = 1_000_000_000;
/// Seconds per day.
const DAY_S: u64 = 86_400;

/// Longest duration accepted anywhere (and the longest run) \[s\]: 366
/// days. Time is integer nanoseconds (`u64`, exact to 584 years); a run
/// longer than a year is outside what a capacity plan needs and would
/// exceed any event budget.
pub const MAX_DURATION_S: f64 = (366 * DAY_S) as f64;
/// [`MAX_DURATION_S`] in nanoseconds.
pub const MAX_DURATION_NS: u64 = 366 * DAY_S * NS;
/// Shortest non-zero duration \[s\]: 1 ns, the clock's resolution.
pub const MIN_DURATION_S: f64 = 1e-9;

/// Highest arrival rate of one workload, and highest API rate limit or
/// burst \[1/s\]: one request per microsecond, far beyond any real
/// workload (the API Gateway account default is 10,000/s, aws-facts 4)
/// and far above where nanosecond time stops resolving arrivals.
pub const MAX_RATE: f64 = 1e6;
/// Lowest non-zero rate \[1/s\]: one request per 11.6 days. Below it the
/// mean gap between arrivals is longer than the longest run.
pub const MIN_RATE: f64 = 1e-6;
/// Largest workload `scale`.
pub const MAX_SCALE: f64 = 1e6;
/// Route weights are relative; each is in `MIN_WEIGHT..=MAX_WEIGHT` so
/// that their ratios stay representable.
pub const MIN_WEIGHT: f64 = 1e-9;
/// See [`MIN_WEIGHT`].
pub const MAX_WEIGHT: f64 = 1e9;

/// Longest wait before a retry (client `retry.backoff` mean, table
/// `sdk_retry.base` and `max_backoff`) \[s\]: 1 hour. The SDKs cap their
/// backoff at 20 s (aws-facts 5.4); an hour keeps room for slow clients
/// while a request waiting for days is not a retry any more.
pub const MAX_RETRY_WAIT_S: u64 = 3600;
/// Largest `sdk_retry.max_attempts` (slsim's bound: the SDKs' defaults
/// are 3 to 10, aws-facts 5.4; a request's attempt number must fit a
/// byte).
pub const MAX_SDK_ATTEMPTS: u32 = 100;
/// Largest `sdk_retry.quota` \[tokens\] (slsim's bound; the SDKs start
/// with 500, aws-facts 5.4).
pub const MAX_RETRY_QUOTA: u32 = 1_000_000;

/// Largest `account_concurrency`: AWS's default is 1,000, raisable to
/// "tens of thousands" (aws-facts 1.1); 1,000,000 leaves room for
/// "unlimited" reference models while keeping environments in memory.
pub const MAX_ACCOUNT_CONCURRENCY: i64 = 1_000_000;
/// Lambda memory \[MB\] (aws-facts 1.3).
pub const LAMBDA_MEMORY_MB: (i64, i64) = (128, 10_240);
/// Lambda timeout, max \[s\] (aws-facts 1.3: 900 s).
pub const LAMBDA_MAX_TIMEOUT_S: u64 = 900;
/// Longest `keep_alive` \[s\]: 24 h. AWS publishes no idle lifetime; the
/// longest measured is ~65 min (aws-facts 1.4), and environments are
/// recycled "every few hours" even under load (aws-facts 10.6).
pub const MAX_KEEP_ALIVE_S: u64 = DAY_S;
/// Longest `max_lifetime` \[s\]: 24 h (same sources as [`MAX_KEEP_ALIVE_S`]).
pub const MAX_LIFETIME_S: u64 = DAY_S;
/// `threads` of a compute step: at least 0.01 (a step cannot be stretched
/// more than 100-fold by it) and at most 6, the most vCPUs a function gets
/// (at 10,240 MB; aws-facts 1.3).
pub const THREADS: (f64, f64) = (0.01, 6.0);
/// Items of one table call: DynamoDB itself has no limit on a scan's
/// items; 1,000,000 keeps capacity arithmetic exact.
pub const MAX_ITEMS: i64 = 1_000_000;
/// DynamoDB item size \[KB\] (aws-facts 5.1: 400 KB).
pub const MAX_ITEM_KB: f64 = 400.0;
/// Provisioned RCU / WCU and on-demand initial peaks per table: the
/// per-table default quota of 40,000 read and 40,000 write units, both
/// capacity modes (aws-facts 5.1).
pub const TABLE_MAX_UNITS: f64 = 40_000.0;
/// Table `burst_seconds` \[s\]: AWS keeps 300 s (aws-facts 5.2); up to a day.
pub const MAX_BURST_SECONDS: f64 = DAY_S as f64;
/// Largest `max_events`: 10^15 (event counts stay exact in JSON numbers,
/// which are doubles, below 2^53 ~ 9.007e15).
pub const MAX_EVENTS: i64 = 1_000_000_000_000_000;
/// `max_memory` \[bytes\]: 16 MiB ..= 1 TiB.
pub const MEMORY_BYTES: (u64, u64) = (16 << 20, 1 << 40);

/// Empirical sample files: at most this many bytes (64 MiB) ...
pub const MAX_SAMPLE_FILE_BYTES: u64 = 64 << 20;
/// ... and this many values per file ...
pub const MAX_SAMPLES_PER_FILE: usize = 1_000_000;
/// ... and this many values over all the files of a scenario (80 MB of
/// samples in memory; a file named twice is read once).
pub const MAX_SAMPLES_TOTAL: usize = 10_000_000;

/// Gamma `shape`: 0.001 ..= 1,000,000 (above, the distribution is a
/// constant: use `const`).
pub const GAMMA_SHAPE: (f64, f64) = (1e-3, 1e6);
/// Pareto `shape`: 0.1 ..= 1,000,000; from 0.1 up every draw
/// (`scale / u^(1/shape)`, `u >= 2^-53`) stays a finite number.
pub const PARETO_SHAPE: (f64, f64) = (0.1, 1e6);
/// Largest lognormal `sigma`: e^(2.33 sigma) is the ratio of p99 to the
/// median; sigma = 10 already puts p99 at 10^10 x the median.
pub const MAX_SIGMA: f64 = 10.0;

/// Seconds to nanoseconds for the `u64` bounds above.
pub const fn secs(s: u64) -> u64 {
    s * NS
}

/// Most API keys in a usage plan: AWS allows 10,000 API keys per account
/// and Region, not raisable (aws-facts 10.5).
pub const MAX_API_KEYS: i64 = 10_000;
/// Largest usage-plan quota \[requests per period\]: a trillion, far beyond
/// a per-key plan (AWS publishes no bound) and exact in `u64`.
pub const MAX_QUOTA: i64 = 1_000_000_000_000;
/// Most distinct identities of a Lambda authorizer: one cache slot (8
/// bytes) each, so at most 80 MB.
pub const MAX_IDENTITIES: i64 = 10_000_000;
/// Longest Lambda-authorizer result cache TTL \[s\] (aws-facts 10.5: 3,600).
pub const MAX_AUTH_CACHE_TTL_S: u64 = 3600;
/// Largest route `response_kb` \[KB\]: API Gateway's 10 MB payload limit
/// (aws-facts 4).
pub const MAX_RESPONSE_KB: f64 = 10.0 * 1024.0;
/// Largest Cognito `mau`: a billion monthly active users (AWS publishes
/// no bound in the fact sheet; beyond any user pool).
pub const MAX_MAU: f64 = 1e9;

/// Most partitioned prefixes of a bucket's key model (`prefixes`): one
/// window and two counters each (32 bytes), so at most 3.2 MB per bucket
/// (slsim's bound; S3 allows any number of prefixes, aws-facts 10.7).
pub const MAX_PREFIXES: u64 = 100_000;
/// Largest S3 object \[KB\]: 5 TB, S3's object size limit (\[NF\]
/// <https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html>: 5 GB in one PUT, 5 TB by multipart upload);
/// bounds a step's `size_kb` and the mean of `object_kb`.
pub const MAX_OBJECT_KB: f64 = 5e9;
/// Largest bucket `size_gb` \[GB\]: an exabyte, beyond any one bucket
/// (S3 sets no bucket size limit).
pub const MAX_BUCKET_GB: f64 = 1e9;
/// Most notification rules of a bucket (slsim's bound: each served put
/// draws every rule).
pub const MAX_NOTIFY_RULES: usize = 100;

/// Most bins of a hybrid keep-alive histogram (`range / bin`): one `u64`
/// count each, so 80 KB per function, and the percentile scan at each
/// release stays short (slsim's bound; the paper's default is 240, ATC '20
/// section 4.2).
pub const MAX_HISTOGRAM_BINS: u64 = 10_000;
/// Fewest bins of a hybrid keep-alive histogram: a coefficient of
/// variation needs two.
pub const MIN_HISTOGRAM_BINS: u64 = 2;
/// Largest hybrid `cv` threshold: the CV of n bin counts is at most
/// sqrt(n), 100 at [`MAX_HISTOGRAM_BINS`]; beyond it every histogram falls
/// back.
pub const MAX_HISTOGRAM_CV: f64 = 100.0;
/// Largest hybrid `min_samples` (slsim's bound: a million idle times).
pub const MAX_HISTOGRAM_MIN_SAMPLES: f64 = 1e6;
/// Largest hybrid `margin` \[%\]: below 100 so that the shortened head
/// stays positive.
pub const MAX_HISTOGRAM_MARGIN: f64 = 99.0;
