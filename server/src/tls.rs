//! TLS for outgoing HTTPS (the Graph API, transcription services, action servers).
//!
//! reqwest is built with `rustls-no-provider`, so rustls needs a crypto provider installed
//! before the first client is built; Bela installs *ring*'s (pure Rust and assembly, no
//! aws-lc-sys or OpenSSL build). Without one, reqwest panics when a client is built.

use std::sync::Once;

/// Installs *ring* as rustls' process-wide crypto provider, once. Called at start-up by
/// the CLI and by every client constructor here, so embedders need not; a provider an
/// embedding program installed first is kept.
pub fn install_crypto_provider() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // An error means another provider is already installed, which works as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// A reqwest client builder that can speak HTTPS (the provider installed first).
pub fn client_builder() -> reqwest::ClientBuilder {
    install_crypto_provider();
    reqwest::Client::builder()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    /// An https URL is accepted and spoken as TLS: a listener on loopback receives a TLS
    /// ClientHello (record type 0x16, handshake), not plain HTTP and not nothing.
    #[tokio::test]
    async fn an_https_request_opens_with_a_tls_client_hello() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!(
            "https://{}/v21.0/me",
            listener.local_addr().expect("address")
        );
        let client = client_builder().build().expect("a TLS-capable client");
        let request = tokio::spawn(async move { client.get(url).send().await });
        let (mut socket, _) = listener.accept().await.expect("a connection");
        let mut first = [0u8; 1];
        socket.read_exact(&mut first).await.expect("a first byte");
        assert_eq!(first[0], 0x16, "a TLS handshake record");
        drop(socket);
        assert!(
            request.await.expect("joined").is_err(),
            "no TLS server here"
        );
    }
}
