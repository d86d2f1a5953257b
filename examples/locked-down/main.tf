# A locked-down trunk: every collection is authoritative, so nothing added
# outside Terraform (an IP, a number, a destination) survives the next apply
# unreviewed. Import the collections of an existing trunk first:
#   terraform import exotel_trunk_whitelisted_ips.acl <trunk_sid>
# so that the first plan shows what would be removed.

terraform {
  required_providers {
    exotel = {
      source = "exotel/exotel"
    }
  }
}

provider "exotel" {}

resource "exotel_trunk" "main" {
  trunk_name = "locked_down"
}

# Who may place calls through the trunk (toll-fraud surface): exactly these.
resource "exotel_trunk_whitelisted_ips" "acl" {
  trunk_sid = exotel_trunk.main.trunk_sid
  cidrs     = ["203.0.113.10/32", "198.51.100.0/28"]
}

# Which numbers the trunk owns.
resource "exotel_trunk_phone_numbers" "dids" {
  trunk_sid     = exotel_trunk.main.trunk_sid
  phone_numbers = ["+919812345678", "+919812345679"]
}

# Where inbound calls go: TLS only.
resource "exotel_trunk_destinations" "sbc" {
  trunk_sid = exotel_trunk.main.trunk_sid

  destination {
    uri = "sbc1.example.com:5061;transport=tls"
  }
  destination {
    uri      = "sbc2.example.com:5061;transport=tls"
    priority = 1
  }
}

resource "exotel_trunk_alias" "caller_id" {
  trunk_sid = exotel_trunk.main.trunk_sid
  alias     = "+919812345678"
}

output "trunk_sid" {
  value = exotel_trunk.main.trunk_sid
}
