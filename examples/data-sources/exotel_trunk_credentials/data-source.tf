resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

data "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.main.trunk_sid
}

output "sip_username" {
  value = data.exotel_trunk_credentials.sip.username
}

output "sip_password" {
  value     = data.exotel_trunk_credentials.sip.password
  sensitive = true
}
