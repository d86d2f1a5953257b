# Termination (outbound calls): your PBX -> Exotel -> PSTN.
# Trunk, the number used as caller ID, the IPs allowed to send calls, and
# the caller-ID alias.

terraform {
  required_providers {
    exotel = {
      source = "exotel/exotel"
    }
  }
}

provider "exotel" {}

variable "pbx_ips" {
  description = "Public IPv4 addresses of the PBX servers that place calls."
  type        = list(string)
  default     = ["203.0.113.10", "203.0.113.11"]
}

resource "exotel_trunk" "outbound" {
  trunk_name = "pbx_outbound"
}

resource "exotel_trunk_phone_number" "caller_id" {
  trunk_sid    = exotel_trunk.outbound.trunk_sid
  phone_number = "+919876543210"
}

resource "exotel_trunk_whitelisted_ip" "pbx" {
  for_each  = toset(var.pbx_ips)
  trunk_sid = exotel_trunk.outbound.trunk_sid
  ip        = each.value
}

resource "exotel_trunk_alias" "caller_id" {
  trunk_sid = exotel_trunk.outbound.trunk_sid
  alias     = exotel_trunk_phone_number.caller_id.phone_number
}

output "trunk_sid" {
  value = exotel_trunk.outbound.trunk_sid
}

output "sip_domain" {
  value = exotel_trunk.outbound.domain_name
}
