resource "exotel_trunk" "voice_ai" {
  trunk_name = "voice_ai"
}

# The password from an ephemeral input variable (Terraform 1.11 and later):
# it reaches Exotel, never the plan or the state.
variable "sip_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "exotel_trunk_credential" "bot" {
  trunk_sid     = exotel_trunk.voice_ai.trunk_sid
  username      = "voicebot"
  friendly_name = "Voice AI platform"

  password_wo         = var.sip_password
  password_wo_version = 1 # change it to send a new password
}

# Terraform before 1.11: the password is stored in state (sensitive).
# resource "exotel_trunk_credential" "pbx" {
#   trunk_sid = exotel_trunk.voice_ai.trunk_sid
#   username  = "pbx"
#   password  = var.pbx_password
# }
