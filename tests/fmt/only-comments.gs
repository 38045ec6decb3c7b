   // Only comments in this file.

/* And a block. */
