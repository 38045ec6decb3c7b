// Invisible characters in comments and strings: gs2rust must never write the
// text-direction controls (rustc denies them: text_direction_codepoint_in_comment
// and _in_literal) nor a carriage return that ends no line (bare CR in a doc
// comment) raw.

// Only for admins‮ ⁦and auditors⁩⁦; a lone CRhere.
/* In a block comment too: ‫‬‭⁧⁨‎‏؜
 * and in a fence:
 * ```
 * code‮here
 * ```
 */
@Deprecated("use Balance‮⁦ instead‏")
struct Account {
    @Deprecated("‮right-to-left")
    Balance int64; // trailing‮
}

enum Kind {
    // value⁧ docs
    @Deprecated("؜")
    A
}
