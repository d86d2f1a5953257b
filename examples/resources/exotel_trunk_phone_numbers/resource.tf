resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# Exactly these numbers are mapped to the trunk.
resource "exotel_trunk_phone_numbers" "dids" {
  trunk_sid     = exotel_trunk.main.trunk_sid
  phone_numbers = ["+919876543210", "+919876543211"]
}
