//! Regenerates `docs/` from the provider's schemas and `examples/`:
//!
//!     cargo run --example gendocs

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = root.join("docs");
    for (rel, content) in terraform_provider_exotel::docs::render_all(&root.join("examples")) {
        let p = docs.join(&rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
        println!("wrote docs/{}", rel.display());
    }
}
