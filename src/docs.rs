//! Registry-layout documentation rendered from the provider's own schemas
//! plus `examples/`. `cargo run --example gendocs` writes `docs/`; a test
//! fails when the committed files differ from what this renders.

use crate::tf::schema::{Attribute, Mode, Schema};
use crate::tf::types::Type;
use std::path::{Path, PathBuf};

/// Every docs file: (path under `docs/`, content).
pub fn render_all(examples: &Path) -> Vec<(PathBuf, String)> {
    let p = crate::exotel::service();
    let mut out = vec![(PathBuf::from("index.md"), provider_page(&crate::exotel::config::schema(), examples))];
    for (name, schema) in p.resource_schemas() {
        out.push((
            PathBuf::from("resources").join(format!("{}.md", short(name))),
            resource_page(name, &schema, examples, "Resource")
                + &import_section(name, &schema, p.identity_attributes(name), examples),
        ));
    }
    for (name, schema) in p.data_source_schemas() {
        out.push((
            PathBuf::from("data-sources").join(format!("{}.md", short(name))),
            resource_page(name, &schema, examples, "Data Source"),
        ));
    }
    for (eph, schema) in p.ephemeral_schemas() {
        out.push((
            PathBuf::from("ephemeral-resources").join(format!("{}.md", short(eph))),
            resource_page(eph, &schema, examples, "Ephemeral Resource"),
        ));
    }
    for (name, schema) in p.list_schemas() {
        out.push((
            PathBuf::from("list-resources").join(format!("{}.md", short(name))),
            list_page(name, &schema, examples),
        ));
    }
    let mut fns = crate::functions::all();
    fns.sort_by_key(|f| f.name);
    for f in fns {
        out.push((PathBuf::from("functions").join(format!("{}.md", f.name)), function_page(&f, examples)));
    }
    out
}

fn list_page(name: &str, schema: &Schema, examples: &Path) -> String {
    let mut s = front_matter(&format!("{name} List Resource - terraform-provider-exotel"), schema.description);
    s.push_str(&format!("\n# {name} (List Resource)\n\n{} Use it with `terraform query` (Terraform 1.14 and later); each result carries the resource identity, and with `include_resource = true` the full resource, so `terraform query -generate-config-out=FILE` writes `import` blocks.\n", schema.description));
    if let Some(ex) = read(&examples.join("list-resources").join(name).join("list.tfquery.hcl")) {
        s.push_str(&format!("\n## Example Usage\n\n```terraform\n{ex}\n```\n"));
    }
    s.push('\n');
    if schema.attributes.is_empty() {
        s.push_str("## Schema\n\nThe `config` block takes no arguments.\n");
    } else {
        s.push_str(&schema_section(schema).replacen("## Schema\n", "## Schema (`config` block)\n", 1));
    }
    s
}

fn function_page(f: &crate::functions::Function, examples: &Path) -> String {
    let mut s = front_matter(&format!("{} function - terraform-provider-exotel", f.name), f.summary());
    s.push_str(&format!("\n# function: {}\n\n{}\n", f.name, f.description()));
    if let Some(ex) = read(&examples.join("functions").join(f.name).join("function.tf")) {
        s.push_str(&format!("\n## Example Usage\n\n```terraform\n{ex}\n```\n"));
    }
    s.push_str(&format!("\n## Signature\n\n```text\n{}\n```\n\n## Arguments\n\n", f.signature()));
    for (i, (name, ty, desc)) in f.params().into_iter().enumerate() {
        s.push_str(&format!("{}. `{name}` ({ty}) {desc}\n", i + 1));
    }
    s
}

/// The type name without the provider prefix, as the Registry names files.
pub fn short(type_name: &str) -> &str {
    type_name.strip_prefix("exotel_").unwrap_or(type_name)
}

fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok().map(|s| s.trim_end().to_string())
}

fn type_label(t: &Type) -> String {
    match t {
        Type::String => "String".into(),
        Type::Number => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Dynamic => "Dynamic".into(),
        Type::List(e) => format!("List of {}", type_label(e)),
        Type::Set(e) => format!("Set of {}", type_label(e)),
        Type::Map(e) => format!("Map of {}", type_label(e)),
        Type::Object(_) => "Object".into(),
        Type::Tuple(_) => "Tuple".into(),
    }
}

