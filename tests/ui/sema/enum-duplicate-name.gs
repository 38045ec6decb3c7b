enum Color { Red, Green, Red }
