// Contracts of every shape the RPC stubs are generated for: signatures long
// enough to be broken, many params, several returns, named and unnamed
// params, inheritance, `@Async`, error enums of every base, keyword names.
import "shapes_base.gs"

@Error
enum SmallError(byte) { Bad(1), Worse(200) }

@Error
enum WideError(uint32) { Huge(4000000000), Small(1) }

@Error
@Flag
enum BitsError(uint16) { A(1), B(2) }

/// A record with a long name, to make signatures long.
struct AVeryLongRecordNameThatMakesSignaturesWide { X int32; }

contract Ops {
    Ping();
    // Unnamed params and returns.
    Mix(int32, string) -> (bool, []byte);
    Many(a byte, b sbyte, c int16, d uint16, e int32, f uint32, g int64, h uint64, i float32, j float64, k string, l bool, m []byte, n [2]uint32, o []string, p AVeryLongRecordNameThatMakesSignaturesWide) -> (int32);
    Returns() -> (first AVeryLongRecordNameThatMakesSignaturesWide, second AVeryLongRecordNameThatMakesSignaturesWide, third []AVeryLongRecordNameThatMakesSignaturesWide);
    AMethodWithAVeryLongNameThatDoesNotFitTheDispatcherLineAtAllReallyNot(x int32) -> (int32);
    Type(Self string, type int32) -> (Type string);
    Imported(v shapes_base.Point) -> ([]shapes_base.Point);
    @Async
    Fire(AVeryLongRecordNameThatMakesSignaturesWide, AVeryLongRecordNameThatMakesSignaturesWide);
}

contract More(Ops) {
    Extra() -> ([]AVeryLongRecordNameThatMakesSignaturesWide);
}

contract Empty {}
