//! Every setting from the environment: the key `section.name` of
//! config/default.toml is read from `OBDIR_SECTION_NAME` (a section that
//! holds no keys, `hosts`, from `OBDIR_HOSTS`). A text setting takes the
//! variable's text as it is; any other takes a TOML value (`true`, `8`,
//! `["a", "b"]`, `{ "host" = "keystore" }`).

/// One setting: its key in the file, its variable, its compiled-in default.
pub(crate) struct Setting {
    pub key: String,
    pub variable: String,
    pub default: toml::Value,
}

/// Every setting the defaults hold, section by section.
pub(crate) fn settings(defaults: &toml::Table) -> Vec<Setting> {
    let mut found = Vec::new();
    for (section, value) in defaults {
        match value {
            toml::Value::Table(keys) if !keys.is_empty() => {
                for (name, default) in keys {
                    found.push(Setting {
                        key: format!("{section}.{name}"),
                        variable: variable(&[section, name]),
                        default: default.clone(),
                    });
                }
            }
            default => found.push(Setting {
                key: section.clone(),
                variable: variable(&[section]),
                default: default.clone(),
            }),
        }
    }
    found
}

fn variable(parts: &[&String]) -> String {
    let joined: Vec<String> = parts.iter().map(|p| p.to_uppercase()).collect();
    format!("OBDIR_{}", joined.join("_"))
}

/// Writes into `table` the value of every variable that is set, and
/// answers their names. Err names the variable and what its value should be.
pub(crate) fn apply(
    table: &mut toml::Table,
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<String>, String> {
    let defaults = table.clone();
    let mut applied = Vec::new();
    for setting in settings(&defaults) {
        let Some(text) = env(&setting.variable) else {
            continue;
        };
        let value = value_of(&setting, &text)?;
        applied.push(setting.variable.clone());
        let mut path = setting.key.splitn(2, '.');
        let section = path.next().unwrap_or_default();
        match path.next() {
            Some(name) => {
                if let Some(toml::Value::Table(keys)) = table.get_mut(section) {
                    keys.insert(name.to_owned(), value);
                }
            }
            None => {
                table.insert(section.to_owned(), value);
            }
        }
    }
    Ok(applied)
}

/// The variable's text as the setting's type, a text setting taken as it is.
fn value_of(setting: &Setting, text: &str) -> Result<toml::Value, String> {
    if setting.default.is_str() {
        return Ok(toml::Value::String(text.to_owned()));
    }
    let wanted = setting.default.type_str();
    let refused = || {
        format!(
            "{} (setting {}): must be a TOML {wanted}, as in the default {}",
            setting.variable, setting.key, setting.default
        )
    };
    let parsed: toml::Table = toml::from_str(&format!("value = {text}")).map_err(|_| refused())?;
    let value = parsed.get("value").cloned().ok_or_else(refused)?;
    let fits = match (&setting.default, &value) {
        (toml::Value::Float(_), toml::Value::Integer(i)) => {
            return Ok(toml::Value::Float(*i as f64));
        }
        (default, value) => default.type_str() == value.type_str(),
    };
    if fits { Ok(value) } else { Err(refused()) }
}
