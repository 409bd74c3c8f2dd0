//! Reading the small sections of a domain file: intents, entities, actions, forms,
//! session and config.

use super::super::{EntityDecl, Form, IntentDecl, SessionConfig, UsedEntities};
use super::reader::{Map, Reader, RefKind};
use crate::data::yaml_value;
use crate::names::{ActionName, EntityName, IntentName, SlotName};
use saphyr::MarkedYaml;

impl<'a> Reader<'a> {
    pub(super) fn intents(&mut self, value: &MarkedYaml<'a>) {
        let Some(items) = self.list(value, "`intents`") else {
            return;
        };
        for item in items {
            let Some((name, long)) = self.named_item(item, "an intent") else {
                continue;
            };
            let mut intent = IntentDecl::new(name.as_str());
            match long {
                // Rasa rejects `- greet:` with nothing after the colon.
                Some((key, props)) if yaml_value::is_null(props) => self.error(
                    key,
                    format!("intent `{name}` has a `:` but no properties; remove the `:` or add `use_entities` / `ignore_entities`"),
                ),
                Some((_, props)) => {
                    if let Some(map) = self.mapping(props, &format!("the properties of intent `{name}`")) {
                        intent.used_entities = self.used_entities(&name, map);
                    }
                }
                None => {}
            }
            self.part.intents.push((intent, self.src.at(item)));
        }
    }

    /// `use_entities` (true, false or a list) and `ignore_entities` (a list); a
    /// `use_entities` list wins over `ignore_entities`, as in Rasa.
    fn used_entities(&mut self, intent: &str, map: &Map<'a>) -> UsedEntities {
        let mut only: Option<Vec<EntityName>> = None;
        let mut ignored = Vec::new();
        let by = format!("intent `{intent}`");
        self.entries(
            map,
            &["use_entities", "ignore_entities"],
            &by,
            |r, key, _, value| {
                let what = format!("`{key}` of intent `{intent}`");
                if key == "use_entities"
                    && value.data.as_vec().is_none()
                    && yaml_value::as_str(value).is_none()
                {
                    if r.boolean(value, &format!("{what} (true, false or a list)")) == Some(false) {
                        only = Some(Vec::new());
                    }
                    return;
                }
                let names: Vec<EntityName> = r
                    .names(value, &what)
                    .into_iter()
                    .map(|(name, node)| {
                        r.reference(RefKind::IntentEntity, &name, node, &by);
                        EntityName::new(name)
                    })
                    .collect();
                if key == "use_entities" {
                    only = Some(names);
                } else {
                    ignored = names;
                }
            },
        );
        match only {
            Some(list) => UsedEntities::Only(list),
            None => UsedEntities::AllExcept(ignored),
        }
    }

    pub(super) fn entities(&mut self, value: &MarkedYaml<'a>) {
        let Some(items) = self.list(value, "`entities`") else {
            return;
        };
        for item in items {
            let at = self.src.at(item);
            let Some((name, long)) = self.named_item(item, "an entity") else {
                continue;
            };
            let props = long.map(|(_, p)| p).filter(|p| !yaml_value::is_null(p));
            let mut entity = EntityDecl::new(name.as_str());
            if let Some(props) = props
                && let Some(map) =
                    self.mapping(props, &format!("the properties of entity `{name}`"))
            {
                let what = format!("entity `{name}`");
                self.entries(
                    map,
                    &["roles", "groups", "influence_conversation"],
                    &what,
                    |r, key, _, v| {
                        let field = format!("`{key}` of entity `{name}`");
                        match key {
                            "roles" => {
                                entity.roles =
                                    r.names(v, &field).into_iter().map(|(s, _)| s).collect()
                            }
                            "groups" => {
                                entity.groups =
                                    r.names(v, &field).into_iter().map(|(s, _)| s).collect()
                            }
                            _ => {
                                entity.influence_conversation = r.boolean(v, &field).unwrap_or(true)
                            }
                        }
                    },
                );
            }
            self.part.entities.push((entity, at));
        }
    }

