//! JSON for HTTP calls (`POST /call/<route>` with `Content-Type:
//! application/json`), converted through the checked model: the method's
//! params after the session as an object by param name, its returns as an
//! array in order.
//!
//! | gslang | JSON |
//! | --- | --- |
//! | `bool` | `true`, `false` |
//! | integers | numbers (64-bit ones exactly, as `serde_json` reads them) |
//! | `float32`, `float64` | numbers (`null` for NaN and the infinities, which JSON lacks; `null` reads as NaN) |
//! | `string` | strings |
//! | `[]byte`, `[N]byte` | base64 strings (standard alphabet, padded) |
//! | other lists and arrays | arrays (an array of exactly N) |
//! | structs and tables | objects with every field by name, no others |
//! | enums | the value's name (a number is accepted too); `@Flag` enums: numbers |
//!
//! Unnamed params are `arg0`, `arg1`, … by position. Conversion is linear
//! in its input, nests at most [`MAX_DEPTH`]
//! records deep, and decoding visits at most
//! [`MAX_VISITS`] values.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use gslang_sema::Model;
use gslang_sema::ir::{Param, Type};
use gslang_syntax::{Scalar, ScalarClass};
use serde_json::{Map, Value};

use crate::schema::{MAX_DEPTH, MAX_VISITS, put_varint, read_varint};

/// The names of params in JSON: their own, or `arg0`, `arg1`, … by
/// position in the method's params (the session is `arg0` when unnamed).
pub fn param_names(params: &[Param]) -> Vec<String> {
    params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.name
                .as_deref()
                .map_or_else(|| format!("arg{i}"), str::to_owned)
        })
        .collect()
}

/// The encoding of values of `types` one after the other, from the JSON
/// object of them by `names` (a method's params after the session); the
/// error says which value is wrong and why.
pub fn encode_params(
    model: &Model,
    names: &[String],
    types: &[Type],
    json: &Value,
) -> Result<Vec<u8>, String> {
    let Value::Object(object) = json else {
        return Err("expected an object of the method's params by name".into());
    };
    if let Some(unknown) = object.keys().find(|k| !names.contains(k)) {
        return Err(format!("`{unknown}`: no such param"));
    }
    let mut out = Vec::new();
    for (ty, name) in types.iter().zip(names) {
        let value = object
            .get(name)
            .ok_or_else(|| format!("`{name}`: missing"))?;
        encode(model, ty, value, &mut out, 0).map_err(|e| e.at(name))?;
    }
    Ok(out)
}

/// The JSON array of values of `types` encoded one after the other in
/// `data` (nothing after); `None` when the data is not such an encoding.
pub fn decode_values(model: &Model, types: &[Type], data: &[u8]) -> Option<Value> {
    let mut r = Reader {
        model,
        data,
        pos: 0,
        visits: 0,
    };
    let values = types
        .iter()
        .map(|ty| r.value(ty, 0))
        .collect::<Option<Vec<_>>>()?;
    (r.pos == data.len()).then_some(Value::Array(values))
}

/// Why a JSON value does not convert, and where.
#[derive(Debug)]
struct Wrong {
    path: Vec<String>,
    why: String,
}

impl Wrong {
    fn new(why: impl Into<String>) -> Wrong {
        Wrong {
            path: Vec::new(),
            why: why.into(),
        }
    }

    fn inside(mut self, step: impl Into<String>) -> Wrong {
        self.path.push(step.into());
        self
    }

    fn at(mut self, name: &str) -> String {
        self.path.push(name.to_owned());
        self.path.reverse();
        format!("`{}`: {}", self.path.join(""), self.why)
    }
}

/// A length or count as a varint holds it (a u32).
fn count(n: usize) -> Result<usize, Wrong> {
    u32::try_from(n)
        .map(|_| n)
        .map_err(|_| Wrong::new("too many elements"))
}

fn is_bytes(ty: &Type) -> bool {
    *ty == Type::Scalar(Scalar::Byte)
}

