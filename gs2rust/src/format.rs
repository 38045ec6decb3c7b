//! The optional prettyplease pass (feature `format`), for files whose
//! plugin-added text is not in prettyplease's format.
//!
//! The formatting policy: gs2rust writes its own code in prettyplease's
//! format by construction (checked by a test), so that users' builds
//! need not compile syn; plugins append text as they wrote it. A plugin
//! whose output should be formatted asks its users to enable `format` and
//! set [`GenOptions::format`](crate::GenOptions::format), as prost-build's
//! `format` feature does.

/// `contents` formatted with prettyplease when `format` is set and the
/// feature is on; the header comment line (which prettyplease would drop)
/// is kept. Text that does not parse is returned as it is, for rustc to
/// report.
pub(crate) fn maybe(contents: String, format: bool) -> String {
    if !format {
        return contents;
    }
    formatted(contents)
}

#[cfg(feature = "format")]
fn formatted(contents: String) -> String {
    let (header, body) = contents.split_once('\n').unwrap_or(("", &contents));
    match syn::parse_file(body) {
        Ok(file) => format!("{header}\n{}", prettyplease::unparse(&file)),
        Err(_) => contents,
    }
}

#[cfg(not(feature = "format"))]
fn formatted(contents: String) -> String {
    contents
}
