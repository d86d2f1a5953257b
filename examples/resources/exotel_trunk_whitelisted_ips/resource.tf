resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# Exactly these networks may send calls through the trunk; anything else
# (added in the dashboard, by a script) is removed on the next apply.
resource "exotel_trunk_whitelisted_ips" "acl" {
  trunk_sid = exotel_trunk.main.trunk_sid
  cidrs = [
    "203.0.113.10/32", # the PBX
    "198.51.100.0/28", # the media cluster
  ]
}
