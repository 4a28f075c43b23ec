//! Compiles the shipped publisher rules (`redline.toml`) into Rust, so a
//! process that ingests text does not parse TOML at startup (`Rules::shipped`
//! includes `$OUT_DIR/shipped_rules.rs`). A unit test in `src/ingest/rules.rs`
//! checks the generated rules equal the file parsed at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo::rerun-if-changed=redline.toml");
    println!("cargo::rerun-if-changed=build.rs");
    // Start-up is most of a short process (`diff --files` on two 30 KB files is
    // ~2 ms, half of it before `main`), so the binary is linked to start fast:
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
    {
        // - the unwinder linked in (libgcc_eh, as `-static-libgcc` does), so
        //   libgcc_s.so is not loaded: its constructor alone runs a dozen CPUID
        //   instructions, each a trap to the hypervisor on a VM (~0.15 ms);
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
        // - not position-independent unless REDLINE_PIE=1: a PIE's 190 KB of
        //   vtables and string tables are relocated at every start, ~50
        //   copy-on-write page faults (~0.2 ms). Shared libraries, heap and stack
        //   stay randomised; a long-running server (the container image) is
        //   built with REDLINE_PIE=1, where start-up does not matter;
        // - when PIE, its relative relocations packed (DT_RELR, glibc ≥ 2.36,
        //   binutils ≥ 2.38): the loader reads a few hundred bytes, not 220 KB.
        println!("cargo::rerun-if-env-changed=REDLINE_PIE");
        if std::env::var("REDLINE_PIE").as_deref() == Ok("1") {
            println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
        } else {
            println!("cargo::rustc-link-arg-bins=-no-pie");
        }
    }
    let text = std::fs::read_to_string("redline.toml").expect("redline.toml is readable");
    let table: toml::Table = toml::from_str(&text).expect("redline.toml is valid TOML");
    let mut code = String::from("Rules {\n");
    for (key, value) in &table {
        let expr = match (key.as_str(), value) {
            ("zone", toml::Value::Array(zones)) => vec_of(zones, zone),
            ("publisher", toml::Value::Array(publishers)) => vec_of(publishers, publisher),
            (_, value) => plain(key, value),
        };
        writeln!(code, "    {key}: {expr},").unwrap();
    }
    code.push_str("    ..Rules::default()\n}\n");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("shipped_rules.rs"), code).expect("OUT_DIR is writable");
}

/// An integer or a list of strings (the scalar keys of `Rules`).
fn plain(key: &str, value: &toml::Value) -> String {
    match value {
        toml::Value::Integer(n) => n.to_string(),
        toml::Value::Array(items) => strings(key, items),
        other => panic!("redline.toml: `{key}` has an unexpected value {other}"),
    }
}

fn strings(key: &str, items: &[toml::Value]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| match item.as_str() {
            // `{:?}` of a str is a valid Rust string literal.
            Some(s) => format!("String::from({s:?})"),
            None => panic!("redline.toml: `{key}` holds a non-string {item}"),
        })
        .collect();
    format!("vec![{}]", items.join(", "))
}

fn vec_of(items: &[toml::Value], each: fn(&toml::Table) -> String) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|item| each(item.as_table().expect("redline.toml: an array of tables")))
        .collect();
    format!("vec![{}]", items.join(", "))
}

fn zone(table: &toml::Table) -> String {
    let names = strings(
        "names",
        field(table, "names").as_array().expect("names is a list"),
    );
    let offset = field(table, "utc_offset_minutes")
        .as_integer()
        .expect("utc_offset_minutes is an integer");
    let dst = match table.get("dst").and_then(|d| d.as_str()) {
        None | Some("none") => "None",
        Some("us") => "Us",
        Some("eu") => "Eu",
        Some(other) => panic!("redline.toml: unknown dst rule {other:?}"),
    };
    only(table, &["names", "utc_offset_minutes", "dst"]);
    format!("Zone {{ names: {names}, utc_offset_minutes: {offset}, dst: DstRule::{dst} }}")
}

fn publisher(table: &toml::Table) -> String {
    let name = field(table, "name").as_str().expect("name is a string");
    let boilerplate = match table.get("boilerplate") {
        Some(list) => strings(
            "boilerplate",
            list.as_array().expect("boilerplate is a list"),
        ),
        None => "Vec::new()".into(),
    };
    only(table, &["name", "boilerplate"]);
    format!("Publisher {{ name: String::from({name:?}), boilerplate: {boilerplate} }}")
}

fn field<'t>(table: &'t toml::Table, key: &str) -> &'t toml::Value {
    table
        .get(key)
        .unwrap_or_else(|| panic!("redline.toml: a table lacks `{key}`"))
}

fn only(table: &toml::Table, keys: &[&str]) {
    if let Some(extra) = table.keys().find(|k| !keys.contains(&k.as_str())) {
        panic!("redline.toml: unknown key `{extra}`");
    }
}
