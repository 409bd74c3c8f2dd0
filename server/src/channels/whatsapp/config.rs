//! The channel's configuration: part of the server's [`Settings`](crate::Settings), filled
//! from `WHATSAPP_*` environment variables.

use std::time::Duration;

/// Meta's Graph API, where replies go unless `WHATSAPP_API_BASE` says otherwise.
pub const DEFAULT_API_BASE: &str = "https://graph.facebook.com";
/// The Graph API version used unless `WHATSAPP_API_VERSION` says otherwise.
pub const DEFAULT_API_VERSION: &str = "v21.0";

/// What the WhatsApp Cloud API channel needs; the channel is on only when the four
/// secrets are all set (see [`WhatsAppConfig::complete`]).
#[derive(Debug, Clone, PartialEq)]
pub struct WhatsAppConfig {
    /// `WHATSAPP_VERIFY_TOKEN`: the token Meta echoes in the webhook verification.
    pub verify_token: Option<String>,
    /// `WHATSAPP_APP_SECRET`: the app secret that signs webhook bodies.
    pub app_secret: Option<String>,
    /// `WHATSAPP_ACCESS_TOKEN`: the bearer token for the Graph API.
    pub access_token: Option<String>,
    /// `WHATSAPP_PHONE_NUMBER_ID`: the business number replies are sent from.
    pub phone_number_id: Option<String>,
    /// `WHATSAPP_API_BASE`: the Graph API's base URL.
    pub api_base: String,
    /// `WHATSAPP_API_VERSION`: the Graph API version (`v21.0`).
    pub api_version: String,
    /// `WHATSAPP_FALLBACK_TEMPLATE`: an approved template sent instead of a reply Meta
    /// refuses because the 24-hour window is closed (error 131047).
    pub fallback_template: Option<String>,
    /// `WHATSAPP_FALLBACK_TEMPLATE_LANGUAGE`: that template's language code (also the
    /// scheduled jobs' templates').
    pub fallback_template_language: String,
    /// The approved templates scheduled jobs fall back to when the 24-hour window is
    /// closed (`WHATSAPP_TEMPLATE_REMINDER`, `_FOLLOW_UP`, `_REACTIVATION`).
    pub job_templates: JobTemplates,
    /// Whether inbound messages are marked read, with the typing indicator, as they are
    /// processed (`WHATSAPP_MARK_READ=false` turns it off).
    pub mark_read: bool,
    /// First retry delay of a failed send; doubles per attempt (with jitter).
    pub retry_base: Duration,
    /// Sends tried before a reply is recorded as failed.
    pub max_attempts: u32,
    /// How long one Graph API request may take before it counts as a (retryable) timeout.
    pub request_timeout: Duration,
}

impl Default for WhatsAppConfig {
    fn default() -> Self {
        Self {
            verify_token: None,
            app_secret: None,
            access_token: None,
            phone_number_id: None,
            api_base: DEFAULT_API_BASE.into(),
            api_version: DEFAULT_API_VERSION.into(),
            fallback_template: None,
            mark_read: true,
            fallback_template_language: "pt_BR".into(),
            job_templates: JobTemplates::default(),
            retry_base: Duration::from_secs(2),
            max_attempts: 8,
            request_timeout: Duration::from_secs(15),
        }
    }
}

/// Approved template names per kind of scheduled job. A business-initiated message outside
/// the 24-hour window must be a template: the job's message goes out as usual and, if Meta
/// refuses it with error 131047, its template replaces it, filled with the job's body
/// parameters (reminder: patient name, date and time, procedure; follow-up: patient name,
/// procedure; reactivation: patient name). Without one, the channel's
/// [`fallback_template`](WhatsAppConfig::fallback_template) is sent instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobTemplates {
    /// The appointment reminder's template.
    pub reminder: Option<String>,
    /// The post-procedure follow-up's template.
    pub follow_up: Option<String>,
    /// The reactivation campaigns' template.
    pub reactivation: Option<String>,
}

/// A configuration with every secret present: the channel can run.
#[derive(Debug, Clone, PartialEq)]
pub struct WhatsAppSettings {
    /// See [`WhatsAppConfig::verify_token`].
    pub verify_token: String,
    /// See [`WhatsAppConfig::app_secret`].
    pub app_secret: String,
    /// See [`WhatsAppConfig::access_token`].
    pub access_token: String,
    /// See [`WhatsAppConfig::phone_number_id`].
    pub phone_number_id: String,
    /// The rest of the configuration.
    pub config: WhatsAppConfig,
}

