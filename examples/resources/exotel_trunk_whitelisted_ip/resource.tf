resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# A single server (mask defaults to 32).
resource "exotel_trunk_whitelisted_ip" "pbx" {
  trunk_sid = exotel_trunk.main.trunk_sid
  ip        = "203.0.113.10"
}

# A whole network: the ip must be the network address.
resource "exotel_trunk_whitelisted_ip" "media_cluster" {
  trunk_sid = exotel_trunk.main.trunk_sid
  ip        = "198.51.100.0"
  mask      = 28
}
