//! `plancheck explain`: a rule's documentation page.

use std::io::Write;

use crate::error::Error;
use crate::rules::registry;
use crate::suggest::suggest;

pub fn run(rule: &str, out: &mut dyn Write) -> Result<(), Error> {
    let Some(found) = registry::find(rule) else {
        let hint = suggest(rule, registry::ALL.iter().map(|r| r.name))
            .map(|name| format!("; did you mean `{name}`?"))
            .unwrap_or_default();
        return Err(Error::UnknownRule {
            name: rule.to_string(),
            hint,
        });
    };
    out.write_all(found.doc.as_bytes())?;
    Ok(())
}
