//! The encoder stage of the pipeline: present in every build, able to run only in builds
//! with the `bert` feature (so a configuration naming an encoder fails clearly elsewhere).

use super::{Component, Message};
#[cfg(not(feature = "bert"))]
use crate::Error;
use crate::Result;
use crate::config::EncoderConfig;

/// Sets `message.dense` with a pretrained sentence encoder.
pub struct EncoderStage {
    #[cfg(feature = "bert")]
    inner: super::encoder::SentenceEncoder,
}

impl EncoderStage {
    /// Loads the encoder `config` names (its path must already be absolute or relative to
    /// the working directory).
    #[cfg(feature = "bert")]
    pub fn load(config: &EncoderConfig) -> Result<Self> {
        Ok(Self {
            inner: super::encoder::SentenceEncoder::load(&config.model_path, config.max_length)?,
        })
    }

    /// Without the `bert` feature there is no encoder to load.
    #[cfg(not(feature = "bert"))]
    pub fn load(config: &EncoderConfig) -> Result<Self> {
        Err(Error::Config(format!(
            "the pipeline names a pretrained encoder ({}), but this build of Bela has no \
             `bert` feature; rebuild with `cargo build --release -p bela-cli --features bert`",
            config.model_path.display()
        )))
    }

    /// Encodes many texts (training).
    pub fn encode_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        #[cfg(feature = "bert")]
        {
            self.inner.encode_batch(texts)
        }
        #[cfg(not(feature = "bert"))]
        {
            let _ = texts;
            Err(Error::Config("no encoder in this build".into()))
        }
    }
}

impl Component for EncoderStage {
    fn name(&self) -> &'static str {
        "BelaEncoder"
    }

    fn process(&self, message: &mut Message) {
        #[cfg(feature = "bert")]
        self.inner.process(message);
        #[cfg(not(feature = "bert"))]
        let _ = message;
    }
}
