//! The client-side rate limit against a simulator that enforces Exotel's
//! 200 requests per sliding minute (429, error 1030, no Retry-After): one
//! large apply and three concurrent ones on one account send no request the
//! API refuses; a shared state that cannot be used costs one warning, not
//! the apply.

use crate::support::{Sim, Workdir, squash, trunk_and_numbers};

fn stat(sim: &Sim, k: &str) -> u64 {
    sim.stats()[k].as_u64().unwrap_or_else(|| panic!("no {k} in {}", sim.stats()))
}

#[test]
fn a_large_apply_stays_inside_the_apis_minute() {
    let sim = Sim::start(&["--rate-limit", "200"]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &trunk_and_numbers("limited", 260, 0));
    let out = wd.apply();
    assert!(out.contains("261 added"), "{out}");
    assert_eq!(stat(&sim, "rate_limited"), 0, "the API refused requests: {}", sim.stats());
    assert!(stat(&sim, "max_per_minute") <= 200, "{}", sim.stats());
    assert!(stat(&sim, "requests") > 200, "the window was never full: {}", sim.stats());
}

#[test]
fn three_concurrent_applies_on_one_account_share_the_minute() {
    let sim = Sim::start(&["--rate-limit", "200"]);
    let cache = tempfile::tempdir().expect("cache");
    let wds: Vec<Workdir> = (0..3)
        .map(|k| {
            let mut wd = Workdir::new(&sim);
            wd.set_env("XDG_CACHE_HOME", &cache.path().display().to_string());
            wd.write("main.tf", &trunk_and_numbers(&format!("team{k}"), 90, k * 100));
            wd
        })
        .collect();
    let outs: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = wds.iter().map(|wd| s.spawn(|| wd.apply())).collect();
        handles.into_iter().map(|h| h.join().expect("apply")).collect()
    });
    for out in &outs {
        assert!(out.contains("91 added"), "{out}");
        assert!(!out.contains("Rate limit not shared"), "{out}");
    }
    assert_eq!(stat(&sim, "rate_limited"), 0, "the API refused requests: {}", sim.stats());
    assert!(stat(&sim, "max_per_minute") <= 200, "{}", sim.stats());
    assert!(stat(&sim, "requests") > 200, "the window was never full: {}", sim.stats());
}

#[test]
fn a_corrupt_shared_state_costs_one_warning_not_the_apply() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    wd.write("main.tf", &trunk_and_numbers("corrupt", 2, 0));
    // A first plan creates the shared state; then it is spoiled.
    wd.ok(&["plan", "-input=false", "-no-color"]);
    let dir = wd.path().join("cache/terraform-provider-exotel/rate-limit");
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the shared folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "window"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    std::fs::write(&files[0], "\u{0}\u{1}not a window\n").expect("spoil");
    let out = wd.apply();
    assert!(out.contains("3 added"), "{out}");
    let flat = squash(&out);
    assert_eq!(flat.matches("Warning: Rate limit not shared").count(), 1, "{out}");
    assert!(flat.contains("is corrupt") && flat.contains("it was reset"), "{out}");
    // Reset: the next run shares again, without a warning.
    wd.write("main.tf", &trunk_and_numbers("corrupt", 3, 0));
    let out = wd.apply();
    assert!(!out.contains("Rate limit not shared"), "{out}");
}

#[test]
fn an_unusable_cache_folder_costs_one_warning_per_process_not_the_apply() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    // A file where the cache folder should be: nothing can be created under
    // it, whoever runs the test.
    let blocker = wd.path().join("not-a-folder");
    std::fs::write(&blocker, "").expect("file");
    wd.set_env("XDG_CACHE_HOME", &blocker.display().to_string());
    wd.write("main.tf", &trunk_and_numbers("unwritable", 2, 0));
    let plan = wd.ok(&["plan", "-input=false", "-no-color", "-out=tfplan"]);
    assert_eq!(squash(&plan).matches("Warning: Rate limit not shared").count(), 1, "{plan}");
    assert!(squash(&plan).contains("cannot create the folder"), "{plan}");
    let out = wd.ok(&["apply", "-input=false", "-no-color", "tfplan"]);
    assert!(out.contains("3 added"), "{out}");
    assert_eq!(squash(&out).matches("Warning: Rate limit not shared").count(), 1, "{out}");
}

#[test]
fn sharing_can_be_turned_off() {
    let sim = Sim::start(&[]);
    let mut wd = Workdir::new(&sim);
    wd.set_env("EXOTEL_SHARED_RATE_LIMIT", "false");
    wd.write("main.tf", &trunk_and_numbers("alone", 1, 0));
    wd.apply();
    assert!(!wd.path().join("cache/terraform-provider-exotel").exists(), "a shared state was written");
    // And another folder can be named.
    wd.set_env("EXOTEL_SHARED_RATE_LIMIT", "true");
    let elsewhere = wd.path().join("volume");
    wd.set_env("EXOTEL_RATE_LIMIT_DIR", &elsewhere.display().to_string());
    wd.write("main.tf", &trunk_and_numbers("alone", 2, 0));
    wd.apply();
    let n = std::fs::read_dir(&elsewhere).expect("the named folder").count();
    assert!(n >= 2, "expected a state and a lock file in {}", elsewhere.display());
}
