// RUN: gsc check --color never --deny-warnings %
// With --deny-warnings, warnings fail the check: exit 1.
contract Base { Ping(); }
contract Twice(Base, Base) {}
