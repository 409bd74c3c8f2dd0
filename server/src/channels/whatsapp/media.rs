//! Downloading inbound media (voice notes): `GET /{version}/{media_id}` gives a short-lived
//! URL, which is fetched with the same bearer token.

use crate::channels::whatsapp::graph::GraphClient;
use serde::Deserialize;

/// WhatsApp's own limit for audio: a larger answer is not a voice note.
pub const MAX_MEDIA_BYTES: usize = 16 * 1024 * 1024;

/// Why a medium could not be downloaded.
#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    /// The media id holds characters no Graph id has.
    #[error("invalid media id {0:?}")]
    InvalidId(String),
    /// No answer (connection, timeout) or a broken body.
    #[error("media request failed: {0}")]
    Request(String),
    /// The Graph API or the media host refused.
    #[error("media request refused: HTTP {status}: {body}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// The start of the answer.
        body: String,
    },
    /// The metadata answer has no `url`.
    #[error("unreadable media metadata: {0}")]
    Metadata(String),
    /// Larger than [`MAX_MEDIA_BYTES`].
    #[error("the medium is larger than {MAX_MEDIA_BYTES} bytes")]
    TooLarge,
}

/// A downloaded medium.
#[derive(Debug, Clone, PartialEq)]
pub struct Media {
    /// The file.
    pub bytes: Vec<u8>,
    /// Its type as Meta reports it (`audio/ogg; codecs=opus`).
    pub mime_type: Option<String>,
}

#[derive(Deserialize)]
struct MediaInfo {
    url: String,
    #[serde(default)]
    mime_type: Option<String>,
}

/// Longest part of an error answer kept in the error.
const QUOTED_CHARS: usize = 300;

impl GraphClient {
    /// Downloads medium `media_id` (metadata first, then the file).
    pub async fn download_media(&self, media_id: &str) -> Result<Media, MediaError> {
        // Graph ids are digits; anything else could change the path the token is sent to.
        if media_id.is_empty() || !media_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(MediaError::InvalidId(media_id.to_owned()));
        }
        let info = self.get(&format!("{}/{media_id}", self.api_root)).await?;
        let info: MediaInfo = serde_json::from_slice(&info)
            .map_err(|e| MediaError::Metadata(format!("{e}: {}", quote(&info))))?;
        let bytes = self.get(&info.url).await?;
        Ok(Media {
            bytes,
            mime_type: info.mime_type,
        })
    }

    /// The body of a `GET url` with the bearer token, at most [`MAX_MEDIA_BYTES`].
    async fn get(&self, url: &str) -> Result<Vec<u8>, MediaError> {
        let mut response = self
            .http
            .get(url)
            .bearer_auth(&self.access_token)
            .send()
            .await
            .map_err(|e| MediaError::Request(e.to_string()))?;
        let status = response.status();
        if response
            .content_length()
            .is_some_and(|n| n > MAX_MEDIA_BYTES as u64)
        {
            return Err(MediaError::TooLarge);
        }
        let mut body = Vec::new();
        // Read in chunks so a lying or missing Content-Length cannot exhaust memory.
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| MediaError::Request(e.to_string()))?
        {
            if body.len() + chunk.len() > MAX_MEDIA_BYTES {
                return Err(MediaError::TooLarge);
            }
            body.extend_from_slice(&chunk);
        }
        if !status.is_success() {
            return Err(MediaError::Refused {
                status: status.as_u16(),
                body: quote(&body),
            });
        }
        Ok(body)
    }
}

fn quote(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(QUOTED_CHARS)
        .collect()
}
