//! Verifying Rasa's JWTs: HMAC-signed, payload `{"user": {"username", "role"}}`.

use crate::settings::JwtMethod;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;

/// Who a valid token says the caller is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub(crate) struct User {
    /// The sender id a `user` may act for.
    #[serde(default)]
    pub username: Option<String>,
    /// `admin` (everything) or `user` (its own conversation only).
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    user: User,
}

/// Checks tokens against the shared secret.
pub(crate) struct JwtVerifier {
    key: DecodingKey,
    validation: Validation,
}

impl JwtVerifier {
    /// A verifier for tokens signed with `secret` by `method`; `None` for an empty
    /// secret (which would accept tokens anyone can sign).
    pub fn new(secret: &str, method: JwtMethod) -> Option<Self> {
        let algorithm = match method {
            JwtMethod::HS256 => Algorithm::HS256,
            JwtMethod::HS384 => Algorithm::HS384,
            JwtMethod::HS512 => Algorithm::HS512,
        };
        let mut validation = Validation::new(algorithm);
        // Rasa's tokens need no `exp` (its docs' example has none); one that is there is
        // checked, with PyJWT's and sanic-jwt's 60 s of leeway.
        validation.required_spec_claims.clear();
        Some(Self {
            key: DecodingKey::from_secret(secret.as_bytes()).ok()?,
            validation,
        })
    }

    /// The token's user, or why the token is not accepted (a sentence).
    pub fn verify(&self, token: &str) -> Result<User, &'static str> {
        match jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation) {
            Ok(data) => Ok(data.claims.user),
            Err(e) => Err(match e.kind() {
                ErrorKind::ExpiredSignature => "the JWT has expired",
                ErrorKind::ImmatureSignature => "the JWT is not valid yet",
                ErrorKind::InvalidSignature => "the JWT's signature does not match the secret",
                ErrorKind::InvalidAlgorithm => "the JWT is signed with another method",
                ErrorKind::InvalidAudience => "the JWT is meant for another audience",
                _ => "the bearer token is not a well-formed JWT",
            }),
        }
    }
}
