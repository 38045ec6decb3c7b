//! The checked model as back ends use it: arenas by id, annotation values by
//! field name with defaults, layout facts, flattened methods, JSON.

use gslang_sema::analyze_source;
use gslang_sema::ir::{ItemId, Model, Scalar, Type, Value};

fn model(src: &str) -> Model {
    let analysis = analyze_source("api.gs", src);
    assert!(
        !analysis.has_errors(),
        "{:?}",
        analysis
            .diagnostics
            .iter()
            .map(|d| &d.message)
            .collect::<Vec<_>>()
    );
    analysis.model.expect("a model")
}

const SCHEMA: &str = r#"
@Flag
enum Perm(uint16) { Read(1), Write(2) }
enum Unit { Second(1), Minute(2) }
table Duration { Count uint32; Unit Unit; }
@Usage(Target.Field | Target.Method)
table Limit { Max int64; Name string; Ratio float64; On bool; Every Duration; Perms Perm; Tags []string; Grid [3][2]byte; }

struct Point { X float32; Y float32; }
struct Path { Points [4]Point; Name string; }
table Tree { Kids []Tree; Label string; }

contract Base { Ping(); }
contract Service(Base) {
    @Limit(Max: 10, Every: Duration(5))
    Get(id uint64) -> (Path);
}
"#;

#[test]
fn arenas_yield_ids_and_items_in_declaration_order() {
    let m = model(SCHEMA);
    let builtin = m.builtins().module;
    let names: Vec<&str> = m
        .records()
        .iter()
        .filter(|(_, r)| r.module != builtin)
        .map(|(id, r)| {
            assert_eq!(m.record(id).name, r.name);
            r.name.as_str()
        })
        .collect();
    assert_eq!(names, ["Duration", "Limit", "Point", "Path", "Tree"]);
    // Ids index side tables.
    let mut seen = vec![false; m.records().len()];
    for id in m.records().ids() {
        seen[id.index()] = true;
    }
    assert!(seen.iter().all(|&s| s));
    let (root_id, root) = m.modules().iter().last().expect("a module");
    assert_eq!(m.roots(), [root_id]);
    assert_eq!(root.items.len(), 9);
    assert!(matches!(root.items[0], ItemId::Enum(_)));
}

#[test]
fn annotation_values_are_read_by_field_name_with_defaults() {
    let m = model(SCHEMA);
    let (service, _) = m
        .contracts()
        .iter()
        .find(|(_, c)| c.name == "Service")
        .expect("Service");
    let (limit, _) = m
        .records()
        .iter()
        .find(|(_, r)| r.name == "Limit")
        .expect("Limit");
    let get = &m.contract(service).methods[0];
    let ann = m.annotation(&get.annotations, limit).expect("@Limit");
    let v = &ann.value;
    assert_eq!(v.int("Max"), Some(10));
    assert!(v.is_given("Max"));
    // Not given: the zero values of spec §6.
    assert!(!v.is_given("Name"));
    assert_eq!(v.str("Name"), Some(""));
    assert_eq!(v.float("Ratio"), Some(0.0));
    assert_eq!(v.bool("On"), Some(false));
    // A @Flag enum's zero is no bits.
    assert_eq!(v.enum_value("Perms"), Some(0));
    assert_eq!(v.get("Tags"), Some(&Value::List(Vec::new())));
    match v.get("Grid") {
        Some(Value::Array { len: 3, element }) => match &**element {
            Value::Array { len: 2, element } => assert_eq!(**element, Value::Int(0)),
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // A nested table value: given fields and defaulted ones, the enum's zero
    // being its first value.
    let every = v.record("Every").expect("Every");
    assert_eq!(every.int("Count"), Some(5));
    assert_eq!(every.enum_value("Unit"), Some(1));
    assert!(!every.is_given("Unit"));
    assert_eq!(v.get("NoSuchField"), None);
    // The @Usage of the table itself, by name.
    let usage = m
        .annotation(&m.record(limit).annotations, m.builtins().usage)
        .expect("@Usage");
    assert_eq!(usage.value.enum_value("Target"), Some(32 | 128));
}

#[test]
fn layout_facts_are_computed_once_for_every_record() {
    let m = model(SCHEMA);
    let record = |name: &str| {
        m.records()
            .iter()
            .find(|(_, r)| r.name == name)
            .map(|(id, _)| id)
            .expect("record")
    };
    let point = m.layout(record("Point"));
    assert_eq!(
        (point.min_len, point.fixed_len, point.recursive),
        (8, Some(8), false)
    );
    let path = m.layout(record("Path"));
    assert_eq!(
        (path.min_len, path.fixed_len, path.recursive),
        (33, None, false)
    );
    let tree = m.layout(record("Tree"));
    assert_eq!(
        (tree.min_len, tree.fixed_len, tree.recursive),
        (2, None, true)
    );
    assert_eq!(m.min_len(&Type::Scalar(Scalar::String)), 1);
    assert_eq!(
        m.fixed_len(&Type::Array(3, Box::new(Type::Scalar(Scalar::UInt16)))),
        Some(6)
    );
}

#[test]
fn methods_are_flattened_with_ids() {
    let m = model(SCHEMA);
    let (service, _) = m
        .contracts()
        .iter()
        .find(|(_, c)| c.name == "Service")
        .expect("Service");
    let methods = m.methods(service);
    let names: Vec<(u16, &str)> = methods
        .iter()
        .map(|r| (r.id, m.method(*r).name.as_str()))
        .collect();
    assert_eq!(names, [(0, "Ping"), (1, "Get")]);
    assert_eq!(m.full_name(ItemId::Contract(service)), "api.Service");
    let get = &m.contract(service).methods[0];
    assert_eq!(m.display_type(&get.returns[0].ty).to_string(), "api.Path");
}

#[test]
fn the_model_is_valid_and_serializes_to_json() {
    let m = model(SCHEMA);
    m.assert_valid();
    let json = serde_json::to_value(&m).expect("serializes");
    let records = json["records"].as_array().expect("records");
    let point = records
        .iter()
        .find(|r| r["name"] == "Point")
        .expect("Point");
    assert_eq!(point["kind"], "struct");
    assert_eq!(point["fields"][0]["ty"]["Scalar"], "float32");
    let modules = json["modules"].as_array().expect("modules");
    assert_eq!(modules[0]["name"], "gslang");
}
