//! The price table: plain data, one per AWS Region.
//!
//! Loaded from `prices/<region>.toml` by [`super::builtin`]; this
//! module only defines its shape and knows no file format.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Prices of one Region \[USD\].
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// AWS Region, e.g. `us-east-1`.
    pub region: String,
    /// AWS Lambda.
    pub lambda: LambdaPrices,
    /// Amazon CloudWatch Logs (Lambda's logs).
    pub cloudwatch_logs: LogsPrices,
    /// Amazon API Gateway.
    pub api_gateway: ApiGatewayPrices,
    /// Amazon DynamoDB.
    pub dynamodb: DynamoDbPrices,
    /// Amazon SQS.
    pub sqs: SqsPrices,
    /// Amazon SNS.
    pub sns: SnsPrices,
    /// Data transfer out to the internet.
    pub data_transfer: DataTransferPrices,
    /// Amazon Cognito user pools.
    pub cognito: CognitoPrices,
    /// Amazon S3.
    pub s3: S3Prices,
    /// Amazon EventBridge (schedules).
    pub eventbridge: EventBridgePrices,
    /// Amazon Kinesis Data Streams.
    pub kinesis: KinesisPrices,
    /// Amazon CloudFront (and S3 Transfer Acceleration for uploads).
    pub cloudfront: CloudFrontPrices,
}

/// One step of a tiered price.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Cumulative monthly quantity [unit counted] up to which `price`
    /// applies; `None` for the last, unbounded tier.
    #[serde(default)]
    pub up_to: Option<f64>,
    /// Price [USD per the unit named by the field holding the tiers].
    pub price: f64,
}

/// Lambda prices.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LambdaPrices {
    /// Requests [USD per 1M].
    pub request_usd_per_million: f64,
    /// On-demand duration, x86_64 [USD per GB-s], tiered on monthly GB-s.
    pub duration_x86_usd_per_gb_s: Vec<Tier>,
    /// On-demand duration, arm64 [USD per GB-s], tiered on monthly GB-s.
    pub duration_arm64_usd_per_gb_s: Vec<Tier>,
    /// Provisioned concurrency, configured [USD per GB-s].
    pub provisioned_concurrency_usd_per_gb_s: f64,
    /// Duration run on provisioned environments [USD per GB-s].
    pub provisioned_duration_usd_per_gb_s: f64,
    /// Free tier [requests per month].
    pub free_requests_per_month: f64,
    /// Free tier [GB-s per month].
    pub free_gb_seconds_per_month: f64,
    /// SnapStart cache of Python and .NET functions [USD per GB-s of
    /// memory, per active published version].
    pub snapstart_cache_usd_per_gb_s: f64,
    /// SnapStart restore of Python and .NET functions [USD per GB
    /// restored].
    pub snapstart_restore_usd_per_gb: f64,
}

/// CloudWatch Logs prices for Lambda's logs.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LogsPrices {
    /// Ingestion of Lambda logs [USD per GB], tiered on monthly GB.
    pub lambda_ingestion_usd_per_gb: Vec<Tier>,
    /// Free tier [GB ingested per month].
    pub free_ingestion_gb_per_month: f64,
}

/// API Gateway prices.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ApiGatewayPrices {
    /// REST API requests [USD per 1M], tiered on monthly requests.
    pub rest_usd_per_million: Vec<Tier>,
    /// HTTP API requests [USD per 1M], tiered on monthly requests.
    pub http_usd_per_million: Vec<Tier>,
    /// Response cache [USD per hour] for a cache of `cache_gb`.
    pub cache_usd_per_hour: f64,
    /// Cache size the hourly price is quoted for \[GB\]; other sizes are
    /// priced linearly (an approximation: AWS sells fixed sizes).
    pub cache_gb: f64,
    /// Free tier [requests per month, per API type].
    pub free_requests_per_month: f64,
}