fn encode(model: &Model, ty: &Type, v: &Value, out: &mut Vec<u8>, depth: u32) -> Result<(), Wrong> {
    match ty {
        Type::Scalar(s) => encode_scalar(*s, v, out),
        Type::Enum(id) => {
            let e = model.enum_(*id);
            let number = match v {
                Value::String(name) if !e.is_flag => e
                    .values
                    .iter()
                    .find(|x| x.name == name.as_str())
                    .map(|x| x.value)
                    .ok_or_else(|| Wrong::new(format!("`{}` has no value `{name}`", e.name)))?,
                Value::Number(n) => {
                    let number = n
                        .as_i64()
                        .or_else(|| n.as_u64().map(|u| u as i64))
                        .ok_or_else(|| Wrong::new("expected an integer"))?;
                    if !e.is_flag && e.value_of(number).is_none() {
                        return Err(Wrong::new(format!("`{}` has no value {number}", e.name)));
                    }
                    number
                }
                _ if e.is_flag => return Err(Wrong::new("expected a number (the flags' bits)")),
                _ => return Err(Wrong::new(format!("expected a value of `{}`", e.name))),
            };
            let ScalarClass::Int { signed, bytes } = e.base.class() else {
                return Err(Wrong::new("an enum whose base is not an integer"));
            };
            put_int(number as i128, signed, bytes, out)
        }
        Type::List(inner) if is_bytes(inner) => {
            let bytes = bytes_value(v)?;
            put_varint(out, count(bytes.len())?);
            out.extend_from_slice(&bytes);
            Ok(())
        }
        Type::Array(n, inner) if is_bytes(inner) => {
            let bytes = bytes_value(v)?;
            if bytes.len() != *n as usize {
                return Err(Wrong::new(format!(
                    "expected {n} bytes, got {}",
                    bytes.len()
                )));
            }
            out.extend_from_slice(&bytes);
            Ok(())
        }
        Type::List(inner) => {
            let Value::Array(items) = v else {
                return Err(Wrong::new("expected an array"));
            };
            put_varint(out, count(items.len())?);
            elements(model, inner, items, out, depth)
        }
        Type::Array(n, inner) => {
            let Value::Array(items) = v else {
                return Err(Wrong::new("expected an array"));
            };
            if items.len() != *n as usize {
                return Err(Wrong::new(format!(
                    "expected {n} elements, got {}",
                    items.len()
                )));
            }
            elements(model, inner, items, out, depth)
        }
        Type::Record(id) => {
            if depth >= MAX_DEPTH {
                return Err(Wrong::new("nested too deep"));
            }
            let record = model.record(*id);
            let Value::Object(fields) = v else {
                return Err(Wrong::new(format!(
                    "expected an object (`{}`)",
                    record.name
                )));
            };
            if let Some(unknown) = fields
                .keys()
                .find(|k| !record.fields.iter().any(|f| f.name == k.as_str()))
            {
                return Err(Wrong::new(format!(
                    "`{}` has no field `{unknown}`",
                    record.name
                )));
            }
            for field in &record.fields {
                let value = fields
                    .get(field.name.as_str())
                    .ok_or_else(|| Wrong::new(format!("missing field `{}`", field.name)))?;
                encode(model, &field.ty, value, out, depth + 1)
                    .map_err(|e| e.inside(format!(".{}", field.name)))?;
            }
            Ok(())
        }
    }
}

fn elements(
    model: &Model,
    inner: &Type,
    items: &[Value],
    out: &mut Vec<u8>,
    depth: u32,
) -> Result<(), Wrong> {
    for (i, item) in items.iter().enumerate() {
        encode(model, inner, item, out, depth).map_err(|e| e.inside(format!("[{i}]")))?;
    }
    Ok(())
}

