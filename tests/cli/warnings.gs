// RUN: gsc check --color never %
// Warnings alone do not fail the check.
contract Base { Ping(); }
contract Twice(Base, Base) {}
