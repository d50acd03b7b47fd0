//! The `webhook` job: posts a monitor alert to the monitor's webhook,
//! signed, and is retried by the queue (with its backoff) until the receiver
//! answers 2xx or the attempts run out.
//!
//! The body is the alert as `GET /v1/monitors/{id}/alerts` shows it. The
//! `Probity-Signature` header is `t=<unix seconds>,v1=<hex>`, where `<hex>` is
//! HMAC-SHA256 with the monitor's webhook secret over `<t>.<body>`: a receiver
//! recomputes it, compares in constant time, and refuses old `t`.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;
use utoipa::ToSchema;
use uuid::Uuid;

use super::to_result;
use crate::jobs::control::{JobContext, JobControl, JobFailure};
use crate::store::monitors;

/// Payload of a `webhook` job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookPayload {
    /// The alert to deliver.
    pub alert_id: Uuid,
}

/// The result of a `webhook` job: the receiver's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WebhookResult {
    /// The alert delivered.
    pub alert_id: Uuid,
    /// The HTTP status the receiver answered.
    pub status: u16,
}

/// The `Probity-Signature` header of `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={timestamp},v1={}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Runs one attempt of a `webhook` job.
pub(super) async fn run(
    payload: WebhookPayload,
    context: JobContext,
    control: Arc<JobControl>,
) -> Result<Value, JobFailure> {
    control.check()?;
    let alert = monitors::alert(&context.pool, payload.alert_id)
        .await?
        .ok_or_else(|| {
            JobFailure::permanent(format!("alert {} no longer exists", payload.alert_id))
        })?;
    let monitor = monitors::get(&context.pool, alert.monitor_id)
        .await?
        .ok_or_else(|| {
            JobFailure::permanent(format!("monitor {} no longer exists", alert.monitor_id))
        })?;
    let Some(target) = monitor.request.0.webhook else {
        return Err(JobFailure::permanent("the monitor no longer has a webhook"));
    };
    let body = serde_json::to_vec(&alert).expect("alerts serialise");
    let timestamp = chrono::Utc::now().timestamp();
    let client = http_client::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(http_client::redirect::Policy::none())
        .build()
        .map_err(|e| JobFailure::permanent(format!("webhook client: {e}")))?;
    let response = client
        .post(&target.url)
        .header("content-type", "application/json")
        .header(
            "probity-signature",
            signature(&target.secret, timestamp, &body),
        )
        .header("probity-alert-id", alert.id.to_string())
        .body(body)
        .send()
        .await
        .map_err(|e| JobFailure::Failed {
            message: format!("webhook delivery failed: {}", e.without_url()),
            retryable: true,
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(JobFailure::Failed {
            message: format!("the webhook answered {status}"),
            retryable: true,
        });
    }
    Ok(to_result(WebhookResult {
        alert_id: alert.id,
        status: status.as_u16(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2 ("Jefe"), over `<t>.<body>` with t = 1 and body "what do ya want for nothing?" minus the prefix.
    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        let header = signature("Jefe", 1, b"what do ya want for nothing?");
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"1.what do ya want for nothing?");
        assert_eq!(
            header,
            format!("t=1,v1={}", hex::encode(mac.finalize().into_bytes()))
        );
        // RFC 4231 case 2 itself, to pin the primitive.
        let mut rfc = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        rfc.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(rfc.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