fn bytes_value(v: &Value) -> Result<Vec<u8>, Wrong> {
    match v {
        Value::String(text) => BASE64
            .decode(text)
            .map_err(|_| Wrong::new("expected base64 (bytes)")),
        _ => Err(Wrong::new("expected a base64 string (bytes)")),
    }
}

fn put_int(n: i128, signed: bool, bytes: u8, out: &mut Vec<u8>) -> Result<(), Wrong> {
    let bits = u32::from(bytes) * 8;
    let (min, max) = if signed {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    };
    if n < min || n > max {
        return Err(Wrong::new(format!("{n} is out of range ({min} to {max})")));
    }
    out.extend_from_slice(&n.to_le_bytes()[..usize::from(bytes)]);
    Ok(())
}

fn encode_scalar(s: Scalar, v: &Value, out: &mut Vec<u8>) -> Result<(), Wrong> {
    match (s.class(), v) {
        (ScalarClass::Bool, Value::Bool(b)) => {
            out.push(u8::from(*b));
            Ok(())
        }
        (ScalarClass::Int { signed, bytes }, Value::Number(n)) => {
            let n = n
                .as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .ok_or_else(|| Wrong::new(format!("expected an integer ({})", s.keyword())))?;
            put_int(n, signed, bytes, out)
        }
        (ScalarClass::Float { bytes }, Value::Number(_) | Value::Null) => {
            // `null` is NaN, as decoding writes NaN and the infinities.
            let f = v.as_f64().unwrap_or(f64::NAN);
            if bytes == 4 {
                out.extend_from_slice(&(f as f32).to_le_bytes());
            } else {
                out.extend_from_slice(&f.to_le_bytes());
            }
            Ok(())
        }
        (ScalarClass::String, Value::String(text)) => {
            put_varint(out, count(text.len())?);
            out.extend_from_slice(text.as_bytes());
            Ok(())
        }
        _ => Err(Wrong::new(format!("expected a {} value", s.keyword()))),
    }
}

struct Reader<'a> {
    model: &'a Model,
    data: &'a [u8],
    pos: usize,
    visits: u64,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let bytes = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(bytes)
    }

    fn int(&mut self, signed: bool, bytes: u8) -> Option<i128> {
        let raw = self.take(usize::from(bytes))?;
        let mut buf = [0u8; 8];
        buf[..raw.len()].copy_from_slice(raw);
        let unsigned = u64::from_le_bytes(buf);
        let bits = u32::from(bytes) * 8;
        Some(if signed {
            let shift = 64 - bits;
            i128::from(((unsigned << shift) as i64) >> shift)
        } else {
            i128::from(unsigned)
        })
    }

    fn value(&mut self, ty: &Type, depth: u32) -> Option<Value> {
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return None;
        }
        Some(match ty {
            Type::Scalar(s) => match s.class() {
                ScalarClass::Bool => match self.take(1)?[0] {
                    0 => Value::Bool(false),
                    1 => Value::Bool(true),
                    _ => return None,
                },
                ScalarClass::Int { signed, bytes } => number(self.int(signed, bytes)?),
                ScalarClass::Float { bytes: 4 } => {
                    let raw: [u8; 4] = self.take(4)?.try_into().ok()?;
                    float(f64::from(f32::from_le_bytes(raw)))
                }
                ScalarClass::Float { .. } => {
                    let raw: [u8; 8] = self.take(8)?.try_into().ok()?;
                    float(f64::from_le_bytes(raw))
                }
                ScalarClass::String => {
                    let n = read_varint(self.data, &mut self.pos)?;
                    Value::String(std::str::from_utf8(self.take(n)?).ok()?.to_owned())
                }
            },
            Type::Enum(id) => {
                let e = self.model.enum_(*id);
                let ScalarClass::Int { signed, bytes } = e.base.class() else {
                    return None;
                };
                let n = self.int(signed, bytes)?;
                if e.is_flag {
                    number(n)
                } else {
                    Value::String(e.value_of(i64::try_from(n).ok()?)?.name.to_string())
                }
            }
            Type::List(inner) if is_bytes(inner) => {
                let n = read_varint(self.data, &mut self.pos)?;
                Value::String(BASE64.encode(self.take(n)?))
            }
            Type::Array(n, inner) if is_bytes(inner) => {
                Value::String(BASE64.encode(self.take(*n as usize)?))
            }
            Type::List(inner) => {
                let n = read_varint(self.data, &mut self.pos)?;
                let min = self.model.min_len(inner);
                if min > 0 && (n as u64).saturating_mul(min) > (self.data.len() - self.pos) as u64 {
                    return None;
                }
                self.elements(inner, n, depth)?
            }
            Type::Array(n, inner) => self.elements(inner, *n as usize, depth)?,
            Type::Record(id) => {
                if depth >= MAX_DEPTH {
                    return None;
                }
                let record = self.model.record(*id);
                let mut fields = Map::new();
                for field in &record.fields {
                    let value = self.value(&field.ty, depth + 1)?;
                    fields.insert(field.name.to_string(), value);
                }
                Value::Object(fields)
            }
        })
    }

    fn elements(&mut self, inner: &Type, n: usize, depth: u32) -> Option<Value> {
        // Grown as the values come: a count is checked against the input
        // only where elements take bytes.
        let mut items = Vec::new();
        // Numbers count as one visit for the whole list, as the validator
        // skips them in one step (their bytes bound them).
        let numeric = matches!(inner, Type::Scalar(s)
            if matches!(s.class(), ScalarClass::Int { .. } | ScalarClass::Float { .. }));
        for _ in 0..n {
            items.push(self.value(inner, depth)?);
            if numeric {
                self.visits -= 1;
            }
        }
        Some(Value::Array(items))
    }
}