/// DynamoDB prices.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbPrices {
    /// On-demand read request units [USD per 1M RRU].
    pub read_request_usd_per_million: f64,
    /// On-demand write request units [USD per 1M WRU].
    pub write_request_usd_per_million: f64,
    /// Provisioned read capacity [USD per RCU-hour].
    pub rcu_usd_per_hour: f64,
    /// Provisioned write capacity [USD per WCU-hour].
    pub wcu_usd_per_hour: f64,
    /// Global tables: replicated write request units on demand [USD per
    /// 1M rWRU].
    pub replicated_write_request_usd_per_million: f64,
    /// Global tables: provisioned replicated write capacity [USD per
    /// rWCU-hour].
    pub rwcu_usd_per_hour: f64,
    /// Table storage [USD per GB-month].
    pub storage_usd_per_gb_month: f64,
    /// Free tier [GB of storage per month, all tables together].
    pub free_storage_gb_per_month: f64,
    /// DAX nodes [USD per node-hour], by node type (e.g. `dax.r5.large`).
    pub dax_node_usd_per_hour: BTreeMap<String, f64>,
}

/// SQS prices (a request is each 64 KB chunk of a payload, and empty
/// receives count: the simulator counts them).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SqsPrices {
    /// Standard queue requests [USD per 1M], tiered on monthly requests.
    pub standard_usd_per_million: Vec<Tier>,
    /// FIFO queue requests [USD per 1M], tiered on monthly requests.
    pub fifo_usd_per_million: Vec<Tier>,
    /// Free tier [requests per month, standard and FIFO together].
    pub free_requests_per_month: f64,
}

/// SNS prices (standard topics; a publish is each 64 KB chunk of a
/// message: the simulator counts them).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SnsPrices {
    /// Publish requests [USD per 1M].
    pub publish_usd_per_million: f64,
    /// Free tier [publishes per month].
    pub free_publishes_per_month: f64,
}

/// Data transfer out to the internet.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataTransferPrices {
    /// Out to the internet [USD per GB], tiered on monthly GB after the
    /// free allowance.
    pub out_usd_per_gb: Vec<Tier>,
    /// Free tier [GB per month, account-wide].
    pub free_gb_per_month: f64,
}

/// Cognito user pools: monthly active users by feature plan.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CognitoPrices {
    /// Lite [USD per MAU].
    pub lite_usd_per_mau: f64,
    /// Essentials [USD per MAU].
    pub essentials_usd_per_mau: f64,
    /// Plus [USD per MAU].
    pub plus_usd_per_mau: f64,
    /// Free MAUs per account, Lite and Essentials together (Plus has none).
    pub free_mau_lite_essentials: f64,
}

/// Amazon S3 prices (S3 Standard).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct S3Prices {
    /// Storage [USD per GB-month], tiered on the account's monthly GB.
    pub storage_usd_per_gb_month: Vec<Tier>,
    /// PUT, COPY, POST and LIST requests [USD per 1,000].
    pub put_usd_per_thousand: f64,
    /// GET requests [USD per 1,000].
    pub get_usd_per_thousand: f64,
    /// DELETE requests [USD per 1,000].
    pub delete_usd_per_thousand: f64,
}

/// EventBridge prices for schedules (scheduled rules are believed free,
/// aws-facts 10.13: UNCONFIRMED).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventBridgePrices {
    /// EventBridge Scheduler invocations [USD per 1M].
    pub scheduler_usd_per_million: f64,
    /// Free tier [Scheduler invocations per month].
    pub scheduler_free_invocations_per_month: f64,
}

/// Kinesis Data Streams prices (aws-facts 6 and 10.9; partly
/// UNCONFIRMED, see `prices/us-east-1.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct KinesisPrices {
    /// A provisioned shard [USD per hour].
    pub shard_hour_usd: f64,
    /// PUT payload units of 25 KB [USD per 1M].
    pub put_units_usd_per_million: f64,
    /// An on-demand stream [USD per hour].
    pub on_demand_stream_hour_usd: f64,
    /// Data written on demand [USD per GB].
    pub on_demand_usd_per_gb_in: f64,
}

