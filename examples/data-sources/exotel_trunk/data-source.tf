# Trunks managed in another workspace, looked up by name (or by trunk_sid).
data "exotel_trunk" "shared" {
  trunk_name = "contact_centre"
}

resource "exotel_trunk_phone_number" "sales" {
  trunk_sid    = data.exotel_trunk.shared.trunk_sid
  phone_number = "+919876543210"
}
