//! The committed `docs/` are exactly what the generator renders from the
//! schemas and examples: docs cannot go stale.

use std::path::Path;

#[test]
fn committed_docs_match_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rendered = terraform_provider_exotel::docs::render_all(&root.join("examples"));
    let mut stale = vec![];
    for (rel, content) in &rendered {
        let committed = std::fs::read_to_string(root.join("docs").join(rel)).unwrap_or_default();
        if committed != *content {
            stale.push(rel.display().to_string());
        }
    }
    assert!(stale.is_empty(), "docs out of date: {stale:?}; run `cargo run --example gendocs` and commit docs/");
    // and nothing in docs/ that the generator does not produce
    let mut on_disk = vec![];
    for sub in ["", "resources", "data-sources", "functions", "ephemeral-resources", "list-resources"] {
        if let Ok(rd) = std::fs::read_dir(root.join("docs").join(sub)) {
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "md") {
                    on_disk.push(Path::new(sub).join(e.file_name()));
                }
            }
        }
    }
    for f in on_disk {
        assert!(rendered.iter().any(|(r, _)| *r == f), "docs/{} is not generated from the schema", f.display());
    }
}

#[test]
fn every_attribute_has_a_description_and_every_type_an_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let p = terraform_provider_exotel::exotel::service();
    let kinds = [
        ("resources", p.resource_schemas()),
        ("data-sources", p.data_source_schemas()),
        ("list-resources", p.list_schemas()),
    ];
    for (kind, schemas) in kinds {
        for (name, schema) in schemas {
            assert!(!schema.description.is_empty(), "{name}");
            for a in &schema.attributes {
                assert!(a.description.len() > 10, "{name}.{} has no description", a.name);
            }
            assert!(root.join("examples").join(kind).join(name).is_dir(), "no example for {kind} {name}");
        }
    }
    for f in terraform_provider_exotel::functions::all() {
        assert!(
            root.join("examples/functions").join(f.name).join("function.tf").is_file(),
            "no example for {}",
            f.name
        );
    }
}

#[test]
fn the_readme_lists_every_type_in_one_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let section = &readme[readme.find("## Resources and data sources").expect("the section")..];
    // The table: the first run of consecutive `|` lines (a blank line would end it).
    let table: Vec<&str> =
        section.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|')).collect();
    let p = terraform_provider_exotel::exotel::service();
    let mut names: Vec<String> = p.resource_schemas().into_iter().map(|(n, _)| format!("`{n}`")).collect();
    names.extend(p.data_source_schemas().into_iter().map(|(n, _)| format!("data `{n}`")));
    names.extend(p.ephemeral_schemas().into_iter().map(|(n, _)| format!("ephemeral `{n}`")));
    names.extend(terraform_provider_exotel::functions::all().iter().map(|f| format!("`provider::exotel::{}`", f.name)));
    names.push("list resources".into());
    for n in names {
        assert!(
            table.iter().any(|row| row.starts_with(&format!("| {n} |"))),
            "README table has no row {n}:\n{}",
            table.join("\n")
        );
    }
}
