//! Trains every component of the NLU pipeline from training data.

use super::crf::EntityTrainer;
use super::dense::EncoderStage;
use super::extractors::{EntitySynonymMapper, RegexEntityExtractor};
use super::features::PatternMatcher;
use super::intent::IntentTrainer;
use super::model::{
    MODEL_FORMAT_VERSION, ModelMetadata, NluModel, NluParts, TrainingSummary, prepare,
};
use super::{Prepared, Progress};
use crate::config::PipelineConfig;
use crate::data::TrainingData;
use crate::names::EntityName;
use crate::text::{SlangTable, Tokenizer};
use crate::{Error, Result};
use std::time::Instant;

/// Trains a model on `data`. `fingerprint` identifies the inputs (see
/// [`crate::project::Fingerprint`]); `progress` is called once per epoch of each trainer.
pub fn train(
    data: &TrainingData,
    config: &PipelineConfig,
    slang: SlangTable,
    fingerprint: String,
    progress: &mut dyn FnMut(Progress),
) -> Result<NluModel> {
    let started = Instant::now();
    if data.intents().len() < 2 {
        return Err(Error::Config(
            "training needs examples of at least two intents".into(),
        ));
    }
    let tokenizer = Tokenizer::new(slang);
    let matcher = PatternMatcher::new(&data.regexes, &data.lookups)?;
    let mut prepared: Vec<Prepared<'_>> = data
        .examples
        .iter()
        .map(|example| Prepared {
            example,
            message: prepare(&tokenizer, &matcher, &example.text),
        })
        .collect();

    let encoder = config
        .encoder
        .as_ref()
        .map(EncoderStage::load)
        .transpose()?;
    if let Some(encoder) = &encoder {
        let texts: Vec<&str> = data.examples.iter().map(|e| e.text.as_str()).collect();
        for (p, dense) in prepared.iter_mut().zip(encoder.encode_batch(&texts)?) {
            p.message.dense = Some(dense);
        }
    }

    let intent = IntentTrainer::new(&config.intent, &config.language).train(&prepared, progress)?;
    let crf = EntityTrainer::new(&config.entities, &config.language).train(&prepared, progress)?;

    // Rasa's RegexEntityExtractor only extracts patterns named after an entity that the
    // data annotates; other patterns are features only.
    let entities = data.entity_types();
    let regex = RegexEntityExtractor::new(
        data.regexes
            .iter()
            .map(|r| r.name.as_str())
            .chain(data.lookups.iter().map(|l| l.name.as_str()))
            .map(EntityName::new)
            .filter(|name| entities.contains(name)),
    );
    let synonyms = EntitySynonymMapper::from_data(data);

    let metadata = ModelMetadata {
        format_version: MODEL_FORMAT_VERSION,
        bela_version: env!("CARGO_PKG_VERSION").to_owned(),
        fingerprint,
        trained_at: jiff::Timestamp::now().to_string(),
        config: config.clone(),
        intents: data.intents(),
        entities,
        slang: tokenizer.slang().entries(),
        regexes: data.regexes.clone(),
        lookups: data.lookups.clone(),
        training: TrainingSummary {
            examples: data.examples.len(),
            examples_with_entities: data
                .examples
                .iter()
                .filter(|e| !e.entities.is_empty())
                .count(),
            seconds: started.elapsed().as_secs_f64(),
        },
        sections: Default::default(),
    };
    NluModel::new(
        metadata,
        NluParts {
            encoder,
            intent,
            crf,
            regex,
            synonyms,
        },
    )
}
