//! A Rasa-style project directory: `config.yml`, `domain.yml`, `data/` or
//! `training-data/`, `models/`.
