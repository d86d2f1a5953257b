resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

resource "exotel_trunk_alias" "caller_id" {
  trunk_sid = exotel_trunk.main.trunk_sid
  alias     = "+919876543210"
}
