struct X { ID byte; }
