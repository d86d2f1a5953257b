resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# TLS is recommended for production.
resource "exotel_trunk_destination" "primary" {
  trunk_sid   = exotel_trunk.main.trunk_sid
  destination = "sip.example.com:5061;transport=tls"
}
