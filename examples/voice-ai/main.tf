# A Voice AI trunk (Terraform 1.11 and later): a cloud Voice AI platform
# whose source IPs change authenticates with a SIP digest credential instead
# of an IP whitelist, as Exotel recommends. Calls to the number go to the
# bot (flow mode). The SIP password comes from an ephemeral input variable:
# it reaches Exotel, and never the plan or the state.
#
#   export TF_VAR_sip_password='...'   # from your secrets manager
#   terraform apply
#
# To rotate it: set the new password and raise sip_password_version, in the
# same apply (see README.md).

terraform {
  required_version = ">= 1.11"
  required_providers {
    exotel = {
      source = "exotel/exotel"
    }
  }
}

provider "exotel" {}

variable "sip_password" {
  description = "The SIP password the Voice AI platform authenticates with."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "sip_password_version" {
  description = "Raise it to send a new sip_password (Terraform cannot see a write-only value change)."
  type        = number
  default     = 1
}

resource "exotel_trunk" "voice_ai" {
  trunk_name = "voice_ai_bot"
}

# The number callers dial, routed to the Voice AI flow.
resource "exotel_trunk_phone_number" "bot_line" {
  trunk_sid    = exotel_trunk.voice_ai.trunk_sid
  phone_number = "+918047112233"
  mode         = "flow"
}

resource "exotel_trunk_credential" "bot" {
  trunk_sid     = exotel_trunk.voice_ai.trunk_sid
  username      = "voice_ai_bot"
  friendly_name = "Voice AI platform"

  password_wo         = var.sip_password
  password_wo_version = var.sip_password_version
}

output "sip_username" {
  value = exotel_trunk_credential.bot.username
}

output "sip_domain" {
  value = exotel_trunk.voice_ai.domain_name
}