    pub(super) fn actions(&mut self, value: &MarkedYaml<'a>) {
        let Some(items) = self.list(value, "`actions`") else {
            return;
        };
        for item in items {
            // `- action_x` or `- action_x: {send_domain: true}`
            let Some((name, long)) = self.named_item(item, "an action") else {
                continue;
            };
            if let Some(map) = long.and_then(|(_, props)| props.data.as_mapping()) {
                self.entries(
                    map,
                    &["send_domain"],
                    &format!("action `{name}`"),
                    |r, _, _, v| {
                        r.boolean(v, "`send_domain`");
                    },
                );
            }
            if name.starts_with("utter_") {
                self.reference(RefKind::UtterAction, &name, item, "`actions`");
            }
            self.part
                .actions
                .push((ActionName::new(name), self.src.at(item)));
        }
    }

    pub(super) fn forms(&mut self, value: &MarkedYaml<'a>) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(map) = self.mapping(value, "`forms`") else {
            return;
        };
        for (key, props) in map {
            let Some(name) = self.string(key, "a form name") else {
                continue;
            };
            let mut form = Form::default();
            if !yaml_value::is_null(props)
                && let Some(fields) = self.mapping(props, &format!("form `{name}`"))
            {
                let by = format!("form `{name}`");
                self.entries(
                    fields,
                    &["required_slots", "ignored_intents"],
                    &by,
                    |r, k, _, v| {
                        if k == "required_slots" {
                            form.required_slots = r.required_slots(&name, v);
                        } else {
                            for (intent, node) in r.names(v, &format!("`ignored_intents` of {by}"))
                            {
                                r.reference(RefKind::FormIntent, &intent, node, &by);
                                form.ignored_intents.push(IntentName::new(intent));
                            }
                        }
                    },
                );
            }
            self.part
                .forms
                .push((ActionName::new(name), form, self.src.at(key)));
        }
    }

    fn required_slots(&mut self, form: &str, value: &MarkedYaml<'a>) -> Vec<SlotName> {
        let form_name = ActionName::new(form);
        let mut slots = Vec::new();
        if let Some(map) = value.data.as_mapping() {
            // Rasa 2 wrote `required_slots: {slot: [mappings]}`; Rasa 3 moved the mappings
            // to the slots. Keep the slot names.
            self.warning(
                value,
                format!("`required_slots` of form `{form}` is in the Rasa 2 format (a mapping); Rasa 3 expects a list of slot names, and the mappings under it are ignored"),
            );
            for key in map.keys() {
                if let Some(slot) = self.string(key, "a required slot") {
                    self.reference(
                        RefKind::FormSlot(form_name.clone()),
                        &slot,
                        key,
                        &format!("form `{form}`"),
                    );
                    slots.push(SlotName::new(slot));
                }
            }
            return slots;
        }
        for (slot, node) in self.names(value, &format!("`required_slots` of form `{form}`")) {
            self.reference(
                RefKind::FormSlot(form_name.clone()),
                &slot,
                node,
                &format!("form `{form}`"),
            );
            slots.push(SlotName::new(slot));
        }
        slots
    }

    pub(super) fn session_config(&mut self, value: &MarkedYaml<'a>) {
        let mut config = SessionConfig::default();
        if !yaml_value::is_null(value)
            && let Some(map) = self.mapping(value, "`session_config`")
        {
            let known = ["session_expiration_time", "carry_over_slots_to_new_session"];
            self.entries(map, &known, "`session_config`", |r, k, _, v| {
                if k == "session_expiration_time" {
                    match r.number(v, "`session_expiration_time` (minutes)") {
                        Some(m) if m < 0.0 => r.error(v, "`session_expiration_time` cannot be negative; use 0 for sessions that never expire"),
                        Some(m) => config.expiration_minutes = m,
                        None => {}
                    }
                } else if let Some(b) = r.boolean(v, "`carry_over_slots_to_new_session`") {
                    config.carry_over_slots = b;
                }
            });
        }
        self.part.session_config = Some((config, self.src.at(value)));
    }

    pub(super) fn config(&mut self, value: &MarkedYaml<'a>) {
        if yaml_value::is_null(value) {
            return;
        }
        let Some(map) = self.mapping(value, "`config`") else {
            return;
        };
        self.entries(
            map,
            &["store_entities_as_slots"],
            "`config`",
            |r, _, _, v| {
                r.part.store_entities_as_slots = r.boolean(v, "`store_entities_as_slots`");
            },
        );
    }

    pub(super) fn e2e_actions(&mut self, value: &MarkedYaml<'a>) {
        let Some(items) = self.list(value, "`e2e_actions`") else {
            return;
        };
        for item in items {
            if let Some(text) = self.string(item, "an end-to-end action") {
                self.part.e2e_actions.push(text);
            }
        }
    }
}
