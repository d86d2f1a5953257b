resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

resource "exotel_trunk_phone_number" "caller_id" {
  trunk_sid    = exotel_trunk.main.trunk_sid
  phone_number = "+919876543210"
}