fn number(n: i128) -> Value {
    match (i64::try_from(n), u64::try_from(n)) {
        (Ok(i), _) => Value::from(i),
        (_, Ok(u)) => Value::from(u),
        _ => Value::Null,
    }
}

fn float(f: f64) -> Value {
    serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;
    use crate::schema::Schema;

    const APP: &str = r#"
import "gate.gs"
enum Color(uint16) { Red, Green(7) }
@Flag
enum Perm(byte) { Read(1), Write(2) }
struct Point { X int32; Y float64; }
struct All {
    B bool; I8 sbyte; U64 uint64; I64 int64; F32 float32; S string;
    Bytes []byte; Fixed [3]byte; Points []Point; Pair [2]int16; C Color; P Perm;
}
@gate.Expose
contract A {
    M(s gate.Session, all All, n uint32, int32) -> (All, string);
}
"#;

    fn schema() -> Schema {
        let mut loader = gslang_sema::MemoryLoader::new();
        loader.add("gate.gs", crate::GATE_GS).add("app.gs", APP);
        let options = gslang_sema::Options::default();
        let analysis = gslang_sema::analyze(&[PathBuf::from("app.gs")], &options, &mut loader);
        Schema::from_model(analysis.model.expect("a valid schema")).expect("a gate schema")
    }

    fn all() -> Value {
        json!({
            "B": true, "I8": -128, "U64": u64::MAX, "I64": i64::MIN, "F32": 1.5, "S": "héllo",
            "Bytes": "AAEC/w==", "Fixed": "YWJj", "Points": [{"X": -1, "Y": 0.25}, {"X": 2, "Y": -3.0}],
            "Pair": [-32768, 32767], "C": "Green", "P": 3,
        })
    }

    #[test]
    fn params_encode_as_the_codec_does_and_decode_back() {
        let s = schema();
        let route = s.route("app.A.M").unwrap();
        assert_eq!(route.param_names, ["all", "n", "arg3"]);
        let args = json!({"all": all(), "n": 7, "arg3": -1});
        let data = encode_params(s.model(), &route.param_names, &route.params, &args).unwrap();
        // What the gate accepts from clients, and where each value ends.
        let ends = s.split(&route.params, &data).expect("valid data");
        assert_eq!(&data[ends[0]..ends[1]], gscluster::to_bytes(&7u32));
        assert_eq!(&data[ends[1]..], gscluster::to_bytes(&-1i32));
        assert_eq!(
            decode_values(s.model(), &route.params, &data),
            Some(json!([all(), 7, -1]))
        );
    }

    #[test]
    fn wrong_values_say_where_and_why() {
        let s = schema();
        let route = s.route("app.A.M").unwrap();
        let cases = [
            (
                json!([1]),
                "expected an object of the method's params by name",
            ),
            (json!({"all": all(), "n": 1}), "`arg3`: missing"),
            (
                json!({"all": all(), "n": 1, "arg3": 1, "x": 1}),
                "`x`: no such param",
            ),
            (
                json!({"all": all(), "n": -1, "arg3": 1}),
                "`n`: -1 is out of range (0 to 4294967295)",
            ),
            (
                json!({"all": all(), "n": "1", "arg3": 1}),
                "`n`: expected a uint32 value",
            ),
        ];
        for (args, message) in cases {
            let err =
                encode_params(s.model(), &route.param_names, &route.params, &args).unwrap_err();
            assert_eq!(err, message);
        }
        let mut bad = all();
        bad["Points"][1]["X"] = json!(1.5);
        bad["C"] = json!("Blue");
        let args = json!({"all": bad, "n": 1, "arg3": 1});
        let err = encode_params(s.model(), &route.param_names, &route.params, &args).unwrap_err();
        assert_eq!(err, "`all.Points[1].X`: expected an integer (int32)");
        let mut bad = all();
        bad["Fixed"] = json!("YWI=");
        let args = json!({"all": bad, "n": 1, "arg3": 1});
        let err = encode_params(s.model(), &route.param_names, &route.params, &args).unwrap_err();
        assert_eq!(err, "`all.Fixed`: expected 3 bytes, got 2");
    }

    /// An `All` of arbitrary values (finite floats: NaN reads back as
    /// `null`, a JSON value of its own).
    fn any_all() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let point = (any::<i32>(), -1e300f64..1e300).prop_map(|(x, y)| json!({"X": x, "Y": y}));
        (
            (any::<bool>(), any::<i8>(), any::<u64>(), any::<i64>()),
            (-1e30f32..1e30, ".{0,12}", proptest::collection::vec(any::<u8>(), 0..20)),
            (any::<[u8; 3]>(), proptest::collection::vec(point, 0..4), any::<[i16; 2]>()),
            (prop_oneof![Just("Red"), Just("Green")], 0u8..=255),
        )
            .prop_map(|((b, i8_, u64_, i64_), (f32_, text, bytes), (fixed, points, pair), (c, p))| {
                json!({
                    "B": b, "I8": i8_, "U64": u64_, "I64": i64_, "F32": f32_, "S": text,
                    "Bytes": BASE64.encode(bytes), "Fixed": BASE64.encode(fixed), "Points": points,
                    "Pair": pair, "C": c, "P": p,
                })
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// Every value converts to data the gate accepts from clients, and
        /// back to itself.
        #[test]
        fn json_and_the_encoding_round_trip(
            all in any_all(),
            n in proptest::prelude::any::<u32>(),
            last in proptest::prelude::any::<i32>(),
        ) {
            let s = schema();
            let route = s.route("app.A.M").unwrap();
            let args = json!({"all": all, "n": n, "arg3": last});
            let data = encode_params(s.model(), &route.param_names, &route.params, &args).unwrap();
            proptest::prop_assert!(s.split(&route.params, &data).is_some());
            // f32 values travel as f32: compare with what the encoding holds.
            let mut expected = json!([args["all"], n, last]);
            let f = expected[0]["F32"].as_f64().unwrap() as f32;
            expected[0]["F32"] = json!(f64::from(f));
            let decoded = decode_values(s.model(), &route.params, &data);
            proptest::prop_assert_eq!(decoded, Some(expected));
        }

        /// On valid encodings and on their mutations (one byte replaced, or
        /// cut short), the JSON decoder and the validator agree, and what
        /// decodes encodes back to the same bytes.
        #[test]
        fn the_decoder_agrees_with_the_validator(
            b in proptest::prelude::any::<bool>(),
            green in proptest::prelude::any::<bool>(),
            text in ".{0,8}",
            points in proptest::collection::vec((proptest::prelude::any::<i32>(), -1e9f64..1e9), 0..3),
            // Small bytes half the time: bools, enum values and lengths are small.
            mutation in proptest::option::of((
                proptest::prop_oneof![0usize..4, proptest::prelude::any::<usize>()],
                proptest::prop_oneof![0u8..=8, proptest::prelude::any::<u8>()],
                proptest::prelude::any::<bool>(),
            )),
        ) {
            let valid = {
                let s = schema();
                let m = s.model();
                let point = m.records().iter().find(|(_, r)| r.name == "Point").map(|(id, _)| id).unwrap();
                let color = m.enums().iter().find(|(_, e)| e.name == "Color").map(|(id, _)| id).unwrap();
                let mut out = Vec::new();
                let values = [
                    (Type::Scalar(Scalar::Bool), json!(b)),
                    (Type::Enum(color), json!(if green { "Green" } else { "Red" })),
                    (Type::Scalar(Scalar::String), json!(text)),
                    (
                        Type::List(Box::new(Type::Record(point))),
                        Value::Array(points.iter().map(|(x, y)| json!({"X": x, "Y": y})).collect()),
                    ),
                ];
                for (ty, v) in &values {
                    encode(m, ty, v, &mut out, 0).unwrap();
                }
                out
            };
            let mut data = valid.clone();
            if let Some((at, byte, cut)) = mutation {
                let at = at % data.len();
                if cut {
                    data.truncate(at);
                } else {
                    data[at] = byte;
                }
            }
            let s = schema();
            let m = s.model();
            let point = m.records().iter().find(|(_, r)| r.name == "Point").map(|(id, _)| id).unwrap();
            let color = m.enums().iter().find(|(_, e)| e.name == "Color").map(|(id, _)| id).unwrap();
            let types = [
                Type::Scalar(Scalar::Bool),
                Type::Enum(color),
                Type::Scalar(Scalar::String),
                Type::List(Box::new(Type::Record(point))),
            ];
            // Any prefix of the types, so that short inputs are accepted too.
            for k in 0..=types.len() {
                let types = &types[..k];
                let decoded = decode_values(m, types, &data);
                proptest::prop_assert_eq!(decoded.is_some(), s.split(types, &data).is_some());
                if let Some(Value::Array(values)) = decoded {
                    let mut again = Vec::new();
                    for (ty, v) in types.iter().zip(&values) {
                        proptest::prop_assert!(encode(m, ty, v, &mut again, 0).is_ok());
                    }
                    // A NaN Y reads as null and encodes as the canonical
                    // NaN: the bytes match unless the data held another.
                    if values.iter().all(|v| !v.to_string().contains("null")) {
                        proptest::prop_assert_eq!(&again, &data);
                    }
                }
            }
        }
    }

    #[test]
    fn bad_data_does_not_decode() {
        let s = schema();
        let route = s.route("app.A.M").unwrap();
        let types = &route.returns;
        assert_eq!(decode_values(s.model(), types, &[]), None);
        // A list that claims more elements than the input holds.
        assert_eq!(
            decode_values(
                s.model(),
                &[Type::List(Box::new(Type::Scalar(Scalar::Int32)))],
                &[0x7f]
            ),
            None
        );
        // Trailing bytes.
        let mut data = gscluster::to_bytes(&"x".to_owned());
        data.push(0);
        assert_eq!(
            decode_values(s.model(), &[Type::Scalar(Scalar::String)], &data),
            None
        );
    }
}
