//! The sample plugin at work: what `@Derive` and `@Range` generate, and the
//! plugin's diagnostics, reported with spans like gslang's own.

use gslang_plugins_sample::proto::shop::{Item, Money, Order, RangeError};

#[path = "../plugin.rs"]
mod plugin;

#[test]
fn validate_checks_every_ranged_field() {
    let mut item = Item {
        name: "apple".into(),
        count: 1,
        cents: 1_000_000,
    };
    assert_eq!(item.validate(), Ok(()), "the bounds are inclusive");
    item.count = 0;
    let low = item.validate().expect_err("below Min");
    assert_eq!(
        low,
        RangeError {
            field: "Count",
            value: 0,
            min: 1,
            max: 99
        }
    );
    assert_eq!(low.to_string(), "Count is 0, outside 1..=99");
    item.count = 99;
    item.cents = 1_000_001;
    assert_eq!(item.validate().map_err(|e| e.field), Err("Cents"));

    let mut order = Order {
        id: 7,
        items: vec![item],
        priority: -10,
    };
    assert_eq!(
        order.validate(),
        Ok(()),
        "fields of other records are theirs to check"
    );
    order.priority = -11;
    assert_eq!(order.validate().map_err(|e| e.value), Err(-11));
}

#[test]
fn derives_come_from_the_schema() {
    // `@Derive("PartialOrd") @Derive("Ord")`: the records sort.
    let mut prices = [
        Money { cents: 30 },
        Money { cents: 10 },
        Money { cents: 20 },
    ];
    prices.sort();
    assert_eq!(
        prices.iter().map(|m| m.cents).collect::<Vec<_>>(),
        [10, 20, 30]
    );
    let a = Item {
        name: "a".into(),
        ..Item::default()
    };
    let b = Item {
        name: "b".into(),
        ..Item::default()
    };
    assert!(a < b);
}

/// The plugin run on `src`: its output, or the diagnostics rendered.
fn generate(src: &str) -> Result<String, String> {
    let analysis = gslang_sema::analyze_source("bad.gs", src);
    let model = analysis.model.as_ref().expect("gslang accepts the schema");
    let mut shop = plugin::Shop;
    let mut options = gs2rust::GenOptions::default();
    options.rpc = false;
    match gs2rust::generate_with_plugins(model, &options, &mut [&mut shop]) {
        Ok(files) => Ok(files.into_iter().map(|f| f.contents).collect()),
        Err(diags) => Err(diags
            .iter()
            .map(|d| gslang_syntax::diag::render(&analysis.sources, d))
            .collect()),
    }
}

const TABLES: &str = r#"
@Usage(Target.Table | Target.Struct)
table Derive { Trait string; }
@Usage(Target.Field)
table Range { Min int64; Max int64; }
"#;

#[test]
fn a_range_on_a_field_without_one_is_an_error_with_spans() {
    let src = format!(
        "{TABLES}
table Player {{
    @Range(1, 10)
    Name string;
    @Range(Min: 5, Max: 1)
    Level int32;
    @Range(0, 300)
    Lives byte;
}}
@Derive(\"Not a trait\")
struct Point {{ X int32; }}
"
    );
    insta::assert_snapshot!(generate(&src).expect_err("the plugin reports errors"));
}

#[test]
fn a_valid_schema_generates() {
    let src = format!("{TABLES}\ntable Player {{ @Range(1, 10) Level int32; }}\n");
    let rust = generate(&src).expect("generates");
    assert!(rust.contains("pub fn validate(&self)"), "{rust}");
    assert!(rust.contains("pub struct RangeError"), "{rust}");
}
