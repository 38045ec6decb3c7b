// Import groups and aliases.
import(
    "_shapes.gs"             // by its stem
  shapes2   "_shapes.gs" // the same file under another name
)
import   other  "_shapes.gs"
import ( )
import ("_other.gs" o2 "_other.gs")

struct UsesThem { A _shapes.Cell; B shapes2.Cell; C other.Cell; D _other.Thing; E o2.Thing; }
