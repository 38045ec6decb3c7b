enum Color { Red, Green }
table Paint { C Color; N int32; }

@Paint(Color.Red | Color.Green, 1 | 2)
struct A { ID byte; }

@Usage(Target.Field | Target.Table)
table Fine { }
