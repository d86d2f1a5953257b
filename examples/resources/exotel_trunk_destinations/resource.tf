resource "exotel_trunk" "main" {
  trunk_name = "contact_centre"
}

# Exactly these destinations receive the trunk's inbound calls.
resource "exotel_trunk_destinations" "sbc" {
  trunk_sid = exotel_trunk.main.trunk_sid

  destination {
    uri = "sbc1.example.com:5061;transport=tls"
  }
  destination {
    uri      = "sbc2.example.com:5061;transport=tls"
    priority = 1 # tried when sbc1 does not answer
  }
}
