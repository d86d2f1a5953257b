# Origination (inbound calls): PSTN -> Exotel -> your SIP servers.
# Trunk, the number customers dial, where calls go, and the trunk's SIP
# credentials for your server to authenticate with.

terraform {
  required_providers {
    exotel = {
      source = "exotel/exotel"
    }
  }
}

provider "exotel" {}

resource "exotel_trunk" "inbound" {
  trunk_name = "support_inbound"
}

resource "exotel_trunk_phone_number" "support_line" {
  trunk_sid    = exotel_trunk.inbound.trunk_sid
  phone_number = "+918045678901"
}

# Encrypted signalling: recommended.
resource "exotel_trunk_destination" "primary" {
  trunk_sid   = exotel_trunk.inbound.trunk_sid
  destination = "sip.example.com:5061;transport=tls"
}

# A legacy server that only speaks TCP (planning it shows a warning).
resource "exotel_trunk_destination" "legacy" {
  trunk_sid   = exotel_trunk.inbound.trunk_sid
  destination = "198.51.100.20:5060;transport=tcp"
}

data "exotel_trunk_credentials" "sip" {
  trunk_sid = exotel_trunk.inbound.trunk_sid
}

output "destinations" {
  value = [exotel_trunk_destination.primary.uri, exotel_trunk_destination.legacy.uri]
}

output "sip_username" {
  value = data.exotel_trunk_credentials.sip.username
}
