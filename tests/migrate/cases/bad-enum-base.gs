// An error the migration passes through: the converted text does not parse.
[Deprecated]
enum E(int) { A }