impl WhatsAppConfig {
    /// `self` with every `WHATSAPP_*` variable that is set (and not empty) applied.
    pub fn with_env(mut self) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        for (name, field) in [
            ("WHATSAPP_VERIFY_TOKEN", &mut self.verify_token),
            ("WHATSAPP_APP_SECRET", &mut self.app_secret),
            ("WHATSAPP_ACCESS_TOKEN", &mut self.access_token),
            ("WHATSAPP_PHONE_NUMBER_ID", &mut self.phone_number_id),
        ] {
            if let Some(v) = var(name) {
                *field = Some(v);
            }
        }
        if let Some(v) = var("WHATSAPP_API_BASE") {
            self.api_base = v;
        }
        if let Some(v) = var("WHATSAPP_API_VERSION") {
            self.api_version = v;
        }
        if let Some(v) = var("WHATSAPP_FALLBACK_TEMPLATE") {
            self.fallback_template = Some(v);
        }
        if let Some(v) = var("WHATSAPP_FALLBACK_TEMPLATE_LANGUAGE") {
            self.fallback_template_language = v;
        }
        for (name, field) in [
            (
                "WHATSAPP_TEMPLATE_REMINDER",
                &mut self.job_templates.reminder,
            ),
            (
                "WHATSAPP_TEMPLATE_FOLLOW_UP",
                &mut self.job_templates.follow_up,
            ),
            (
                "WHATSAPP_TEMPLATE_REACTIVATION",
                &mut self.job_templates.reactivation,
            ),
        ] {
            if let Some(v) = var(name) {
                *field = Some(v);
            }
        }
        if let Some(v) = var("WHATSAPP_MARK_READ") {
            self.mark_read =
                !matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0" | "no");
        }
        self
    }

    /// The runnable settings, or the names of the variables still missing.
    pub fn complete(&self) -> Result<WhatsAppSettings, Vec<&'static str>> {
        let pick = |v: &Option<String>| v.clone().filter(|s| !s.trim().is_empty());
        match (
            pick(&self.verify_token),
            pick(&self.app_secret),
            pick(&self.access_token),
            pick(&self.phone_number_id),
        ) {
            (Some(verify_token), Some(app_secret), Some(access_token), Some(phone_number_id)) => {
                Ok(WhatsAppSettings {
                    verify_token,
                    app_secret,
                    access_token,
                    phone_number_id,
                    config: self.clone(),
                })
            }
            (verify, secret, access, phone) => Err([
                ("WHATSAPP_VERIFY_TOKEN", verify.is_none()),
                ("WHATSAPP_APP_SECRET", secret.is_none()),
                ("WHATSAPP_ACCESS_TOKEN", access.is_none()),
                ("WHATSAPP_PHONE_NUMBER_ID", phone.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect()),
        }
    }
}

impl WhatsAppSettings {
    /// `{base}/{version}/{phone_number_id}/messages`, where replies are posted.
    pub fn messages_url(&self) -> String {
        format!("{}/{}/messages", self.api_root(), self.phone_number_id)
    }

    /// `{base}/{version}`: the Graph API root (media ids resolve under it).
    pub fn api_root(&self) -> String {
        format!(
            "{}/{}",
            self.config.api_base.trim_end_matches('/'),
            self.config.api_version.trim_matches('/'),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_channel_needs_all_four_secrets() {
        let partial = WhatsAppConfig {
            verify_token: Some("v".into()),
            access_token: Some(" ".into()),
            ..WhatsAppConfig::default()
        };
        assert_eq!(
            partial.complete().expect_err("incomplete"),
            [
                "WHATSAPP_APP_SECRET",
                "WHATSAPP_ACCESS_TOKEN",
                "WHATSAPP_PHONE_NUMBER_ID"
            ]
        );
        let full = WhatsAppConfig {
            app_secret: Some("s".into()),
            access_token: Some("t".into()),
            phone_number_id: Some("123".into()),
            api_base: "http://127.0.0.1:9/".into(),
            ..partial
        };
        let settings = full.complete().expect("complete");
        assert_eq!(
            settings.messages_url(),
            "http://127.0.0.1:9/v21.0/123/messages"
        );
    }
}
