//! The `webhook` job: posts a monitor alert to the monitor's webhook,
//! signed, and is retried by the queue (with its backoff) until the receiver
//! answers 2xx or the attempts run out.
//!
//! The body is the alert as `GET /v1/monitors/{id}/alerts` shows it. The
//! `Probity-Signature` header is `t=<unix seconds>,v1=<hex>`, where `<hex>` is
//! HMAC-SHA256 with the monitor's webhook secret over `<t>.<body>`: a receiver
//! recomputes it, compares in constant time, and refuses old `t`.

use std::net::{IpAddr, SocketAddr};
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

/// Where monitor webhooks may be delivered: under an operator's listed URL
/// prefixes (`PROBITY_WEBHOOK_URLS`, internal addresses allowed), or, with
/// none listed, to hosts that resolve to public addresses only, so an
/// auditor cannot make the service call its own network. Checked when a
/// monitor is created and again at each delivery, which connects to the
/// addresses it checked (a name that resolves elsewhere later is not
/// followed); redirects are never followed.
#[derive(Debug, Clone, Default)]
pub struct WebhookAccess {
    prefixes: Vec<String>,
}

/// Longest wait for a webhook host's addresses.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a webhook URL may not be used.
#[derive(Debug, thiserror::Error)]
pub enum WebhookRefused {
    /// Outside every listed prefix.
    #[error("outside the URLs webhooks may be sent to (PROBITY_WEBHOOK_URLS)")]
    NotListed,
    /// Its host resolves to a loopback, private, link-local or other non-public address.
    #[error(
        "its host resolves to a non-public address (list it in PROBITY_WEBHOOK_URLS to allow it)"
    )]
    Internal,
    /// Its host does not resolve.
    #[error("its host does not resolve")]
    Unresolved,
}

impl WebhookAccess {
    /// The access `PROBITY_WEBHOOK_URLS` grants.
    pub fn new(prefixes: &[String]) -> WebhookAccess {
        WebhookAccess {
            prefixes: prefixes
                .iter()
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect(),
        }
    }

    /// The addresses a delivery to `url` may connect to, for its host
    /// (`host`, the addresses), or why none.
    pub async fn resolve(&self, url: &str) -> Result<(String, Vec<SocketAddr>), WebhookRefused> {
        let parsed = http_client::Url::parse(url).map_err(|_| WebhookRefused::Unresolved)?;
        let host = parsed.host_str().ok_or(WebhookRefused::Unresolved)?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = parsed
            .port_or_known_default()
            .ok_or(WebhookRefused::Unresolved)?;
        if !self.prefixes.is_empty() && !self.prefixes.iter().any(|p| url.starts_with(p.as_str())) {
            return Err(WebhookRefused::NotListed);
        }
        let lookup = tokio::net::lookup_host((host.as_str(), port));
        let addresses: Vec<SocketAddr> = tokio::time::timeout(RESOLVE_TIMEOUT, lookup)
            .await
            .map_err(|_| WebhookRefused::Unresolved)?
            .map_err(|_| WebhookRefused::Unresolved)?
            .collect();
        if addresses.is_empty() {
            return Err(WebhookRefused::Unresolved);
        }
        if self.prefixes.is_empty() && !addresses.iter().all(|a| is_public(a.ip())) {
            return Err(WebhookRefused::Internal);
        }
        Ok((host, addresses))
    }
}

/// Whether `ip` is a public unicast address: not loopback, private,
/// shared (CGNAT), link-local, unspecified, broadcast, multicast,
/// documentation or reserved, nor an IPv6 unique-local, link-local or
/// IPv4-mapped form of one.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
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
    let (host, addresses) = WebhookAccess::new(&context.config.webhook_urls)
        .resolve(&target.url)
        .await
        .map_err(|refused| JobFailure::Failed {
            message: format!("the webhook URL is refused: {refused}"),
            retryable: matches!(refused, WebhookRefused::Unresolved),
        })?;
    let body = serde_json::to_vec(&alert).expect("alerts serialise");
    let timestamp = chrono::Utc::now().timestamp();
    let client = http_client::Client::builder()
        .timeout(Duration::from_secs(10))
        .redirect(http_client::redirect::Policy::none())
        .resolve_to_addrs(&host, &addresses)
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
    fn only_public_unicast_addresses_are_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn internal_hosts_need_a_listed_prefix() {
        let open = WebhookAccess::default();
        for url in [
            "http://127.0.0.1:9/hook",
            "http://localhost:9/hook",
            "http://[::1]:9/hook",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(
                matches!(open.resolve(url).await, Err(WebhookRefused::Internal)),
                "{url}"
            );
        }
        let listed = WebhookAccess::new(&["http://127.0.0.1:9/".to_string()]);
        let (host, addresses) = listed.resolve("http://127.0.0.1:9/hook").await.unwrap();
        assert_eq!((host.as_str(), addresses.len()), ("127.0.0.1", 1));
        assert!(matches!(
            listed.resolve("http://127.0.0.1:10/hook").await,
            Err(WebhookRefused::NotListed)
        ));
    }

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
