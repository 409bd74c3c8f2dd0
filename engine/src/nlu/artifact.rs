//! Saving and loading the parts of a trained model: every component writes named f32
//! tensors (one `weights.safetensors`) and named JSON sections (one `metadata.json`).

use crate::{Error, Result};
use candle_core::{Device, Tensor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Collects what the components of a model want saved.
#[derive(Debug, Default)]
pub struct ArtifactWriter {
    pub(crate) tensors: BTreeMap<String, Tensor>,
    pub(crate) sections: BTreeMap<String, serde_json::Value>,
}

impl ArtifactWriter {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores an f32 tensor of the given shape under `name` (e.g. `intent.w1`).
    pub fn put_tensor(&mut self, name: &str, data: Vec<f32>, shape: &[usize]) -> Result<()> {
        let t = Tensor::from_vec(data, shape, &Device::Cpu)?;
        self.tensors.insert(name.to_owned(), t);
        Ok(())
    }

    /// Stores a candle tensor under `name`.
    pub fn put_candle(&mut self, name: &str, tensor: Tensor) {
        self.tensors.insert(name.to_owned(), tensor);
    }

    /// Stores a JSON section under `name` (e.g. `intent`, `crf`).
    pub fn put_section<T: Serialize>(&mut self, name: &str, value: &T) -> Result<()> {
        self.sections
            .insert(name.to_owned(), serde_json::to_value(value)?);
        Ok(())
    }

    /// Writes `weights.safetensors` into `dir` and returns the sections for `metadata.json`.
    pub fn write_weights(&self, dir: &Path) -> Result<BTreeMap<String, serde_json::Value>> {
        let path = dir.join(WEIGHTS_FILE);
        let map: HashMap<String, Tensor> = self
            .tensors
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        candle_core::safetensors::save(&map, &path)?;
        Ok(self.sections.clone())
    }
}

/// The saved parts of a model, read back.
#[derive(Debug)]
pub struct ArtifactReader {
    path: PathBuf,
    tensors: HashMap<String, Tensor>,
    sections: BTreeMap<String, serde_json::Value>,
}

/// File name of the weights inside a model directory.
pub const WEIGHTS_FILE: &str = "weights.safetensors";

impl ArtifactReader {
    /// Reads `weights.safetensors` from `dir`; `sections` come from its `metadata.json`.
    pub fn open(dir: &Path, sections: BTreeMap<String, serde_json::Value>) -> Result<Self> {
        let path = dir.join(WEIGHTS_FILE);
        let tensors = candle_core::safetensors::load(&path, &Device::Cpu).map_err(|e| {
            Error::ModelCorrupt {
                path: dir.to_path_buf(),
                message: format!("cannot read {WEIGHTS_FILE}: {e}"),
            }
        })?;
        Ok(Self {
            path: dir.to_path_buf(),
            tensors,
            sections,
        })
    }

    /// An in-memory reader over what `writer` collected (for tests and round trips).
    pub fn from_writer(writer: &ArtifactWriter) -> Self {
        Self {
            path: PathBuf::from("<memory>"),
            tensors: writer
                .tensors
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            sections: writer.sections.clone(),
        }
    }

    /// The tensor stored under `name`.
    pub fn tensor(&self, name: &str) -> Result<Tensor> {
        self.tensors
            .get(name)
            .cloned()
            .ok_or_else(|| self.corrupt(format!("tensor `{name}` is missing")))
    }

    /// The tensor under `name` as a flat f32 vector with its shape.
    pub fn tensor_vec(&self, name: &str) -> Result<(Vec<f32>, Vec<usize>)> {
        let t = self.tensor(name)?;
        let shape = t.dims().to_vec();
        Ok((t.flatten_all()?.to_vec1::<f32>()?, shape))
    }

    /// The JSON section stored under `name`, deserialised.
    pub fn section<T: DeserializeOwned>(&self, name: &str) -> Result<T> {
        let v = self
            .sections
            .get(name)
            .ok_or_else(|| self.corrupt(format!("section `{name}` is missing")))?;
        serde_json::from_value(v.clone())
            .map_err(|e| self.corrupt(format!("section `{name}` is unreadable: {e}")))
    }

    /// Whether a section exists (for optional components).
    pub fn has_section(&self, name: &str) -> bool {
        self.sections.contains_key(name)
    }

    /// A "model is corrupt" error naming this model's directory.
    pub fn corrupt(&self, message: String) -> Error {
        Error::ModelCorrupt {
            path: self.path.clone(),
            message,
        }
    }
}
