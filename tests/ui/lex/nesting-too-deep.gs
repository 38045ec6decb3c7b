// Annotation values nested deeper than the parser allows.
table Note { Inner []Note; }
table Doc { Root Note; }

struct Before { ID byte; }

@Doc(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note(Note()))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
struct Deep { ID byte; }
