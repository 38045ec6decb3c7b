enum Color { Red, Green, Blue }
enum Size { Small, Large }
table Paint { C Color; }

@Paint(Red)
struct A { ID byte; }

@Paint(Size.Small)
struct B { ID byte; }

@Paint(Color.Purple)
struct C { ID byte; }

@Paint(Colour.Red)
struct D { ID byte; }

@Paint(Color.Red(1))
struct E { ID byte; }

@Paint(Color.Bleu)
struct F { ID byte; }
