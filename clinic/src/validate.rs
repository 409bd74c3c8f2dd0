//! Loading both files of a project together, with the checks between them, and the
//! entry point of `bela data validate`.

use crate::catalogue::{self, CATALOGUE_FILE, Catalogue, CatalogueRead};
use crate::config::{self, CONFIG_FILE, ClinicConfig};
use crate::reader::read_file;
use bela_engine::data::Diagnostic;
use jiff::civil::Weekday;
use std::path::Path;

/// A project's clinic configuration and catalogue, checked against each other.
#[derive(Debug, Clone)]
pub struct ClinicData {
    /// `clinic.yml`.
    pub config: ClinicConfig,
    /// `catalogue.yml`.
    pub catalogue: Catalogue,
}

impl ClinicData {
    /// Loads `clinic.yml` and `catalogue.yml` from `project_root`.
    pub fn load(project_root: &Path) -> Result<ClinicData, Vec<Diagnostic>> {
        let config_path = project_root.join(CONFIG_FILE);
        let catalogue_path = project_root.join(CATALOGUE_FILE);
        let config_text = read_file(&config_path);
        let catalogue_text = read_file(&catalogue_path);
        let (config_text, catalogue_text) = match (config_text, catalogue_text) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => return Err([a.err(), b.err()].into_iter().flatten().flatten().collect()),
        };
        Self::parse(&config_text, &config_path, &catalogue_text, &catalogue_path)
    }

    /// Reads both texts (paths name them in diagnostics) and checks that the
    /// configuration's packages name catalogue procedures.
    pub fn parse(
        config_text: &str,
        config_path: &Path,
        catalogue_text: &str,
        catalogue_path: &Path,
    ) -> Result<ClinicData, Vec<Diagnostic>> {
        let config = config::read(config_text, config_path);
        let catalogue = catalogue::read(catalogue_text, catalogue_path);
        let (config, catalogue) = match (config, catalogue) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => return Err([a.err(), b.err()].into_iter().flatten().flatten().collect()),
        };
        let mut errors: Vec<Diagnostic> = config
            .procedure_refs
            .iter()
            .filter(|(id, _)| catalogue.catalogue.procedure(id.as_str()).is_none())
            .map(|(id, at)| {
                Diagnostic::error(
                    at.clone(),
                    format!("unknown procedure `{id}`: not in {CATALOGUE_FILE}"),
                )
            })
            .collect();
        errors.extend(too_long(&config.config, &catalogue));
        if errors.is_empty() {
            Ok(ClinicData {
                config: config.config,
                catalogue: catalogue.catalogue,
            })
        } else {
            Err(errors)
        }
    }
}

/// Procedures longer than every opening range could never be booked.
fn too_long(config: &ClinicConfig, catalogue: &CatalogueRead) -> Vec<Diagnostic> {
    let longest = Weekday::Monday
        .cycle_forward()
        .take(7)
        .flat_map(|day| config.opening_hours.on(day))
        .map(|r| r.end.duration_since(r.start).as_mins())
        .max()
        .unwrap_or(0);
    catalogue
        .durations
        .iter()
        .filter_map(|(id, at)| {
            let minutes = i64::from(catalogue.catalogue.procedure(id.as_str())?.duration_minutes);
            (minutes > longest).then(|| {
                let message = format!(
                    "`{id}` lasts {minutes} minutes, longer than any opening range in \
                     {CONFIG_FILE} ({longest} minutes at most): it could never be booked"
                );
                Diagnostic::error(at.clone(), message)
            })
        })
        .collect()
}

/// Every problem in the project's clinic files. A project without either file is not a
/// clinic project and has none; with only one of them, the other's absence is reported.
pub fn validate(project_root: &Path) -> Vec<Diagnostic> {
    let has = |f: &str| project_root.join(f).exists();
    if !has(CONFIG_FILE) && !has(CATALOGUE_FILE) {
        return Vec::new();
    }
    ClinicData::load(project_root).err().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{CATALOGUE, CONFIG};

    /// The project root, where the clinic's own files are.
    fn project_root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_clinics_own_files_are_valid_and_complete() {
        let diags = validate(&project_root());
        assert!(diags.is_empty(), "{diags:#?}");
        let data = ClinicData::load(&project_root()).expect("valid");
        let spec = [
            "botox",
            "preenchimento_labial",
            "harmonizacao_facial",
            "limpeza_de_pele",
            "peeling",
            "microagulhamento",
            "bioestimulador",
            "skinbooster",
            "fios_pdo",
            "depilacao_laser",
            "criolipolise",
            "drenagem_linfatica",
            "lipo_enzimatica",
            "radiofrequencia",
            "microblading",
            "avaliacao",
        ];
        for id in spec {
            assert!(
                data.catalogue.procedure(id).is_some(),
                "`{id}` missing from the catalogue"
            );
        }
        let conditions = [
            "gestante",
            "lactante",
            "alergia",
            "anticoagulante",
            "diabetes",
            "herpes",
            "doenca_autoimune",
            "isotretinoina",
            "marcapasso",
        ];
        for id in conditions {
            assert!(
                data.catalogue.condition(id).is_some(),
                "condition `{id}` missing"
            );
        }
    }

    #[test]
    fn a_procedure_longer_than_the_opening_hours_is_an_error() {
        let catalogue = CATALOGUE.replacen("duration_minutes: 60", "duration_minutes: 360", 1);
        let diags = ClinicData::parse(
            CONFIG,
            Path::new("clinic.yml"),
            &catalogue,
            Path::new("catalogue.yml"),
        )
        .err()
        .unwrap_or_default();
        let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            vec![
                "catalogue.yml:30:23: error: `limpeza_de_pele` lasts 360 minutes, longer than any \
                 opening range in clinic.yml (300 minutes at most): it could never be booked"
            ]
        );
    }

    #[test]
    fn the_catalogue_agrees_with_the_projects_training_synonyms() {
        let file = project_root().join("training-data/nlu/synonyms.yml");
        let (training, diags) = bela_engine::data::loader::load_file(&file).expect("readable");
        assert!(diags.is_empty(), "{diags:?}");
        let data = ClinicData::load(&project_root()).expect("valid");
        let conflicts = data.catalogue.synonym_conflicts(&training);
        assert!(conflicts.is_empty(), "{conflicts:#?}");
    }

    #[test]
    fn a_project_without_clinic_files_has_nothing_to_report() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(validate(dir.path()), vec![]);
    }

    #[test]
    fn a_missing_catalogue_is_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(CONFIG_FILE), CONFIG).expect("write");
        let diags = validate(dir.path());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].location.file.ends_with(CATALOGUE_FILE));
        assert!(
            diags[0].message.starts_with("cannot read the file"),
            "{}",
            diags[0]
        );
    }

    #[test]
    fn errors_of_both_files_are_reported_together() {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = CONFIG.replace("rooms: 1", "rooms: many");
        let catalogue = CATALOGUE.replace("duration_minutes: 30", "duration_minutes: 2");
        std::fs::write(dir.path().join(CONFIG_FILE), config).expect("write");
        std::fs::write(dir.path().join(CATALOGUE_FILE), catalogue).expect("write");
        let files: Vec<String> = validate(dir.path())
            .iter()
            .filter_map(|d| {
                d.location
                    .file
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
            })
            .collect();
        assert_eq!(files, vec![CONFIG_FILE, CATALOGUE_FILE]);
    }
}
