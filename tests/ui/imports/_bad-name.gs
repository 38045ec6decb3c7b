struct Bad { ID byte; }