fn attribute_line(a: &Attribute) -> String {
    let mut label = type_label(&a.ty);
    if a.sensitive {
        label.push_str(", Sensitive");
    }
    if a.write_only.is_some() {
        label.push_str(", [Write-only](https://developer.hashicorp.com/terraform/language/resources/ephemeral#write-only-arguments)");
    }
    let mut line = format!("- `{}` ({label}) {}", a.name, a.description);
    if let Some(instead) = a.write_only {
        line.push_str(&format!(
            " Write-only arguments need Terraform 1.11 or later; an older Terraform gets an error naming {instead}."
        ));
    }
    if !a.keep_prior_when_unset
        && let Some(d) = &a.default
    {
        let shown = match d {
            crate::tf::value::Value::String(s) => s.clone(),
            crate::tf::value::Value::Number(n) => n.to_string(),
            other => format!("{other:?}"),
        };
        line.push_str(&format!(" Defaults to `{shown}`."));
    }
    if !a.one_of.is_empty() {
        let values: Vec<String> = a.one_of.iter().map(|v| format!("`{v}`")).collect();
        line.push_str(&format!(" One of {}.", values.join(", ")));
    }
    if let Some((min, max)) = a.range {
        line.push_str(&format!(" Between {min} and {max}."));
    }
    if let Some(max) = a.max_chars {
        line.push_str(&format!(" At most {max} characters."));
    }
    if let Some(other) = a.exactly_one_with {
        line.push_str(&format!(" Exactly one of `{}` and `{other}` must be set.", a.name));
    }
    if let Some(other) = a.requires {
        line.push_str(&format!(" Only with `{other}`."));
    }
    if a.forces_replacement {
        line.push_str(" Changing it forces a new resource to be created.");
    }
    line
}

fn schema_section(schema: &Schema) -> String {
    let mut s = String::from("## Schema\n");
    for (title, pick) in [
        ("Required", &(|m: Mode| m == Mode::Required) as &dyn Fn(Mode) -> bool),
        ("Optional", &|m: Mode| matches!(m, Mode::Optional | Mode::OptionalComputed)),
        ("Read-Only", &|m: Mode| m == Mode::Computed),
    ] {
        let mut attrs: Vec<&Attribute> = schema.attributes.iter().filter(|a| pick(a.mode)).collect();
        if attrs.is_empty() && (title != "Optional" || schema.blocks.is_empty()) {
            continue;
        }
        attrs.sort_by_key(|a| a.name);
        s.push_str(&format!("\n### {title}\n\n"));
        for a in attrs {
            s.push_str(&attribute_line(a));
            s.push('\n');
        }
        if title == "Optional" {
            for b in &schema.blocks {
                s.push_str(&format!(
                    "- `{}` (Block Set) {} (see [below for nested schema](#nestedblock--{}))\n",
                    b.name, b.description, b.name
                ));
            }
        }
    }
    for b in &schema.blocks {
        s.push_str(&format!("\n<a id=\"nestedblock--{}\"></a>\n### Nested Schema for `{}`\n", b.name, b.name));
        for (title, pick) in [
            ("Required", &(|m: Mode| m == Mode::Required) as &dyn Fn(Mode) -> bool),
            ("Optional", &|m: Mode| matches!(m, Mode::Optional | Mode::OptionalComputed)),
        ] {
            let mut attrs: Vec<&Attribute> = b.attributes.iter().filter(|a| pick(a.mode)).collect();
            if attrs.is_empty() {
                continue;
            }
            attrs.sort_by_key(|a| a.name);
            s.push_str(&format!("\n{title}:\n\n"));
            for a in attrs {
                s.push_str(&attribute_line(a));
                s.push('\n');
            }
        }
    }
    s
}

fn front_matter(title: &str, description: &str) -> String {
    format!("---\npage_title: \"{title}\"\nsubcategory: \"\"\ndescription: |-\n  {description}\n---\n")
}

