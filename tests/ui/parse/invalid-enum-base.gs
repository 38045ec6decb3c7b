enum Big(int64) { A, B }
enum Text(string) { A }
enum Listy([]byte) { A }
enum Named(Big) { A }
