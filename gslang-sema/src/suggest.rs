//! "Did you mean …?" suggestions for misspelled names.

/// The closest candidate to `name`, if one is close enough to be a likely typo:
/// a case-insensitive match, or an edit distance of at most a third of the
/// name's length (at least 1).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let distance = if candidate.to_ascii_lowercase() == lower {
            0
        } else {
            strsim::damerau_levenshtein(name, candidate)
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The gslang type that users of other IDLs and languages most likely mean.
pub(crate) fn foreign_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "int8" | "i8" | "char" | "schar" => "sbyte",
        "uint8" | "u8" | "ubyte" | "uchar" => "byte",
        "short" | "i16" | "sint16" => "int16",
        "ushort" | "u16" => "uint16",
        "int" | "i32" | "sint32" | "sfixed32" | "integer" => "int32",
        "uint" | "u32" | "fixed32" => "uint32",
        "long" | "i64" | "sint64" | "sfixed64" => "int64",
        "ulong" | "u64" | "fixed64" => "uint64",
        "float" | "f32" | "single" => "float32",
        "double" | "f64" => "float64",
        "str" | "String" | "text" | "Text" => "string",
        "boolean" | "Bool" | "Boolean" => "bool",
        "bytes" | "binary" | "Data" | "blob" => "[]byte",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_found() {
        assert_eq!(closest("Stauts", ["Status", "Message"]), Some("Status"));
        assert_eq!(closest("status", ["Status", "Message"]), Some("Status"));
        assert_eq!(closest("Foo", ["Status", "Message"]), None);
        assert_eq!(foreign_type("int8"), Some("sbyte"));
    }
}