fn provider_page(schema: &Schema, examples: &Path) -> String {
    let mut s = front_matter(
        "Provider: Exotel",
        "Manage Exotel vSIP trunks, their phone numbers, whitelisted IPs, destinations, SIP digest credentials and caller-ID alias.",
    );
    s.push_str("\n# Exotel Provider\n\n");
    s.push_str(schema.description);
    s.push_str("\n\nUse the navigation to the left to read about the resources, data sources, ephemeral resources, list resources and functions. Terraform 1.0 or later (OpenTofu 1.6 or later) serves everything but: provider functions need Terraform 1.8, ephemeral resources 1.10, write-only arguments (`password_wo`) 1.11, resource identity 1.12 and list resources (`terraform query`) 1.14.\n");
    if let Some(ex) = read(&examples.join("provider/provider.tf")) {
        s.push_str(&format!("\n## Example Usage\n\n```terraform\n{ex}\n```\n"));
    }
    s.push('\n');
    s.push_str(&schema_section(schema));
    for part in ["provider/rate-limit.md", "provider/caller-id.md", "provider/sip-authentication.md"] {
        if let Some(c) = read(&examples.join(part)) {
            s.push_str(&format!("\n{c}\n"));
        }
    }
    s
}

fn resource_page(name: &str, schema: &Schema, examples: &Path, kind: &str) -> String {
    let (dir, example_file) = match kind {
        "Resource" => ("resources", "resource.tf"),
        "Ephemeral Resource" => ("ephemeral-resources", "ephemeral-resource.tf"),
        _ => ("data-sources", "data-source.tf"),
    };
    let mut s = front_matter(&format!("{name} {kind} - terraform-provider-exotel"), schema.description);
    s.push_str(&format!("\n# {name} ({kind})\n\n{}\n", schema.description));
    if let Some(ex) = read(&examples.join(dir).join(name).join(example_file)) {
        s.push_str(&format!("\n## Example Usage\n\n```terraform\n{ex}\n```\n"));
    }
    s.push('\n');
    s.push_str(&schema_section(schema));
    // Behaviour worth knowing (faults, API support), kept beside the examples.
    if let Some(notes) = read(&examples.join(dir).join(name).join("notes.md")) {
        s.push_str(&format!("\n{notes}\n"));
    }
    // The two resources that touch caller ID say how they relate.
    if matches!(name, "exotel_trunk_phone_number" | "exotel_trunk_alias")
        && let Some(c) = read(&examples.join("provider/caller-id.md"))
    {
        s.push_str(&format!("\n{c}\n"));
    }
    s
}

/// Every import form, as tfplugindocs renders them: `import {}` with `id`
/// (Terraform 1.5+), with `identity` (1.12+) and its attributes, and the CLI.
fn import_section(name: &str, schema: &Schema, identity: &[&str], examples: &Path) -> String {
    let dir = examples.join("resources").join(name);
    let mut s = String::from("\n## Import\n\nImport is supported using the following syntax:\n");
    if let Some(ex) = read(&dir.join("import-by-string-id.tf")) {
        s.push_str(&format!(
            "\nIn Terraform v1.5.0 and later, the [`import` block](https://developer.hashicorp.com/terraform/language/import) can be used with the `id` attribute, for example:\n\n```terraform\n{ex}\n```\n"
        ));
    }
    if let Some(ex) = read(&dir.join("import-by-identity.tf")) {
        s.push_str(&format!(
            "\nIn Terraform v1.12.0 and later, the [`import` block](https://developer.hashicorp.com/terraform/language/import) can be used with the `identity` attribute, for example:\n\n```terraform\n{ex}\n```\n"
        ));
        s.push_str("\n### Identity Schema\n\n#### Required\n\n");
        for a in identity {
            let description = schema.attribute(a).map(|x| x.description).unwrap_or_default();
            s.push_str(&format!("- `{a}` (String) {description}\n"));
        }
    }
    if let Some(imp) = read(&dir.join("import.sh")) {
        s.push_str(&format!(
            "\nThe [`terraform import` command](https://developer.hashicorp.com/terraform/cli/commands/import) can be used, for example:\n\n```shell\n{imp}\n```\n"
        ));
    }
    s
}
