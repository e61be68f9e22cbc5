//! Project JSON read for a few values of known shape, leniently: a value of another shape
//! is read as nothing, never as an error, just as reading the file into a
//! `serde_json::Value` and asking it for each value would, but without building that tree
//! (completion-path.json holds a hundred thousand milestones, a project twenty thousand task
//! files), and with the strings borrowed from the text wherever they need no unescaping.
//! What is not taken is still read as strictly as the tree would read it, so a file the
//! tree would refuse is refused alike.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// What a JSON value is read as. Each method reads the value if it is of that kind; by
/// default, as nothing (`Default`), skipping whatever it holds.
pub trait Shape<'de>: Default {
    fn string(_value: Cow<'de, str>) -> Self {
        Self::default()
    }

    fn null() -> Self {
        Self::default()
    }

    fn list<A: SeqAccess<'de>>(mut list: A) -> Result<Self, A::Error> {
        while list.next_element::<Skip>()?.is_some() {}
        Ok(Self::default())
    }

    fn object<A: MapAccess<'de>>(mut object: A) -> Result<Self, A::Error> {
        while object.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Self::default())
    }
}

/// A value read as the shape `S`: deserializing it fails only on JSON that a
/// `serde_json::Value` would not read either.
#[derive(Default)]
pub struct Loose<S>(pub S);

/// A value read and let go. Read whole, as a `serde_json::Value` reads it (its numbers in
/// range, its strings' escapes sound), not skipped as serde's `IgnoredAny` is, which lets
/// such flaws pass.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let Loose(()) = Loose::deserialize(deserializer)?;
        Ok(Skip)
    }
}

/// Nothing taken of any value.
impl Shape<'_> for () {}

impl<'de, S: Shape<'de>> Deserialize<'de> for Loose<S> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor(PhantomData))
    }
}

struct LooseVisitor<S>(PhantomData<S>);

impl<'de, S: Shape<'de>> Visitor<'de> for LooseVisitor<S> {
    type Value = Loose<S>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Loose(S::default()))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Loose(S::default()))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Loose(S::default()))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Loose(S::default()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Loose(S::null()))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Loose(S::null()))
    }

    fn visit_some<D: Deserializer<'de>>(self, value: D) -> Result<Self::Value, D::Error> {
        Loose::deserialize(value)
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Loose(S::string(Cow::Borrowed(value))))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Loose(S::string(Cow::Owned(value.to_string()))))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(Loose(S::string(Cow::Owned(value))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, list: A) -> Result<Self::Value, A::Error> {
        S::list(list).map(Loose)
    }

    fn visit_map<A: MapAccess<'de>>(self, object: A) -> Result<Self::Value, A::Error> {
        S::object(object).map(Loose)
    }
}

/// A string; any other value is none.
impl<'de: 'a, 'a> Shape<'de> for Option<Cow<'a, str>> {
    fn string(value: Cow<'de, str>) -> Self {
        Some(value)
    }
}

/// A list, each element read as `T`; any other value is an empty list.
impl<'de, T: Shape<'de>> Shape<'de> for Vec<T> {
    fn list<A: SeqAccess<'de>>(mut list: A) -> Result<Self, A::Error> {
        let mut read = Vec::new();
        while let Some(Loose(element)) = list.next_element()? {
            read.push(element);
        }
        Ok(read)
    }
}

/// Reads each entry of an object: `read` takes the key and returns whether it read the
/// value; a value it leaves is skipped. Of a key given twice, the later counts, as in
/// `serde_json::Value`.
pub fn entries<'de, A: MapAccess<'de>>(
    mut object: A,
    mut read: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    while let Some(Loose(key)) = object.next_key::<Loose<Option<Cow<'de, str>>>>()? {
        if !read(key.as_deref().unwrap_or_default(), &mut object)? {
            object.next_value::<Skip>()?;
        }
    }
    Ok(())
}

/// Reads the strings an object holds at `keys` into `slots`, in the same order; a value of
/// another shape is none, and of a key given twice the later counts.
pub fn strings<'de: 'a, 'a, A: MapAccess<'de>, const N: usize>(
    object: A,
    keys: [&str; N],
    mut slots: [&mut Option<Cow<'a, str>>; N],
) -> Result<(), A::Error> {
    entries(object, |key, object| {
        let Some(at) = keys.iter().position(|k| *k == key) else {
            return Ok(false);
        };
        *slots[at] = value::<Option<Cow<'a, str>>, A>(object)?;
        Ok(true)
    })
}

/// The value of the current entry, read as `S`.
pub fn value<'de, S: Shape<'de>, A: MapAccess<'de>>(object: &mut A) -> Result<S, A::Error> {
    object.next_value::<Loose<S>>().map(|Loose(value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default, Debug, PartialEq)]
    struct Pair<'a> {
        name: Option<Cow<'a, str>>,
        tags: Vec<Option<Cow<'a, str>>>,
    }

    impl<'de> Shape<'de> for Pair<'de> {
        fn object<A: MapAccess<'de>>(object: A) -> Result<Self, A::Error> {
            let mut pair = Pair::default();
            entries(object, |key, object| {
                match key {
                    "name" => pair.name = value(object)?,
                    "tags" => pair.tags = value(object)?,
                    _ => return Ok(false),
                }
                Ok(true)
            })?;
            Ok(pair)
        }
    }

    fn read(json: &str) -> Vec<Pair<'_>> {
        serde_json::from_str::<Loose<Vec<Pair>>>(json).unwrap().0
    }

    #[test]
    fn values_of_other_shapes_are_nothing_and_strings_are_borrowed() {
        let pairs = read(
            r#"[{"name": "a", "tags": ["x", 1, {"y": 2}, "z\n"], "other": [1, {"a": null}]},
                {"name": 5, "tags": "no"}, "not an object", {"name": "b", "name": "c"}]"#,
        );
        assert_eq!(pairs.len(), 4);
        assert!(matches!(pairs[0].name, Some(Cow::Borrowed("a"))));
        let tags: Vec<Option<&str>> = pairs[0].tags.iter().map(|t| t.as_deref()).collect();
        assert_eq!(tags, [Some("x"), None, None, Some("z\n")]);
        assert_eq!(pairs[1], Pair::default());
        assert_eq!(pairs[2], Pair::default());
        assert_eq!(
            pairs[3].name.as_deref(),
            Some("c"),
            "the later of two keys counts"
        );
        assert!(read("{}").is_empty());
        assert!(serde_json::from_str::<Loose<Vec<Pair>>>("[1,").is_err());
    }
}
