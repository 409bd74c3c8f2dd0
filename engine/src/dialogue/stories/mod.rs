//! Dialogue training data: stories, rules and test stories (Rasa 3.x YAML).