/// Amazon CloudFront prices (pay-as-you-go, North America and Europe).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CloudFrontPrices {
    /// HTTPS requests [USD per 10,000].
    pub https_usd_per_10k: f64,
    /// Data transfer out to the internet [USD per GB], tiered on the
    /// monthly GB after the free allowance.
    pub out_usd_per_gb: Vec<Tier>,
    /// Free data transfer out [GB per month].
    pub free_gb_per_month: f64,
    /// Free requests [per month].
    pub free_requests_per_month: f64,
    /// Requests reaching the origin shield [USD per 10,000].
    pub origin_shield_usd_per_10k: f64,
    /// Uploads through CloudFront to the origin [USD per GB].
    pub to_origin_usd_per_gb: f64,
    /// Uploads with S3 Transfer Acceleration [USD per GB].
    pub transfer_acceleration_usd_per_gb: f64,
}

impl PriceTable {
    /// Checks that every tier list is non-empty, ascending and ends with an
    /// unbounded tier, and that no price is negative. Returns the first
    /// problem found, naming the field.
    pub fn check(&self) -> Result<(), String> {
        let tiers = [
            (
                "lambda.duration_x86_usd_per_gb_s",
                &self.lambda.duration_x86_usd_per_gb_s,
            ),
            (
                "lambda.duration_arm64_usd_per_gb_s",
                &self.lambda.duration_arm64_usd_per_gb_s,
            ),
            (
                "api_gateway.rest_usd_per_million",
                &self.api_gateway.rest_usd_per_million,
            ),
            (
                "api_gateway.http_usd_per_million",
                &self.api_gateway.http_usd_per_million,
            ),
            (
                "sqs.standard_usd_per_million",
                &self.sqs.standard_usd_per_million,
            ),
            ("sqs.fifo_usd_per_million", &self.sqs.fifo_usd_per_million),
            (
                "cloudwatch_logs.lambda_ingestion_usd_per_gb",
                &self.cloudwatch_logs.lambda_ingestion_usd_per_gb,
            ),
            (
                "data_transfer.out_usd_per_gb",
                &self.data_transfer.out_usd_per_gb,
            ),
            (
                "s3.storage_usd_per_gb_month",
                &self.s3.storage_usd_per_gb_month,
            ),
            ("cloudfront.out_usd_per_gb", &self.cloudfront.out_usd_per_gb),
        ];
        for (name, list) in tiers {
            check_tiers(list).map_err(|e| format!("{name}: {e}"))?;
        }
        let scalars = [
            (
                "lambda.request_usd_per_million",
                self.lambda.request_usd_per_million,
            ),
            (
                "lambda.provisioned_concurrency_usd_per_gb_s",
                self.lambda.provisioned_concurrency_usd_per_gb_s,
            ),
            (
                "lambda.provisioned_duration_usd_per_gb_s",
                self.lambda.provisioned_duration_usd_per_gb_s,
            ),
            (
                "lambda.free_requests_per_month",
                self.lambda.free_requests_per_month,
            ),
            (
                "lambda.free_gb_seconds_per_month",
                self.lambda.free_gb_seconds_per_month,
            ),
            (
                "api_gateway.cache_usd_per_hour",
                self.api_gateway.cache_usd_per_hour,
            ),
            (
                "api_gateway.free_requests_per_month",
                self.api_gateway.free_requests_per_month,
            ),
            (
                "dynamodb.read_request_usd_per_million",
                self.dynamodb.read_request_usd_per_million,
            ),
            (
                "dynamodb.write_request_usd_per_million",
                self.dynamodb.write_request_usd_per_million,
            ),
            ("dynamodb.rcu_usd_per_hour", self.dynamodb.rcu_usd_per_hour),
            ("dynamodb.wcu_usd_per_hour", self.dynamodb.wcu_usd_per_hour),
            (
                "sqs.free_requests_per_month",
                self.sqs.free_requests_per_month,
            ),
            (
                "sns.publish_usd_per_million",
                self.sns.publish_usd_per_million,
            ),
            (
                "sns.free_publishes_per_month",
                self.sns.free_publishes_per_month,
            ),
            (
                "lambda.snapstart_cache_usd_per_gb_s",
                self.lambda.snapstart_cache_usd_per_gb_s,
            ),
            (
                "lambda.snapstart_restore_usd_per_gb",
                self.lambda.snapstart_restore_usd_per_gb,
            ),
            (
                "cloudwatch_logs.free_ingestion_gb_per_month",
                self.cloudwatch_logs.free_ingestion_gb_per_month,
            ),
            (
                "dynamodb.storage_usd_per_gb_month",
                self.dynamodb.storage_usd_per_gb_month,
            ),
            (
                "dynamodb.free_storage_gb_per_month",
                self.dynamodb.free_storage_gb_per_month,
            ),
            (
                "data_transfer.free_gb_per_month",
                self.data_transfer.free_gb_per_month,
            ),
            ("cognito.lite_usd_per_mau", self.cognito.lite_usd_per_mau),
            (
                "cognito.essentials_usd_per_mau",
                self.cognito.essentials_usd_per_mau,
            ),
            ("cognito.plus_usd_per_mau", self.cognito.plus_usd_per_mau),
            (
                "cognito.free_mau_lite_essentials",
                self.cognito.free_mau_lite_essentials,
            ),
            ("s3.put_usd_per_thousand", self.s3.put_usd_per_thousand),
            ("s3.get_usd_per_thousand", self.s3.get_usd_per_thousand),
            (
                "s3.delete_usd_per_thousand",
                self.s3.delete_usd_per_thousand,
            ),
            (
                "eventbridge.scheduler_usd_per_million",
                self.eventbridge.scheduler_usd_per_million,
            ),
            (
                "eventbridge.scheduler_free_invocations_per_month",
                self.eventbridge.scheduler_free_invocations_per_month,
            ),
            ("kinesis.shard_hour_usd", self.kinesis.shard_hour_usd),
            (
                "kinesis.put_units_usd_per_million",
                self.kinesis.put_units_usd_per_million,
            ),
            (
                "kinesis.on_demand_stream_hour_usd",
                self.kinesis.on_demand_stream_hour_usd,
            ),
            (
                "kinesis.on_demand_usd_per_gb_in",
                self.kinesis.on_demand_usd_per_gb_in,
            ),
            (
                "cloudfront.https_usd_per_10k",
                self.cloudfront.https_usd_per_10k,
            ),
            (
                "cloudfront.free_gb_per_month",
                self.cloudfront.free_gb_per_month,
            ),
            (
                "cloudfront.free_requests_per_month",
                self.cloudfront.free_requests_per_month,
            ),
            (
                "cloudfront.origin_shield_usd_per_10k",
                self.cloudfront.origin_shield_usd_per_10k,
            ),
            (
                "cloudfront.to_origin_usd_per_gb",
                self.cloudfront.to_origin_usd_per_gb,
            ),
            (
                "cloudfront.transfer_acceleration_usd_per_gb",
                self.cloudfront.transfer_acceleration_usd_per_gb,
            ),
        ];
        let dax = self
            .dynamodb
            .dax_node_usd_per_hour
            .values()
            .map(|&v| ("dynamodb.dax_node_usd_per_hour", v));
        for (name, v) in scalars.into_iter().chain(dax) {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("{name}: must be a number >= 0, got {v}"));
            }
        }
        if !(self.api_gateway.cache_gb.is_finite() && self.api_gateway.cache_gb > 0.0) {
            return Err(format!(
                "api_gateway.cache_gb: must be > 0, got {}",
                self.api_gateway.cache_gb
            ));
        }
        Ok(())
    }
}

fn check_tiers(list: &[Tier]) -> Result<(), String> {
    let Some(last) = list.last() else {
        return Err("needs at least one tier".into());
    };
    if last.up_to.is_some() {
        return Err("the last tier must have no `up_to` (it is unbounded)".into());
    }
    let mut prev = 0.0;
    for (i, t) in list.iter().enumerate() {
        if !(t.price.is_finite() && t.price >= 0.0) {
            return Err(format!("tier {i}: price must be >= 0, got {}", t.price));
        }
        if i + 1 < list.len() {
            match t.up_to {
                Some(u) if u.is_finite() && u > prev => prev = u,
                Some(u) => {
                    return Err(format!(
                        "tier {i}: up_to must be greater than the previous tier's ({prev}), got {u}"
                    ))
                }
                None => return Err(format!("tier {i}: only the last tier may omit `up_to`")),
            }
        }
    }
    Ok(())
}
