import "gate.gs"

// What the gate benchmark calls.
@gate.Expose
contract Echo {
    Echo(s gate.Session, text string) -> (string);
}
