//! `X-Hub-Signature-256`: Meta signs each webhook body with the app secret.

use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// Whether `header` (`sha256=<hex>`) is the HMAC-SHA256 of the raw `body` under `secret`.
/// The comparison is constant-time; a missing or malformed header is simply false.
pub fn is_valid(secret: &str, body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_digest) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(expected) = hex::decode(hex_digest) else {
        return false;
    };
    let Ok(mut mac) = HmacSha256::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// The header value Meta would send for `body` (tests and tools sign with it).
pub fn sign(secret: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_secret_and_body() {
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let header = sign("segredo", body);
        assert!(header.starts_with("sha256=") && header.len() == 7 + 64);
        assert!(is_valid("segredo", body, Some(&header)));
        assert!(!is_valid("outro", body, Some(&header)));
        assert!(!is_valid("segredo", b"{}", Some(&header)));
        assert!(!is_valid("segredo", body, None));
        assert!(!is_valid("segredo", body, Some("sha256=zz")));
        assert!(!is_valid("segredo", body, Some(&header[7..])));
    }
}
