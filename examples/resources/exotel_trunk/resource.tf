resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

output "trunk_sid" {
  value = exotel_trunk.main.trunk_sid
}
