//! The JSON Schema of `plancheck.toml` (`plancheck config --schema`), derived from the
//! serde structs that read it.

use super::file::{severity_words, ConfigFile};

/// The JSON Schema of `plancheck.toml`, for editors (`plancheck config --schema`).
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .with_transform(without_null)
        .into_generator();
    serde_json::Value::from(generator.into_root_schema_for::<ConfigFile>())
}

/// TOML has no null: a key left out is how a setting is left unset, so the `null` that
/// schemars allows for every `Option` would only let an editor accept what plancheck refuses.
fn without_null(schema: &mut schemars::Schema) {
    use serde_json::Value;
    if let Some(object) = schema.as_object_mut() {
        if let Some(Value::Array(types)) = object.get_mut("type") {
            types.retain(|t| t != "null");
            if let [only] = &types[..] {
                let only = only.clone();
                object.insert("type".into(), only);
            }
        }
        if let Some(Value::Array(choices)) = object.get("anyOf") {
            let not_null: Vec<&Value> = choices
                .iter()
                .filter(|choice| choice.get("type").is_none_or(|t| t != "null"))
                .collect();
            if let [Value::Object(only)] = &not_null[..] {
                let only = only.clone();
                object.remove("anyOf");
                object.extend(only);
            }
        }
    }
    schemars::transform::transform_subschemas(&mut without_null, schema);
}

pub(super) fn severity_table_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": { "enum": severity_words() },
    })
}
