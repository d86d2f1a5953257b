//! Schema-driven planning as users see it: removing a line with a default
//! plans the default, as the docs say.

use crate::support::*;

/// `priority = 5` removed → an in-place update back to 0; `mask = 24`
/// removed → the /24 is replaced by a /32 (never silently left wider open).
#[test]
fn removing_a_line_with_a_default_plans_the_default() {
    let sim = Sim::start(&[]);
    let wd = Workdir::new(&sim);
    let setup = |priority: &str, mask: &str| {
        format!(
            r#"
resource "exotel_trunk" "t" {{
  trunk_name = "defaults"
}}
resource "exotel_trunk_destination" "d" {{
  trunk_sid   = exotel_trunk.t.trunk_sid
  destination = "sip.example.com:5061;transport=tls"
  {priority}
}}
resource "exotel_trunk_whitelisted_ip" "net" {{
  trunk_sid = exotel_trunk.t.trunk_sid
  ip        = "10.20.0.0"
  {mask}
}}
"#
        )
    };
    wd.write("main.tf", &setup("priority = 5", "mask = 24"));
    wd.apply();
    wd.assert_no_diff();
    let t = &sim.trunks()[0];
    assert_eq!(t["destinations"][0]["priority"], 5);
    assert_eq!(t["whitelisted_ips"][0]["mask"], 24);

    wd.write("main.tf", &setup("", "mask = 24"));
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2, "{plan}");
    assert_eq!(plan_counts(&plan), (0, 1, 0), "{plan}");
    assert!(squash(&plan).contains("~ priority = 5 -> 0"), "{plan}");
    wd.apply();
    assert_eq!(sim.trunks()[0]["destinations"][0]["priority"], 0);
    wd.assert_no_diff();

    wd.write("main.tf", &setup("", ""));
    let (code, plan) = wd.plan(&[]);
    assert_eq!(code, 2, "{plan}");
    assert_eq!(plan_counts(&plan), (1, 0, 1), "{plan}");
    assert!(squash(&plan).contains("~ mask = 24 -> 32 # forces replacement"), "{plan}");
    wd.apply();
    let ips = sim.trunks()[0]["whitelisted_ips"].as_array().unwrap().clone();
    assert_eq!(ips.len(), 1, "{ips:?}");
    assert_eq!(ips[0]["mask"], 32);
    wd.assert_no_diff();
}
